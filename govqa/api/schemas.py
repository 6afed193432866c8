"""Request and response models (pydantic lives only at this edge)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from govqa.core.types import Answer, ClarifyingQuestion, Reply


class ChatRequest(BaseModel):
    """A citizen's message; omit session_id to start a new conversation."""

    message: str = Field(
        ..., min_length=1, max_length=2000, description="the question or the reply to a clarifying question"
    )
    session_id: str | None = Field(None, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")


class CitationOut(BaseModel):
    """One numbered source."""

    marker: int
    doc_id: str
    chunk_id: str
    title: str
    doc_number: str
    section: str
    url: str
    quote: str
    current: bool


class ChatResponse(BaseModel):
    """Either an answer with citations or a clarifying question with options."""

    session_id: str
    kind: Literal["answer", "clarify"]
    text: str
    citations: list[CitationOut] = []
    options: list[str] = []
    slot: str = Field(
        "", description="what a clarifying question asks: scenario, applicant, district, item, region or department"
    )
    item_codes: list[str] = []
    grounded: bool = True
    warnings: list[str] = []
    mode: str = Field(
        "",
        description="answer mode: clarify, field, clause, faq, extracted, validity, generated, refusal, "
        "out_of_scope, curated",
    )

    @classmethod
    def of(cls, session_id: str, reply: Reply) -> ChatResponse:
        """Render a Reply."""
        if isinstance(reply, ClarifyingQuestion):
            return cls(
                session_id=session_id,
                kind="clarify",
                text=reply.text,
                options=list(reply.options),
                slot=str(reply.slot),
                mode="clarify",
            )
        assert isinstance(reply, Answer)
        return cls(
            session_id=session_id,
            kind="answer",
            text=reply.text,
            item_codes=list(reply.item_codes),
            grounded=reply.grounded,
            warnings=list(reply.warnings),
            mode=reply.mode,
            citations=[
                CitationOut(
                    marker=c.marker,
                    doc_id=c.doc_id,
                    chunk_id=c.chunk_id,
                    title=c.title,
                    doc_number=c.doc_number,
                    section=c.section,
                    url=c.url,
                    quote=c.quote,
                    current=c.supported,
                )
                for c in reply.citations
            ],
        )
