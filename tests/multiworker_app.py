"""The app each uvicorn worker process builds in tests/test_multiworker.py: the real app on the
deterministic fakes, each response saying which process wrote it.

Several workers need a Qdrant server (`govqa serve --workers` refuses an embedded engine). With
GOVQA_QDRANT__URL set the workers use it as configured; without one, each worker opens its own
copy of a generation's vectors in the configured embedded engine, which serving only reads. Everything else (sessions,
operator database, ingest ledger and generations, admin jobs) is shared as in production.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from starlette.middleware.base import RequestResponseEndpoint

from govqa.api.app import create_app
from govqa.bootstrap import Container
from govqa.config import Settings
from govqa.stores.backends import EDGE_FOLDER, LOCAL_FOLDER, StoredVectorIndex, VectorBackend
from govqa.testing.fakes import HashEmbedder, ScriptedGenerator

WORKER_HEADER = "X-Test-Worker"


class PrivateLocalCopies:
    """The embedded engine where each process reads its own copy of a published generation's vectors."""

    def __init__(self, scratch: Path, embedded: VectorBackend) -> None:
        self._scratch = scratch
        self._embedded = embedded

    def open(self, generation: Path, dim: int) -> StoredVectorIndex:
        """This process's copy of the generation's vector folder (made on first open)."""
        copy = self._scratch / generation.name
        if not copy.exists():
            for engine_folder in (LOCAL_FOLDER, EDGE_FOLDER):
                if (generation / engine_folder).exists():
                    ignore = shutil.ignore_patterns(".lock")
                    shutil.copytree(generation / engine_folder, copy / engine_folder, ignore=ignore)
        return self._embedded.open(copy, dim)

    def stage(self, base: Path | None, staging: Path, dim: int) -> StoredVectorIndex:
        """As the embedded engine: the staging folder is the writer's alone."""
        return self._embedded.stage(base, staging, dim)

    def published(self, live: Path, kept: Iterable[Path]) -> None:
        """Nothing to name or drop: the copies go with the process."""


class WorkerContainer(Container):
    """The container on fakes, with private copies of the vectors unless a server is configured."""

    @functools.cached_property
    def vector_backend(self) -> VectorBackend:
        """A configured server, or this process's copies of local-mode generations."""
        if self.settings.qdrant.url:
            return super().vector_backend
        scratch = Path(tempfile.mkdtemp(prefix=f"govqa-worker-{os.getpid()}-"))
        return PrivateLocalCopies(scratch, super().vector_backend)


def build() -> FastAPI:
    """One worker's app (uvicorn --factory), from the GOVQA_* environment like `govqa serve`."""
    app = create_app(WorkerContainer(Settings(), embedder=HashEmbedder(64), generator=ScriptedGenerator()))

    @app.middleware("http")
    async def tell_worker(request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers[WORKER_HEADER] = str(os.getpid())
        return response

    return app
