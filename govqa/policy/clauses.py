"""The clauses (条) of a policy document, from its stored chunks or from its text through the chunker.

A chunk's section ends with its article label (("第二章", "第八条")); a long article is split into
several chunks carrying the same section, so consecutive chunks with one section are one clause and
their texts are joined with the document text between them (the chunk offsets say where).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from govqa.browse.outline import kind_of
from govqa.core.protocols import Chunker
from govqa.core.types import Chunk, Document
from govqa.core.vocab import ARTICLE_PREFIX, NUMERAL, SECTION_LEVELS
from govqa.policy.rules import rule_type
from govqa.policy.types import Clause

# A heading line (## 第七章 法律责任, 第二节　一般规定): its label and its title.
_HEADING_LINE = re.compile(
    rf"(?m)^#*[ \t　]*({ARTICLE_PREFIX}{NUMERAL}(?:{'|'.join(SECTION_LEVELS)}))[ \t　]*(\S[^\n]*)$"
)
_SPACES = re.compile(r"[\s　]+")

Headings = list[tuple[int, str, str]]


def section_headings(text: str) -> Headings:
    """The heading lines of a document text, in reading order: (offset, label, title without spaces)."""
    return [(m.start(), m[1], _SPACES.sub("", m[2])) for m in _HEADING_LINE.finditer(text)]


def titles_at(headings: Headings, section: tuple[str, ...], start: int) -> tuple[str, ...]:
    """The titles of the 编/章/节 labels in `section` as last headed before offset `start` (the
    chunker keeps the labels only; the titles are on heading lines no chunk holds)."""
    latest: dict[str, str] = {}
    for offset, label, title in headings:
        if offset >= start:
            break
        latest[label] = title
    return tuple(latest[label] for label in section[:-1] if label in latest)


def is_article(chunk: Chunk) -> bool:
    """True when the chunk is (part of) an article: its section ends with a 第X条 label."""
    return bool(chunk.section) and kind_of(chunk.section[-1]) == "article"


def article_groups(chunks: Sequence[Chunk]) -> list[list[Chunk]]:
    """The chunks of each article, in reading order (consecutive chunks with one article section)."""
    groups: list[list[Chunk]] = []
    for chunk in sorted(chunks, key=lambda c: c.ordinal):
        if not is_article(chunk):
            continue
        previous = groups[-1][-1] if groups else None
        # 第十条之一 carries the label 第十条: a chunk that starts with its label opens a new article.
        opens = chunk.text.startswith(chunk.section[-1])
        if previous and previous.section == chunk.section and previous.ordinal == chunk.ordinal - 1 and not opens:
            groups[-1].append(chunk)
        else:
            groups.append([chunk])
    return groups


def clauses_from_chunks(doc_id: str, chunks: Sequence[Chunk], text: str = "") -> list[Clause]:
    """The articles of a document from its chunks, in reading order.

    Chunks of the same article are joined: with the document `text` (when given) the clause text is
    the whole span from the first chunk's start to the last one's end, else the chunk texts joined by
    a line break. The clause's `chunk_id` is its first chunk's id.
    """
    out: list[Clause] = []
    headings = section_headings(text)
    for group in article_groups(chunks):
        first, last = group[0], group[-1]
        if text and 0 <= first.start < last.end <= len(text):
            body = text[first.start : last.end]
        else:
            body = "\n".join(c.text for c in group)
        titles = titles_at(headings, first.section, first.start)
        out.append(Clause(doc_id, first.section[-1], body, first.id, first.section, titles))
    return out


def clauses_of_document(doc: Document, chunker: Chunker) -> list[Clause]:
    """The articles of a document read through the ingest chunker (as the index would store them)."""
    return clauses_from_chunks(doc.id, chunker.chunk(doc), doc.text)


def with_rule_types(doc: Document, chunks: Sequence[Chunk]) -> list[Chunk]:
    """The chunks with `clause_type` set on every chunk of an article, typed by rules (fast enough
    for ingest: under a millisecond per clause; the LLM types only on demand, see PolicyAnalysis)."""
    kinds: dict[str, str] = {}
    headings = section_headings(doc.text)
    for group in article_groups(chunks):
        first, last = group[0], group[-1]
        body = doc.text[first.start : last.end] if last.end <= len(doc.text) else "\n".join(c.text for c in group)
        kind = rule_type(body, titles_at(headings, first.section, first.start)).type
        kinds.update((c.id, kind) for c in group)
    return [replace(c, clause_type=kinds.get(c.id, "")) for c in chunks]
