"""The stores of index generations, opened in one place: catalog (SQLite), vectors (the
configured `VectorBackend`), lexical index (in-memory BM25) and service graph (networkx JSON).

Only bootstrap builds an `IndexStorage`; ingest, the query side and the admin commands receive it
(or a view it opened) and see the Protocols of `govqa.core.protocols`, never an engine.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from govqa import messages
from govqa.core.manifest import Manifest
from govqa.core.protocols import CatalogWriter, DocumentCatalog, Tokenizer, VectorIndex
from govqa.core.view import IndexView, load_view
from govqa.stores.backends import StoredVectorIndex, VectorBackend
from govqa.stores.bm25 import BM25Index
from govqa.stores.catalog import Catalog
from govqa.stores.generations import Layout, read_manifest
from knowledge_graph.build import graph_of_catalog
from knowledge_graph.store import GRAPH_FORMAT, ServiceGraph, load_graph, save_graph


class StagingIndex:
    """The stores of a generation being built (a copy of the live one, or empty)."""

    def __init__(self, folder: Path, catalog: Catalog, vectors: StoredVectorIndex) -> None:
        self.folder = folder
        self._catalog = catalog
        self._vectors = vectors

    @property
    def vectors(self) -> VectorIndex:
        """The staging vector index."""
        return self._vectors

    @property
    def catalog(self) -> CatalogWriter:
        """The staging catalog."""
        return self._catalog

    def write_graph(self) -> None:
        """Build the service graph from the catalog's items and policies and write it."""
        save_graph(graph_of_catalog(self._catalog), self.folder / "graph.json")

    def optimize_vectors(self) -> None:
        """Build the vector index's search structures (the edge engine's HNSW graphs) once every
        write is in: after the last write, so no graph is built twice."""
        self._vectors.optimize()

    def close(self) -> None:
        """Commit and release the catalog and the vectors."""
        self._catalog.close()
        self._vectors.close()


class IndexStorage:
    """Opens published generations for reading and staging generations for writing."""

    graph_format = GRAPH_FORMAT

    def __init__(self, layout: Layout, backend: VectorBackend, tokenizer: Tokenizer) -> None:
        self.layout = layout
        self._backend = backend
        self.tokenizer = tokenizer

    def open_view(self, folder: Path, dim: int, check: Callable[[Manifest], None]) -> IndexView:
        """A read-only view of a published generation; `check` sees the manifest before anything opens."""
        manifest = read_manifest(folder)
        check(manifest)  # before opening anything, so a mismatch is reported as such
        manifest.check_graph(GRAPH_FORMAT)
        catalog = Catalog(folder / "catalog.sqlite")
        vectors = self._backend.open(folder, dim)

        def release() -> None:
            vectors.close()
            catalog.close()

        try:
            graph = ServiceGraph(load_graph(folder / "graph.json"), messages.UNSET_OPTION_LABELS)
            return load_view(manifest, catalog, vectors, BM25Index(), graph, self.tokenizer, release)
        except BaseException:
            release()
            raise

    def open_catalog(self, folder: Path) -> DocumentCatalog:
        """A generation's catalog alone (ledger reads by ingest and the admin commands)."""
        return Catalog(folder / "catalog.sqlite")

    def open_staging(self, base: Path | None, staging: Path, dim: int) -> StagingIndex:
        """Stores of a generation being built in `staging` (already holding a copy of `base`'s files)."""
        catalog = Catalog(staging / "catalog.sqlite")
        try:
            vectors = self._backend.stage(base, staging, dim)
        except BaseException:
            catalog.close()
            raise
        return StagingIndex(staging, catalog, vectors)

    def published(self) -> None:
        """After a publish: name the live generation's vectors and drop those of pruned generations."""
        live = self.layout.current()
        if live is not None:
            kept = [p for p in self.layout.generations.glob("gen-*") if not p.name.endswith(".partial")]
            self._backend.published(live, kept)
