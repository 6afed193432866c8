"""Request and response models of the feedback and admin routes (pydantic only at this edge)."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from pydantic import BaseModel, Field

from govqa.admin_jobs import Job
from govqa.core.records import AuditEntry, CuratedEntry, Feedback

MAX_COMMENT = 500
MAX_CURATED_TEXT = 4000


class FeedbackRequest(BaseModel):
    """A citizen's rating of one answer (default: the session's last answer)."""

    session_id: str = Field(..., min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")
    rating: Literal["up", "down"]
    comment: str = Field("", max_length=MAX_COMMENT)
    turn: int | None = Field(None, ge=1, le=2**31, description="the answer's turn number; omitted: the last answer")


class FeedbackRecorded(BaseModel):
    """What was stored."""

    id: int
    session_id: str
    turn: int
    rating: str


class CitationRecord(BaseModel):
    """A citation as it was given with the rated answer."""

    marker: int
    chunk_id: str
    doc_id: str
    title: str
    doc_number: str
    section: str
    url: str
    quote: str
    supported: bool


class FeedbackOut(BaseModel):
    """One rating with the question, answer and citations it rates."""

    id: int
    session_id: str
    turn: int
    at: str
    rating: str
    comment: str
    question: str
    answer: str
    mode: str
    citations: list[CitationRecord]
    handled: bool
    handled_at: str
    curated_id: int | None

    @classmethod
    def of(cls, feedback: Feedback) -> FeedbackOut:
        """Render a Feedback."""
        return cls.model_validate(dataclasses.asdict(feedback))


class CuratedIn(BaseModel):
    """A standard answer pinned to a question and its paraphrases."""

    question: str = Field(..., min_length=2, max_length=500)
    answer: str = Field(..., min_length=1, max_length=MAX_CURATED_TEXT)
    paraphrases: list[str] = Field(default_factory=list, max_length=50)


class CurateRequest(BaseModel):
    """The operator's answer for a rated question (the question comes from the feedback)."""

    answer: str = Field(..., min_length=1, max_length=MAX_CURATED_TEXT)
    paraphrases: list[str] = Field(default_factory=list, max_length=50)


class CuratedOut(BaseModel):
    """A curated entry."""

    id: int
    question: str
    answer: str
    paraphrases: list[str]
    created_at: str
    updated_at: str
    source_feedback: int | None

    @classmethod
    def of(cls, entry: CuratedEntry) -> CuratedOut:
        """Render a CuratedEntry."""
        return cls.model_validate(dataclasses.asdict(entry))


class ReindexRequest(BaseModel):
    """`full`: rebuild from nothing (vectors still come from the cache)."""

    full: bool = False


class JobOut(BaseModel):
    """A background run: its state, progress and, once done, the ingest report."""

    id: str
    kind: str
    status: str
    created_at: str
    finished_at: str
    done_files: int
    total_files: int
    current: str
    error: str
    report: dict[str, Any] | None

    @classmethod
    def of(cls, job: Job) -> JobOut:
        """Render a Job."""
        return cls.model_validate(dataclasses.asdict(job))


class DeletedOut(BaseModel):
    """What a delete removed and the generation now live."""

    doc_ids: list[str]
    generation: str


class AuditOut(BaseModel):
    """One admin action."""

    id: int
    at: str
    who: str
    action: str
    outcome: str
    detail: str

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditOut:
        """Render an AuditEntry."""
        return cls.model_validate(dataclasses.asdict(entry))
