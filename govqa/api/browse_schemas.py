"""Response models of the read API: documents with their clause tree, service items, search hits."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from govqa.browse.highlight import marked_html
from govqa.browse.outline import ClauseNode, DocRef
from govqa.browse.service import Basis, DocumentView, ItemRef, ItemView, SearchResult
from govqa.core.types import Material, ServiceItem


class SearchHit(BaseModel):
    """A ranked chunk with its document's metadata and where the query's terms occur in it."""

    doc_id: str
    chunk_id: str
    title: str
    doc_type: str
    doc_number: str
    issuer: str
    region: str
    label: str
    score: float
    text: str
    valid: bool = Field(description="the document is in force on `valid_on` (today when not given)")
    legs: dict[str, int]
    highlights: list[tuple[int, int]] = Field(description="[start, end) character spans of query terms in `text`")
    fragment: str = Field(description="`text` HTML-escaped with the query terms in <mark>; safe to insert as HTML")

    @classmethod
    def of(cls, result: SearchResult) -> SearchHit:
        """Render a SearchResult."""
        hit, doc = result.hit, result.hit.document
        return cls(
            doc_id=doc.id,
            chunk_id=hit.chunk.id,
            title=doc.title,
            doc_type=doc.doc_type,
            doc_number=doc.doc_number,
            issuer=doc.issuer,
            region=doc.region,
            label=hit.chunk.label,
            score=hit.score,
            text=hit.chunk.text,
            valid=result.in_force,
            legs=dict(hit.leg_ranks),
            highlights=list(result.marks),
            fragment=marked_html(hit.chunk.text, result.marks),
        )


class FacetValue(BaseModel):
    """One value a filter can take, with how many documents have it."""

    value: str
    count: int


class Facets(BaseModel):
    """The values of each search filter in the live index."""

    doc_type: list[FacetValue]
    issuer: list[FacetValue]
    region: list[FacetValue]


class DocRefOut(BaseModel):
    """Another document, by id and title (title empty when it is not indexed)."""

    id: str
    title: str

    @classmethod
    def of(cls, ref: DocRef) -> DocRefOut:
        """Render a DocRef."""
        return cls(id=ref.id, title=ref.title)


class ValidityOut(BaseModel):
    """Whether the document is in force today, and what replaced it."""

    status: Literal["in_force", "repealed", "expired", "not_yet_effective"]
    in_force: bool
    effective_from: dt.date | None
    expires_at: dt.date | None
    repealed_on: dt.date | None
    superseded_by: DocRefOut | None
    replaces: list[DocRefOut]


class ClauseOut(BaseModel):
    """A node of the clause tree: 编/章/节 with children, or an article (条) or guide field with its text."""

    kind: Literal["part", "chapter", "section", "article", "field", "text"]
    label: str
    title: str
    text: str
    chunk_ids: list[str]
    start: int
    children: list[ClauseOut]

    @classmethod
    def of(cls, node: ClauseNode) -> ClauseOut:
        """Render a ClauseNode and its children."""
        return cls(
            kind=node.kind,
            label=node.label,
            title=node.title,
            text=node.text,
            chunk_ids=list(node.chunk_ids),
            start=node.start,
            children=[cls.of(c) for c in node.children],
        )


class DocumentOut(BaseModel):
    """A document's metadata, validity and clause tree."""

    id: str
    title: str
    doc_type: str
    doc_number: str
    issuer: str
    region: str
    published: dt.date | None
    url: str
    item_code: str
    validity: ValidityOut
    clauses: list[ClauseOut]

    @classmethod
    def of(cls, view: DocumentView) -> DocumentOut:
        """Render a DocumentView."""
        doc, state = view.document, view.validity
        return cls(
            id=doc.id,
            title=doc.title,
            doc_type=doc.doc_type,
            doc_number=doc.doc_number,
            issuer=doc.issuer,
            region=doc.region,
            published=doc.published,
            url=doc.url,
            item_code=doc.item_code,
            validity=ValidityOut(
                status=state.status,
                in_force=state.status == "in_force",
                effective_from=state.effective_from,
                expires_at=state.expires_at,
                repealed_on=state.repealed_on,
                superseded_by=DocRefOut.of(state.superseded_by) if state.superseded_by else None,
                replaces=[DocRefOut.of(r) for r in state.replaces],
            ),
            clauses=[ClauseOut.of(n) for n in view.outline],
        )


class ItemSummary(BaseModel):
    """A service item in a list."""

    code: str
    name: str
    department: str
    region: str
    scenario: str
    applicant_types: list[str]

    @classmethod
    def of(cls, item: ServiceItem) -> ItemSummary:
        """Render a ServiceItem's headline fields."""
        return cls(
            code=item.code,
            name=item.name,
            department=item.department,
            region=item.region,
            scenario=item.scenario,
            applicant_types=list(item.applicant_types),
        )


class ItemRefOut(BaseModel):
    """A related service item."""

    code: str
    name: str
    scenario: str
    department: str

    @classmethod
    def of(cls, ref: ItemRef) -> ItemRefOut:
        """Render an ItemRef."""
        return cls(code=ref.code, name=ref.name, scenario=ref.scenario, department=ref.department)


class MaterialOut(BaseModel):
    """One entry of 申请材料."""

    name: str
    copies: str
    note: str

    @classmethod
    def of(cls, m: Material) -> MaterialOut:
        """Render a Material."""
        return cls(name=m.name, copies=m.copies, note=m.note)


class BasisOut(BaseModel):
    """One 设定依据 line; `doc_id` and `chunk_id` point at the article when it is indexed."""

    label: str
    doc_id: str
    chunk_id: str

    @classmethod
    def of(cls, basis: Basis) -> BasisOut:
        """Render a Basis."""
        return cls(label=basis.label, doc_id=basis.doc_id, chunk_id=basis.chunk_id)


class ItemOut(ItemSummary):
    """A service item with its guide fields, related items and legal basis."""

    doc_id: str
    aliases: list[str]
    conditions: list[str]
    materials: list[MaterialOut]
    steps: list[str]
    locations: list[str]
    channels: list[str]
    hours: str
    time_limit: str
    legal_time_limit: str
    fee: str
    phone: str
    updated: str
    legal_basis: list[BasisOut]
    twins: list[ItemRefOut] = Field(description="near-twin items of the same item group (other situations)")
    same_department: list[ItemRefOut]

    @classmethod
    def of_view(cls, view: ItemView) -> ItemOut:
        """Render an ItemView."""
        i = view.item
        return cls(
            **ItemSummary.of(i).model_dump(),
            doc_id=i.source_doc,
            aliases=list(i.aliases),
            conditions=list(i.conditions),
            materials=[MaterialOut.of(m) for m in i.materials],
            steps=list(i.steps),
            locations=list(i.locations),
            channels=list(i.channels),
            hours=i.hours,
            time_limit=i.time_limit,
            legal_time_limit=i.legal_time_limit,
            fee=i.fee,
            phone=i.phone,
            updated=i.updated,
            legal_basis=[BasisOut.of(b) for b in view.basis],
            twins=[ItemRefOut.of(r) for r in view.twins],
            same_department=[ItemRefOut.of(r) for r in view.same_department],
        )
