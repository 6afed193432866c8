"""Clause types decided by the LLM, cached by (labeller id, clause text hash): an unchanged clause is
never sent to the LLM twice, whichever document or index generation it appears in."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


class SqliteClauseTypeCache:
    """One SQLite table beside the embedding cache (DATA_DIR/cache), shared by every generation."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS clause_types ("
            "labeller TEXT, hash TEXT, type TEXT, margin REAL, PRIMARY KEY (labeller, hash))"
        )
        self._lock = threading.Lock()

    def get(self, labeller: str, text_hash: str) -> tuple[str, float] | None:
        """The cached type and its margin for this labeller and clause text, or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT type, margin FROM clause_types WHERE labeller=? AND hash=?", (labeller, text_hash)
            ).fetchone()
        return (str(row[0]), float(row[1])) if row else None

    def put(self, labeller: str, text_hash: str, clause_type: str, margin: float) -> None:
        """Remember a decision (committed at once: a killed run keeps what it paid for)."""
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO clause_types VALUES (?,?,?,?)", (labeller, text_hash, clause_type, margin)
            )
            self._db.commit()

    def close(self) -> None:
        """Close the database."""
        self._db.close()
