"""A document's clause tree (编/章/节/条, or a guide's fields) and its validity, from the stored chunks.

Chunks carry their section path (("第三章", "第十二条")) and offsets into the document text, so the
tree is rebuilt from them without parsing the text again; only the headings' own titles (总则) are
read from the heading lines, which no chunk holds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from govqa.core.types import Chunk, Document
from govqa.core.vocab import ARTICLE_SUFFIX, HEADER_LABEL, HEADING_LABEL, SECTION_LEVELS

NodeKind = Literal["part", "chapter", "section", "article", "field", "text"]
_LEVEL_KINDS: dict[str, NodeKind] = dict(zip(SECTION_LEVELS, ("part", "chapter", "section")))
ValidityStatus = Literal["in_force", "repealed", "expired", "not_yet_effective"]


@dataclass(frozen=True, slots=True)
class ClauseNode:
    """One node of the tree: a heading with children, or a leaf with the text of its chunks."""

    kind: NodeKind
    label: str
    title: str = ""
    text: str = ""
    chunk_ids: tuple[str, ...] = ()
    start: int = 0
    children: tuple[ClauseNode, ...] = ()


@dataclass(frozen=True, slots=True)
class DocRef:
    """A document named by another: id and title."""

    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Validity:
    """Whether a document is in force on a day, and what replaced it."""

    status: ValidityStatus
    effective_from: dt.date | None
    expires_at: dt.date | None
    repealed_on: dt.date | None
    superseded_by: DocRef | None
    replaces: tuple[DocRef, ...]


def kind_of(label: str) -> NodeKind:
    """The node kind a section label stands for (第三章 -> chapter, 第十二条 -> article)."""
    for level, kind in _LEVEL_KINDS.items():
        if label.endswith(level):
            return kind
    if label.endswith(ARTICLE_SUFFIX):
        return "article"
    return "field" if label else "text"


def _heading_title(text: str, label: str, before: int) -> str:
    """The words after `label` on the last heading line that precedes offset `before` (第一章 总则 -> 总则)."""
    found = ""
    for m in re.finditer(rf"(?m)^#*\s*{re.escape(label)}[\s　]*(.*)$", text[:before]):
        found = m[1].strip()
    return found


@dataclass(slots=True)
class _Open:
    """A node while the tree is being built (frozen once complete)."""

    kind: NodeKind
    label: str
    start: int
    end: int = 0
    title: str = ""
    chunk_ids: list[str] | None = None
    heading_text: str = ""
    children: list[_Open] | None = None

    def freeze(self, text: str) -> ClauseNode:
        body = text[self.start : self.end] if self.chunk_ids else self.heading_text
        return ClauseNode(
            kind=self.kind,
            label=self.label,
            title=self.title,
            text=body,
            chunk_ids=tuple(self.chunk_ids or ()),
            start=self.start,
            children=tuple(c.freeze(text) for c in self.children or ()),
        )


def outline(doc: Document, chunks: Sequence[Chunk]) -> tuple[ClauseNode, ...]:
    """The clause tree of a document: headings nest, consecutive chunks of one label (a long
    article split in pieces) become one leaf; a policy's header block is left out (its fields are
    the document's metadata)."""
    roots: list[_Open] = []
    containers: dict[tuple[str, ...], _Open] = {}
    last_leaf: tuple[tuple[str, ...], _Open] | None = None
    for chunk in sorted(chunks, key=lambda c: c.ordinal):
        path = chunk.section
        if path == (HEADER_LABEL,):
            continue
        siblings = roots
        for depth in range(len(path) - 1):
            key = path[: depth + 1]
            node = containers.get(key)
            if node is None:
                label = path[depth]
                node = _Open(kind_of(label), label, chunk.start, children=[])
                node.title = _heading_title(doc.text, label, chunk.start)
                containers[key] = node
                siblings.append(node)
            siblings = node.children if node.children is not None else []
        leaf_label = path[-1] if path else ""
        if leaf_label == HEADING_LABEL:
            parent = containers.get(path[:-1])
            if parent is not None:
                parent.heading_text = chunk.text
            continue
        if last_leaf is not None and last_leaf[0] == path and path:
            leaf = last_leaf[1]
            leaf.end = chunk.end
            (leaf.chunk_ids or []).append(chunk.id)
            continue
        leaf = _Open(kind_of(leaf_label), leaf_label, chunk.start, chunk.end, chunk_ids=[chunk.id])
        siblings.append(leaf)
        last_leaf = (path, leaf)
    return tuple(n.freeze(doc.text) for n in roots)


def validity(doc: Document, day: dt.date, documents: Mapping[str, Document]) -> Validity:
    """The document's state on `day`, its successor (when it names one that is indexed, or at
    least its id) and the documents it replaced."""
    if doc.repealed_on is not None and doc.repealed_on <= day:
        status: ValidityStatus = "repealed"
    elif doc.expires_at is not None and doc.expires_at < day:
        status = "expired"
    elif doc.effective_from is not None and doc.effective_from > day:
        status = "not_yet_effective"
    else:
        status = "in_force"
    successor = None
    if doc.superseded_by:
        known = documents.get(doc.superseded_by)
        successor = DocRef(doc.superseded_by, known.title if known else "")
    replaces = tuple(DocRef(d.id, d.title) for d in documents.values() if d.superseded_by == doc.id)
    # A repeal dated 0001-01-01 means "repealed, date unknown": say repealed without a date.
    repealed_on = doc.repealed_on if doc.repealed_on is None or doc.repealed_on.year > 1 else None
    return Validity(status, doc.effective_from, doc.expires_at, repealed_on, successor, replaces)


def find_node(nodes: Sequence[ClauseNode], chunk_id: str) -> ClauseNode | None:
    """The leaf holding a chunk, or None."""
    for node in nodes:
        if chunk_id in node.chunk_ids:
            return node
        found = find_node(node.children, chunk_id)
        if found is not None:
            return found
    return None


__all__ = ["ClauseNode", "DocRef", "Validity", "find_node", "kind_of", "outline", "validity"]
