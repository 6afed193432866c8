"""Clause typing by rules: the type of hand-made and sample clauses, and when the rules are unsure."""

from __future__ import annotations

import pytest

from govqa.policy.rules import rule_type, sentences

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
