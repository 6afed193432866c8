"""Where an index generation's vectors live: the only code that knows local vs server Qdrant.

Local mode keeps one Qdrant storage folder inside each generation folder, so copying the
generation folder copies its vectors and a killed writer leaves nothing behind outside it. A
server keeps one collection per generation, named from `collection_prefix` and the generation,
so the folder copy holds no vectors: staging copies the base collection on the server, and
publishing drops the collections of pruned generations.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from govqa.stores.qdrant_index import QdrantVectorIndex, open_client

LOCAL_COLLECTION = "chunks"


class VectorBackend(Protocol):
    """Opens, stages and prunes the vector stores of index generations."""

    def open(self, generation: Path, dim: int) -> QdrantVectorIndex:
        """The vectors of a published generation (the caller closes the index)."""
        ...

    def stage(self, base: Path | None, staging: Path, dim: int) -> QdrantVectorIndex:
        """Vectors of a generation being built: a copy of `base`'s (None or a full rebuild: empty)."""
        ...

    def prune(self, kept: Iterable[Path]) -> None:
        """Drop vector stores of generations other than `kept` (after a publish)."""
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

    def prune(self, kept: Iterable[Path]) -> None:
        """Nothing to do: pruned generation folders take their vectors with them."""


class ServerQdrant:
    """A Qdrant server or cluster shared by every generation (one collection each)."""

    def __init__(self, url: str, api_key: str = "", prefix: str = "govqa") -> None:
        self._url, self._api_key, self._prefix = url, api_key, prefix

    def collection(self, generation: Path) -> str:
        """The collection of a generation, named after the published name (never the .partial one)."""
        return f"{self._prefix}_{generation.name.removesuffix('.partial').replace('-', '_')}"

    def open(self, generation: Path, dim: int) -> QdrantVectorIndex:
        """Open the generation's collection on the server."""
        client = open_client(None, self._url, self._api_key)
        return QdrantVectorIndex(client, self.collection(generation), dim, owns_client=True)

    def stage(self, base: Path | None, staging: Path, dim: int) -> QdrantVectorIndex:
        """A fresh collection for the staging generation, filled from the base generation's."""
        client = open_client(None, self._url, self._api_key)
        name = self.collection(staging)
        if client.collection_exists(name):
            # Left behind by a killed run: a staging generation always starts from its base alone.
            client.delete_collection(name)
        index = QdrantVectorIndex(client, name, dim, owns_client=True)
        if base is not None:
            index.copy_from(self.collection(base))
        index.convert_to_dot()
        return index

    def prune(self, kept: Iterable[Path]) -> None:
        """Drop this deployment's generation collections whose folders are gone."""
        live = {self.collection(p) for p in kept}
        client = open_client(None, self._url, self._api_key)
        try:
            for collection in client.get_collections().collections:
                if collection.name.startswith(f"{self._prefix}_gen_") and collection.name not in live:
                    client.delete_collection(collection.name)
        finally:
            client.close()
