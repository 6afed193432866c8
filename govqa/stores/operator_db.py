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
    processes read while one writes)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit: each statement is its own transaction unless a writer opens one explicitly.
        self.db = sqlite3.connect(path, check_same_thread=False, timeout=10, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.lock = threading.RLock()

    def close(self) -> None:
        """Close the connection."""
        with self.lock:
            self.db.close()


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
