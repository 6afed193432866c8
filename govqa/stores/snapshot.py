"""A read-only view of one index generation, and a holder that follows the live generation."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from govqa import messages
from govqa.core.errors import NotIndexedError
from govqa.core.types import Document, ServiceItem
from govqa.stores.bm25 import BM25Index
from govqa.stores.catalog import Catalog
from govqa.stores.generations import Layout, Manifest, read_manifest
from govqa.stores.qdrant_index import QdrantVectorIndex, collection_name, open_client
from knowledge_graph.store import ServiceGraph, load_graph


class IndexSnapshot:
    """Catalog, vectors, lexical index and graph of one generation, loaded together."""

    def __init__(
        self,
        folder: Path,
        dim: int,
        qdrant_url: str = "",
        qdrant_api_key: str = "",
        check: Callable[[Manifest], None] = lambda manifest: None,
    ) -> None:
        self.folder = folder
        self.manifest: Manifest = read_manifest(folder)
        check(self.manifest)  # before opening anything, so a mismatch is reported as such
        self.catalog = Catalog(folder / "catalog.sqlite")
        self._client = open_client(None if qdrant_url else folder / "qdrant", qdrant_url, qdrant_api_key)
        self.vectors = QdrantVectorIndex(self._client, collection_name(folder, bool(qdrant_url)), dim)
        self.lexical = BM25Index()
        self.doc_chunks: dict[str, list[str]] = {}
        ids, tokens = [], []
        for cid, doc_id, toks in self.catalog.all_tokens():
            ids.append(cid)
            tokens.append(toks)
            self.doc_chunks.setdefault(doc_id, []).append(cid)
        self.lexical.add(ids, tokens)
        self.documents: dict[str, Document] = {d.id: d for d in self.catalog.documents()}
        self.items: list[ServiceItem] = self.catalog.items()
        self._items_by_code = {i.code: i for i in self.items}
        self.graph = ServiceGraph(load_graph(folder / "graph.json"))

    def item(self, code: str) -> ServiceItem | None:
        """A service item by 事项编码, or None."""
        return self._items_by_code.get(code)

    def display_title(self, doc_id: str) -> str:
        """How answers name a document: 《title》 with its 文号 if it has one (the id if unknown)."""
        doc = self.documents.get(doc_id)
        if doc is None:
            return doc_id
        return messages.display_name(doc)

    @property
    def generation(self) -> str:
        """Name of the generation folder."""
        return self.folder.name

    def close(self) -> None:
        """Release the Qdrant folder lock and the catalog."""
        self._client.close()
        self.catalog.close()


class SnapshotHolder:
    """Gives the current snapshot, reopening when ingest publishes a new generation."""

    def __init__(
        self,
        layout: Layout,
        dim: int,
        qdrant_url: str = "",
        qdrant_api_key: str = "",
        check: Callable[[Manifest], None] = lambda manifest: None,
    ) -> None:
        self._layout = layout
        self._check = check
        self._dim = dim
        self._qdrant = (qdrant_url, qdrant_api_key)
        self._lock = threading.Lock()
        self._snapshot: IndexSnapshot | None = None
        self._retired: IndexSnapshot | None = None

    def get(self) -> IndexSnapshot:
        """The live snapshot; NotIndexedError before the first ingest."""
        folder = self._layout.current()
        if folder is None:
            raise NotIndexedError("nothing is indexed yet: run `govqa ingest PATH` (or `govqa ingest --sample`) first")
        with self._lock:
            if self._snapshot is None or self._snapshot.folder != folder:
                fresh = IndexSnapshot(folder, self._dim, *self._qdrant, check=self._check)
                # Requests still running on the previous snapshot keep it until the next swap.
                if self._retired is not None:
                    self._retired.close()
                self._retired, self._snapshot = self._snapshot, fresh
            return self._snapshot

    def close(self) -> None:
        """Close the open snapshot, if any."""
        with self._lock:
            for snap in (self._snapshot, self._retired):
                if snap is not None:
                    snap.close()
            self._snapshot = self._retired = None
