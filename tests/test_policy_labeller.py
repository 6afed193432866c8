"""Clauses from chunks, the combined labeller and the LLM type cache (a scripted scorer, no model)."""

from __future__ import annotations

from pathlib import Path

from govqa.core.types import Chunk
from govqa.policy.clauses import clauses_from_chunks
from govqa.policy.labeller import ClauseLabeller
from govqa.policy.llm_typing import LLMClauseTyper
from govqa.policy.types import Clause
from govqa.stores.clause_labels import SqliteClauseTypeCache
from govqa.testing.fakes import ScriptedGenerator

SURE = "第十九条　本办法由市经信局负责解释。"
UNSURE = "第六条　评价指标包括四类共13项指标，满分为100分。"
# A deadline sentence and a procedure sentence: the rules tie between 申报程序 and 时限.
TIED = "第十条　区民政局应当自受理申请之日起30日内作出决定。\n对符合条件的申请予以确认，并书面告知申请人。"


class CountingScorer(ScriptedGenerator):
    """The scripted generator's likelihoods, counting the replies it was asked to score."""

    def __init__(self) -> None:
        super().__init__()
        self.scored = 0

    def continuation_logprob(self, system: str, user: str, continuation: str, reply_prefix: str = "") -> float:
        self.scored += 1
        return super().continuation_logprob(system, user, continuation, reply_prefix)


def test_chunks_of_one_article_are_one_clause_and_headings_are_left_out() -> None:
    text = "第一章 总则\n第一条　甲。\n乙。\n第二条　丙。"
    chunks = [
        Chunk("h", "d", 0, "第一章 总则", 0, 6, ("第一章", "(标题)")),
        Chunk("a", "d", 1, "第一条　甲。", 7, 13, ("第一章", "第一条")),
        Chunk("b", "d", 2, "乙。", 14, 16, ("第一章", "第一条")),
        Chunk("c", "d", 3, "第二条　丙。", 17, 23, ("第一章", "第二条")),
    ]
    clauses = clauses_from_chunks("d", chunks, text)
    assert [(c.article, c.text, c.chunk_id) for c in clauses] == [
        ("第一条", "第一条　甲。\n乙。", "a"),
        ("第二条", "第二条　丙。", "c"),
    ]


def test_combined_asks_the_llm_only_when_the_rules_are_unsure_and_never_twice(tmp_path: Path) -> None:
    scorer = CountingScorer()
    cache = SqliteClauseTypeCache(tmp_path / "cache" / "clause_types.sqlite")
    typer = LLMClauseTyper(lambda: scorer, "scripted", cache)
    labeller = ClauseLabeller(typer, "combined")
    first = labeller.label_all([Clause("d", "第十九条", SURE), Clause("d", "第十条", TIED)])
    assert [lb.source for lb in first] == ["rules", "llm"]
    assert typer.calls == 1 and scorer.scored == 2  # the rules' two candidates scored once
    again = ClauseLabeller(LLMClauseTyper(lambda: scorer, "scripted", cache), "combined")
    assert [lb.type for lb in again.label_all([Clause("d", "第十条", TIED)])] == [first[1].type]
    assert scorer.scored == 2 and again.stats.llm_calls == 0
    # Reads that must stay fast use the cached decision and ask nothing new.
    quick = ClauseLabeller(LLMClauseTyper(lambda: scorer, "scripted", cache), "combined", call_llm=False)
    assert quick.label(Clause("d", "第十条", TIED)).source == "llm"
    assert quick.label(Clause("d", "第十一条", TIED + "\n另行公布。")).source == "rules"
    assert scorer.scored == 2
    cache.close()


def test_with_no_two_candidates_the_rules_type_stands() -> None:
    scorer = CountingScorer()
    labeller = ClauseLabeller(LLMClauseTyper(lambda: scorer, "scripted"), "combined")
    label = labeller.label(Clause("d", "第六条", UNSURE))
    assert (label.source, label.type, scorer.scored) == ("rules", "其他", 0)
    # The LLM-only labeller still chooses among all eleven.
    only = ClauseLabeller(LLMClauseTyper(lambda: scorer, "scripted"), "llm").label(Clause("d", "第六条", UNSURE))
    assert only.source == "llm" and scorer.scored == 11


def test_rules_mode_never_builds_the_llm() -> None:
    def no_llm() -> ScriptedGenerator:
        raise AssertionError("the LLM was built")

    labeller = ClauseLabeller(LLMClauseTyper(no_llm, "none"), "combined", call_llm=False)
    assert labeller.label(Clause("d", "第六条", UNSURE)).source == "rules"
    assert ClauseLabeller(mode="rules").label(Clause("d", "第十九条", SURE)).attributes.department == ("市经信局",)


def test_the_narrowed_decision_is_cached_apart_from_an_open_one(tmp_path: Path) -> None:
    scorer = CountingScorer()
    cache = SqliteClauseTypeCache(tmp_path / "cache" / "clause_types.sqlite")
    label = ClauseLabeller(LLMClauseTyper(lambda: scorer, "scripted", cache), "combined").label(
        Clause("d", "第十条", TIED)
    )
    assert label.source == "llm" and label.type in ("申报程序", "时限")
    assert (
        ClauseLabeller(LLMClauseTyper(lambda: scorer, "scripted", cache), "llm", call_llm=False)
        .label(Clause("d", "第十条", TIED))
        .source
        == "rules"
    )
    cache.close()
