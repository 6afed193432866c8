"""Fast unit tests of the clause alignment and diff on hand-made texts (no index, no models)."""

from __future__ import annotations

import pytest

from govqa.policy.diff import AlignConfig, FigureChange, align, char_edits, diff_clauses, moved_figures, similarity
from govqa.policy.types import Clause, ClauseAttributes


def clauses(doc: str, *texts: str) -> list[Clause]:
    return [Clause(doc, t.split("　")[0], t) for t in texts]


RENT_OLD = "第七条　租赁住房的，每人每年提取总额不超过12000元；按实际房租提取的，每人每年不超过18000元。"
RENT_NEW = "第八条　租赁住房的，每人每年提取总额不超过18000元；按实际房租提取的，每人每年不超过24000元。"


def test_renumbering_alone_is_unchanged() -> None:
    old = clauses("a", "第一条　为了规范提取行为，制定本办法。", "第二条　本办法自2019年4月1日起施行。")
    new = clauses("b", "第三条　为了规范提取行为，制定本办法。", "第四条　本办法自2019年4月1日起施行。")
    pairs = diff_clauses(old, new)
    assert [(p.status, p.old.article if p.old else None, p.new.article if p.new else None) for p in pairs] == [
        ("unchanged", "第一条", "第三条"),
        ("unchanged", "第二条", "第四条"),
    ]
    assert all(p.edits == () for p in pairs)


def test_inserted_and_dropped_articles_are_added_and_removed_in_place() -> None:
    old = clauses(
        "a",
        "第一条　为了规范住房公积金提取行为，制定本办法。",
        "第二条　受委托银行按照委托合同办理支付手续。",
        "第三条　本办法执行中的具体问题由公积金中心负责解释。",
    )
    new = clauses(
        "b",
        "第一条　为了规范住房公积金提取行为，制定本办法。",
        "第二条　缴存职工享受城镇最低生活保障的，可以提取本人账户余额。",
        "第三条　本办法执行中的具体问题由公积金中心负责解释。",
    )
    statuses = [p.status for p in diff_clauses(old, new)]
    assert statuses == ["unchanged", "removed", "added", "unchanged"]


def test_a_split_article_pairs_its_larger_part_and_adds_the_rest() -> None:
    old = clauses(
        "a",
        "第一条　缴存职工离休、退休的，可以提取本人住房公积金账户全部余额，同时注销住房公积金账户。"
        "缴存职工出境定居的，可以提取本人住房公积金账户全部余额。",
    )
    new = clauses(
        "b",
        "第一条　缴存职工离休、退休的，可以提取本人住房公积金账户全部余额，同时注销住房公积金账户。",
        "第二条　缴存职工出境定居的，可以提取本人账户余额。",
    )
    pairs = diff_clauses(old, new)
    assert [p.status for p in pairs] == ["changed", "added"]
    assert pairs[0].new is not None and pairs[0].new.article == "第一条"
    assert [e.op for e in pairs[0].edits] == ["delete"]


def test_order_is_kept_even_against_a_more_similar_crossing_pair() -> None:
    # The last old article is most like the first new one, but pairing them would cross the
    # two strong pairs in between: the alignment keeps the order and leaves it unpaired.
    a = "缴存职工购买自住住房的，可以申请提取住房公积金。"
    b = "缴存职工偿还自住住房贷款本息的，可以每12个月提取一次。"
    c = "缴存职工租赁住房的，可以提取住房公积金支付房租。"
    rows = align([a, b, c, a + "同一套住房只能申请一次。"], [a + "同一套住房只能申请一次。", b, c])
    paired = [(i, j) for i, j, _ in rows if i is not None and j is not None]
    assert paired == [(0, 0), (1, 1), (2, 2)]
    assert (3, None, 0.0) in rows


def test_unrelated_texts_are_never_paired() -> None:
    rows = align(["本办法自2019年4月1日起施行。"], ["公积金中心应当建立提取业务风险防控机制。"])
    assert all(i is None or j is None for i, j, _ in rows)
    assert similarity("本办法自2019年4月1日起施行。", "本办法自2019年4月1日起施行") == 1.0


def test_edits_are_offsets_into_the_whole_clause_texts() -> None:
    edits = char_edits(RENT_OLD, RENT_NEW)
    assert edits, "the amounts differ"
    for e in edits:
        assert RENT_OLD[e.old_start : e.old_end] == e.old_text
        assert RENT_NEW[e.new_start : e.new_end] == e.new_text
    # the article numbers differ but are not compared
    assert all(e.old_start >= len("第七条　") for e in edits)


def test_moved_amounts_pair_in_text_order_and_unmoved_ones_are_left_out() -> None:
    old_attrs = ClauseAttributes(amount=("12000元", "18000元"), cap=("12000元", "18000元"))
    new_attrs = ClauseAttributes(amount=("18000元", "24000元"), cap=("18000元", "24000元"))
    figures = moved_figures(RENT_OLD, RENT_NEW, char_edits(RENT_OLD, RENT_NEW), old_attrs, new_attrs)
    assert figures == (FigureChange("amount", "12000元", "18000元"), FigureChange("amount", "18000元", "24000元"))

    same_old = "第六条　每12个月可以提取一次，提取金额不得超过上一年度实际还款额。"
    same_new = "第七条　可以每12个月提取一次，提取金额不得超过上一年度实际还款额；也可以按月冲还贷。"
    attrs = ClauseAttributes(deadline=("12个月",))
    assert moved_figures(same_old, same_new, char_edits(same_old, same_new), attrs, attrs) == ()


def test_values_only_one_side_has_are_paired_with_nothing() -> None:
    old = "第十六条　公积金中心应当自受理申请之日起5个工作日内作出决定。"
    new = "第二十一条　公积金中心应当自受理申请之日起3个工作日内作出决定；自作出决定之日起1个工作日内划款。"
    readings = {
        old: ClauseAttributes(deadline=("5个工作日",)),
        new: ClauseAttributes(deadline=("3个工作日", "1个工作日")),
    }
    (pair,) = diff_clauses(clauses("a", old), clauses("b", new), readings.__getitem__)
    assert pair.status == "changed"
    assert pair.figures == (FigureChange("period", "5个工作日", "3个工作日"), FigureChange("period", "", "1个工作日"))


def test_without_an_attribute_reader_no_figures_are_claimed() -> None:
    (pair,) = diff_clauses(clauses("a", RENT_OLD), clauses("b", RENT_NEW))
    assert pair.status == "changed" and pair.figures == ()


def test_config_is_checked() -> None:
    with pytest.raises(ValueError, match="min_similarity"):
        AlignConfig(min_similarity=0)
    with pytest.raises(ValueError, match="order_weight"):
        AlignConfig(order_weight=-1)
