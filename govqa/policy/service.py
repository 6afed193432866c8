"""PolicyAnalysis: the labelled clauses of a policy, and clauses of one type across the policies in force.

`labels` types a document's clauses with the combined labeller (the LLM decides where the rules are
unsure; its decisions are cached, so a second call costs rules only). `find` and `brief` read every policy in
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
from govqa.policy.brief import BRIEF_TYPES, OnTopic, TopicBriefer
from govqa.policy.brief_types import SetAside, TopicBrief, standing_of
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
        briefer: Callable[[IndexView], TopicBriefer] = lambda snap: TopicBriefer(snap.tokenizer.tokenize),
    ) -> None:
        self._snapshot = snapshot
        self._labeller = labeller
        self._quick = quick_labeller
        self._today = today
        self._briefer = briefer

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

    def brief(self, topic: str, on: dt.date | None = None) -> TopicBrief:
        """The topic brief (see `govqa.policy.brief`) over the policies in force on `on` (default
        today); the policies on the topic that are not in force are only listed, never quoted."""
        snap = self._snapshot()
        briefer = self._briefer(snap)
        text = briefer.check(topic)
        day = on or self._today()
        policies = sorted((d for d in snap.documents.values() if d.doc_type == "policy"), key=lambda d: d.id)
        query = briefer.query(text, policies)
        found = briefer.on_topic(
            query, policies, lambda d: clauses_from_chunks(d.id, snap.catalog.chunks_of(d.id), d.text)
        )
        quick = self._quick()
        labelled = {doc: [OnTopic(i, quick.label(c), r) for i, c, r in hits] for doc, hits in found.items()}
        relevant = {doc: cs for doc, cs in labelled.items() if any(c.label.type in BRIEF_TYPES for c in cs)}
        in_force = {doc: cs for doc, cs in relevant.items() if in_force_on(doc, day)}
        aside = [
            SetAside(doc, standing_of(doc, day))
            for doc in sorted(relevant, key=lambda d: (d.title, d.id))
            if doc not in in_force
        ]
        return briefer.brief(query, day, in_force, aside)
