"""Response models of the policy comparison and draft review API (the CLI's --json prints the same)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from govqa.core.types import Document
from govqa.policy.compare import PolicyDiff
from govqa.policy.diff import ClausePair, FigureChange, PairStatus, TextEdit
from govqa.policy.review import ClauseReview, DraftReview, Match
from govqa.policy.types import Clause


class DocSide(BaseModel):
    """One of the two documents compared."""

    id: str
    title: str
    doc_number: str
    effective_from: str | None
    repealed_on: str | None
    superseded_by: str

    @classmethod
    def of(cls, doc: Document) -> DocSide:
        return cls(
            id=doc.id,
            title=doc.title,
            doc_number=doc.doc_number,
            effective_from=doc.effective_from.isoformat() if doc.effective_from else None,
            repealed_on=doc.repealed_on.isoformat() if doc.repealed_on else None,
            superseded_by=doc.superseded_by,
        )


class PolicyClauseOut(BaseModel):
    """A clause: its article label, chapter path, first chunk and whole text."""

    article: str
    section: list[str]
    chunk_id: str
    text: str

    @classmethod
    def of(cls, clause: Clause | None) -> PolicyClauseOut | None:
        if clause is None:
            return None
        return cls(article=clause.article, section=list(clause.section), chunk_id=clause.chunk_id, text=clause.text)


class EditOut(BaseModel):
    """One character edit: [start, end) offsets into the old and the new clause text."""

    op: str = Field(description="insert, delete or replace")
    old_start: int
    old_end: int
    new_start: int
    new_end: int
    old_text: str
    new_text: str

    @classmethod
    def of(cls, e: TextEdit) -> EditOut:
        return cls(
            op=e.op,
            old_start=e.old_start,
            old_end=e.old_end,
            new_start=e.new_start,
            new_end=e.new_end,
            old_text=e.old_text,
            new_text=e.new_text,
        )


class FigureOut(BaseModel):
    """An amount or period that moved; "" for a value one version lacks."""

    kind: str = Field(description="amount or period")
    old: str
    new: str

    @classmethod
    def of(cls, f: FigureChange) -> FigureOut:
        return cls(kind=f.kind, old=f.old, new=f.new)


class PairOut(BaseModel):
    """One row of the aligned comparison."""

    status: str = Field(description="unchanged, changed, added or removed")
    old: PolicyClauseOut | None
    new: PolicyClauseOut | None
    similarity: float
    edits: list[EditOut]
    figures: list[FigureOut]

    @classmethod
    def of(cls, p: ClausePair) -> PairOut:
        return cls(
            status=p.status,
            old=PolicyClauseOut.of(p.old),
            new=PolicyClauseOut.of(p.new),
            similarity=round(p.similarity, 4),
            edits=[EditOut.of(e) for e in p.edits],
            figures=[FigureOut.of(f) for f in p.figures],
        )


class PolicyDiffOut(BaseModel):
    """Two documents, how many clause pairs of each status, and the pairs in reading order."""

    old: DocSide
    new: DocSide
    counts: dict[str, int]
    pairs: list[PairOut]

    @classmethod
    def of(cls, d: PolicyDiff) -> PolicyDiffOut:
        statuses: tuple[PairStatus, ...] = ("unchanged", "changed", "added", "removed")
        return cls(
            old=DocSide.of(d.old),
            new=DocSide.of(d.new),
            counts={s: d.count(s) for s in statuses},
            pairs=[PairOut.of(p) for p in d.pairs],
        )


class MatchOut(BaseModel):
    """An existing clause of a policy in force near a draft clause, with the review's conclusion."""

    doc_id: str
    citation: str = Field(description="the title in book-title marks, its document number and the article")
    title: str
    doc_number: str
    article: str
    chunk_id: str
    text: str
    similarity: float
    flag: str | None = Field(description="overlap, conflict or null")
    differences: list[FigureOut] = Field(
        description="values that differ: old is the existing clause's, new the draft's"
    )
    grants_differ: bool = Field(description="one grants what the other denies")

    @classmethod
    def of(cls, m: Match) -> MatchOut:
        clause, doc = m.existing.clause, m.existing.document
        return cls(
            doc_id=doc.id,
            citation=m.citation,
            title=doc.title,
            doc_number=doc.doc_number,
            article=clause.article,
            chunk_id=clause.chunk_id,
            text=clause.text,
            similarity=round(m.similarity, 4),
            flag=m.flag,
            differences=[FigureOut.of(f) for f in m.differences],
            grants_differ=m.grants_differ,
        )


class ClauseReviewOut(BaseModel):
    """One draft clause and the existing clauses closest to it."""

    article: str
    text: str
    flags: list[str]
    matches: list[MatchOut]

    @classmethod
    def of(cls, r: ClauseReview) -> ClauseReviewOut:
        flags = sorted({m.flag for m in r.flags if m.flag})
        return cls(
            article=r.clause.article, text=r.clause.text, flags=flags, matches=[MatchOut.of(m) for m in r.matches]
        )


class DraftReviewOut(BaseModel):
    """A draft's review: the day judged on, counts of flagged clauses, each clause's matches."""

    day: str
    clauses: int
    overlaps: int
    conflicts: int
    reviews: list[ClauseReviewOut]

    @classmethod
    def of(cls, d: DraftReview) -> DraftReviewOut:
        return cls(
            day=d.day.isoformat(),
            clauses=len(d.clauses),
            overlaps=d.count("overlap"),
            conflicts=d.count("conflict"),
            reviews=[ClauseReviewOut.of(c) for c in d.clauses],
        )
