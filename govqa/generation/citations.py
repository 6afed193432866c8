"""Citation parsing and post-hoc verification of every sentence against its cited source."""

from __future__ import annotations

import re
from dataclasses import dataclass

from govqa.generation.context import bigrams

_MARKER = re.compile(r"\[(\d{1,2})\]")
_SPLIT = re.compile(r"(?<=[。！？；\n])")
SUPPORT_THRESHOLD = 0.45
# Facts a small model gets wrong while the wording still overlaps: article numbers, amounts, periods.
_FACT = re.compile(
    r"第[零〇一二三四五六七八九十百千两\d]+[条款项章]|\d+(?:\.\d+)?\s*(?:元|万元|%|个?工作日|天|日|个?月|年|岁|周岁|小时|分)"
)


def facts_missing(sentence: str, source: str) -> list[str]:
    """Article numbers and quantities stated in the sentence that the source does not contain."""
    flat = source.replace(" ", "")
    return [f for f in _FACT.findall(_MARKER.sub("", sentence)) if f.replace(" ", "") not in flat]


@dataclass(frozen=True, slots=True)
class CheckedSentence:
    """One answer sentence, the sources it cites and whether they support it."""

    text: str
    markers: tuple[int, ...]
    supported: bool
    best_source: int


def support(sentence: str, source: str) -> float:
    """Share of the sentence's character bigrams that occur in the source (0..1)."""
    grams = bigrams(_MARKER.sub("", sentence))
    if not grams:
        return 1.0
    return len(grams & bigrams(source)) / len(grams)


def check(answer: str, sources: dict[int, str]) -> list[CheckedSentence]:
    """Split the answer into sentences; each is supported if a cited (or, uncited, any) source covers it."""
    out: list[CheckedSentence] = []
    for raw in _SPLIT.split(answer):
        sentence = raw.strip()
        if not sentence:
            continue
        markers = tuple(dict.fromkeys(int(m) for m in _MARKER.findall(sentence) if int(m) in sources))
        bare = _MARKER.sub("", sentence).strip()
        if len(bigrams(bare)) < 3 or "未提及" in bare:  # a bullet, or "资料未提及": nothing to verify
            out.append(CheckedSentence(sentence, markers, True, markers[0] if markers else 0))
            continue
        pool = markers or tuple(sources)
        scores = {n: support(bare, sources[n]) for n in pool}
        best = max(scores, key=lambda n: scores[n]) if scores else 0
        ok = bool(scores) and scores[best] >= SUPPORT_THRESHOLD and not facts_missing(bare, sources[best])
        if not ok and markers:
            # The model cited the wrong number but another source supports the sentence.
            others = {n: support(bare, t) for n, t in sources.items()}
            alt = max(others, key=lambda n: others[n])
            if others[alt] >= SUPPORT_THRESHOLD and not facts_missing(bare, sources[alt]):
                best, ok = alt, True
        out.append(CheckedSentence(sentence, markers, ok, best))
    return out


def strip_markers(text: str) -> str:
    """The text without [n] markers."""
    return _MARKER.sub("", text)


def best_quote(sentence: str, source: str, limit: int = 80) -> str:
    """The source sentence that best supports `sentence`, for the citation's quote."""
    from govqa.generation.context import sentences

    parts = sentences(source) or [source]
    grams = bigrams(strip_markers(sentence))
    best = max(parts, key=lambda p: len(bigrams(p) & grams))
    return best[:limit]
