"""Operator commands over the index (status, re-index, delete), for the CLI and the admin API.

Each returns data; rendering and exit codes stay with the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govqa.core.errors import InvalidInputError, NotIndexedError
from govqa.core.protocols import GenerationStores
from govqa.core.types import DocType
from govqa.stores.generations import Layout, read_manifest
from ingest.pipeline import IngestOptions, IngestPipeline, Progress
from ingest.report import IngestReport


@dataclass(frozen=True, slots=True)
class Deleted:
    """What `IndexAdmin.delete` removed."""

    doc_ids: tuple[str, ...]
    report: IngestReport


class IndexAdmin:
    """Reads and changes the index of one data directory."""

    def __init__(
        self,
        layout: Layout,
        stores: GenerationStores,
        pipeline: Callable[[], IngestPipeline],
        today: Callable[[], dt.date] = dt.date.today,
        internal_collections: tuple[str, ...] = (),
    ) -> None:
        self._layout = layout
        self._stores = stores
        self._pipeline = pipeline
        self._today = today
        self._internal_collections = internal_collections

    def _live(self) -> Path:
        folder = self._layout.current()
        if folder is None:
            raise NotIndexedError("nothing is indexed yet: run `govqa ingest PATH` (or `govqa ingest --sample`) first")
        return folder

    def status(self) -> dict[str, Any]:
        """Generation, models, tokenizer, counts, last run, documents not in force today, sources."""
        folder = self._layout.current()
        if folder is None:
            return {"indexed": False, "data_dir": str(self._layout.root)}
        manifest = read_manifest(folder)
        catalog = self._stores.open_catalog(folder)
        try:
            today = self._today()
            return {
                "indexed": True,
                "data_dir": str(self._layout.root),
                "generation": manifest.generation,
                "embedder": manifest.embedder_id,
                "dim": manifest.dim,
                "chunker": manifest.chunker_version,
                "tokenizer": manifest.tokenizer or "(not recorded: run `govqa reindex`)",
                "last_run": catalog.last_ingest(),
                **catalog.counts(),
                "not_in_force": sum(1 for d in catalog.documents() if not d.is_valid_on(today)),
                "internal": sum(
                    1 for d in catalog.documents() if d.internal or d.collection in self._internal_collections
                ),
                "sources": len(catalog.ledger_paths()),
            }
        finally:
            catalog.close()

    def source_paths(self) -> list[Path]:
        """Every source path the live index was built from."""
        catalog = self._stores.open_catalog(self._live())
        try:
            return [Path(p) for p in catalog.ledger_paths()]
        finally:
            catalog.close()

    def resolve(self, target: str) -> list[str]:
        """Document ids named by `target`: an ingested file path (all its documents) or a document id."""
        catalog = self._stores.open_catalog(self._live())
        try:
            ids = catalog.ledger_docs(str(Path(target).resolve())) or (
                [target] if catalog.document(target) is not None else []
            )
        finally:
            catalog.close()
        if not ids:
            raise InvalidInputError(f"no indexed document or source path {target!r} (see `govqa status`)")
        return ids

    def reindex(
        self,
        full: bool = False,
        untitled: Sequence[str] = (),
        progress: Progress | None = None,
        collection_types: tuple[tuple[str, DocType], ...] = (),
    ) -> IngestReport:
        """Re-ingest every known source path (`full`: rebuild from nothing; vectors still come from the cache)."""
        paths = self.source_paths()
        options = IngestOptions(
            full=full,
            untitled_collections=tuple(untitled),
            collection_types=collection_types,
            internal_collections=self._internal_collections,
            keep_access=True,
        )
        return self._pipeline().run(paths, options, progress)

    def delete(self, target: str) -> Deleted:
        """Remove a document, or every document of a source file, and publish the result."""
        ids = self.resolve(target)
        return Deleted(tuple(ids), self._pipeline().run([], delete_ids=ids))
