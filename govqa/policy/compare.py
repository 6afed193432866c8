"""PolicyComparer: the aligned comparison of two indexed documents, named by id, 文号 or title.

With one document named, the other is its recorded successor (superseded_by) or, for a current
document, the one it replaced. The clauses come from the catalog through a reader passed in, the
figures through the attribute extractor passed in; bootstrap wires both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from govqa import messages
from govqa.core.errors import InvalidInputError, NotFoundError
from govqa.core.types import Document
from govqa.core.view import IndexView
from govqa.policy.clauses import clauses_from_chunks
from govqa.policy.diff import AlignConfig, AttributeReader, ClausePair, PairStatus, diff_clauses
from govqa.policy.types import Clause

# A document's clauses in reading order, read from the index view.
ClauseReader = Callable[[IndexView, str], Sequence[Clause]]
# 文号 brackets as people type them: 〔2019〕, [2019], （2019）, (2019), 【2019】.
_BRACKETS = str.maketrans("[]()（）【】", "〔〕〔〕〔〕〔〕")


@dataclass(frozen=True, slots=True)
class PolicyDiff:
    """Two documents and their aligned clause pairs in reading order."""

    old: Document
    new: Document
    pairs: tuple[ClausePair, ...]

    def count(self, status: PairStatus) -> int:
        """How many pairs have `status`."""
        return sum(1 for p in self.pairs if p.status == status)


def _number_key(text: str) -> str:
    return "".join(text.split()).translate(_BRACKETS)


def resolve_document(view: IndexView, ref: str) -> Document:
    """The document an id, a near-duplicate's id, a 文号, an exact title or a title fragment only
    one title holds names (the one reading of a document reference for every policy command).

    NotFoundError when nothing matches; InvalidInputError listing the candidates when a title
    names several documents (two versions of one policy share their title)."""
    ref = ref.strip()
    docs = view.documents
    if ref in docs:
        return docs[ref]
    canonical = view.catalog.aliases().get(ref)
    if canonical and canonical in docs:
        return docs[canonical]
    key = _number_key(ref)
    by_number = [d for d in docs.values() if d.doc_number and _number_key(d.doc_number) == key]
    if len(by_number) == 1:
        return by_number[0]
    title = ref.strip("《》")
    by_title = [d for d in docs.values() if d.title == title] or by_number
    if len(by_title) == 1:
        return by_title[0]
    by_title = by_title or [d for d in docs.values() if title and title in d.title]
    if len(by_title) == 1:
        return by_title[0]
    if by_title:
        choices = "、".join(f"{d.id}（{d.doc_number or d.title}）" for d in sorted(by_title, key=lambda d: d.id))
        raise InvalidInputError(messages.POLICY_AMBIGUOUS.format(ref=ref, choices=choices))
    raise NotFoundError(messages.POLICY_NOT_FOUND.format(ref=ref))


def versions_of(view: IndexView, doc: Document) -> tuple[Document, Document]:
    """(old, new) for one document: itself and its successor, or the document it replaced and itself."""
    successor = view.documents.get(doc.superseded_by) if doc.superseded_by else None
    if successor is not None:
        return doc, successor
    replaced = sorted((d for d in view.documents.values() if d.superseded_by == doc.id), key=lambda d: d.id)
    if replaced:
        # The most recent predecessor when a document replaced several.
        latest = max(replaced, key=lambda d: (d.effective_from or d.published or dt.date.min, d.id))
        return latest, doc
    raise InvalidInputError(messages.POLICY_NO_VERSION.format(title=doc.title, id=doc.id))


def catalog_clauses(view: IndexView, doc_id: str) -> list[Clause]:
    """An indexed document's clauses, from its stored chunks (none for an unknown id)."""
    doc = view.documents.get(doc_id)
    if doc is None:
        return []
    return clauses_from_chunks(doc_id, view.catalog.chunks_of(doc_id), doc.text)


class PolicyComparer:
    """Compares two documents of the live index clause by clause."""

    def __init__(
        self,
        snapshot: Callable[[], IndexView],
        clauses: ClauseReader,
        attributes: AttributeReader | None,
        config: AlignConfig = AlignConfig(),
    ) -> None:
        self._snapshot = snapshot
        self._clauses = clauses
        self._attributes = attributes
        self._config = config

    def diff(self, old_ref: str, new_ref: str = "") -> PolicyDiff:
        """The aligned comparison of `old_ref` and `new_ref` (ids, 文号 or titles); with `new_ref`
        empty, of the document and its successor (or predecessor)."""
        view = self._snapshot()
        first = resolve_document(view, old_ref)
        old, new = (first, resolve_document(view, new_ref)) if new_ref.strip() else versions_of(view, first)
        old_clauses, new_clauses = self._clauses_of(view, old), self._clauses_of(view, new)
        return PolicyDiff(old, new, diff_clauses(old_clauses, new_clauses, self._attributes, self._config))

    def _clauses_of(self, view: IndexView, doc: Document) -> Sequence[Clause]:
        clauses = self._clauses(view, doc.id)
        if not clauses:
            raise InvalidInputError(messages.POLICY_NO_CLAUSES.format(title=doc.title, id=doc.id))
        return clauses


__all__ = [
    "ClauseReader",
    "PolicyComparer",
    "PolicyDiff",
    "catalog_clauses",
    "resolve_document",
    "versions_of",
]
