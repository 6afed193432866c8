"""The read API for the civil servants' workbench: clause search with filters, documents, service items."""

from __future__ import annotations

from fastapi import APIRouter, Query

from govqa.api.browse_schemas import DocumentOut, Facets, FacetValue, ItemOut, ItemSummary, SearchHit
from govqa.bootstrap import Container
from govqa.browse.service import DocumentBrowser, SearchFilters
from govqa.policy.service import parse_clause_type
from govqa.service import parse_day, validate_question


def browse_router(container: Container) -> APIRouter:
    """Routes over a DocumentBrowser of the container's live index."""
    browser = DocumentBrowser(container.snapshot, container.retriever)
    router = APIRouter(prefix="/api/v1", tags=["browse"])

    @router.get("/search", response_model=list[SearchHit])
    def search(
        q: str = Query(..., min_length=1, max_length=500),
        k: int = Query(10, ge=1, le=50),
        doc_type: str | None = Query(None, pattern="^(guide|policy|faq|notice|other)$"),
        issuer: str | None = Query(None, max_length=100, description="part of the issuing body's name"),
        region: str | None = Query(None, max_length=50),
        valid_on: str | None = Query(None, description="only documents in force on this day (YYYY-MM-DD)"),
        clause_type: str | None = Query(None, max_length=10, description="only policy articles of this type"),
    ) -> list[SearchHit]:
        """Clause and passage search for civil servants (no LLM), with the query terms marked."""
        text = validate_question(q, container.settings.max_question_chars)
        kind = parse_clause_type(clause_type) if clause_type else ""
        day = parse_day(valid_on)
        filters = SearchFilters(doc_type or "", (issuer or "").strip(), (region or "").strip(), day, kind)
        return [SearchHit.of(r) for r in browser.search(text, k, filters)]

    @router.get("/facets", response_model=Facets)
    def facets() -> Facets:
        """The document types, issuers and regions of the live index, for the search filters."""
        values = browser.facets()
        return Facets(**{name: [FacetValue(value=v, count=n) for v, n in pairs] for name, pairs in values.items()})

    @router.get("/documents/{doc_id}", response_model=DocumentOut)
    def document(doc_id: str, day: str | None = Query(None, description="judge validity on this day")) -> DocumentOut:
        """A document's metadata, validity (in force, repealed, superseded, expired) and 章/节/条 tree."""
        return DocumentOut.of(browser.document(doc_id, parse_day(day)))

    @router.get("/items", response_model=list[ItemSummary])
    def items(
        q: str = Query("", max_length=100, description="part of a code, name, alias, department or scenario"),
        limit: int = Query(200, ge=1, le=1000),
    ) -> list[ItemSummary]:
        """The service items (事项) of the knowledge graph."""
        return [ItemSummary.of(i) for i in browser.items(q, limit)]

    @router.get("/items/{code}", response_model=ItemOut)
    def item(code: str) -> ItemOut:
        """One service item: its guide fields, near-twins, department and legal basis."""
        return ItemOut.of_view(browser.item(code))

    return router
