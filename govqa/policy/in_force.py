"""InForceClauseSearch: the retriever's hits restricted to policies in force today, as whole clauses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from govqa.browse.service import in_force_on
from govqa.core.protocols import Retriever
from govqa.core.types import Filters
from govqa.core.view import IndexView
from govqa.policy.compare import ClauseReader
from govqa.policy.review import ExistingClause
from govqa.policy.types import Clause

# Hits of repealed documents and of several chunks of one clause are dropped after ranking, so
# more are ranked than asked for.
OVERFETCH = 4


class InForceClauseSearch:
    """Existing clauses near a text: retrieval over policy documents, those not in force on the
    day left out, chunks folded into their clause (one entry per clause, best rank kept)."""

    def __init__(
        self,
        snapshot: Callable[[], IndexView],
        retriever: Callable[[], Retriever],
        clauses: ClauseReader,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self._snapshot = snapshot
        self._retriever = retriever
        self._clauses = clauses
        self._today = today
        self._cache: tuple[str, dict[str, dict[tuple[str, ...], Clause]]] = ("", {})

    def near(self, text: str, k: int) -> list[ExistingClause]:
        """The k clauses of policies in force today closest to `text`, best first."""
        snap, day = self._snapshot(), self._today()
        hits = self._retriever().retrieve(text, k * OVERFETCH, Filters(valid_on=day, doc_types=("policy",)))
        found: list[ExistingClause] = []
        seen: set[tuple[str, tuple[str, ...]]] = set()
        for hit in hits:
            doc = hit.document
            if doc.doc_type != "policy" or not in_force_on(doc, day):
                continue
            key = (doc.id, hit.chunk.section)
            clause = self._by_section(snap, doc.id).get(hit.chunk.section)
            if clause is None or key in seen:
                continue
            seen.add(key)
            found.append(ExistingClause(clause, doc, hit.score))
            if len(found) == k:
                break
        return found

    def _by_section(self, snap: IndexView, doc_id: str) -> dict[tuple[str, ...], Clause]:
        """A document's clauses by their full section path, read once per index generation."""
        if self._cache[0] != snap.generation:
            self._cache = (snap.generation, {})
        per_doc = self._cache[1]
        if doc_id not in per_doc:
            per_doc[doc_id] = {c.section: c for c in self._clauses(snap, doc_id)}
        return per_doc[doc_id]


__all__ = ["InForceClauseSearch"]
