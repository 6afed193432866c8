"""Attribute extraction by rules: amounts, caps, periods and dates, bodies, beneficiaries and 文号."""

from __future__ import annotations

from pathlib import Path

import pytest

from govqa.bootstrap import SAMPLE_PATHS
from govqa.policy.attributes import extract_attributes
from govqa.policy.clauses import clauses_of_document
from ingest.chunking import StructureChunker
from ingest.loaders import load_path


def _sample_clause(stem: str, article: str) -> str:
    path = next(p for root in SAMPLE_PATHS for p in Path(root).rglob(f"{stem}.md"))
    loaded = next(iter(load_path(path, "policies")))
    doc = loaded.document  # type: ignore[union-attr]
    return next(c.text for c in clauses_of_document(doc, StructureChunker()) if c.article == article)


def test_amounts_keep_their_unit_and_drop_the_bound_words() -> None:
    attrs = extract_attributes(
        "每人每年提取总额不超过12000元，多子女家庭可以提高至18000元以内，比例为50%、百分之三十或者1倍。"
    )
    assert attrs.amount == ("12000元", "18000元", "50%", "百分之三十", "1倍")
    assert attrs.cap == ("12000元",)


def test_periods_and_dates_without_their_frame_words() -> None:
    attrs = extract_attributes("应当自受理之日起15个工作日内作出决定；认定有效期为3年，本办法自2024年7月1日起施行。")
    assert attrs.deadline == ("15个工作日", "3年", "2024年7月1日")


def test_a_year_inside_a_title_or_a_document_number_is_no_deadline() -> None:
    attrs = extract_attributes("按照《江临市2023年就业补贴实施方案》（江政发〔2023〕2号）执行，上一年度的缴存额不变。")
    assert attrs.deadline == ()
    assert attrs.cites == ("江政发〔2023〕2号",)


def test_departments_with_their_short_names_and_no_generic_body() -> None:
    text = "江临市经济和信息化局（以下简称市经信局）负责认定工作，有关部门予以配合。市经信局每年复核。"
    assert extract_attributes(text).department == ("江临市经济和信息化局", "市经信局")


def test_beneficiary_with_its_modifiers_and_not_a_generic_word() -> None:
    attrs = extract_attributes("对首次认定的专精特新中小企业，市财政给予一次性奖励30万元；同一企业不重复享受。")
    assert attrs.beneficiary == ("专精特新中小企业",)
    assert attrs.department == ("市财政",)
    assert attrs.amount == ("30万元",)


def test_beneficiaries_only_for_the_types_that_have_them() -> None:
    text = "缴存职工以欺骗手段提取住房公积金的，由公积金中心责令退回。"
    assert extract_attributes(text, "支持措施").beneficiary == ("缴存职工",)
    # Chinese kept here: a clause type, as the guidelines name it.
    assert extract_attributes(text, "罚则").beneficiary == ()


@pytest.mark.parametrize(
    ("stem", "article", "field", "expected"),
    [
        ("jljx-2022-15", "第五条", "amount", ("100万元", "3%", "1000万元", "2000万元")),
        ("jljx-2022-15", "第十七条", "cap", ("50万元",)),
        ("jljx-2022-15", "第二十条", "deadline", ("2022年9月1日", "2027年8月31日")),
        (
            "jljx-2022-15",
            "第三条",
            "department",
            ("江临市经济和信息化局", "市经信局", "各区经济和信息化主管部门", "区经信部门"),
        ),
        ("jlzf-2019-07", "第七条", "beneficiary", ("缴存职工",)),
    ],
)
def test_sample_clauses(stem: str, article: str, field: str, expected: tuple[str, ...]) -> None:
    assert getattr(extract_attributes(_sample_clause(stem, article)), field) == expected


def test_bodies_read_back_from_their_suffix() -> None:
    text = (
        "市和区、县人民政府应当建立由公安、卫生等行政部门组成的工作机制。"
        "养犬人应当到住所地的区、县公安机关登记，并征得居民委员会同意；市、县（市、区）人民政府予以保障。"
    )
    assert extract_attributes(text).department == (
        "市和区、县人民政府",
        "公安、卫生等行政部门",
        "区、县公安机关",
        "市、县（市、区）人民政府",
    )


def test_list_items_name_no_beneficiary_and_a_range_of_days_is_one_deadline() -> None:
    text = "申请企业有下列情形之一的，不予认定：\n（一）被列入失信名单的创新型中小企业；\n（二）其他情形。每年4月至6月申报。"
    attrs = extract_attributes(text, "申报条件")
    assert attrs.beneficiary == ("申请企业",)
    assert attrs.deadline == ("4月至6月",)


