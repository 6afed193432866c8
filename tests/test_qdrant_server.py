"""Qdrant server mode: settings reach the backend; on a server (GOVQA_TEST_QDRANT_URL), collections
are laid out with their shards and payload indexes, and generations swap through the live alias."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError
from qdrant_client import QdrantClient

from govqa.bootstrap import SAMPLE_CORPUS, Container
from govqa.config import QdrantSettings, Settings
from govqa.core.errors import IndexMismatchError
from govqa.core.ids import chunk_id, content_hash
from govqa.core.types import Chunk, Document, Filters
from govqa.stores.backends import ServerQdrant
from govqa.stores.qdrant_index import PAYLOAD_INDEXES, ServerConfig, open_client
from govqa.testing.fakes import HashEmbedder, ScriptedGenerator
from tests.qdrant_server import drop_prefixed, server_config, unique_prefix


def test_settings_reach_the_server_backend(tmp_path: Path) -> None:
    qdrant = QdrantSettings(
        url="https://qdrant.internal:6333",
        api_key="k",
        timeout=7,
        shard_number=6,
        replication_factor=2,
        write_consistency_factor=2,
    )
    backend = Container(Settings(data_dir=tmp_path, qdrant=qdrant)).vector_backend
    assert isinstance(backend, ServerQdrant)
    assert backend.server == ServerConfig("https://qdrant.internal:6333", "k", None, 7, 6, 2, 2)
    assert backend.alias == "govqa_live"


def test_write_consistency_above_the_replicas_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"cannot exceed qdrant\.replication_factor"):
        QdrantSettings(url="http://q:6333", replication_factor=2, write_consistency_factor=3)


@pytest.fixture
def server_client() -> Iterator[tuple[QdrantClient, ServerConfig, str]]:
    """A client of the test server and a prefix of its own; its collections are dropped afterwards."""
    server = server_config()
    prefix = unique_prefix()
    client = open_client(None, server)
    try:
        yield client, server, prefix
    finally:
        drop_prefixed(client, prefix)
        client.close()


def _fill(backend: ServerQdrant, generation: Path, base: Path | None, n: int) -> None:
    index = backend.stage(base, generation, 8)
    doc = Document(
        id=generation.name, title="t", text="x", content_hash=content_hash(generation.name), doc_type="guide"
    )
    chunks = [
        Chunk(id=chunk_id(doc.id, i, str(i)), doc_id=doc.id, ordinal=i, text=str(i), start=0, end=1) for i in range(n)
    ]
    index.upsert(chunks, [doc] * n, np.eye(n, 8, dtype=np.float32))
    index.close()


def test_new_collections_get_their_shards_and_payload_indexes(
    server_client: tuple[QdrantClient, ServerConfig, str], tmp_path: Path
) -> None:
    client, server, prefix = server_client
    backend = ServerQdrant(server, prefix)
    _fill(backend, tmp_path / "gen-000001.partial", None, 3)
    info = client.get_collection(backend.collection(tmp_path / "gen-000001"))
    assert info.config.params.shard_number == server.shard_number
    assert info.config.params.replication_factor == server.replication_factor
    assert {field: schema.data_type for field, schema in info.payload_schema.items()} == PAYLOAD_INDEXES


def test_generations_swap_through_the_live_alias(
    server_client: tuple[QdrantClient, ServerConfig, str], tmp_path: Path
) -> None:
    client, server, prefix = server_client
    backend = ServerQdrant(server, prefix)
    first, second = tmp_path / "gen-000001", tmp_path / "gen-000002"
    _fill(backend, first.with_name(first.name + ".partial"), None, 3)
    backend.published(first, [first])
    _fill(backend, second.with_name(second.name + ".partial"), first, 2)  # copies the 3, adds 2
    # While the second is staged, queries by the alias still reach the first.
    assert client.count(backend.alias, exact=True).count == 3
    backend.published(second, [second])
    assert client.count(backend.alias, exact=True).count == 5
    names = {c.name for c in client.get_collections().collections}
    assert backend.collection(second) in names and backend.collection(first) not in names


def test_ingest_and_search_against_a_server(
    server_client: tuple[QdrantClient, ServerConfig, str], tmp_path: Path
) -> None:
    """The whole pipeline on fakes with the vectors on the server: ingest, filtered search, re-ingest."""
    client, server, prefix = server_client
    qdrant = QdrantSettings(url=server.url, api_key=server.api_key, collection_prefix=prefix)
    c = Container(Settings(data_dir=tmp_path, qdrant=qdrant), embedder=HashEmbedder(64), generator=ScriptedGenerator())
    try:
        c.ingest_pipeline().run([SAMPLE_CORPUS / "guides"])
        view = c.snapshot()
        query = c.embedder.embed_query("住房公积金提取需要什么材料")
        hits = view.vectors.search(query, 5, Filters(doc_types=("guide",)))
        assert hits and all(view.catalog.chunks([cid]) for cid, _ in hits)
        c.ingest_pipeline().run([SAMPLE_CORPUS / "guides", SAMPLE_CORPUS / "faq"])
        live = c.layout.current()
        assert live is not None
        aliases = {a.alias_name: a.collection_name for a in client.get_aliases().aliases}
        assert aliases[f"{prefix}_live"] == f"{prefix}_{live.name.replace('-', '_')}"
        assert c.snapshot().vectors.count() == client.count(f"{prefix}_live", exact=True).count
    finally:
        c.close()


def test_a_generation_without_its_collection_is_refused_not_opened_empty(
    server_client: tuple[QdrantClient, ServerConfig, str], tmp_path: Path
) -> None:
    """A data directory indexed in local mode, then pointed at a server, asks for a full reindex
    when it is read and when an incremental ingest would copy the missing collection."""
    _, server, prefix = server_client
    backend = ServerQdrant(server, prefix)
    with pytest.raises(IndexMismatchError, match="govqa reindex --full"):
        backend.open(tmp_path / "gen-000001", 8)
    with pytest.raises(IndexMismatchError, match="govqa reindex --full"):
        backend.stage(tmp_path / "gen-000001", tmp_path / "gen-000002.partial", 8)
