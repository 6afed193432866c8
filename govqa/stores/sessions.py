"""SQLite session store: dialogue state per session id, shared by API workers on one machine."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
from pathlib import Path

from govqa.core.types import ClarifyingQuestion, DialogueState, Turn
from govqa.core.vocab import Slot

MAX_TURNS = 20


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
    """Dialogue state rows keyed by session id (last MAX_TURNS turns kept)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, body TEXT, updated TEXT)")
        self._lock = threading.Lock()

    def load(self, session_id: str) -> DialogueState:
        """The stored state, or a fresh one."""
        with self._lock:
            row = self._db.execute("SELECT body FROM sessions WHERE id=?", (session_id,)).fetchone()
        return _decode(row[0]) if row else DialogueState(session_id=session_id)

    def save(self, state: DialogueState) -> None:
        """Persist the state."""
        state = dataclasses.replace(state, turns=state.turns[-MAX_TURNS:])
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO sessions VALUES (?,?,datetime('now'))", (state.session_id, _encode(state))
            )
            self._db.commit()

    def close(self) -> None:
        """Close the database."""
        self._db.close()
