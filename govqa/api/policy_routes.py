"""The policy analysis API: a document's labelled clauses, clauses of one type across policies in force,
and the brief on a topic."""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from govqa.api.policy_brief_schemas import TopicBriefOut
from govqa.bootstrap import Container
from govqa.policy.export import PUBLIC_KEYS, attributes_record
from govqa.policy.service import FoundClause, parse_clause_type
from govqa.policy.types import ClauseAttributes, ClauseLabel
from govqa.service import parse_day


class AttributesOut(BaseModel):
    """What a clause states, verbatim (only the keys it states are present)."""

    beneficiary: list[str] | None = None
    amount: list[str] | None = None
    deadline: list[str] | None = None
    department: list[str] | None = None
    cap: list[str] | None = Field(None, description="the amounts stated as an upper bound")
    cites: list[str] | None = Field(None, description="document numbers of the documents the clause cites")

    @classmethod
    def of(cls, attrs: ClauseAttributes, keys: tuple[str, ...] = PUBLIC_KEYS) -> AttributesOut:
        """Render ClauseAttributes (only the keys with values)."""
        return cls(**attributes_record(attrs, keys))


class ClauseLabelOut(BaseModel):
    """One clause of a document: its article, type and attributes."""

    article: str
    type: str
    attributes: AttributesOut
    source: str = Field(description="rules, or llm when the rules were unsure")
    chunk_id: str

    @classmethod
    def of(cls, label: ClauseLabel) -> ClauseLabelOut:
        """Render a ClauseLabel."""
        return cls(
            article=label.clause.article,
            type=label.type,
            attributes=AttributesOut.of(label.attributes),
            source=label.source,
            chunk_id=label.clause.chunk_id,
        )


class DocumentLabelsOut(BaseModel):
    """A document's labelled clauses."""

    doc_id: str
    title: str
    doc_number: str
    clauses: list[ClauseLabelOut]


class FoundClauseOut(BaseModel):
    """A clause found by type and beneficiary, with its citation and the conditions it states."""

    doc_id: str
    title: str
    doc_number: str
    article: str
    chunk_id: str
    type: str
    attributes: AttributesOut
    conditions: list[str]
    text: str

    @classmethod
    def of(cls, found: FoundClause) -> FoundClauseOut:
        """Render a FoundClause."""
        doc, label = found.document, found.label
        return cls(
            doc_id=doc.id,
            title=doc.title,
            doc_number=doc.doc_number,
            article=label.clause.article,
            chunk_id=label.clause.chunk_id,
            type=label.type,
            attributes=AttributesOut.of(label.attributes, (*PUBLIC_KEYS, "cap", "cites")),
            conditions=list(found.conditions),
            text=label.clause.text,
        )


def policy_router(container: Container) -> APIRouter:
    """Routes over the container's PolicyAnalysis."""
    router = APIRouter(prefix="/api/v1/policy", tags=["policy"])

    @router.get("/documents/{doc_id}/labels", response_model=DocumentLabelsOut, response_model_exclude_none=True)
    def labels(doc_id: str) -> DocumentLabelsOut:
        """Each clause of a policy (by id or title) with its type and attributes."""
        result = container.policy.labels(doc_id)
        doc = result.document
        return DocumentLabelsOut(
            doc_id=doc.id,
            title=doc.title,
            doc_number=doc.doc_number,
            clauses=[ClauseLabelOut.of(lb) for lb in result.labels],
        )

    @router.get("/clauses", response_model=list[FoundClauseOut], response_model_exclude_none=True)
    def clauses(
        type: str = Query(..., min_length=1, max_length=10, description="clause type"),
        beneficiary: str = Query("", max_length=50, description="part of a beneficiary's name"),
        on: str | None = Query(None, description="policies in force on this day (YYYY-MM-DD, default today)"),
    ) -> list[FoundClauseOut]:
        """Clauses of one type (and beneficiary) in the policies in force on a day, each cited."""
        found = container.policy.find(parse_clause_type(type), beneficiary, parse_day(on))
        return [FoundClauseOut.of(f) for f in found]

    @router.get("/brief", response_model=TopicBriefOut)
    def brief(
        topic: str = Query(..., min_length=1, max_length=200, description="the topic (at most 50 characters)"),
        on: str | None = Query(None, description="policies in force on this day (YYYY-MM-DD, default today)"),
    ) -> TopicBriefOut:
        """The key clauses of the policies in force on a topic, each sentence quoted from its article
        and cited; an uncovered topic gives an empty brief with a message, not an error."""
        return TopicBriefOut.of(container.policy.brief(topic, parse_day(on)))

    return router
