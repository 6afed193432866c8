"""What the service keeps about its conversations and its operators: logged turns, feedback,
curated answers and the audit trail. Frozen like every other record; the stores in govqa/stores
persist them, with personal numbers masked (govqa.core.privacy)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from govqa.core.types import Citation

Rating = Literal["up", "down"]


@dataclass(frozen=True, slots=True)
class LoggedTurn:
    """One question and the reply it got, as the conversation log keeps it (numbers masked)."""

    session_id: str
    turn: int  # 1-based within the session
    at: str  # ISO UTC timestamp
    question: str
    kind: Literal["answer", "clarify"]
    mode: str
    reply: str
    citations: tuple[Citation, ...] = ()
    item_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Feedback:
    """A citizen's thumbs up or down on one answer, with what it rated copied from the turn log,
    so triage needs no other lookup."""

    id: int
    session_id: str
    turn: int
    at: str
    rating: Rating
    comment: str
    question: str
    answer: str
    mode: str
    citations: tuple[Citation, ...] = ()
    handled: bool = False
    handled_at: str = ""
    curated_id: int | None = None


@dataclass(frozen=True, slots=True)
class FeedbackQuery:
    """Filters of the feedback triage list; `since`/`until` are inclusive days (UTC)."""

    rating: Rating | None = None
    handled: bool | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    limit: int = 1000


@dataclass(frozen=True, slots=True)
class CuratedEntry:
    """A standard answer an operator pinned to a question and its paraphrases."""

    id: int
    question: str
    answer: str
    paraphrases: tuple[str, ...] = ()
    created_at: str = ""
    updated_at: str = ""
    source_feedback: int | None = None  # the thumbs-down it was written for, if any

    @property
    def questions(self) -> tuple[str, ...]:
        """The question and its paraphrases: every wording the entry answers."""
        return (self.question, *self.paraphrases)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One admin action: who (a key fingerprint, never the key), what, when and how it ended."""

    id: int
    at: str
    who: str
    action: str  # e.g. "POST /api/v1/admin/ingest"
    outcome: str  # the HTTP status
    detail: str = ""
