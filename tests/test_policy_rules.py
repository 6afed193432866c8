"""Clause typing by rules: the type of hand-made and sample clauses, and when the rules are unsure."""

from __future__ import annotations

import pytest

from govqa.policy.clauses import section_headings, titles_at
from govqa.policy.rules import ITEM_WEIGHT, rule_type, sentence_scores, sentence_vote, sentences

# Chinese kept here: clauses in the shape of the sample policies, with the type the guidelines give them.
CASES = [
    ("第一条　为了规范住房公积金提取行为，根据《住房公积金管理条例》，结合本市实际，制定本办法。", "其他"),
    ("第二条　在本市缴存住房公积金的职工提取住房公积金，适用本办法。", "适用范围"),
    ("第三条　本办法所称多子女家庭，是指生育三个及以上子女的家庭。", "定义"),
    ("第五条　申请认定，应当同时具备下列条件：\n（一）依法设立；\n（二）研发费用不低于100万元。", "申报条件"),
    ("第十六条　对首次认定的企业，市财政给予一次性奖励30万元。", "支持措施"),
    ("第十一条　市经信局组织评审，并在门户网站公示5个工作日。公示无异议的，由市经信局发文认定。", "申报程序"),
    ("第十二条　缴存职工申请提取，应当提供下列材料：\n（一）本人有效身份证件；\n（二）银行借记卡。", "申请材料"),
    ("第十二条　专精特新中小企业认定有效期为3年。", "时限"),
    ("第十九条　本办法由市经信局负责解释。", "责任部门"),
    ("第二十六条　单位不办理缴存登记的，由公积金中心责令限期办理；逾期不办理的，处1万元以上5万元以下的罚款。", "罚则"),
    ("第二十条　本办法自2022年9月1日起施行，有效期至2027年8月31日。", "施行与废止"),
]


@pytest.mark.parametrize(("text", "kind"), CASES)
def test_rule_type(text: str, kind: str) -> None:
    verdict = rule_type(text)
    assert verdict.type == kind
    assert not verdict.unsure
    assert 0 < verdict.confidence <= 1


def test_no_cue_is_unsure() -> None:
    verdict = rule_type("第六条　评价指标包括四类共13项指标，满分为100分。")
    assert verdict.unsure and verdict.confidence == 0


def test_list_items_belong_to_their_lead_sentence() -> None:
    assert sentences("第五条　应当具备下列条件：\n（一）甲；\n（二）乙。\n前款规定另有说明。") == [
        "应当具备下列条件：（一）甲；（二）乙。",
        "前款规定另有说明。",
    ]


# Chinese kept here: sentences shaped like real regulations, each showing one structural rule.
def test_a_clause_is_the_type_most_of_its_sentences_serve_ties_to_the_earlier_type() -> None:
    # A deadline sentence and a procedure sentence: a tie, and 申报程序 is listed before 时限.
    text = "第十条　区民政局应当自受理申请之日起30日内作出决定。\n对符合条件的申请予以确认，并书面告知申请人。"
    assert rule_type(text).type == "申报程序"
    assert rule_type(text).unsure
    # Two deadline sentences outvote one procedure sentence.
    text += "\n申请人应当自收到决定之日起十五日内领取证书。"
    assert rule_type(text).type == "时限"


def test_a_deadline_for_an_action_is_a_time_limit_also_in_chinese_numerals() -> None:
    assert sentence_vote("养犬人应当自变更之日起三十日内到登记机关办理变更登记。").type == "时限"
    # …but a period that bars a new application is part of the sanction.
    assert sentence_vote("申请人在三年内不得再次申领机动车驾驶证。").type == "罚则"


def test_what_a_body_gives_a_party_is_support_not_a_duty() -> None:
    assert sentence_vote("市和区县人民政府通过优化创业环境，为自主开业的劳动者提供开业培训。").type == "支持措施"
    assert sentence_vote("对获得最低生活保障的家庭，县级人民政府民政部门按月发给最低生活保障金。").type == "支持措施"
    # 给予 a sanction is no support.
    assert sentence_vote("对直接负责的主管人员依法给予处分。").type == "罚则"
    # A duty with no party to receive anything stays a duty.
    assert sentence_vote("市人民政府应当加强对京津冀一卡通工作的领导。").type == "责任部门"


