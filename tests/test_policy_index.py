"""Clause types stored with the index: set by rules at ingest, on the Qdrant payload, filterable in search."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from govqa.bootstrap import SAMPLE_PATHS, Container
from govqa.core.types import Filters
from ingest.pipeline import IngestOptions
from tests.conftest import fake_container
from tests.servers import app_in_thread


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    c = fake_container(tmp_path_factory.mktemp("clause-index") / "data")
    assert not c.ingest_pipeline().run(list(SAMPLE_PATHS), IngestOptions()).failed
    yield c
    c.close()


def test_policy_articles_carry_their_rule_type_and_nothing_else_does(indexed: Container) -> None:
    snap = indexed.snapshot()
    kinds = snap.clause_types
    chunks = snap.catalog.chunks_of("jljx-2022-15")
    by_label = {c.section[-1]: c for c in chunks}
    assert by_label["第十六条"].clause_type == "支持措施" and kinds[by_label["第十六条"].id] == "支持措施"
    assert by_label["第二十条"].clause_type == "施行与废止"
    guides = [d.id for d in snap.documents.values() if d.doc_type == "guide"]
    assert not any(c.clause_type for c in snap.catalog.chunks_of(guides[0]))


def test_search_filters_by_clause_type_in_every_leg(indexed: Container) -> None:
    hits = indexed.retriever().retrieve("违反规定的罚款和责任", 10, Filters(clause_types=("罚则",)))
    assert hits and all(h.chunk.clause_type == "罚则" for h in hits)
    with app_in_thread(indexed) as url:
        found = httpx.get(f"{url}/api/v1/search", params={"q": "补贴", "clause_type": "支持措施"}, timeout=30)
        assert found.status_code == 200 and found.json()
        assert {indexed.snapshot().clause_types[h["chunk_id"]] for h in found.json()} == {"支持措施"}
        bad = httpx.get(f"{url}/api/v1/search", params={"q": "补贴", "clause_type": "补贴"}, timeout=30)
        assert bad.status_code == 422


def test_graph_clause_nodes_carry_the_clause_type(indexed: Container) -> None:
    from knowledge_graph import schema as s
    from knowledge_graph.build import graph_of_catalog

    g = graph_of_catalog(indexed.snapshot().catalog)
    clauses = [d for _, d in g.nodes(data=True) if d.get("kind") == s.CLAUSE and d.get("doc_id") == "jljx-2022-15"]
    assert {d["article"]: d["clause_type"] for d in clauses}["第十六条"] == "支持措施"
