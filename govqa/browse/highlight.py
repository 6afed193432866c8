"""Where a query's terms occur in a passage: character spans, and an HTML fragment with <mark>.

The terms are the query's lexical tokens minus function words; a normalised article reference
(第24条) also matches the way legal text writes it (第二十四条).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from govqa.core.protocols import Tokenizer
from govqa.core.text import int_to_cn
from govqa.core.vocab import ARTICLE_PREFIX, QUESTION_WORDS, REFERENCE_UNITS, STOPWORDS

_REFERENCE = re.compile(rf"{ARTICLE_PREFIX}(\d+)([{''.join(REFERENCE_UNITS)}])")


def query_terms(tokenizer: Tokenizer, query: str) -> tuple[str, ...]:
    """Distinct terms worth marking, longest first (so a longer term wins an overlap)."""
    terms: list[str] = []
    for token in tokenizer.tokenize(query):
        token = token.strip()
        if not token or token in STOPWORDS or token in QUESTION_WORDS:
            continue
        if len(token) < 2 and not token.isdigit():
            continue
        terms.append(token)
        if m := _REFERENCE.fullmatch(token):
            number = int(m[1])
            if 0 < number < 10000:
                terms.append(f"{ARTICLE_PREFIX}{int_to_cn(number)}{m[2]}")
    return tuple(sorted(dict.fromkeys(terms), key=lambda t: (-len(t), t)))


def spans(text: str, terms: Iterable[str]) -> tuple[tuple[int, int], ...]:
    """Sorted, merged [start, end) spans of every occurrence of the terms (case-insensitive)."""
    folded = text.lower()
    found: list[tuple[int, int]] = []
    for term in terms:
        needle = term.lower()
        at = folded.find(needle)
        while at >= 0:
            found.append((at, at + len(needle)))
            at = folded.find(needle, at + len(needle))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def marked_html(text: str, marks: Sequence[tuple[int, int]]) -> str:
    """The text HTML-escaped, with each span wrapped in <mark> (safe to insert as HTML)."""
    out: list[str] = []
    last = 0
    for start, end in marks:
        out.append(html.escape(text[last:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)
