"""Structure-aware chunking: policies by 编/章/节/条, guides by field, everything else by paragraph.

Every chunk's text is exactly doc.text[start:end], so quotes and offsets always agree; the context a
chunk needs for retrieval (document title, section label) is added by `index_text`, not stored.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from govqa.core.ids import chunk_id
from govqa.core.types import Chunk, Document
from govqa.core.vocab import ARTICLE_PREFIX, ARTICLE_SUFFIX, HEADER_LABEL, HEADING_LABEL, NUMERAL, SECTION_LEVELS

CHUNKER_VERSION = "structure-v1"
MAX_CHARS = 1200
TARGET_CHARS = 600
_LEVELS = tuple((level, re.compile(rf"^#*\s*({ARTICLE_PREFIX}{NUMERAL}{level})")) for level in SECTION_LEVELS)
# 第X条 at the start of a line, optionally 之Y (an article inserted by an amendment: 第十条之一).
_ARTICLE_HEAD = rf"{ARTICLE_PREFIX}{NUMERAL}{ARTICLE_SUFFIX}"
# Chinese kept here: article-number suffixes (之一) and chunk labels stored in the index and cited.
_ARTICLE = re.compile(rf"^\s*({_ARTICLE_HEAD})(?:之{NUMERAL})?[\s　]")
_ARTICLE_ANYWHERE = re.compile(rf"(?m)^\s*{_ARTICLE_HEAD}(?:之{NUMERAL})?[\s　]")
_FIELD = re.compile(r"^【([^】]{1,12})】\s*$")
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")


def _lines(text: str) -> Iterator[tuple[int, str]]:
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split [start, end) on paragraph, then sentence boundaries into pieces of at most MAX_CHARS."""
    if end - start <= MAX_CHARS:
        return [(start, end)]
    cuts = [start]
    size_at = start
    for m in re.finditer(r"\n", text[start:end]):
        pos = start + m.end()
        if pos - size_at >= TARGET_CHARS:
            cuts.append(pos)
            size_at = pos
    cuts.append(end)
    pieces: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(cuts):
        if b - a <= MAX_CHARS:
            pieces.append((a, b))
            continue
        sub_start = a
        for m in _SENTENCE_END.finditer(text, a, b):
            if m.end() - sub_start >= TARGET_CHARS:
                pieces.append((sub_start, m.end()))
                sub_start = m.end()
        while b - sub_start > MAX_CHARS:  # no sentence end at all: cut hard
            pieces.append((sub_start, sub_start + MAX_CHARS))
            sub_start += MAX_CHARS
        if sub_start < b:
            pieces.append((sub_start, b))
    return [p for p in (_trim(text, a, b) for a, b in pieces) if p[1] > p[0]]


def _policy_spans(doc: Document) -> list[tuple[int, int, tuple[str, ...]]]:
    text = doc.text
    path: dict[str, str] = {}
    spans: list[tuple[int, int, tuple[str, ...]]] = []
    open_start = 0
    open_label: tuple[str, ...] = (HEADER_LABEL,)

    def close(at: int) -> None:
        s, e = _trim(text, open_start, at)
        if e > s:
            spans.append((s, e, open_label))

    for offset, line in _lines(text):
        level_hit = next(((name, m[1]) for name, rx in _LEVELS if (m := rx.match(line))), None)
        if level_hit:
            name, label = level_hit
            close(offset)
            order = [lvl for lvl, _ in _LEVELS]
            for lower in order[order.index(name) :]:
                path.pop(lower, None)
            path[name] = label
            open_start, open_label = offset + len(line) + 1, (*tuple(path.values()), HEADING_LABEL)
            continue
        if m := _ARTICLE.match(line):
            close(offset)
            open_start, open_label = offset, (*tuple(path.values()), m[1])
    close(len(text))
    # Heading-only spans (a chapter title line between two articles) carry no content of their own.
    return [s for s in spans if s[2][-1] != HEADING_LABEL or s[1] - s[0] > 40]


def _guide_spans(doc: Document) -> list[tuple[int, int, tuple[str, ...]]]:
    text = doc.text
    spans: list[tuple[int, int, tuple[str, ...]]] = []
    open_start, open_label = 0, ("概要",)
    for offset, line in _lines(text):
        if m := _FIELD.match(line.strip()):
            s, e = _trim(text, open_start, offset)
            if e > s:
                spans.append((s, e, open_label))
            open_start, open_label = offset, (m[1],)
    s, e = _trim(text, open_start, len(text))
    if e > s:
        spans.append((s, e, open_label))
    return spans


def _plain_spans(doc: Document) -> list[tuple[int, int, tuple[str, ...]]]:
    s, e = _trim(doc.text, 0, len(doc.text))
    return [(s, e, ())]


class StructureChunker:
    """The default chunker: picks the structure by document type and content."""

    version = CHUNKER_VERSION

    def chunk(self, doc: Document) -> list[Chunk]:
        """Return the chunks of `doc` in reading order."""
        if doc.doc_type == "guide":
            spans = _guide_spans(doc)
        elif len(_ARTICLE_ANYWHERE.findall(doc.text)) >= 2:
            spans = _policy_spans(doc)
        else:
            spans = _plain_spans(doc)
        chunks: list[Chunk] = []
        for start, end, label in spans:
            for a, b in _split_long(doc.text, start, end):
                text = doc.text[a:b]
                chunks.append(
                    Chunk(
                        id=chunk_id(doc.id, len(chunks), text),
                        doc_id=doc.id,
                        ordinal=len(chunks),
                        text=text,
                        start=a,
                        end=b,
                        section=label,
                        item_code=doc.item_code,
                    )
                )
        return chunks


def index_text(chunk: Chunk, doc: Document) -> str:
    """The text embedded and keyword-indexed for a chunk: title and label give it its context."""
    head = " ".join(x for x in ((doc.title if doc.index_title else ""), chunk.label) if x)
    return f"{head}\n{chunk.text}" if head else chunk.text
