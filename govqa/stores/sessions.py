"""SQLite session store: dialogue state per session id, shared by API workers on one machine.

The store is bounded: a session idle longer than `idle_seconds` is forgotten (the next message
starts a fresh dialogue, as for a new visitor), and past `max_sessions` live sessions the longest
idle ones are dropped first. Personal numbers are masked before a state is written, and a session
id that itself carries one (a client using the citizen's mobile as its id) is stored as a hash.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from govqa.core.privacy import mask_personal, pseudonymous_id
from govqa.core.types import ClarifyingQuestion, DialogueState, Turn
from govqa.core.vocab import Slot

MAX_TURNS = 20
_SCHEMA = "CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, body TEXT, updated TEXT)"


def _encode(state: DialogueState) -> str:
    return json.dumps(dataclasses.asdict(state), ensure_ascii=False)


def _decode(body: str) -> DialogueState:
    data = json.loads(body)
    pending = data.get("pending")
    return DialogueState(
        session_id=data["session_id"],
        turns=tuple(Turn(**t) for t in data.get("turns", ())),
        slots=tuple((str(name), str(value)) for name, value in data.get("slots", ())),
        pending=ClarifyingQuestion(pending["text"], Slot(pending["slot"]), tuple(pending["options"]))
        if pending
        else None,
        pending_candidates=tuple(data.get("pending_candidates", ())),
        pending_question=data.get("pending_question", ""),
        locked_item=data.get("locked_item", ""),
        locked_doc=data.get("locked_doc", ""),
        asked=int(data.get("asked", 0)),
    )


class SqliteSessionStore:
    """Dialogue state rows keyed by session id (last MAX_TURNS turns kept), bounded in count and idle time."""

    def __init__(
        self,
        path: Path,
        max_sessions: int = 100_000,
        idle_seconds: float = 3600.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if max_sessions < 1 or idle_seconds <= 0:
            raise ValueError(f"max_sessions and idle_seconds must be positive, got {max_sessions}, {idle_seconds}")
        path.parent.mkdir(parents=True, exist_ok=True)
        # WAL: readers never wait for a writer. timeout is SQLite's busy timeout: with several API
        # worker processes a save waits its turn for the write lock instead of failing at once.
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=10)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(sessions)")}
        if "touched" not in columns:
            # Seconds since the epoch of the last save; rows of older stores have none and count as expired.
            self._db.execute("ALTER TABLE sessions ADD COLUMN touched REAL")
        self._db.execute("CREATE INDEX IF NOT EXISTS sessions_touched ON sessions (touched)")
        self._db.commit()
        self._lock = threading.Lock()
        self._max = max_sessions
        self._idle = idle_seconds
        self._clock = clock

    def load(self, session_id: str) -> DialogueState:
        """The stored state, or a fresh one (also when the session has been idle too long)."""
        key = pseudonymous_id(session_id)
        with self._lock:
            row = self._db.execute("SELECT body, touched FROM sessions WHERE id=?", (key,)).fetchone()
        if row is None or (row[1] or 0.0) < self._clock() - self._idle:
            return DialogueState(session_id=session_id)
        return dataclasses.replace(_decode(row[0]), session_id=session_id)

    def save(self, state: DialogueState) -> None:
        """Persist the state (masked), then drop expired sessions and the longest idle past the cap."""
        key = pseudonymous_id(state.session_id)
        state = dataclasses.replace(state, session_id=key, turns=state.turns[-MAX_TURNS:])
        # Masking the encoded JSON reaches every string the state holds (turns, the pending
        # question and its options, slot values); its numbers are small counters, never matched.
        body = mask_personal(_encode(state))
        now = self._clock()
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO sessions (id, body, updated, touched) VALUES (?,?,datetime('now'),?)",
                (key, body, now),
            )
            self._db.execute("DELETE FROM sessions WHERE touched IS NULL OR touched < ?", (now - self._idle,))
            (count,) = self._db.execute("SELECT COUNT(*) FROM sessions").fetchone()
            if count > self._max:
                self._db.execute(
                    "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions ORDER BY touched LIMIT ?)",
                    (count - self._max,),
                )
            self._db.commit()

    def count(self) -> int:
        """Sessions stored (live or not yet swept)."""
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0])

    def close(self) -> None:
        """Close the database."""
        self._db.close()
