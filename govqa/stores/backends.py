"""Where an index generation's vectors live: the only code that knows which Qdrant holds them.

The embedded engines keep their storage inside each generation folder (`qdrant/` for local mode,
`edge/` for Qdrant Edge), so copying the generation folder copies its vectors and a killed writer
leaves nothing behind outside it. A
server keeps one collection per generation, named from `collection_prefix` and the generation,
so the folder copy holds no vectors: staging copies the base collection on the server, and
publishing moves the alias `<prefix>_live` to the new collection in one atomic alias update, then
drops the collections of pruned generations (never the one the alias names).

Readers still open their generation's own collection, not the alias: a view pairs the catalog of
one generation with its vectors, and a reader holding generation N while the alias moves to N+1
must keep reading N's vectors. The alias is the live index's stable name on the server, for
Qdrant's own tools (snapshots, backups, dashboards) and for other consumers of the vectors.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Protocol

import numpy as np
from qdrant_client import QdrantClient, models

from govqa.core.errors import ConfigError, IndexMismatchError
from govqa.core.protocols import VectorIndex
from govqa.stores.edge_params import CONFIG_FILE, HnswParams, has_shard
from govqa.stores.qdrant_index import QdrantVectorIndex, ServerConfig, open_client, unit_rows

if TYPE_CHECKING:
    from govqa.stores.edge_index import EdgeVectorIndex

LOCAL_COLLECTION = "chunks"
LOCAL_FOLDER = "qdrant"
EDGE_FOLDER = "edge"


class StoredVectorIndex(VectorIndex, Protocol):
    """A vector index of one generation, as a backend opens it."""

    def optimize(self) -> bool:
        """Build the search structures once a generation's writes are in; True when anything changed."""
        ...

    def close(self) -> None:
        """Release the storage (and flush what was written)."""
        ...


class VectorBackend(Protocol):
    """Opens, stages and prunes the vector stores of index generations."""

    def open(self, generation: Path, dim: int) -> StoredVectorIndex:
        """The vectors of a published generation (the caller closes the index)."""
        ...

    def stage(self, base: Path | None, staging: Path, dim: int) -> StoredVectorIndex:
        """Vectors of a generation being built: a copy of `base`'s (None or a full rebuild: empty)."""
        ...

    def published(self, live: Path, kept: Iterable[Path]) -> None:
        """After `live` was published: point the live name at it and drop the vector stores of
        generations other than `kept`."""
        ...


class LocalQdrant:
    """Qdrant's embedded local mode, one storage folder per generation."""

    def open(self, generation: Path, dim: int) -> QdrantVectorIndex:
        """Open the generation's own storage folder; IndexMismatchError when the generation was
        written by the edge engine (an empty local index would answer every dense query with nothing)."""
        if not (generation / LOCAL_FOLDER).exists() and has_shard(generation / EDGE_FOLDER):
            raise IndexMismatchError(
                f"generation {generation.name} was written by the Qdrant Edge engine: set "
                "GOVQA_QDRANT__ENGINE=edge, or run `govqa reindex --full` to rebuild it in local mode"
            )
        return QdrantVectorIndex(open_client(generation / LOCAL_FOLDER), LOCAL_COLLECTION, dim, owns_client=True)

    def stage(self, base: Path | None, staging: Path, dim: int) -> QdrantVectorIndex:
        """The staging folder already holds the base's vectors (the whole folder was copied)."""
        index = self.open(staging, dim)
        index.convert_to_dot()  # a no-op unless the base predates DOT collections
        return index

    def published(self, live: Path, kept: Iterable[Path]) -> None:
        """Nothing to do: CURRENT names the live folder, and pruned folders take their vectors with them."""


class EdgeQdrant:
    """Qdrant Edge, Qdrant's engine in process: one shard folder per generation, HNSW built by
    `optimize()` once an ingest's writes are in."""

    def __init__(self, params: HnswParams | None = None) -> None:
        self.params = params or HnswParams()
        _engine()  # a missing engine is a configuration error at start-up, not at the first query

    def open(self, generation: Path, dim: int) -> StoredVectorIndex:
        """Open the generation's shard; a generation written in local mode (before the switch) is
        read in local mode until the next ingest rewrites it for this engine."""
        if not has_shard(generation / EDGE_FOLDER) and (generation / LOCAL_FOLDER).exists():
            return LocalQdrant().open(generation, dim)
        return _engine().EdgeVectorIndex.open(generation / EDGE_FOLDER, dim, self.params)

    def stage(self, base: Path | None, staging: Path, dim: int) -> EdgeVectorIndex:
        """The staging folder already holds a copy of the base's shard (or a local-mode store, which
        is moved into a new shard here)."""
        # A reader configured otherwise rewrites edge_config.json when it loads the live shard, so
        # the copy may hold a torn one; the shard is loaded with the full configuration, which
        # rewrites it.
        (staging / EDGE_FOLDER / CONFIG_FILE).unlink(missing_ok=True)
        index = _engine().EdgeVectorIndex.open(staging / EDGE_FOLDER, dim, self.params)
        local = staging / LOCAL_FOLDER
        if local.exists():
            try:
                _move_local_points(
                    QdrantVectorIndex(open_client(local), LOCAL_COLLECTION, dim, owns_client=True), index
                )
            except BaseException:
                index.close()
                raise
            shutil.rmtree(local)
        return index

    def published(self, live: Path, kept: Iterable[Path]) -> None:
        """Nothing to do: CURRENT names the live folder, and pruned folders take their shards with them."""


