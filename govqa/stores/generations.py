"""Index generations on disk: each complete index lives in its own folder and a pointer file names
the live one. Writers build a new generation beside the live one and swap the pointer atomically,
so readers never see half an index and a killed run leaves the live index untouched.

    DATA_DIR/
      CURRENT                      name of the live generation (replaced with os.replace)
      generations/gen-000007/      catalog.sqlite, qdrant/, graph.json, manifest.json
      generations/gen-000008.partial/   a build in progress (discarded if its writer died)
      cache/embeddings.sqlite      vectors by (embedder id, text hash), shared by all generations
      sessions.sqlite              dialogue state
      ingest.lock, jobs.lock       one ingest writer; admin jobs of every worker process in turn
      reports/                     ingest reports and admin job states (job-ID.json)
      operator.sqlite              conversation log, feedback, curated answers, admin audit trail
      uploads/                     files uploaded through the admin API
      inbox/                       where the admin API may read files by path
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import json
import os
import shutil
import sqlite3
from pathlib import Path

from govqa.core.manifest import Manifest

KEEP_GENERATIONS = 2
# What writing a generation raises when the disk is full or a file size limit is reached: the OS's
# error, or SQLite's (the catalog, the vector cache and Qdrant's local storage are SQLite files).
WRITE_ERRORS: tuple[type[Exception], ...] = (OSError, sqlite3.Error)
__all__ = [
    "KEEP_GENERATIONS",
    "WRITE_ERRORS",
    "Layout",
    "Manifest",
    "now_iso",
    "read_manifest",
    "write_failure",
    "write_manifest",
]


class Layout:
    """Paths of one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir
        self.generations = data_dir / "generations"
        self.pointer = data_dir / "CURRENT"
        self.embedding_cache = data_dir / "cache" / "embeddings.sqlite"
        self.clause_type_cache = data_dir / "cache" / "clause_types.sqlite"
        self.sessions = data_dir / "sessions.sqlite"
        self.lock = data_dir / "ingest.lock"
        self.jobs_lock = data_dir / "jobs.lock"
        self.reports = data_dir / "reports"
        self.operator = data_dir / "operator.sqlite"
        self.uploads = data_dir / "uploads"
        self.inbox = data_dir / "inbox"

    def current(self) -> Path | None:
        """Folder of the live generation, or None before the first ingest."""
        try:
            name = self.pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        folder = self.generations / name
        return folder if folder.is_dir() else None

    def next_staging(self) -> Path:
        """A fresh folder for a new generation, after removing partial builds of dead writers."""
        self.generations.mkdir(parents=True, exist_ok=True)
        for stale in self.generations.glob("*.partial"):
            shutil.rmtree(stale, ignore_errors=True)
        numbers = [int(p.name.split("-")[1]) for p in self.generations.glob("gen-*") if p.name.split("-")[1].isdigit()]
        return self.generations / f"gen-{max(numbers, default=0) + 1:06d}.partial"

    def publish(self, staging: Path) -> Path:
        """Rename a finished staging folder and point CURRENT at it atomically."""
        final = staging.with_name(staging.name.removesuffix(".partial"))
        os.replace(staging, final)
        tmp = self.pointer.with_name(f".CURRENT.{os.getpid()}")
        tmp.write_text(final.name, encoding="utf-8")
        os.replace(tmp, self.pointer)
        self._prune(final)
        return final

    def _prune(self, live: Path) -> None:
        # Keep the previous generation too: a reader may still be answering from it.
        done = sorted(p for p in self.generations.glob("gen-*") if not p.name.endswith(".partial"))
        for old in done[:-KEEP_GENERATIONS]:
            if old != live:
                shutil.rmtree(old, ignore_errors=True)


def write_manifest(folder: Path, manifest: Manifest) -> None:
    """Write manifest.json (atomically)."""
    tmp = folder / ".manifest.json.tmp"
    tmp.write_text(json.dumps(dataclasses.asdict(manifest), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, folder / "manifest.json")


def read_manifest(folder: Path) -> Manifest:
    """Read manifest.json of a generation (fields this version does not know are ignored)."""
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    known = {f.name for f in dataclasses.fields(Manifest)}
    return Manifest(**{k: v for k, v in data.items() if k in known})


def now_iso() -> str:
    """UTC timestamp for manifests and reports."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def write_failure(exc: BaseException) -> str:
    """A one-line cause of a write failure (shutil.Error carries a list of per-file errors)."""
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        src, _, why = exc.args[0][0]
        return f"copying {src}: {why}"
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return f"{exc.strerror} ({'disk full' if exc.errno != errno.EFBIG else 'file size limit'}): {exc.filename}"
    if isinstance(exc, sqlite3.Error):
        # SQLite reports a write refused by a file size limit as SQLITE_IOERR_WRITE, a full disk as SQLITE_FULL.
        return f"SQLite {getattr(exc, 'sqlite_errorname', 'error')}: {exc}"
    return f"{type(exc).__name__}: {exc}"
