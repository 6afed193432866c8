"""Dense chunk index in Qdrant (local mode or a server: `govqa.stores.backends` decides which)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
from qdrant_client import QdrantClient, models

from govqa.core.errors import GovQAError, IndexMismatchError
from govqa.core.protocols import Vector
from govqa.core.types import Chunk, Document, Filters


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """How to reach a Qdrant server or cluster, and how new collections are laid out on it."""

    url: str
    api_key: str = ""
    https: bool | None = None  # None: TLS when the URL says https
    timeout: int = 30
    shard_number: int = 1
    replication_factor: int = 1
    write_consistency_factor: int = 1


# The payload fields `search` filters on, with the index a server keeps for each. Without them a
# filtered search on a server scans every point's payload; local mode has no payload indexes.
PAYLOAD_INDEXES: dict[str, models.PayloadSchemaType] = {
    "doc_id": models.PayloadSchemaType.KEYWORD,
    "doc_type": models.PayloadSchemaType.KEYWORD,
    "region": models.PayloadSchemaType.KEYWORD,
    "collection": models.PayloadSchemaType.KEYWORD,
    "item_code": models.PayloadSchemaType.KEYWORD,
    "clause_type": models.PayloadSchemaType.KEYWORD,
    "internal": models.PayloadSchemaType.BOOL,
}


def open_client(path: Path | None = None, server: ServerConfig | None = None) -> QdrantClient:
    """A client for a local storage folder or a server.

    Local mode lets only one client open a folder at a time, so callers hold one client per folder
    (see docs/ARCHITECTURE.md, "index generations").
    """
    try:
        if server is not None:
            return QdrantClient(
                url=server.url, api_key=server.api_key or None, https=server.https, timeout=server.timeout
            )
        if path is None:
            raise GovQAError("a Qdrant local path or server URL is required")
        return QdrantClient(path=str(path))
    except RuntimeError as exc:  # "Storage folder ... is already accessed by another instance"
        raise GovQAError(f"cannot open the Qdrant index: {exc}") from exc


def chunk_payload(chunk: Chunk, doc: Document) -> dict[str, str | bool]:
    """The payload of a chunk's point: every field `search` filters on."""
    return {
        "doc_id": chunk.doc_id,
        "doc_type": doc.doc_type,
        "region": doc.region,
        "collection": doc.collection,
        "item_code": chunk.item_code,
        "clause_type": chunk.clause_type,
        "internal": doc.internal,
    }


def matched_fields(filters: Filters) -> list[tuple[str, list[str]]]:
    """(payload field, accepted values) of every filter that restricts a field to some values."""
    return [
        (key, list(values))
        for key, values in (
            ("region", filters.regions),
            ("doc_type", filters.doc_types),
            ("collection", filters.collections),
            ("item_code", filters.item_codes),
            ("clause_type", filters.clause_types),
            ("doc_id", filters.doc_ids),
        )
        if values
    ]


def ranked(hits: Iterable[tuple[str, float]]) -> list[tuple[str, float]]:
    """Hits best first; equal scores by id (Qdrant keeps storage order), so the ranking depends on
    the chunks alone, not on the history of the generation they were stored in."""
    return sorted(hits, key=lambda hit: (-hit[1], hit[0]))


def unit_rows(vectors: Vector) -> np.ndarray:
    """Float32 rows scaled to length 1 (zero rows stay zero)."""
    rows = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms > 0, norms, 1.0)


def dense_vector(point: models.Record) -> list[float]:
    """The point's one unnamed dense vector, the only kind this index writes."""
    vector = point.vector
    if isinstance(vector, list) and all(isinstance(x, float) for x in vector):
        return cast("list[float]", vector)  # checked just above: a flat list of floats
    raise IndexMismatchError(
        f"point {point.id} has no single dense vector (got {type(vector).__name__}); "
        "this index was not written by GovQA: re-index with `govqa reindex --full`"
    )


