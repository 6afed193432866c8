"""SQLite conversation log and feedback store; personal numbers are masked before anything is written."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any, Literal

from govqa.core.privacy import mask_personal, pseudonymous_id
from govqa.core.records import Feedback, FeedbackQuery, LoggedTurn
from govqa.core.types import Answer, Citation, Reply
from govqa.stores.operator_db import OperatorDb, citations_json, citations_of, day_bounds, utc_now

_TURNS = """CREATE TABLE IF NOT EXISTS turns (
    session_id TEXT, turn INTEGER, at TEXT, question TEXT, kind TEXT, mode TEXT, reply TEXT,
    citations TEXT, item_codes TEXT, PRIMARY KEY (session_id, turn))"""
_FEEDBACK = """CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT, turn INTEGER, at TEXT, rating TEXT,
    comment TEXT, question TEXT, answer TEXT, mode TEXT, citations TEXT, handled INTEGER DEFAULT 0,
    handled_at TEXT DEFAULT '', curated_id INTEGER)"""
_TURN_COLUMNS = "session_id, turn, at, question, kind, mode, reply, citations, item_codes"
_FEEDBACK_COLUMNS = (
    "id, session_id, turn, at, rating, comment, question, answer, mode, citations, handled, handled_at, curated_id"
)


def _turn(row: tuple[Any, ...]) -> LoggedTurn:
    session_id, turn, at, question, kind, mode, reply, citations, codes = row
    codes = tuple(json.loads(codes))
    return LoggedTurn(session_id, turn, at, question, kind, mode, reply, citations_of(citations), codes)


def _feedback(row: tuple[Any, ...]) -> Feedback:
    fid, session_id, turn, at, rating, comment, question, answer, mode, citations, handled, handled_at, cid = row
    return Feedback(
        fid, session_id, turn, at, rating, comment, question, answer, mode, citations_of(citations), bool(handled),
        handled_at, cid,
    )  # fmt: skip


class SqliteTurnLog:
    """Every turn of every session, numbered per session."""

    def __init__(self, db: OperatorDb) -> None:
        self._db = db
        with db.lock:
            db.db.execute(_TURNS)
            db.db.execute("CREATE INDEX IF NOT EXISTS turns_at ON turns (at)")
            db.db.commit()

    def append(self, session_id: str, question: str, reply: Reply) -> LoggedTurn:
        kind: Literal["answer", "clarify"] = "clarify"
        mode, citations, codes = "clarify", tuple[Citation, ...](), tuple[str, ...]()
        if isinstance(reply, Answer):
            kind, mode, citations, codes = "answer", reply.mode, reply.citations, reply.item_codes
        session_id = pseudonymous_id(session_id)
        with self._db.lock:
            # Numbering and insert in one write transaction: another API worker may log the same session.
            self._db.db.execute("BEGIN IMMEDIATE")
            try:
                last = self._db.db.execute("SELECT MAX(turn) FROM turns WHERE session_id=?", (session_id,)).fetchone()
                logged = LoggedTurn(
                    session_id, (last[0] or 0) + 1, utc_now(), mask_personal(question), kind, mode,
                    mask_personal(reply.text), citations, codes,
                )  # fmt: skip
                self._db.db.execute(
                    f"INSERT INTO turns ({_TURN_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        logged.session_id, logged.turn, logged.at, logged.question, logged.kind, logged.mode,
                        logged.reply, citations_json(citations), json.dumps(list(codes)),
                    ),
                )  # fmt: skip
            except BaseException:
                self._db.db.rollback()
                raise
            self._db.db.commit()
        return logged

    def get(self, session_id: str, turn: int) -> LoggedTurn | None:
        session_id = pseudonymous_id(session_id)
        with self._db.lock:
            row = self._db.db.execute(
                f"SELECT {_TURN_COLUMNS} FROM turns WHERE session_id=? AND turn=?", (session_id, turn)
            ).fetchone()
        return _turn(row) if row else None

    def last_answer(self, session_id: str) -> LoggedTurn | None:
        session_id = pseudonymous_id(session_id)
        with self._db.lock:
            row = self._db.db.execute(
                f"SELECT {_TURN_COLUMNS} FROM turns WHERE session_id=? AND kind='answer' ORDER BY turn DESC LIMIT 1",
                (session_id,),
            ).fetchone()
        return _turn(row) if row else None

    def export(
        self, session_id: str | None = None, since: dt.date | None = None, until: dt.date | None = None
    ) -> Iterator[LoggedTurn]:
        low, high = day_bounds(since, until)
        sql = f"SELECT {_TURN_COLUMNS} FROM turns WHERE at >= ? AND at < ?"
        args: tuple[str, ...] = (low, high)
        if session_id:
            sql, args = sql + " AND session_id=?", (*args, pseudonymous_id(session_id))
        with self._db.lock:
            rows = self._db.db.execute(sql + " ORDER BY at, session_id, turn", args).fetchall()
        return (_turn(r) for r in rows)


class SqliteFeedbackStore:
    """Ratings with a copy of what they rate; handled when an operator has dealt with them."""

    def __init__(self, db: OperatorDb) -> None:
        self._db = db
        with db.lock:
            db.db.execute(_FEEDBACK)
            db.db.commit()

    def add(self, feedback: Feedback) -> Feedback:
        f = feedback
        row = (
            pseudonymous_id(f.session_id), f.turn, f.at or utc_now(), f.rating, mask_personal(f.comment),
            mask_personal(f.question), mask_personal(f.answer), f.mode, citations_json(f.citations),
        )  # fmt: skip
        with self._db.lock:
            cur = self._db.db.execute(
                "INSERT INTO feedback (session_id, turn, at, rating, comment, question, answer, mode, citations) "
                "VALUES (?,?,?,?,?,?,?,?,?)",
                row,
            )
            self._db.db.commit()
            fid = cur.lastrowid
        stored = self.get(int(fid or 0))
        assert stored is not None  # just written
        return stored

    def get(self, feedback_id: int) -> Feedback | None:
        with self._db.lock:
            row = self._db.db.execute(f"SELECT {_FEEDBACK_COLUMNS} FROM feedback WHERE id=?", (feedback_id,)).fetchone()
        return _feedback(row) if row else None

    def find(self, query: FeedbackQuery) -> list[Feedback]:
        low, high = day_bounds(query.since, query.until)
        sql = f"SELECT {_FEEDBACK_COLUMNS} FROM feedback WHERE at >= ? AND at < ?"
        args: list[object] = [low, high]
        if query.rating is not None:
            sql += " AND rating=?"
            args.append(query.rating)
        if query.handled is not None:
            sql += " AND handled=?"
            args.append(int(query.handled))
        with self._db.lock:
            rows = self._db.db.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, query.limit)).fetchall()
        return [_feedback(r) for r in rows]

    def mark_handled(self, feedback_id: int, curated_id: int | None = None) -> Feedback | None:
        with self._db.lock:
            self._db.db.execute(
                "UPDATE feedback SET handled=1, handled_at=?, curated_id=COALESCE(?, curated_id) WHERE id=?",
                (utc_now(), curated_id, feedback_id),
            )
            self._db.db.commit()
        return self.get(feedback_id)
