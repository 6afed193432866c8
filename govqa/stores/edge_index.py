"""Dense chunk index in Qdrant Edge: Qdrant's own engine (HNSW, payload indexes) as an in-process
library, one shard folder per index generation.

The shard is written without a write-ahead log. A generation is written by one writer into its
own `.partial` folder, flushed and closed before it is published, and a killed writer's folder is
discarded (`govqa.stores.generations`), so a log would only replay writes that are thrown away.
Without it the engine also takes no lock.

Staging copies the live generation's folder while readers may hold its shard, so a reader must
not write in it. The first load after a shard was written rewrites its config and its id
tracker's versions; later loads with the same configuration write nothing. So the writer loads
the shard once more after closing it (`close`), before the generation is published; and staging
drops the copied `edge_config.json`, which a reader configured otherwise would rewrite.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import cast

import numpy as np
import qdrant_edge as qe

from govqa.core.errors import GovQAError, IndexMismatchError
from govqa.core.protocols import Vector
from govqa.core.types import Chunk, Document, Filters
from govqa.stores.edge_params import HnswParams, has_shard
from govqa.stores.qdrant_index import PAYLOAD_INDEXES, chunk_payload, matched_fields, ranked, unit_rows

_BATCH = 512
# qdrant-edge-py 0.9.0 turns a Python bool in `MatchValue` into an integer, which never matches a
# boolean payload value: the shard stores the access flag as 0/1 instead (`_stored`).
_FLAG = "internal"


def _config(dim: int, params: HnswParams) -> qe.EdgeConfig:
    return qe.EdgeConfig(
        vectors=qe.EdgeVectorParams(size=dim, distance=qe.Distance.Dot),
        hnsw_config=qe.HnswIndexConfig(
            m=params.m, ef_construct=params.ef_construct, full_scan_threshold=params.full_scan_threshold_kb
        ),
        max_search_threads=params.search_threads,
        wal_enabled=False,
    )


def open_shard(folder: Path, dim: int, params: HnswParams) -> qe.EdgeShard:
    """Load the shard in `folder`, or create an empty one with its payload indexes.

    IndexMismatchError when the stored vectors have another dimension; GovQAError when the engine
    cannot open the folder.
    """
    config = _config(dim, params)
    try:
        if has_shard(folder):
            return qe.EdgeShard.load(str(folder), config)
        shard = qe.EdgeShard.create(str(folder), config)
    except Exception as exc:  # the bindings raise a bare Exception with the engine's message
        if "incompatible" in str(exc).lower():
            raise IndexMismatchError(
                f"the Qdrant Edge shard in {folder} does not hold {dim}-d vectors ({exc}): reindex with --full"
            ) from exc
        raise GovQAError(f"cannot open the Qdrant Edge shard in {folder}: {exc}") from exc
    for field, schema in PAYLOAD_INDEXES.items():
        kind = qe.PayloadSchemaType.Integer if field == _FLAG else qe.PayloadSchemaType.Keyword
        if schema.value not in ("keyword", "bool"):
            raise GovQAError(f"no Qdrant Edge index kind for the {schema.value} payload field {field}")
        shard.update(qe.UpdateOperation.create_field_index(field, kind))
    return shard


class EdgeVectorIndex:
    """Chunk vectors with the payload the filters need, in a Qdrant Edge shard.

    The same contract as `QdrantVectorIndex`: unit vectors in a DOT space, so scores are cosines;
    the same payload and filters, here with a payload index on every filtered field.
    """

    def __init__(self, shard: qe.EdgeShard, folder: Path, dim: int, params: HnswParams) -> None:
        self._shard = shard
        self._folder = folder
        self.dim = dim
        self.params = params
        self._written = False

    @classmethod
    def open(cls, folder: Path, dim: int, params: HnswParams | None = None) -> EdgeVectorIndex:
        """The index in `folder` (created empty when the folder holds no shard)."""
        params = params or HnswParams()
        return cls(open_shard(folder, dim, params), folder, dim, params)

    def upsert(self, chunks: Sequence[Chunk], docs: Sequence[Document], vectors: Vector) -> None:
        """Insert or replace chunks; `docs[i]` is the document of `chunks[i]`."""
        if not chunks:
            return
        payloads: list[dict[str, object]] = [dict(chunk_payload(c, d)) for c, d in zip(chunks, docs)]
        self.put(unit_points([c.id for c in chunks], unit_rows(vectors), payloads))

    def put(self, points: Sequence[qe.Point]) -> None:
        """Insert or replace points made by `unit_points`."""
        for i in range(0, len(points), _BATCH):
            self._shard.update(qe.UpdateOperation.upsert_points(list(points[i : i + _BATCH])))
        self._written = True

    def delete(self, chunk_ids: Sequence[str]) -> None:
        """Remove chunks by id (unknown ids are ignored)."""
        if chunk_ids:
            self._shard.update(qe.UpdateOperation.delete_points(list(chunk_ids)))
            self._written = True

    def search(self, vector: Vector, k: int, filters: Filters) -> list[tuple[str, float]]:
        """Top k (chunk_id, cosine) under the payload filters (validity is applied by the retriever)."""
        must: list[qe.FieldCondition] = [
            qe.FieldCondition(key=key, match=qe.MatchAny(any=values)) for key, values in matched_fields(filters)
        ]
        must_not: list[qe.FieldCondition] = []
        if filters.public_only:
            # Points written before the flag existed have no `internal` key, and so are public.
            must_not.append(qe.FieldCondition(key=_FLAG, match=qe.MatchValue(value=1)))
        if filters.exclude_collections:
            must_not.append(
                qe.FieldCondition(key="collection", match=qe.MatchAny(any=list(filters.exclude_collections)))
            )
        where = qe.Filter(must=list(must) or None, must_not=list(must_not) or None) if must or must_not else None
        hits = self._shard.query(
            qe.QueryRequest(
                limit=k,
                query=qe.Query.Nearest(unit_rows(vector)[0].tolist()),
                filter=where,
                params=qe.SearchParams(hnsw_ef=max(self.params.ef, k)),
                with_payload=False,
                with_vector=False,
            )
        )
        return ranked((str(p.id), float(p.score)) for p in hits)

    def exact_search(self, vector: Vector, k: int) -> list[tuple[str, float]]:
        """Top k by scanning every vector (the reference the HNSW recall is measured against)."""
        hits = self._shard.query(
            qe.QueryRequest(
                limit=k, query=qe.Query.Nearest(unit_rows(vector)[0].tolist()), params=qe.SearchParams(exact=True)
            )
        )
        return ranked((str(p.id), float(p.score)) for p in hits)

    def optimize(self) -> bool:
        """Merge segments and build their HNSW graphs (blocking); True when anything changed.
        Called once after a generation's writes: a graph built earlier would be rebuilt."""
        return bool(self._shard.optimize())

    def count(self) -> int:
        """Number of stored vectors."""
        return int(self._shard.count(qe.CountRequest(exact=True)))

    def records(self, batch: int = _BATCH) -> Iterator[tuple[str, list[float], dict[str, object]]]:
        """(chunk id, stored unit vector, payload) of every point."""
        offset: object = None
        while True:
            page, offset = self._shard.scroll(
                qe.ScrollRequest(offset=offset, limit=batch, with_payload=True, with_vector=True)  # type: ignore[arg-type]
            )
            for record in page:
                vector = record.vector
                if not isinstance(vector, list) or not all(isinstance(x, float) for x in vector):
                    raise IndexMismatchError(f"point {record.id} has no single dense vector: reindex with --full")
                yield str(record.id), cast("list[float]", vector), _read(record.payload or {})
            if offset is None:
                return

    def points(self, batch: int = _BATCH) -> Iterator[tuple[str, list[float]]]:
        """(chunk id, stored unit vector) of every point, for benchmarks that rebuild the index elsewhere."""
        for chunk, vector, _ in self.records(batch):
            yield chunk, vector

    def close(self) -> None:
        """Flush what this index wrote to disk and release the shard; after writes, load it once
        more, so that the files a first load rewrites are final before anyone reads them."""
        if self._written:
            self._shard.flush()
        self._shard.close()
        if self._written:
            open_shard(self._folder, self.dim, self.params).close()


def unit_points(ids: Sequence[str], vectors: np.ndarray, payloads: Sequence[dict[str, object]]) -> list[qe.Point]:
    """Points for `EdgeVectorIndex.put` from rows that are already unit vectors and `chunk_payload`
    payloads."""
    return [qe.Point(id=i, vector=v.tolist(), payload=_stored(p)) for i, v, p in zip(ids, vectors, payloads)]


def _stored(payload: dict[str, object]) -> dict[str, object]:
    """The payload as the shard keeps it: the access flag as 0/1 (see `_FLAG`)."""
    if _FLAG in payload:
        return {**payload, _FLAG: int(bool(payload[_FLAG]))}
    return payload


def _read(payload: dict[str, object]) -> dict[str, object]:
    """The payload as `chunk_payload` wrote it (the access flag a bool again)."""
    if _FLAG in payload:
        return {**payload, _FLAG: bool(payload[_FLAG])}
    return dict(payload)
