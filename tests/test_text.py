from govqa.core.text import cn_to_int, int_to_cn, normalise, normalise_dates


def test_chinese_numerals_round_trip() -> None:
    for n in (1, 9, 10, 11, 19, 20, 24, 100, 101, 110, 999, 1024):
        assert cn_to_int(int_to_cn(n)) == n
    assert int_to_cn(24) == "二十四"
    assert int_to_cn(10) == "十"
    assert int_to_cn(103) == "一百零三"
    assert cn_to_int("两") == 2
    assert cn_to_int("abc") is None


def test_normalise_folds_full_width_ascii_but_keeps_document_numbers() -> None:
    text = "京政发〔２０２４〕３号\r\n\r\n\r\n  第一条　ＡＢＣ  "
    assert normalise(text) == "京政发〔2024〕3号\n\n第一条 ABC"


def test_dates_read_the_same_however_written():
    assert normalise_dates("施行日期：2024-07-01") == "施行日期：2024年7月1日"
    assert normalise_dates("2024/7/1 和 2024.07.01 和 2024年07月01日") == "2024年7月1日 和 2024年7月1日 和 2024年7月1日"
    # A phone number, a 文号 year or an amount is no date.
    assert normalise_dates("0599-86012329，江政发〔2019〕7号，12000元") == "0599-86012329，江政发〔2019〕7号，12000元"
