"""Fast unit tests of draft review: splitting, the overlap and conflict judgement, the limits
(hand-made attributes and a scripted search; the real index is in test_policy_review.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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
    j = judge(clause("第三条　" + RENT.split("　")[1]), clause(RENT, "p"), RENT_ATTRS, RENT_ATTRS)
    assert j.flag == "overlap" and j.similarity == 1.0 and j.differences == ()


def test_a_changed_amount_for_the_same_beneficiary_conflicts_with_the_evidence() -> None:
    draft = RENT.replace("18000元", "20000元")
    attrs = ClauseAttributes(beneficiary=("缴存职工",), amount=("20000元",), cap=("20000元",))
    j = judge(clause(draft), clause(RENT, "p"), attrs, RENT_ATTRS)
    assert j.flag == "conflict"
    assert [(d.old, d.new) for d in j.differences] == [("18000元", "20000元")]


def test_a_denial_of_what_the_rule_grants_conflicts() -> None:
    draft = RETIRE.replace("可以提取", "不得提取").replace("，同时注销住房公积金账户", "")
    j = judge(clause(draft), clause(RETIRE, "p"), WORKERS, WORKERS)
    assert j.flag == "conflict" and j.grants_differ


def test_another_beneficiary_or_subject_is_no_conflict() -> None:
    draft = RENT.replace("缴存职工", "灵活就业人员").replace("18000元", "12000元")
    others = ClauseAttributes(beneficiary=("灵活就业人员",), amount=("12000元",), cap=("12000元",))
    assert judge(clause(draft), clause(RENT, "p"), others, RENT_ATTRS).flag is None
    unrelated = "第九条　市经信局应当建立专精特新中小企业梯度培育库，实行动态管理。"
    assert judge(clause(unrelated), clause(RENT, "p"), ClauseAttributes(), RENT_ATTRS).flag is None


def test_a_cap_is_no_denial() -> None:
    # 不得超过 states a cap: the same grant in other words overlaps, it does not contradict.
    draft = (
        "第五条　缴存职工在本市无自有住房且租赁住房的，可以提取住房公积金支付房租，每人每年提取总额不得超过18000元。"
    )
    j = judge(clause(draft), clause(RENT, "p"), RENT_ATTRS, RENT_ATTRS)
    assert j.flag == "overlap" and not j.grants_differ


def test_a_changed_value_in_the_same_sentence_conflicts_even_in_a_longer_clause() -> None:
    existing = (
        "第十六条　职工提取住房公积金账户内的存储余额的，所在单位应当予以核实，并出具提取证明。"
        "职工通过网上服务大厅、公积金中心服务窗口等渠道申请提取，相关信息能够通过部门共享获取的，"
        "无需单位出具提取证明。\n"
        "公积金中心应当自受理申请之日起3个工作日内作出准予提取或者不准提取的决定，并通知申请人。"
    )
    draft = "第六条　公积金中心应当自受理提取申请之日起5个工作日内作出准予提取或者不准提取的决定。"
    j = judge(
        clause(draft),
        clause(existing, "p"),
        ClauseAttributes(deadline=("5个工作日",)),
        ClauseAttributes(deadline=("3个工作日",)),
    )
    assert j.similarity < ReviewConfig().subject_similarity  # the clauses as a whole differ
    assert j.flag == "conflict" and [(d.old, d.new) for d in j.differences] == [("3个工作日", "5个工作日")]


def test_another_effective_date_is_no_conflict() -> None:
    j = judge(
        clause("第十七条　本措施自2025年1月1日起施行。"),
        clause("第十六条　本办法自2022年12月1日起施行。", "p"),
        ClauseAttributes(deadline=("2025年1月1日",)),
        ClauseAttributes(deadline=("2022年12月1日",)),
    )
    assert j.flag is None and j.differences


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


def test_draft_files_are_read_by_the_loaders_and_other_types_refused(tmp_path: Path) -> None:
    import zipfile

    from tests.conftest import fake_container

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paragraphs = "".join(
        f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in ("第一条　甲可以提取。", "第二条　乙不得提取。")
    )
    path = tmp_path / "draft.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{w}"><w:body>{paragraphs}</w:body></w:document>')
    c = fake_container(tmp_path / "data")
    try:
        text = c.draft_text(path)
        assert "第一条" in text and "第二条" in text
        (tmp_path / "draft.pdf").write_bytes(b"%PDF-1.7")
        with pytest.raises(InvalidInputError, match=r"\.docx"):
            c.draft_text(tmp_path / "draft.pdf")
    finally:
        c.close()


def test_text_that_is_not_text_is_refused_and_control_characters_dropped() -> None:
    r, _ = reviewer()
    with pytest.raises(InvalidInputError, match="Unicode"):
        r.review("第一条　\ud800缴存职工")
    with pytest.raises(InvalidInputError, match="empty"):
        r.review("\x00\x00")
    review = r.review("第一条　缴存\x00职工可以提取。\n第二条　本办法自发布之日起施行。")
    assert "\x00" not in review.clauses[0].clause.text
