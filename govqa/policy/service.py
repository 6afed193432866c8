"""PolicyAnalysis: the labelled clauses of a policy, and clauses of one type across the policies in force.

`labels` types a document's clauses with the combined labeller (the LLM decides where the rules are
unsure; its decisions are cached, so a second call costs rules only). `find` reads every policy in
force and must stay fast: it uses the LLM's cached decisions where there are some and the rules'
type elsewhere, never calling the LLM.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from govqa import messages
from govqa.browse.service import in_force_on
from govqa.core.errors import InvalidInputError
from govqa.core.types import Document
from govqa.core.view import IndexView
from govqa.policy.attributes import conditions
from govqa.policy.clauses import clauses_from_chunks
from govqa.policy.compare import resolve_document
from govqa.policy.labeller import ClauseLabeller
from govqa.policy.types import CLAUSE_TYPES, ClauseLabel, ClauseType


@dataclass(frozen=True, slots=True)
class DocumentLabels:
    """A document and the labels of its clauses, in reading order."""

    document: Document
    labels: tuple[ClauseLabel, ...]


@dataclass(frozen=True, slots=True)
class FoundClause:
    """A clause matching a search, its document (for the citation) and the conditions it states."""

    document: Document
    label: ClauseLabel
    conditions: tuple[str, ...]


def parse_clause_type(value: str) -> ClauseType:
    """The ClauseType spelled `value`; InvalidInputError listing the types otherwise."""
    for kind in CLAUSE_TYPES:
        if kind == value.strip():
            return kind
    raise InvalidInputError(messages.CLAUSE_TYPE_UNKNOWN.format(value=value, types=" / ".join(CLAUSE_TYPES)))


class PolicyAnalysis:
    """Clause labels over the live index (one snapshot per call)."""

    def __init__(
        self,
        snapshot: Callable[[], IndexView],
        labeller: Callable[[], ClauseLabeller],
        quick_labeller: Callable[[], ClauseLabeller],
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self._snapshot = snapshot
        self._labeller = labeller
        self._quick = quick_labeller
        self._today = today

    def document(self, ref: str) -> Document:
        """The document `ref` names (id, alias, 文号, title or a unique title fragment)."""
        return resolve_document(self._snapshot(), ref)

    def labels(self, ref: str) -> DocumentLabels:
        """The labelled clauses of the document `ref` names (none for a document without articles)."""
        doc = self.document(ref)
        chunks = self._snapshot().catalog.chunks_of(doc.id)
        clauses = clauses_from_chunks(doc.id, chunks, doc.text)
        return DocumentLabels(doc, tuple(self._labeller().label_all(clauses)))

    def find(self, clause_type: ClauseType, beneficiary: str = "", on: dt.date | None = None) -> list[FoundClause]:
        """Clauses of `clause_type` whose beneficiaries contain `beneficiary`, in the policies in force
        on `on` (default today), by document title then reading order."""
        day = on or self._today()
        snap = self._snapshot()
        needle = beneficiary.strip()
        out: list[FoundClause] = []
        quick = self._quick()
        policies = [d for d in snap.documents.values() if d.doc_type == "policy" and in_force_on(d, day)]
        for doc in sorted(policies, key=lambda d: (d.title, d.id)):
            clauses = clauses_from_chunks(doc.id, snap.catalog.chunks_of(doc.id), doc.text)
            for label in quick.label_all(clauses):
                if label.type != clause_type:
                    continue
                if needle and not any(needle in b for b in label.attributes.beneficiary):
                    continue
                out.append(FoundClause(doc, label, conditions(label.clause.text)))
        return out
