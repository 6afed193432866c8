"""Runs an ingest in a separate process, slowed down so a test can kill it mid-run.

Run as a program, or forked from a test process that has already imported everything (`main`
with the arguments), which saves the imports on every one of many kills:

    python -m tests.ingest_worker DATA SOURCE [--delay S] [--pause-at PHASE[:N]] [--phase-file F]
                                             [--real] [--fsize BYTES]

The worker writes the phase it reaches to `--phase-file` (one line, replaced atomically), so the
test knows where the kill lands. `--pause-at` stops the run inside a named phase until the test
kills it; the phases wrap the real stores, so nothing here exists in production code:

    start      the pipeline is about to run (models loaded)
    copied     the live generation is copied to the staging folder (an update)
    embed      a batch is being embedded (fake embedder only)
    upsert     half of a batch's vectors are in the staging Qdrant, the rest not yet (N-th batch)
    optimize   every vector is written, the edge engine's index not yet built nor flushed
    commit     a batch's catalog rows are written but not committed (N-th commit)
    graph      half of graph.json's temporary file is written
    swap       the staging folder is renamed to its final name, CURRENT not yet replaced
    published  CURRENT names the new generation; old generations not yet pruned
    done       the run returned

`--fsize` sets RLIMIT_FSIZE first (SIGXFSZ ignored, so a write past it fails with EFBIG as on a
full disk); the error is printed as `FAILED <class>: <message>` and the exit code is 3.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from govqa.bootstrap import Container
from govqa.config import Settings
from govqa.core.errors import GovQAError
from govqa.stores import generations, storage
from govqa.stores.catalog import Catalog
from govqa.stores.qdrant_index import QdrantVectorIndex
from govqa.testing.fakes import HashEmbedder
from ingest import pipeline
from ingest.pipeline import IngestOptions

PHASES = ("start", "copied", "embed", "upsert", "commit", "graph", "optimize", "swap", "published", "done")


class SlowEmbedder(HashEmbedder):
    delay = 0.3
    phases: Phases | None = None

    def embed_documents(self, texts):  # type: ignore[no-untyped-def]
        if self.phases is not None:
            self.phases.mark("embed")
        time.sleep(self.delay)
        return super().embed_documents(texts)


class Phases:
    """Announces phases in a file and pauses in the chosen one (the N-th time it is reached)."""

    def __init__(self, phase_file: Path | None, pause_at: str) -> None:
        self.file = phase_file
        name, _, nth = pause_at.partition(":")
        self.pause, self.nth = name, int(nth or 1)
        self.seen: dict[str, int] = {}

    def mark(self, phase: str) -> None:
        self.seen[phase] = self.seen.get(phase, 0) + 1
        if self.file is not None:
            tmp = self.file.with_name(self.file.name + ".tmp")
            tmp.write_text(f"{phase} {self.seen[phase]}\n", encoding="utf-8")
            os.replace(tmp, self.file)
        if phase == self.pause and self.seen[phase] == self.nth:
            time.sleep(600)  # the test kills the process here


def install(phases: Phases) -> None:
    """Wrap the real stores so each phase is announced (and paused in) while it is under way."""
    upserts: dict[type[Any], Callable[..., None]] = {QdrantVectorIndex: QdrantVectorIndex.upsert}
    try:
        from govqa.stores.edge_index import EdgeVectorIndex
    except ImportError:  # no qdrant-edge-py wheel for this platform: local mode only
        EdgeVectorIndex = None  # type: ignore[assignment,misc]
    if EdgeVectorIndex is not None:
        upserts[EdgeVectorIndex] = EdgeVectorIndex.upsert
        optimize: Callable[..., bool] = EdgeVectorIndex.optimize
    commit: Callable[..., None] = Catalog.commit
    save_graph: Callable[..., None] = storage.save_graph
    replace = os.replace

    class AnnouncedShutil:
        """shutil for the pipeline module only, announcing the end of its copy of the live generation."""

        def __getattr__(self, name: str) -> Any:
            return getattr(shutil, name)

        def copytree(self, *args: Any, **kwargs: Any) -> Any:
            out = shutil.copytree(*args, **kwargs)
            phases.mark("copied")
            return out

    def split_upsert(self: Any, chunks: Any, docs: Any, vectors: Any) -> None:
        upsert = upserts[type(self)]
        half = len(chunks) // 2
        upsert(self, chunks[:half], docs[:half], vectors[:half])
        phases.mark("upsert")
        upsert(self, chunks[half:], docs[half:], vectors[half:])

    def announced_optimize(self: Any) -> bool:
        phases.mark("optimize")
        return optimize(self)

    def announced_commit(self: Catalog) -> None:
        phases.mark("commit")
        commit(self)

    def torn_graph(g: Any, path: Path) -> None:
        # Leave what the real writer leaves when killed mid-write: half of its temporary file.
        scratch = path.with_name(".scratch-graph.json")
        save_graph(g, scratch)
        body = scratch.read_bytes()
        scratch.unlink()
        path.with_name(f".{path.name}.tmp").write_bytes(body[: len(body) // 2])
        phases.mark("graph")
        save_graph(g, path)

    def watched_replace(src: Any, dst: Any) -> None:
        if Path(dst).name == "CURRENT":
            phases.mark("swap")
            replace(src, dst)
            phases.mark("published")
        else:
            replace(src, dst)

    pipeline.shutil = AnnouncedShutil()  # type: ignore[assignment]
    QdrantVectorIndex.upsert = split_upsert  # type: ignore[method-assign]
    if EdgeVectorIndex is not None:
        EdgeVectorIndex.upsert = split_upsert  # type: ignore[method-assign]
        EdgeVectorIndex.optimize = announced_optimize  # type: ignore[method-assign]
    Catalog.commit = announced_commit  # type: ignore[method-assign]
    storage.save_graph = torn_graph
    generations.os.replace = watched_replace  # type: ignore[assignment]  # this process only


def main(argv: list[str] | None = None) -> None:
    """Run one ingest as the arguments say (`argv` for a forked child; else the command line)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("data", type=Path)
    parser.add_argument("source", type=Path, nargs="+")
    parser.add_argument("--delay", type=float, default=0.3, help="seconds added to every embedding batch")
    parser.add_argument("--pause-at", default="", help="PHASE or PHASE:N (the N-th time the phase is reached)")
    parser.add_argument("--phase-file", type=Path)
    parser.add_argument("--real", action="store_true", help="the real bundled embedder (its own cache model id)")
    parser.add_argument("--fsize", type=int, default=0, help="RLIMIT_FSIZE in bytes (0: unlimited)")
    parser.add_argument("--flush", type=int, default=8, help="chunks per batch")
    args = parser.parse_args(argv)
    if args.fsize:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (args.fsize, args.fsize))
    phases = Phases(args.phase_file, args.pause_at)
    install(phases)
    pipeline.FLUSH_CHUNKS = args.flush  # many small batches, so a kill lands between them
    settings = Settings(data_dir=args.data, model_dir=args.data / "models", embedder={"batch_size": 8})
    if args.real:
        from tests.conftest import model_dir

        c = Container(Settings(data_dir=args.data, model_dir=model_dir(), embedder={"batch_size": 8}))
    else:
        SlowEmbedder.delay, SlowEmbedder.phases = args.delay, phases
        c = Container(settings, embedder=SlowEmbedder(64))
    _ = c.embedder.dim  # load the model before the run starts
    phases.mark("start")
    try:
        report = c.ingest_pipeline().run(args.source, IngestOptions())
    except (GovQAError, OSError) as exc:
        print(f"FAILED {type(exc).__name__}: {exc}", flush=True)
        sys.exit(3)
    phases.mark("done")
    print(report.generation, report.embedded, flush=True)


if __name__ == "__main__":
    main()
