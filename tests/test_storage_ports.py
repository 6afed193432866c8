"""Storage ports: the query side on in-memory stores, one tokenizer for index and question,
self-describing generations (tokenizer and graph format checked on load), evaluation defaults."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from govqa.bootstrap import SAMPLE_CORPUS, SAMPLE_PATHS, Container
from govqa.core.errors import IndexMismatchError, InvalidInputError
from govqa.core.types import ClarifyingQuestion, DialogueState, LoadedDocument, RecordError
from govqa.dialogue.policy import ClarifyPolicy
from govqa.dialogue.router import Router
from govqa.dialogue.routes import Clarify
from govqa.retrieval.hybrid import HybridRetriever
from govqa.stores.generations import read_manifest, write_manifest
from govqa.testing.fakes import HashEmbedder
from govqa.testing.memory import memory_view
from ingest.chunking import index_text
from ingest.loaders import load_path
from knowledge_graph.store import load_graph
from tests.conftest import fake_container


def _sample(*names: str) -> list[LoadedDocument]:
    out: list[LoadedDocument] = []
    for name in names:
        out += [e for e in load_path(SAMPLE_CORPUS / name) if not isinstance(e, RecordError)]
    return out


GJJ = ("guides/JL-GJJ-TQ-001.json", "guides/JL-GJJ-TQ-002.json", "guides/JL-GJJ-TQ-003.json")


def test_retrieval_and_dialogue_run_on_in_memory_stores() -> None:
    embedder = HashEmbedder(64)
    view = memory_view(_sample(*GJJ, "policies/jlzf-2023-02.md"), embedder)
    retriever = HybridRetriever(lambda: view, embedder)
    hits = retriever.retrieve("租赁住房提取住房公积金需要哪些材料", 5)
    assert hits and hits[0].document.id == "JL-GJJ-TQ-002"
    assert all(h.document.id in view.documents for h in hits)
    router = Router(lambda: view, retriever, view.tokenizer, ClarifyPolicy(), embedder=embedder)
    route = router.route(DialogueState("s"), "住房公积金提取需要什么材料")
    assert isinstance(route, Clarify) and isinstance(route.reply, ClarifyingQuestion)
    assert set(route.reply.options) >= {"购买自住住房", "租赁住房"}


def test_index_and_question_tokenise_a_domain_term_the_same_way(fake: Container) -> None:
    """An item name in a guide and in a question becomes the same tokens (it was one glued query
    token, missing from the index, when item names were added to the query dictionary only)."""
    fake.ingest_pipeline().run([SAMPLE_CORPUS / g for g in GJJ])
    view = fake.snapshot()
    item = view.item("JL-GJJ-TQ-002")
    assert item is not None
    term = item.name
    stored = {cid: toks for cid, _, toks in view.catalog.all_tokens()}
    doc = view.documents[item.source_doc]
    holding = [c for c in view.catalog.chunks_of(doc.id) if term in index_text(c, doc)]
    assert holding, f"no chunk of {doc.id} contains {term}"
    question_tokens = view.tokenizer.tokenize(f"{term}需要什么")
    for chunk in holding:
        assert set(view.tokenizer.tokenize(term)) <= set(stored[chunk.id]) and set(
            view.tokenizer.tokenize(term)
        ) <= set(question_tokens)
    # A question naming the item finds its guide through the lexical leg alone.
    bm25 = fake.retriever(("bm25",))
    assert bm25.retrieve(f"{term}需要什么", 3)[0].document.id == doc.id
    assert view.manifest.tokenizer == view.tokenizer.dictionary_id


def test_index_tokenised_otherwise_is_refused_and_reindex_rebuilds_its_tokens(fake: Container) -> None:
    fake.ingest_pipeline().run([SAMPLE_CORPUS / g for g in GJJ])
    live = fake.layout.current()
    assert live is not None
    write_manifest(live, dataclasses.replace(read_manifest(live), tokenizer=""))  # as written before it was recorded
    fake.close()
    with pytest.raises(IndexMismatchError, match="govqa reindex"):
        fake.snapshot()
    embedded = fake.embedder.embedded
    report = fake.admin.reindex()
    assert report.generation and fake.embedder.embedded == embedded  # tokens rebuilt, nothing re-embedded
    assert fake.snapshot().manifest.tokenizer == fake.tokenizer.dictionary_id


def test_graph_file_of_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    path.write_text(json.dumps({"format": "govqa-graph-v0", "graph": {}}), encoding="utf-8")
    with pytest.raises(IndexMismatchError, match="govqa-graph-v0"):
        load_graph(path)


def test_evaluation_never_mixes_the_sample_corpus_into_another_index(tmp_path: Path) -> None:
    from eval.cli import _prepare

    data = tmp_path / "data"
    own = tmp_path / "kb.jsonl"
    own.write_text(
        json.dumps({"id": "kb-1", "title": "居住证怎么办", "text": "到社区服务站申请居住证。", "doc_type": "faq"})
        + "\n",
        encoding="utf-8",
    )
    c = fake_container(data)
    c.ingest_pipeline().run([own])
    c.close()
    with pytest.raises(InvalidInputError, match="other source"):
        _prepare(data, None, (), committed=True)
    measured = _prepare(data, None, (), committed=False)  # a dataset file of one's own: the index as it is
    assert [str(p) for p in measured.admin.source_paths()] == [str(own.resolve())]
    measured.close()


def test_sample_paths_are_inside_the_sample_corpus() -> None:
    assert all(p.resolve().is_relative_to(SAMPLE_CORPUS.resolve()) for p in SAMPLE_PATHS)
