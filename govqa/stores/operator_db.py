"""The operator database (DATA_DIR/operator.sqlite): conversation log, feedback, curated answers
and the audit trail. It lives beside the index generations, not inside one, so nothing in it is
lost by an ingest or a reindex."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

from govqa.core.types import Citation


class OperatorDb:
    """One SQLite connection shared by the operator stores, serialised by a lock (WAL lets other
    processes read while one writes). Opened on first use and again after `close`, like the index
    views: an app shutting down closes it, and the same container may serve again."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._db: sqlite3.Connection | None = None
        self.lock = threading.RLock()

    @property
    def db(self) -> sqlite3.Connection:
        """The open connection."""
        with self.lock:
            if self._db is None:
                # Autocommit: each statement is its own transaction unless a writer opens one explicitly.
                self._db = sqlite3.connect(self._path, check_same_thread=False, timeout=10, isolation_level=None)
                self._db.execute("PRAGMA journal_mode=WAL")
            return self._db

    def close(self) -> None:
        """Close the connection (the next use reopens it)."""
        with self.lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def utc_now() -> str:
    """Timestamp stored with every row (ISO, UTC, seconds), so text order is time order."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day_bounds(since: dt.date | None, until: dt.date | None) -> tuple[str, str]:
    """Inclusive day filters as a half-open range of stored timestamps."""
    low = since.isoformat() if since else ""
    high = (until + dt.timedelta(days=1)).isoformat() if until else "9999"
    return low, high


def citations_json(citations: Sequence[Citation]) -> str:
    """Citations as a JSON array of objects."""
    return json.dumps([dataclasses.asdict(c) for c in citations], ensure_ascii=False)


def citations_of(body: str) -> tuple[Citation, ...]:
    """Citations read back from their JSON."""
    return tuple(Citation(**c) for c in json.loads(body or "[]"))
