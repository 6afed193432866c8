"""Fast unit tests of draft review: splitting, the overlap and conflict judgement, the limits
(hand-made attributes and a scripted search; the real index is in test_policy_review.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from govqa.core.errors import InvalidInputError, TooLargeError
from govqa.core.types import Document
from govqa.policy.review import DraftReviewer, ExistingClause, ReviewConfig, judge, split_draft
from govqa.policy.types import Clause, ClauseAttributes
from ingest.chunking import StructureChunker

RENT = "第八条　缴存职工在本市无自有住房且租赁住房的，可以提取住房公积金支付房租，每人每年提取总额不超过18000元。"
RENT_ATTRS = ClauseAttributes(beneficiary=("缴存职工",), amount=("18000元",), cap=("18000元",))
RETIRE = "第十条　缴存职工离休、退休的，可以提取本人住房公积金账户全部余额，同时注销住房公积金账户。"
WORKERS = ClauseAttributes(beneficiary=("缴存职工",))


def clause(text: str, doc: str = "draft") -> Clause:
    return Clause(doc, text.split("　")[0], text)


def test_a_copied_clause_overlaps() -> None:
    flag, sim, differences, _ = judge(
        clause("第三条　" + RENT.split("　")[1]), clause(RENT, "p"), RENT_ATTRS, RENT_ATTRS
    )
    assert flag == "overlap" and sim == 1.0 and differences == ()


def test_a_changed_amount_for_the_same_beneficiary_conflicts_with_the_evidence() -> None:
    draft = RENT.replace("18000元", "20000元")
    attrs = ClauseAttributes(beneficiary=("缴存职工",), amount=("20000元",), cap=("20000元",))
    flag, _, differences, _ = judge(clause(draft), clause(RENT, "p"), attrs, RENT_ATTRS)
    assert flag == "conflict"
    assert [(d.old, d.new) for d in differences] == [("18000元", "20000元")]


def test_a_denial_of_what_the_rule_grants_conflicts() -> None:
    draft = RETIRE.replace("可以提取", "不得提取").replace("，同时注销住房公积金账户", "")
    flag, _, _, grants_differ = judge(clause(draft), clause(RETIRE, "p"), WORKERS, WORKERS)
    assert flag == "conflict" and grants_differ


def test_another_beneficiary_or_subject_is_no_conflict() -> None:
    draft = RENT.replace("缴存职工", "灵活就业人员").replace("18000元", "12000元")
    others = ClauseAttributes(beneficiary=("灵活就业人员",), amount=("12000元",), cap=("12000元",))
    assert judge(clause(draft), clause(RENT, "p"), others, RENT_ATTRS)[0] is None
    unrelated = "第九条　市经信局应当建立专精特新中小企业梯度培育库，实行动态管理。"
    assert judge(clause(unrelated), clause(RENT, "p"), ClauseAttributes(), RENT_ATTRS)[0] is None


def test_a_cap_is_no_denial() -> None:
    # 不得超过 states a cap: the same grant in other words overlaps, it does not contradict.
    draft = (
        "第五条　缴存职工在本市无自有住房且租赁住房的，可以提取住房公积金支付房租，每人每年提取总额不得超过18000元。"
    )
    flag, _, _, grants_differ = judge(clause(draft), clause(RENT, "p"), RENT_ATTRS, RENT_ATTRS)
    assert flag == "overlap" and not grants_differ


def test_split_draft_by_article_or_paragraph() -> None:
    chunker = StructureChunker()
    text = "# 草案\n\n第一条　为了规范管理，制定本办法。\n\n第二条　本办法自发布之日起施行。\n"
    assert [c.article for c in split_draft(text, chunker)] == ["第一条", "第二条"]
    plain = "缴存职工可以提取公积金支付房租。\n\n租房提取可以按月办理。\n"
    assert [c.article for c in split_draft(plain, chunker)] == ["第1段", "第2段"]


class Scripted:
    """A search that always returns the same existing clause."""

    def __init__(self, found: ExistingClause) -> None:
        self.found = found
        self.asked: list[str] = []

    def near(self, text: str, k: int) -> list[ExistingClause]:
        self.asked.append(text)
        return [self.found][:k]


def reviewer(config: ReviewConfig = ReviewConfig()) -> tuple[DraftReviewer, Scripted]:
    doc = Document(
        "jlzf-2024-08", "江临市住房公积金提取管理办法", RENT, "h", doc_type="policy", doc_number="江政发〔2024〕8号"
    )
    search = Scripted(ExistingClause(clause(RENT, doc.id), doc, 1.0))
    readings = {RENT: RENT_ATTRS}

    def attributes(text: str) -> ClauseAttributes:
        return readings.get(text, WORKERS)

    chunker = StructureChunker()
    return DraftReviewer(
        search, lambda t: split_draft(t, chunker), attributes, config, lambda: dt.date(2025, 1, 1)
    ), search


def test_review_cites_title_number_and_article_and_queries_the_body() -> None:
    r, search = reviewer()
    review = r.review("第一条　" + RENT.split("　")[1] + "\n第二条　本办法自发布之日起施行。\n")
    first = review.clauses[0].matches[0]
    assert first.citation == "《江临市住房公积金提取管理办法》（江政发〔2024〕8号）第八条"
    assert first.flag == "overlap" and review.count("overlap") == 1 and review.count("conflict") == 0
    assert not search.asked[0].startswith("第一条")


def test_limits_are_checked_before_anything_is_searched() -> None:
    r, search = reviewer(ReviewConfig(max_chars=200, max_clauses=2))
    with pytest.raises(InvalidInputError, match="empty"):
        r.review("  \n ")
    with pytest.raises(TooLargeError, match="200"):
        r.review("第一条　" + "很长" * 200)
    with pytest.raises(TooLargeError, match="clauses"):
        r.review("第一条　甲。\n第二条　乙。\n第三条　丙。\n")
    assert search.asked == []
    assert TooLargeError.http_status == 413