# Chinese kept here: phrases shaped like real regulations, each showing how a body's name is bounded.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A level word after a governing verb opens the name; a place written before it stays.
        ("且家庭财产状况符合县级以上人民政府规定的家庭", ("县级以上人民政府",)),
        ("公民可以拨打国家安全机关举报受理电话", ("国家安全机关",)),
        ("本市各级人民政府负责本规定的组织实施", ("本市各级人民政府",)),
        (
            "县级以上地方各级人民政府劳动保障行政部门主管本行政区域内的工作",
            ("县级以上地方各级人民政府劳动保障行政部门",),
        ),
        # 设区的市 is one word; 当地 belongs to the name, the applicant's 登记地 does not.
        ("向设区的市级劳动能力鉴定委员会提出申请", ("设区的市级劳动能力鉴定委员会",)),
        ("可以向当地社会保险行政部门申请办理缓缴手续", ("当地社会保险行政部门",)),
        ("机动车所有人应当向登记地车辆管理所申请变更登记", ("车辆管理所",)),
        # Two whole bodies joined by a conjunction are two names; functions sharing a suffix are one.
        ("财政部门和审计机关依法对基金的收支进行监督", ("财政部门", "审计机关")),
        ("由市和区、县人民政府统一领导", ("市和区、县人民政府",)),
        ("行政法规或者国务院另有规定外", ("国务院",)),
        # A generic body after a named one, or a generic body with a pointer, names nothing more.
        ("由国务院卫生行政部门、食品药品监督管理部门等部门规定", ("国务院卫生行政部门", "食品药品监督管理部门")),
        ("其他有关部门和上级行政机关应当配合", ()),
        # People before a body are no function of it; an alias 以下称 is a short name.
        ("社会救助管理部门及其工作人员、社会救助经办机构应当保密", ("社会救助管理部门", "社会救助经办机构")),
        (
            "社会保险行政部门设立的社会保险经办机构（以下称经办机构）具体承办",
            ("社会保险行政部门", "社会保险经办机构", "经办机构"),
        ),
        # A bank or an insurer is no public body.
        ("鼓励商业保险机构开发长期护理保险", ()),
        # A bracket of place levels belongs to the name, as in 县（市、区）.
        (
            "向户籍所在地乡镇（街道）、社区（村）公共就业服务机构提出",
            ("乡镇（街道）、社区（村）公共就业服务机构",),
        ),
    ],
)
def test_department_names_are_bounded_by_structure(text: str, expected: tuple[str, ...]) -> None:
    assert extract_attributes(text).department == expected


# Chinese kept here: phrases shaped like real regulations, each showing how a party's name is read.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A governing verb ends the modifiers; a lookahead sees the head (保障|家庭成员 is one name).
        ("市人民政府应当加强中小企业融资担保，降低市场主体融资成本。", ("中小企业", "市场主体")),
        (
            "下列人员可以申请医疗救助：\n（一）最低生活保障家庭成员；\n（二）特困供养人员。",
            ("最低生活保障家庭成员", "特困供养人员"),
        ),
        # A head right before another head, or before a word it modifies, is part of something else.
        ("对符合条件的残疾学生及残疾人家庭学生给予资助。", ("残疾学生", "残疾人家庭学生")),
        ("特困人员供养标准由县级以上人民政府确定。", ()),
        # A shorter name counts where it stands alone, not after a determiner.
        ("工伤职工已经评定伤残等级的，职工本人可以提出申请。", ("工伤职工", "职工")),
        ("对首次认定的专精特新中小企业给予奖励。同一企业不重复享受。", ("专精特新中小企业",)),
        # Short words before a separator share the head (退休、退职人员).
        ("由社会保险经办机构发放给退休、退职人员。", ("退休、退职人员",)),
        # A party written before 的 describes another and counts only when alone.
        ("吸纳就业救助对象的用人单位享受社会保险补贴。", ("用人单位",)),
        # An alias is the party's name; the words it abbreviates are not.
        ("在本市缴存住房公积金的职工（以下简称缴存职工）提取住房公积金，适用本办法。", ("缴存职工",)),
        # A body's own staff are no beneficiary; a title is no party.
        ("社会保险行政部门工作人员与工伤认定申请人有利害关系的，应当回避。", ("工伤认定申请人",)),
        ("船员的年休假按《中华人民共和国船员条例》执行。", ("船员",)),
        # Determiners (全部, 各类) say which of them, an age range is no part of a name, and a wage
        # or a classification a head qualifies is no party.
        ("用人单位应当为其招用的全部职工办理参保手续。", ("用人单位",)),
        ("包括城镇各类企业、民办非企业单位。", ("民办非企业单位",)),
        ("对零至七周岁残疾儿童免费实施康复救助。", ("残疾儿童",)),
        ("标准为统筹地区上年度职工月平均工资的50%，与困境儿童分类保障相衔接。", ()),
    ],
)
def test_beneficiary_names_follow_their_role(text: str, expected: tuple[str, ...]) -> None:
    assert extract_attributes(text, "申报程序").beneficiary == expected


def test_who_pays_provides_or_is_the_other_side_receives_no_support() -> None:
    assert extract_attributes("难以安排工作的，由用人单位按月发给伤残津贴。", "支持措施").beneficiary == ()
    text = "残疾人职工与用人单位发生争议的，法律援助机构应当为其提供法律援助。"
    assert extract_attributes(text, "支持措施").beneficiary == ("残疾人职工",)
    text = "机关、企事业单位应当为残疾人提供优惠和便利。"
    assert extract_attributes(text, "支持措施").beneficiary == ("残疾人",)
    # Outside support, a party that must act is labelled (申报程序: 须办理的一方).
    assert extract_attributes("用人单位应当为职工办理参保手续。", "申报程序").beneficiary == ("用人单位", "职工")


def test_ratios_in_words_are_amounts() -> None:
    assert extract_attributes("按日加收万分之五的滞纳金，千分之三的手续费").amount == ("万分之五", "千分之三")
