"""Curated answers: normalisation, exact matching on fakes, and the e5 thresholds on the labelled set."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.curated_match import load, score_set, summary
from govqa.bootstrap import Container
from govqa.core.records import CuratedEntry
from govqa.core.types import Answer
from govqa.dialogue.curated import CuratedConfig, CuratedMatcher, content_chars, normalise_question
from govqa.stores.curated import SqliteCuratedStore
from govqa.stores.operator_db import OperatorDb
from govqa.testing.contracts import check_curated_store
from govqa.testing.fakes import HashEmbedder
from govqa.testing.memory import MemoryCuratedStore


def test_curated_store_contract(tmp_path: Path) -> None:
    check_curated_store(MemoryCuratedStore())
    db = OperatorDb(tmp_path / "operator.sqlite")
    check_curated_store(SqliteCuratedStore(db))
    db.close()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("公积金提取需要什么材料", "公积金提取需要什么材料？"),
        ("公积金提取需要什么材料", "请问，公积金提取 需要什么材料呢？"),
        ("ABC证明怎么开", "ａｂｃ证明怎么开！"),
        ("您好 居住证怎么办", "居住证怎么办吗"),
    ],
)
def test_normalised_questions_are_equal(a: str, b: str) -> None:
    assert normalise_question(a) == normalise_question(b)


def test_content_characters_tell_near_but_different_questions_apart() -> None:
    same = content_chars(normalise_question("公积金提取要带哪些资料"))
    assert same == content_chars(normalise_question("公积金提取需要什么材料"))
    assert content_chars(normalise_question("公积金贷款需要什么材料")) != same


def test_matcher_exact_then_cosine_and_reload_on_change() -> None:
    store = MemoryCuratedStore([CuratedEntry(1, "公积金提取需要什么材料", "带身份证。", ("提取公积金要带什么",))])
    matcher = CuratedMatcher(store, HashEmbedder(64), CuratedConfig())
    route = matcher.match("公积金提取需要什么材料？")
    assert route is not None and route.entry == 1 and route.score == 1.0
    assert isinstance(route.reply, Answer) and route.reply.text == "带身份证。"
    assert "1" in route.reply.citations[0].title and route.reply.citations[0].doc_id == "curated-1"
    assert matcher.match("提取公积金要带什么") is not None  # a paraphrase the operator listed
    assert matcher.match("公积金贷款需要什么材料") is None
    assert matcher.match("材料") is None
    store.add("居住证怎么办", "到派出所。")
    assert matcher.match("居住证怎么办？") is not None  # the store's revision changed: reloaded
    store.delete(1)
    assert matcher.match("公积金提取需要什么材料") is None
    assert CuratedMatcher(MemoryCuratedStore(), None).match("公积金提取需要什么材料") is None


@pytest.mark.slow
def test_e5_thresholds_separate_paraphrases_from_near_but_different_questions(real_container: Container) -> None:
    config = CuratedConfig()
    figures = summary(score_set(real_container.embedder, load(), config), config)
    assert figures["false_matches"] == 0, figures
    assert figures["recall"] >= 0.85, figures
    assert figures["cosine_only_false_matches"] > 0  # cosine alone would match different questions


@pytest.mark.slow
def test_real_dialogue_serves_a_paraphrase_not_a_near_but_different_question(real_container: Container) -> None:
    entry = real_container.curated.add("公积金提取需要什么材料", "请携带身份证和提取申请表。")
    try:
        service = real_container.answer_service
        served = service.handle("cur-1", "提取公积金需要哪些材料")
        assert isinstance(served, Answer) and served.mode == "curated" and served.text == entry.answer
        different = service.handle("cur-2", "公积金贷款需要什么材料")
        assert not (isinstance(different, Answer) and different.mode == "curated")
    finally:
        real_container.curated.delete(entry.id)


def test_operator_db_reopens_after_close(tmp_path: Path) -> None:
    db = OperatorDb(tmp_path / "operator.sqlite")
    store = SqliteCuratedStore(db)
    entry = store.add("居住证怎么办", "到派出所。")
    db.close()  # an app's shutdown; the same container may serve again
    assert store.get(entry.id) == entry
    db.close()
