"""What changed between two versions of a policy: clauses aligned by content, classified, diffed.

Pure functions over `Clause` sequences. Clauses are matched by the character-bigram similarity of
their bodies (the text after 第X条, so renumbering alone changes nothing) under a monotone
alignment: pairs keep the reading order of both texts, and a clause that finds no partner is
added or removed. That is how a split or merged article shows up: its best-matching part is a
changed pair and the rest is added or removed. A changed pair carries the character edits
(difflib opcodes as offsets into each clause's text) and the amounts and periods whose value moved,
read by the attribute extractor passed in.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from govqa.core.vocab import ARTICLE_PREFIX, ARTICLE_SUFFIX, NUMERAL
from govqa.policy.types import Clause, ClauseAttributes

PairStatus = Literal["unchanged", "changed", "added", "removed"]
EditOp = Literal["insert", "delete", "replace"]
FigureKind = Literal["amount", "period"]
AttributeReader = Callable[[str], ClauseAttributes]

# 第X条 (or 第X条之Y) and the spaces after it: the clause's number, not its content.
# Chinese kept here: the suffix of an inserted article (之一), as the chunker reads it.
_LABEL = re.compile(rf"^\s*{ARTICLE_PREFIX}{NUMERAL}{ARTICLE_SUFFIX}(?:之{NUMERAL})?[\s　]*")
# Only letters, digits and Han characters count for similarity: punctuation and layout differ
# between versions without changing what a clause says.
_CONTENT = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class AlignConfig:
    """How clauses are paired.

    `min_similarity`: the bigram Dice coefficient below which two clauses are never paired;
    `order_weight`: how much a pair's closeness in relative position adds to its score, so that
    among equally similar candidates (two boilerplate articles) the one in the same place wins.
    """

    min_similarity: float = 0.3
    order_weight: float = 0.05

    def __post_init__(self) -> None:
        if not 0.0 < self.min_similarity <= 1.0:
            raise ValueError(f"min_similarity must be in (0, 1]; got {self.min_similarity}")
        if self.order_weight < 0:
            raise ValueError(f"order_weight must be >= 0; got {self.order_weight}")


@dataclass(frozen=True, slots=True)
class TextEdit:
    """One edit of the character diff: [start, end) in the old and in the new clause text."""

    op: EditOp
    old_start: int
    old_end: int
    new_start: int
    new_end: int
    old_text: str
    new_text: str


@dataclass(frozen=True, slots=True)
class FigureChange:
    """An amount or period that moved: `old` -> `new`, "" for a value the other version lacks."""

    kind: FigureKind
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class ClausePair:
    """One row of the aligned comparison."""

    status: PairStatus
    old: Clause | None
    new: Clause | None
    similarity: float = 0.0
    edits: tuple[TextEdit, ...] = ()
    figures: tuple[FigureChange, ...] = ()


def body_offset(text: str) -> int:
    """Where a clause's content starts: after its 第X条 label and the spaces that follow it."""
    m = _LABEL.match(text)
    return m.end() if m else 0


def _bigrams(text: str) -> Counter[str]:
    content = _CONTENT.sub("", text)
    if len(content) < 2:
        return Counter([content]) if content else Counter()
    return Counter(content[i : i + 2] for i in range(len(content) - 1))


def similarity(a: str, b: str) -> float:
    """The Dice coefficient of the two texts' character-bigram multisets (1.0 for equal content)."""
    ga, gb = _bigrams(a), _bigrams(b)
    total = sum(ga.values()) + sum(gb.values())
    if total == 0:
        return 1.0
    return 2 * sum((ga & gb).values()) / total


def align(
    old: Sequence[str], new: Sequence[str], config: AlignConfig = AlignConfig()
) -> list[tuple[int | None, int | None, float]]:
    """A monotone alignment of two text sequences as (old index, new index, similarity) rows in
    reading order; an index is None for an unpaired text.

    Dynamic programming over the prefix pairs maximises the summed score of the kept pairs, each
    scoring its similarity above `min_similarity` plus the order bonus, so one strong match beats
    two weak ones that would cross it.
    """
    n, m = len(old), len(new)
    grams_old = [_bigrams(t) for t in old]
    grams_new = [_bigrams(t) for t in new]
    sims = [[_dice(go, gn) for gn in grams_new] for go in grams_old]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            score = max(best[i - 1][j], best[i][j - 1])
            s = sims[i - 1][j - 1]
            if s >= config.min_similarity:
                place = 1.0 - abs((i - 0.5) / n - (j - 0.5) / m)
                score = max(score, best[i - 1][j - 1] + s - config.min_similarity + config.order_weight * place)
            best[i][j] = score
    rows: list[tuple[int | None, int | None, float]] = []
    i, j = n, m
    while i > 0 and j > 0:
        if best[i][j] == best[i - 1][j]:
            rows.append((i - 1, None, 0.0))
            i -= 1
        elif best[i][j] == best[i][j - 1]:
            rows.append((None, j - 1, 0.0))
            j -= 1
        else:
            rows.append((i - 1, j - 1, sims[i - 1][j - 1]))
            i, j = i - 1, j - 1
    rows.extend((k, None, 0.0) for k in range(i - 1, -1, -1))
    rows.extend((None, k, 0.0) for k in range(j - 1, -1, -1))
    rows.reverse()
    return _removed_first(rows)


