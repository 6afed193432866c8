"""DocumentBrowser: the civil servants' read side over the live index (no LLM).

Document type, region, clause type and issuer are applied inside every retrieval leg (the issuer
as the ids of its documents); "in force on a date" is applied to the ranked hits, over-fetching so
that k hits usually remain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from govqa import messages
from govqa.browse.highlight import query_terms, spans
from govqa.browse.outline import ClauseNode, DocRef, Validity, outline, validity
from govqa.core.errors import NotFoundError
from govqa.core.protocols import Retriever
from govqa.core.types import Document, Filters, ScoredChunk, ServiceItem
from govqa.core.view import IndexView

# How many more hits to rank when a metadata filter is applied after retrieval.
OVERFETCH = 5
MAX_FETCH = 200


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """What a clause search may be restricted to; empty values do not restrict."""

    doc_type: str = ""
    issuer: str = ""
    region: str = ""
    valid_on: dt.date | None = None
    clause_type: str = ""


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A ranked hit, whether its document is in force on the day asked, and the marked spans."""

    hit: ScoredChunk
    in_force: bool
    marks: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class DocumentView:
    """A document with its validity and clause tree."""

    document: Document
    validity: Validity
    outline: tuple[ClauseNode, ...]


@dataclass(frozen=True, slots=True)
class ItemRef:
    """Another service item, named."""

    code: str
    name: str
    scenario: str
    department: str


@dataclass(frozen=True, slots=True)
class Basis:
    """One legal basis of an item: the cited text and, when resolved, the article's document and chunk."""

    label: str
    doc_id: str = ""
    chunk_id: str = ""


@dataclass(frozen=True, slots=True)
class ItemView:
    """A service item with the items around it and its resolved legal basis."""

    item: ServiceItem
    twins: tuple[ItemRef, ...]
    same_department: tuple[ItemRef, ...]
    basis: tuple[Basis, ...]


def in_force_on(doc: Document, day: dt.date) -> bool:
    """In force on `day`: already effective, not repealed, not expired."""
    return doc.is_valid_on(day) and (doc.effective_from is None or doc.effective_from <= day)


def _ref(item: ServiceItem) -> ItemRef:
    return ItemRef(item.code, item.name, item.scenario, item.department)


def _matches(item: ServiceItem, needle: str) -> bool:
    fields = (item.code, item.name, item.department, item.scenario, item.region, *item.aliases)
    return any(needle in f.lower() for f in fields)


class DocumentBrowser:
    """Documents as clause trees, service items and highlighted clause search over one snapshot per call."""

    def __init__(
        self,
        snapshot: Callable[[], IndexView],
        retriever: Callable[[], Retriever],
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self._snapshot = snapshot
        self._retriever = retriever
        self._today = today

    def document(self, doc_id: str, day: dt.date | None = None) -> DocumentView:
        """A document by id (a near-duplicate's id gives the document kept in its place);
        NotFoundError for an unknown id."""
        snap = self._snapshot()
        doc = snap.documents.get(doc_id)
        if doc is None:
            canonical = snap.catalog.aliases().get(doc_id)
            doc = snap.documents.get(canonical) if canonical else None
        if doc is None:
            raise NotFoundError(messages.DOCUMENT_NOT_FOUND.format(id=doc_id))
        state = validity(doc, day or self._today(), snap.documents)
        return DocumentView(doc, state, outline(doc, snap.catalog.chunks_of(doc.id)))

    def items(self, query: str = "", limit: int = 200) -> list[ServiceItem]:
        """Service items whose code, name, alias, department, scenario or region contains `query`."""
        needle = query.strip().lower()
        items = self._snapshot().items
        return [i for i in items if not needle or _matches(i, needle)][:limit]

    def item(self, code: str) -> ItemView:
        """One service item with its near-twins, other items of its department and its legal basis."""
        snap = self._snapshot()
        item = snap.item(code)
        if item is None:
            raise NotFoundError(messages.ITEM_NOT_FOUND.format(code=code))
        twin_codes = [c for c in snap.graph.siblings(code) if c != code]
        twins = tuple(_ref(t) for c in twin_codes if (t := snap.item(c)) is not None)
        near = {code, *twin_codes}
        same = tuple(_ref(i) for i in snap.items if i.department == item.department and i.code not in near)
        resolved: dict[str, Basis] = {}
        for clause in snap.graph.clauses_of(code):
            label = str(clause.get("label", ""))
            chunk_ids = clause.get("chunk_ids") or []
            first = str(chunk_ids[0]) if isinstance(chunk_ids, list) and chunk_ids else ""
            resolved[label] = Basis(label, str(clause.get("doc_id", "")), first)
        basis = tuple(self._basis(text, resolved) for text in item.legal_basis)
        return ItemView(item, twins, same, basis)

    @staticmethod
    def _basis(text: str, resolved: dict[str, Basis]) -> Basis:
        """The resolved clause a guide's 设定依据 line names (its label is the line without 《》)."""
        plain = text.replace("《", "").replace("》", "")  # Chinese kept here: title brackets of a cited law
        hit = resolved.get(plain)
        return Basis(text, hit.doc_id, hit.chunk_id) if hit else Basis(text)

    def search(self, query: str, k: int, filters: SearchFilters = SearchFilters()) -> list[SearchResult]:
        """Ranked chunks under the filters, each with the query terms' spans in its text."""
        snap = self._snapshot()
        day = filters.valid_on or self._today()
        # The issuer is matched by substring (市人社局 within 江临市人社局); its documents become an
        # id filter of every retrieval leg, so a rare issuer's clauses are not crowded out first.
        issued = tuple(d.id for d in snap.documents.values() if filters.issuer in d.issuer) if filters.issuer else ()
        if filters.issuer and not issued:
            return []
        in_retrieval = Filters(
            valid_on=day,
            doc_types=(filters.doc_type,) if filters.doc_type else (),
            regions=(filters.region,) if filters.region else (),
            clause_types=(filters.clause_type,) if filters.clause_type else (),
            doc_ids=issued,
        )
        fetch = min(k * OVERFETCH, MAX_FETCH) if filters.valid_on else k
        hits = self._retriever().retrieve(query, fetch, in_retrieval)
        if filters.valid_on:
            hits = [h for h in hits if in_force_on(h.document, filters.valid_on)]
        terms = query_terms(snap.tokenizer, query)
        return [SearchResult(h, in_force_on(h.document, day), spans(h.chunk.text, terms)) for h in hits[:k]]

    def facets(self) -> dict[str, list[tuple[str, int]]]:
        """Values each search filter can take in the live index, with document counts, most common first."""
        counts: dict[str, dict[str, int]] = {"doc_type": {}, "issuer": {}, "region": {}}
        for doc in self._snapshot().documents.values():
            for name, value in (("doc_type", doc.doc_type), ("issuer", doc.issuer), ("region", doc.region)):
                if value:
                    counts[name][value] = counts[name].get(value, 0) + 1
        return {name: sorted(values.items(), key=lambda kv: (-kv[1], kv[0])) for name, values in counts.items()}


__all__ = ["DocRef", "DocumentBrowser", "DocumentView", "ItemView", "SearchFilters", "SearchResult"]