class QdrantVectorIndex:
    """Chunk vectors with the payload the filters need (doc id, type, region, collection, item).

    Vectors are stored and queried as unit vectors in a DOT collection, so scores are cosines
    whatever the embedder returns. DOT rather than COSINE because Qdrant's local mode re-normalises
    every stored vector on every COSINE query: on 64k chunks that is half the query time.
    """

    def __init__(
        self,
        client: QdrantClient,
        collection: str,
        dim: int,
        owns_client: bool = False,
        server: ServerConfig | None = None,
    ) -> None:
        self._client = client
        self._owns_client = owns_client
        self._server = server
        self.collection = collection
        self.dim = dim
        if not client.collection_exists(collection):
            self._create()
        else:
            stored = client.get_collection(collection).config.params.vectors
            size = stored.size if isinstance(stored, models.VectorParams) else None
            if size is not None and size != dim:
                raise IndexMismatchError(
                    f"collection {collection} holds {size}-d vectors but the embedder gives {dim}-d; "
                    "reindex with --full"
                )

    def _create(self) -> None:
        """Create the collection: on a server with its shards, replicas and payload indexes."""
        vectors = models.VectorParams(size=self.dim, distance=models.Distance.DOT)
        server = self._server
        if server is None:
            self._client.create_collection(self.collection, vectors_config=vectors)
            return
        self._client.create_collection(
            self.collection,
            vectors_config=vectors,
            shard_number=server.shard_number,
            replication_factor=server.replication_factor,
            write_consistency_factor=server.write_consistency_factor,
        )
        for field, schema in PAYLOAD_INDEXES.items():
            self._client.create_payload_index(self.collection, field, field_schema=schema, wait=True)

    @property
    def distance(self) -> models.Distance | None:
        """The collection's distance (COSINE for indexes written before the switch to DOT)."""
        stored = self._client.get_collection(self.collection).config.params.vectors
        return stored.distance if isinstance(stored, models.VectorParams) else None

    def convert_to_dot(self, batch: int = 1024) -> int:
        """Rewrite an older COSINE collection as a DOT one of unit vectors; returns the points moved.

        Results are the same (cosine either way) but local-mode queries get about twice as fast.
        Only for a staging generation: readers of the live one never see a half-converted index.
        """
        if self.distance != models.Distance.COSINE:
            return 0
        points = [p for page in self._pages(self.collection, batch) for p in page]  # all read before the drop
        self._client.delete_collection(self.collection)
        self._create()
        for i in range(0, len(points), batch):
            part = points[i : i + batch]
            rows = unit_rows(np.array([dense_vector(p) for p in part], dtype=np.float32))
            self._client.upsert(
                self.collection,
                points=[
                    models.PointStruct(id=p.id, vector=row.tolist(), payload=p.payload) for p, row in zip(part, rows)
                ],
                wait=True,
            )
        return len(points)

    def upsert(self, chunks: Sequence[Chunk], docs: Sequence[Document], vectors: Vector) -> None:
        """Insert or replace chunks; `docs[i]` is the document of `chunks[i]`."""
        rows = unit_rows(vectors) if len(chunks) else np.empty((0, self.dim), dtype=np.float32)
        points = [
            models.PointStruct(id=c.id, vector=v.tolist(), payload=chunk_payload(c, d))
            for c, d, v in zip(chunks, docs, rows)
        ]
        for i in range(0, len(points), 256):
            self._client.upsert(self.collection, points=points[i : i + 256], wait=True)

    def delete(self, chunk_ids: Sequence[str]) -> None:
        """Remove chunks by id."""
        if chunk_ids:
            self._client.delete(self.collection, points_selector=models.PointIdsList(points=list(chunk_ids)), wait=True)

    def search(self, vector: Vector, k: int, filters: Filters) -> list[tuple[str, float]]:
        """Top k (chunk_id, cosine) under the payload filters (validity is applied by the retriever)."""
        must: list[models.Condition] = [
            models.FieldCondition(key=key, match=models.MatchAny(any=values)) for key, values in matched_fields(filters)
        ]
        must_not: list[models.Condition] = []
        if filters.public_only:
            # Points written before the flag existed have no `internal` key, and so are public.
            must_not.append(models.FieldCondition(key="internal", match=models.MatchValue(value=True)))
        if filters.exclude_collections:
            must_not.append(
                models.FieldCondition(key="collection", match=models.MatchAny(any=list(filters.exclude_collections)))
            )
        result = self._client.query_points(
            self.collection,
            query=unit_rows(vector)[0].tolist(),
            limit=k,
            query_filter=models.Filter(must=must or None, must_not=must_not or None) if must or must_not else None,
            with_payload=False,
        )
        return ranked((str(p.id), float(p.score)) for p in result.points)

    def copy_from(self, source: str, batch: int = 512) -> None:
        """Copy every point of another collection on the same server (server-mode generations)."""
        for points in self._pages(source, batch):
            self._client.upsert(
                self.collection,
                points=[models.PointStruct(id=p.id, vector=dense_vector(p), payload=p.payload) for p in points],
                wait=True,
            )

    def _pages(self, collection: str, batch: int) -> Iterator[list[models.Record]]:
        """Every point of a collection with vector and payload, a non-empty page at a time."""
        offset = None
        while True:
            page, offset = self._client.scroll(
                collection, limit=batch, offset=offset, with_vectors=True, with_payload=True
            )
            if page:
                yield page
            if offset is None:
                return

    def records(self, batch: int = 512) -> Iterator[tuple[str, list[float], dict[str, object]]]:
        """(chunk id, stored unit vector, payload) of every point, for copying into another engine."""
        for page in self._pages(self.collection, batch):
            for p in page:
                yield str(p.id), dense_vector(p), dict(p.payload or {})

    def optimize(self) -> bool:
        """Nothing to build: local mode scans every vector, and a server optimises on its own."""
        return False

    def count(self) -> int:
        """Number of stored vectors."""
        return int(self._client.count(self.collection, exact=True).count)

    def points(self, batch: int = 1024) -> Iterator[tuple[str, list[float]]]:
        """(chunk id, stored unit vector) of every point, for benchmarks that rebuild the index elsewhere."""
        for page in self._pages(self.collection, batch):
            for p in page:
                yield str(p.id), dense_vector(p)

    def close(self) -> None:
        """Close the client if this index opened it (local mode releases the storage folder lock)."""
        if self._owns_client:
            self._client.close()