def test_a_condition_says_when_not_what() -> None:
    text = "享受政府补贴的养老服务企业没有履行相应义务的，由民政部门责令改正。"
    assert sentence_vote(text).type == "罚则"
    # The support cues of the condition (享受, 补贴) count at the items' weight…
    condition = text.split("，")[0]
    assert sentence_scores(text)["支持措施"] == pytest.approx(ITEM_WEIGHT * sentence_scores(condition)["支持措施"])
    # …while eligibility cues in a condition count in full.
    assert sentence_scores("符合下列条件的，可以申请")["申报条件"] >= 2.5


def test_an_inline_reference_to_items_is_not_a_list() -> None:
    text = "职工已享受当年的年休假，又出现条例第四条第（二）、（三）项规定情形之一的，不享受下一年度的年休假。"
    assert sentence_vote(text).type == "申报条件"


def test_scope_is_the_whole_document_not_one_article() -> None:
    assert sentence_vote("机关、事业单位和与其建立劳动关系的职工，依照本办法执行。").type == "适用范围"
    assert sentence_vote("特困人员供养的审批程序适用本条例第十一条规定。").type != "适用范围"


def test_a_breach_opener_makes_a_penalty_even_with_a_body_as_subject() -> None:
    text = "违反本条例规定，社会救助经办机构未按照规定程序公示的，由上级行政机关责令改正。"
    assert rule_type(f"第六十条　{text}").type == "罚则"


def test_a_bar_on_new_applications_is_a_sanction_and_applying_for_a_benefit_is_support() -> None:
    assert sentence_vote("由公积金中心追回已提取的资金，3年内不予受理其提取申请。").type == "罚则"
    assert sentence_vote("参保企业上年度未裁员的，可以申请失业保险稳岗返还。").type == "支持措施"
    # Setting up a system of accountability is a duty, not a penalty.
    assert sentence_vote("市人民政府应当将落实情况纳入年度考核，并建立责任追究制度。").type == "责任部门"


def test_a_list_of_cases_or_parties_that_may_apply_is_eligibility_whatever_it_grants() -> None:
    text = "第十条　职工有下列情形之一的，可以申请提取住房公积金：\n（一）购买自住住房的；\n（二）离休、退休的。"
    assert rule_type(text).type == "申报条件"
    assert sentence_vote("下列人员可以申请医疗救助：（一）特困供养人员；（二）低保家庭成员。").type == "申报条件"
    # Granting to a party described in a condition stays support.
    assert sentence_vote("离休、退休的职工，可以提取本人住房公积金账户余额。").type == "支持措施"


def test_what_a_sanction_takes_away_is_no_support() -> None:
    text = "享受政府补贴的养老服务企业没有履行相应义务的，由发放补贴的部门收回补贴，取消其享受优惠的资格。"
    assert sentence_vote(text).type == "罚则"


def test_extending_a_period_and_ending_a_procedure() -> None:
    assert sentence_vote("因特殊情况无法按期领取奖励的，可以延长奖励领取期限，最长不超过3年。").type == "时限"
    assert sentence_vote("举报人放弃奖励的，终止奖励程序。").type == "申报程序"


def test_a_chapter_titled_for_one_type_votes_for_it_and_wins_a_tie() -> None:
    text = (
        "第六十二条　用人单位应当参加工伤保险而未参加的，由社会保险行政部门责令限期参加。\n"
        "未参加工伤保险的用人单位职工发生工伤的，由该用人单位按照本条例规定的标准支付费用。"
    )
    assert rule_type(text).type == "支持措施"
    verdict = rule_type(text, ("法律责任",))
    assert verdict.type == "罚则" and not verdict.unsure
    # A title joining two subjects names no one type.
    assert rule_type(text, ("法律责任和附则",)).type == "支持措施"


def test_section_titles_are_read_from_the_heading_lines() -> None:
    text = "## 第一章 总则\n第一条　甲。\n第七章　法 律 责 任\n第二十条　乙。\n"
    headings = section_headings(text)
    assert titles_at(headings, ("第一章", "第一条"), text.index("第一条")) == ("总则",)
    assert titles_at(headings, ("第七章", "第二十条"), text.index("第二十条")) == ("法律责任",)


def test_a_forbidden_grant_is_no_support_and_handing_in_materials_is_about_materials() -> None:
    assert "支持措施" not in sentence_scores("基本养老保险费不得减免。")
    text = "申请办理机动车登记业务的，应当如实向车辆管理所提交规定的材料、交验机动车，如实申告规定的事项。"
    assert sentence_vote(text).type == "申请材料"
