"""Context packing: keep each source short and relevant, because prefill dominates latency on a CPU."""

from __future__ import annotations

import itertools
import re

_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")


def bigrams(text: str) -> set[str]:
    """Character bigrams of the CJK and alphanumeric characters of `text`."""
    chars = [c for c in text if c.isalnum()]
    return {a + b for a, b in itertools.pairwise(chars)}


def sentences(text: str) -> list[str]:
    """Split on Chinese sentence ends and line breaks; drops empty pieces."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def pack(question: str, text: str, limit: int = 360) -> str:
    """Return `text` if short, else its sentences most related to the question, in original order."""
    if len(text) <= limit:
        return text
    parts = sentences(text)
    q = bigrams(question)
    ranked = sorted(range(len(parts)), key=lambda i: (-len(bigrams(parts[i]) & q), i))
    keep: set[int] = {0}  # the first sentence names the article or field
    size = len(parts[0])
    for i in ranked:
        if i in keep:
            continue
        if size + len(parts[i]) > limit:
            continue
        keep.add(i)
        size += len(parts[i])
    return "…".join(parts[i] for i in sorted(keep))
