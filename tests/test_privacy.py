"""Personal numbers are masked before storage; 文号, dates, amounts and hotlines are not."""

import pytest

from govqa.core.privacy import mask_personal


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("我的身份证号是110101199003071234，公积金怎么取", "我的身份证号是110101********1234，公积金怎么取"),
        ("身份证11010119900307123X丢了", "身份证110101********123X丢了"),
        ("身份证11010119900307123x", "身份证110101********123x"),
        ("老身份证110101900307123", "老身份证110101******123"),
        ("手机13812345678", "手机138****5678"),
        ("电话：+86 138-1234-5678", "电话：+86138****5678"),
        ("手机号 139 1234 5678 请回电", "手机号 139****5678 请回电"),
        ("卡号6222021234567890", "卡号6222********7890"),
        ("卡号 6222 0212 3456 7890 123", "卡号 6222***********0123"),
        ("卡号6222021234567890123到账", "卡号6222***********0123到账"),
    ],
)
def test_personal_numbers_are_masked_keeping_a_prefix_and_suffix(text: str, masked: str) -> None:
    assert mask_personal(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "京政发〔2024〕3号",
        "江临市人民政府令第123号",
        "2024年1月1日起施行，20240101",
        "补贴1000000元，每月3500.50元",
        "请拨打12345政务服务便民热线",
        "咨询电话010-12345678",
        "咨询电话0791-88886666转2",
        "400-123-4567",
        "统一社会信用代码91110000MA01234567",
        "第二十四条第3款",
        "邮编330000",
        "",
    ],
)
def test_no_false_masking(text: str) -> None:
    assert mask_personal(text) == text


def test_several_numbers_in_one_message() -> None:
    out = mask_personal("身份证110101199003071234，手机13812345678，卡6222021234567890，文号京政发〔2024〕3号")
    assert "199003071234" not in out and "12345678" not in out and "02123456" not in out
    assert out.count("*") == 8 + 4 + 8 and "京政发〔2024〕3号" in out
