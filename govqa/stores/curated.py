"""SQLite store of curated answers and the audit trail (both in the operator database)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from govqa.core.records import AuditEntry, CuratedEntry
from govqa.stores.operator_db import OperatorDb, utc_now

_CURATED = """CREATE TABLE IF NOT EXISTS curated (
    id INTEGER PRIMARY KEY AUTOINCREMENT, question TEXT, answer TEXT, paraphrases TEXT,
    created_at TEXT, updated_at TEXT, source_feedback INTEGER)"""
_COLUMNS = "id, question, answer, paraphrases, created_at, updated_at, source_feedback"
_AUDIT = """CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT, who TEXT, action TEXT, outcome TEXT, detail TEXT)"""


def _entry(row: tuple[Any, ...]) -> CuratedEntry:
    eid, question, answer, paraphrases, created, updated, source = row
    return CuratedEntry(eid, question, answer, tuple(json.loads(paraphrases)), created, updated, source)


class SqliteCuratedStore:
    """Curated answers; `revision` is a counter bumped by every write, shared by all processes."""

    def __init__(self, db: OperatorDb) -> None:
        self._db = db
        with db.lock:
            db.db.execute(_CURATED)
            db.db.execute("CREATE TABLE IF NOT EXISTS curated_revision (n INTEGER)")
            if db.db.execute("SELECT COUNT(*) FROM curated_revision").fetchone()[0] == 0:
                db.db.execute("INSERT INTO curated_revision VALUES (0)")
            db.db.commit()

    def _bump(self) -> None:
        self._db.db.execute("UPDATE curated_revision SET n = n + 1")

    def add(
        self, question: str, answer: str, paraphrases: Sequence[str] = (), source_feedback: int | None = None
    ) -> CuratedEntry:
        now = utc_now()
        with self._db.lock:
            cur = self._db.db.execute(
                f"INSERT INTO curated ({_COLUMNS}) VALUES (NULL,?,?,?,?,?,?)",
                (question, answer, json.dumps(list(paraphrases), ensure_ascii=False), now, now, source_feedback),
            )
            self._bump()
            self._db.db.commit()
            eid = int(cur.lastrowid or 0)
        entry = self.get(eid)
        assert entry is not None  # just written
        return entry

    def get(self, entry_id: int) -> CuratedEntry | None:
        with self._db.lock:
            row = self._db.db.execute(f"SELECT {_COLUMNS} FROM curated WHERE id=?", (entry_id,)).fetchone()
        return _entry(row) if row else None

    def all(self) -> list[CuratedEntry]:
        with self._db.lock:
            rows = self._db.db.execute(f"SELECT {_COLUMNS} FROM curated ORDER BY id").fetchall()
        return [_entry(r) for r in rows]

    def update(self, entry_id: int, question: str, answer: str, paraphrases: Sequence[str]) -> CuratedEntry | None:
        with self._db.lock:
            cur = self._db.db.execute(
                "UPDATE curated SET question=?, answer=?, paraphrases=?, updated_at=? WHERE id=?",
                (question, answer, json.dumps(list(paraphrases), ensure_ascii=False), utc_now(), entry_id),
            )
            if cur.rowcount:
                self._bump()
            self._db.db.commit()
        return self.get(entry_id)

    def delete(self, entry_id: int) -> bool:
        with self._db.lock:
            cur = self._db.db.execute("DELETE FROM curated WHERE id=?", (entry_id,))
            if cur.rowcount:
                self._bump()
            self._db.db.commit()
        return bool(cur.rowcount)

    def revision(self) -> int:
        with self._db.lock:
            return int(self._db.db.execute("SELECT n FROM curated_revision").fetchone()[0])


class SqliteAuditLog:
    """Append-only admin actions."""

    def __init__(self, db: OperatorDb) -> None:
        self._db = db
        with db.lock:
            db.db.execute(_AUDIT)
            db.db.commit()

    def record(self, who: str, action: str, outcome: str, detail: str = "") -> None:
        with self._db.lock:
            self._db.db.execute(
                "INSERT INTO audit (at, who, action, outcome, detail) VALUES (?,?,?,?,?)",
                (utc_now(), who, action, outcome, detail),
            )
            self._db.db.commit()

    def recent(self, limit: int = 200) -> list[AuditEntry]:
        with self._db.lock:
            rows = self._db.db.execute(
                "SELECT id, at, who, action, outcome, detail FROM audit ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [AuditEntry(*r) for r in rows]
