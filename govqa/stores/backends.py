"""Where an index generation's vectors live: the only code that knows local vs server Qdrant.

Local mode keeps one Qdrant storage folder inside each generation folder, so copying the
generation folder copies its vectors and a killed writer leaves nothing behind outside it. A
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

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from qdrant_client import QdrantClient, models

from govqa.core.errors import IndexMismatchError
from govqa.stores.qdrant_index import QdrantVectorIndex, ServerConfig, open_client

LOCAL_COLLECTION = "chunks"


class VectorBackend(Protocol):
    """Opens, stages and prunes the vector stores of index generations."""

    def open(self, generation: Path, dim: int) -> QdrantVectorIndex:
        """The vectors of a published generation (the caller closes the index)."""
        ...

    def stage(self, base: Path | None, staging: Path, dim: int) -> QdrantVectorIndex:
        """Vectors of a generation being built: a copy of `base`'s (None or a full rebuild: empty)."""
        ...

    def published(self, live: Path, kept: Iterable[Path]) -> None:
        """After `live` was published: point the live name at it and drop the vector stores of
        generations other than `kept`."""
        ...


class LocalQdrant:
    """Qdrant's embedded local mode, one storage folder per generation."""

    def open(self, generation: Path, dim: int) -> QdrantVectorIndex:
        """Open the generation's own storage folder."""
        return QdrantVectorIndex(open_client(generation / "qdrant"), LOCAL_COLLECTION, dim, owns_client=True)

    def stage(self, base: Path | None, staging: Path, dim: int) -> QdrantVectorIndex:
        """The staging folder already holds the base's vectors (the whole folder was copied)."""
        index = self.open(staging, dim)
        index.convert_to_dot()  # a no-op unless the base predates DOT collections
        return index

    def published(self, live: Path, kept: Iterable[Path]) -> None:
        """Nothing to do: CURRENT names the live folder, and pruned folders take their vectors with them."""


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