def _dice(ga: Counter[str], gb: Counter[str]) -> float:
    total = sum(ga.values()) + sum(gb.values())
    return 2 * sum((ga & gb).values()) / total if total else 1.0


def _removed_first(rows: list[tuple[int | None, int | None, float]]) -> list[tuple[int | None, int | None, float]]:
    """Within each run of unpaired rows, the removed old texts before the added new ones (the
    backtrack interleaves them arbitrarily; a reader expects what went, then what came)."""
    out: list[tuple[int | None, int | None, float]] = []
    run: list[tuple[int | None, int | None, float]] = []
    for row in rows:
        if row[0] is not None and row[1] is not None:
            out.extend(sorted(run, key=lambda r: r[0] is None))
            run = []
            out.append(row)
        else:
            run.append(row)
    out.extend(sorted(run, key=lambda r: r[0] is None))
    return out


def char_edits(old_text: str, new_text: str) -> tuple[TextEdit, ...]:
    """The character edits turning one clause's body into the other's, as offsets into the whole
    clause texts (labels are not compared, so renumbering is no edit)."""
    a0, b0 = body_offset(old_text), body_offset(new_text)
    a, b = old_text[a0:], new_text[b0:]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    edits: list[TextEdit] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        kind: EditOp = "insert" if op == "insert" else "delete" if op == "delete" else "replace"
        edits.append(TextEdit(kind, a0 + i1, a0 + i2, b0 + j1, b0 + j2, a[i1:i2], b[j1:j2]))
    return tuple(edits)


@dataclass(frozen=True, slots=True)
class _Figure:
    kind: FigureKind
    value: str
    start: int
    end: int


def _figures(text: str, attributes: ClauseAttributes) -> list[_Figure]:
    """Every occurrence of the clause's amounts and periods in its text, in text order; where
    two values overlap (18000元 and 不超过18000元's cap) the first found is kept."""
    found: list[_Figure] = []
    taken: set[int] = set()
    kinds: tuple[tuple[FigureKind, tuple[str, ...]], ...] = (
        ("amount", attributes.amount + attributes.cap),
        ("period", attributes.deadline),
    )
    for kind, values in kinds:
        for value in sorted(set(values), key=len, reverse=True):
            for m in re.finditer(re.escape(value), text):
                span = set(range(m.start(), m.end()))
                if span & taken:
                    continue
                taken |= span
                found.append(_Figure(kind, value, m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def _touched(fig: _Figure, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether an edit reaches inside the figure: a deleted or replaced character in it, or an
    insertion strictly between its first and last character."""
    for s, e in spans:
        if s < e and s < fig.end and fig.start < e:
            return True
        if s == e and fig.start < s < fig.end:
            return True
    return False


def moved_figures(
    old_text: str,
    new_text: str,
    edits: Sequence[TextEdit],
    old_attributes: ClauseAttributes,
    new_attributes: ClauseAttributes,
) -> tuple[FigureChange, ...]:
    """The amounts and periods an edit reaches, paired old -> new by kind in text order; a value
    left over on one side is "" on the other. A value no edit reaches did not move."""
    old_spans = [(e.old_start, e.old_end) for e in edits]
    new_spans = [(e.new_start, e.new_end) for e in edits]
    old_moved = [f for f in _figures(old_text, old_attributes) if _touched(f, old_spans)]
    new_moved = [f for f in _figures(new_text, new_attributes) if _touched(f, new_spans)]
    changes: list[FigureChange] = []
    for kind in ("amount", "period"):
        olds = [f.value for f in old_moved if f.kind == kind]
        news = [f.value for f in new_moved if f.kind == kind]
        for k in range(max(len(olds), len(news))):
            before = olds[k] if k < len(olds) else ""
            after = news[k] if k < len(news) else ""
            if before != after:
                changes.append(FigureChange(kind, before, after))
    return tuple(changes)


def _same_content(a: str, b: str) -> bool:
    return "".join(a[body_offset(a) :].split()) == "".join(b[body_offset(b) :].split())


def diff_clauses(
    old: Sequence[Clause],
    new: Sequence[Clause],
    attributes: AttributeReader | None = None,
    config: AlignConfig = AlignConfig(),
) -> tuple[ClausePair, ...]:
    """The aligned comparison of two clause sequences: each pair unchanged (same content, spaces
    aside), changed (with its edits and, given an attribute reader, the figures that moved),
    added or removed."""
    rows = align([c.text[body_offset(c.text) :] for c in old], [c.text[body_offset(c.text) :] for c in new], config)
    pairs: list[ClausePair] = []
    for i, j, sim in rows:
        if i is None and j is not None:
            pairs.append(ClausePair("added", None, new[j]))
        elif j is None and i is not None:
            pairs.append(ClausePair("removed", old[i], None))
        elif i is not None and j is not None:
            a, b = old[i], new[j]
            if _same_content(a.text, b.text):
                pairs.append(ClausePair("unchanged", a, b, sim))
                continue
            edits = char_edits(a.text, b.text)
            figures = moved_figures(a.text, b.text, edits, attributes(a.text), attributes(b.text)) if attributes else ()
            pairs.append(ClausePair("changed", a, b, sim, edits, figures))
    return tuple(pairs)


__all__ = [
    "AlignConfig",
    "AttributeReader",
    "ClausePair",
    "FigureChange",
    "TextEdit",
    "align",
    "body_offset",
    "char_edits",
    "diff_clauses",
    "moved_figures",
    "similarity",
]