def _engine() -> ModuleType:
    """The edge engine's adapter; ConfigError when its wheel is not installed (none is published
    for some platforms, e.g. Linux on ARM)."""
    try:
        from govqa.stores import edge_index
    except ImportError as exc:
        raise ConfigError(
            f"GOVQA_QDRANT__ENGINE=edge needs the qdrant-edge-py package ({exc}); it has no wheel for "
            "this platform: set GOVQA_QDRANT__ENGINE=local"
        ) from exc
    return edge_index


def _move_local_points(source: QdrantVectorIndex, target: EdgeVectorIndex, batch: int = 1024) -> None:
    """Copy every point of a local-mode store into the shard (as unit vectors), then close the store."""
    unit_points = _engine().unit_points
    try:
        ids: list[str] = []
        rows: list[list[float]] = []
        payloads: list[dict[str, object]] = []
        for chunk, vector, payload in source.records(batch):
            ids.append(chunk)
            rows.append(vector)
            payloads.append(payload)
            if len(ids) == batch:
                target.put(unit_points(ids, unit_rows(np.array(rows, dtype=np.float32)), payloads))
                ids, rows, payloads = [], [], []
        if ids:
            target.put(unit_points(ids, unit_rows(np.array(rows, dtype=np.float32)), payloads))
    finally:
        source.close()


class ServerQdrant:
    """A Qdrant server or cluster shared by every generation (one collection each)."""

    def __init__(self, server: ServerConfig, prefix: str = "govqa") -> None:
        self.server, self._prefix = server, prefix

    @property
    def alias(self) -> str:
        """The alias naming the live generation's collection."""
        return f"{self._prefix}_live"

    def collection(self, generation: Path) -> str:
        """The collection of a generation, named after the published name (never the .partial one)."""
        return f"{self._prefix}_{generation.name.removesuffix('.partial').replace('-', '_')}"

    def open(self, generation: Path, dim: int) -> QdrantVectorIndex:
        """Open the generation's collection on the server; IndexMismatchError when the server has
        none (a generation written in local mode, or a server that lost its data), rather than
        creating an empty one that would answer every dense query with nothing."""
        client = open_client(None, self.server)
        name = self.collection(generation)
        if not client.collection_exists(name):
            client.close()
            raise self._missing(generation)
        return QdrantVectorIndex(client, name, dim, owns_client=True, server=self.server)

    def stage(self, base: Path | None, staging: Path, dim: int) -> QdrantVectorIndex:
        """A fresh collection for the staging generation, filled from the base generation's."""
        client = open_client(None, self.server)
        if base is not None and not client.collection_exists(self.collection(base)):
            client.close()
            raise self._missing(base)
        name = self.collection(staging)
        if client.collection_exists(name):
            # Left behind by a killed run: a staging generation always starts from its base alone.
            client.delete_collection(name)
        index = QdrantVectorIndex(client, name, dim, owns_client=True, server=self.server)
        if base is not None:
            index.copy_from(self.collection(base))
        index.convert_to_dot()
        return index

    def published(self, live: Path, kept: Iterable[Path]) -> None:
        """Move the alias to the live collection atomically, then drop this deployment's generation
        collections whose folders are gone."""
        target = self.collection(live)
        client = open_client(None, self.server)
        try:
            self._point_alias(client, target)
            keep = {self.collection(p) for p in kept} | {target}
            for collection in client.get_collections().collections:
                if collection.name.startswith(f"{self._prefix}_gen_") and collection.name not in keep:
                    client.delete_collection(collection.name)
        finally:
            client.close()

    def _missing(self, generation: Path) -> IndexMismatchError:
        return IndexMismatchError(
            f"the Qdrant server at {self.server.url} has no collection {self.collection(generation)} for "
            f"generation {generation.name} (written in local mode, or the server lost it): "
            "run `govqa reindex --full`"
        )

    def _point_alias(self, client: QdrantClient, target: str) -> None:
        """Delete and re-create the alias in one request: Qdrant applies the list atomically, so
        a query by the alias sees the old collection or the new one, never none."""
        ops: list[models.AliasOperations] = []
        if any(a.alias_name == self.alias for a in client.get_aliases().aliases):
            ops.append(models.DeleteAliasOperation(delete_alias=models.DeleteAlias(alias_name=self.alias)))
        ops.append(
            models.CreateAliasOperation(create_alias=models.CreateAlias(collection_name=target, alias_name=self.alias))
        )
        client.update_collection_aliases(change_aliases_operations=ops)
