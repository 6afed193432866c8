"""Mention -> ranked candidate items, from official names, short names and colloquial aliases.

Lexical evidence is character-bigram overlap (robust to word order, partial names and a wrong
character); dense evidence is the cosine between the question and each item's names. Scores are in
[0, 1] so the dialogue layer can decide when candidates are too close to call.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from govqa.core.protocols import Embedder
from govqa.core.text import fold_query, is_han
from govqa.core.types import ServiceItem
from govqa.core.vocab import GLUED_MODALS, INTERROGATIVES, PARTICLE_CHARS, QUERY_NOISE
from knowledge_graph.schema import base_name

# The words a question asks with: never part of a misspelt name.
_ASKING = tuple(w for w in INTERROGATIVES if w not in ("?", "？"))
_TITLE_SPAN = re.compile(r"《[^》]{1,80}》")
_PUNCT = set("，。？！、；：“”‘’（）()《》【】,.?!;: \t\n")


def _bigrams(text: str) -> set[str]:
    chars = [c for c in fold_query(text) if c not in _PUNCT]
    if len(chars) < 2:
        return set(chars)
    return {a + b for a, b in itertools.pairwise(chars)}


_Grams = tuple[set[str], dict[str, set[str]]]


def _name_grams(names: Iterable[str], is_word: Callable[[str], bool]) -> dict[int, _Grams]:
    """By length (3 and 4): the dictionary words inside the names, and the same indexed with one
    character masked. Only words count, so that the tail of one alias and the head of the next
    question word (住证怎 of 居住证怎么办) are never a correction."""
    spans = list(names)
    out: dict[int, _Grams] = {}
    for n in (3, 4):
        windows = {name[i : i + n] for name in spans for i in range(len(name) - n + 1)}
        grams = {w for w in windows if all(is_han(c) for c in w) and is_word(w)}
        masked: dict[str, set[str]] = {}
        for g in grams:
            for k in range(n):
                masked.setdefault(g[:k] + "?" + g[k + 1 :], set()).add(g)
        out[n] = (grams, masked)
    return out


def _strip_noise(text: str) -> str:
    for word in QUERY_NOISE:
        text = text.replace(word, "")
    return text


# How much rarer than a name a dictionary word one character off it must be to be read as its
# misspelling.
MISSPELLING_RARITY = 25


@dataclass(frozen=True, slots=True)
class Candidate:
    """A linked item with its combined, lexical and dense scores."""

    code: str
    score: float
    lexical: float
    dense: float


class ItemLinker:
    """Links free text to service items."""

    def __init__(
        self,
        items: Sequence[ServiceItem],
        embedder: Embedder | None = None,
        dense_weight: float = 0.35,
        word_frequency: Callable[[str], int] | None = None,
    ) -> None:
        """`dense_weight` blends the embedder's cosine over names into the lexical score;
        `word_frequency` (a general dictionary's counts) lets one mistyped character of a name be
        read as that name (公基金 as 公积金)."""
        self._items = list(items)
        self._names = [(item.name, base_name(item.name), *item.aliases) for item in self._items]
        self._frequency = word_frequency
        frequency = word_frequency or (lambda _w: 0)
        self._name_grams = _name_grams(
            (fold_query(n) for names in self._names for n in names), lambda w: frequency(w) > 0
        )
        self._grams = [[_bigrams(n) for n in names] for names in self._names]
        self._embedder = embedder
        self._dense_weight = dense_weight if embedder is not None else 0.0
        self._vectors: np.ndarray | None = None

    def _item_vectors(self) -> np.ndarray:
        if self._vectors is None:
            assert self._embedder is not None  # guarded by _dense_weight
            texts = [f"{names[0]}（{'、'.join(names[2:])}）" for names in self._names]
            self._vectors = self._embedder.embed_documents(texts)
        return self._vectors

    def _lexical(self, grams: set[str], text: str) -> np.ndarray:
        scores = np.zeros(len(self._items))
        for i, (names, name_grams) in enumerate(zip(self._names, self._grams)):
            best = 0.0
            for name, ng in zip(names, name_grams):
                if not ng or not grams:
                    continue
                if len(name) >= 2 and fold_query(name) in text:
                    best = max(best, 0.9 + 0.1 * min(1.0, len(name) / 8))
                    continue
                overlap = len(grams & ng)
                # Recall of the alias's bigrams weighs more than precision: questions carry extra words.
                best = max(best, 0.7 * overlap / len(ng) + 0.3 * overlap / len(grams))
            scores[i] = best
        return scores

    def contained_name_length(self, text: str, codes: Sequence[str]) -> dict[str, int]:
        """For each code, the length of its longest name or alias written out in the text (0 if none)."""
        folded = self.corrected(fold_query(text))
        bare = _strip_noise(folded)
        out: dict[str, int] = {}
        for item, names in zip(self._items, self._names):
            if item.code in codes:
                out[item.code] = max(
                    (len(n) for n in names if len(n) >= 2 and (fold_query(n) in folded or fold_query(n) in bare)),
                    default=0,
                )
        return out

    def closest_phrases(self, text: str, phrases: Sequence[str]) -> list[tuple[str, float]]:
        """Phrases ranked by the embedder's cosine to the text (empty without an embedder)."""
        if self._embedder is None or not phrases:
            return []
        cos = self._embedder.embed_documents(list(phrases)) @ self._embedder.embed_query(text)
        return sorted(zip(phrases, (float(c) for c in cos)), key=lambda pc: -pc[1])

    def corrected(self, text: str) -> str:
        """`text` with a span that misses one character of a word in the names replaced by that
        word, when no other such word is that close and the span is a much rarer word than it
        (公基金 -> 公积金, 身分证 -> 身份证, 营业执造 -> 营业执照; 离婚证 stays, a word in its own right)."""
        if self._frequency is None:
            return text
        out = list(text)
        # A title in 《》 is quoted as written (《江临市基本医疗保险办法》 is no 保险金 misspelt).
        quoted = {i for m in _TITLE_SPAN.finditer(text) for i in range(m.start(), m.end())}
        for n, (grams, masked) in self._name_grams.items():
            for start in range(len(text) - n + 1):
                window = "".join(out[start : start + n])
                if window in grams or not all(is_han(c) for c in window) or quoted & set(range(start, start + n)):
                    continue
                around = "".join(out[max(0, start - 1) : start + n + 1])
                if any(w in around for w in _ASKING):
                    continue  # 怎么罚 is no misspelt 怎么办, nor 出生怎 a misspelt 出生证
                # A particle or a modal is a word of its own, never a mistyped character: 出生的 is
                # 出生 + 的, not 出生证; 一年能取 is no 一年级.
                near = {
                    g
                    for k in range(n)
                    if window[k] not in PARTICLE_CHARS and window[k] not in GLUED_MODALS
                    for g in masked.get(window[:k] + "?" + window[k + 1 :], ())
                }
                if len(near) == 1:
                    fix = near.pop()
                    # A word of the dictionary in its own right (电动车, 24) is no misspelling of a
                    # commoner one (机动车, 413), while a variant spelling is far rarer (身分证, 23,
                    # of 身份证, 708).
                    if self._frequency(window) * MISSPELLING_RARITY <= self._frequency(fix):
                        out[start : start + n] = fix
        return "".join(out)

    def candidates(self, text: str, k: int = 5) -> list[Candidate]:
        """Top k items for the text, best first."""
        if not self._items or not text.strip():
            return []
        folded = self.corrected(fold_query(text))
        lexical = self._lexical(_bigrams(_strip_noise(folded)), folded)
        for i, item in enumerate(self._items):
            if item.code.lower() in folded:  # an 事项编码 named outright
                lexical[i] = 2.0
        dense = np.zeros(len(self._items))
        if self._dense_weight > 0 and self._embedder is not None:
            cos = self._item_vectors() @ self._embedder.embed_query(text)
            # e5 cosines crowd into [0.75, 0.95]; stretch them onto [0, 1].
            dense = np.clip((cos - 0.75) / 0.2, 0.0, 1.0)
        combined = np.minimum((1 - self._dense_weight) * lexical + self._dense_weight * dense, 1.0)
        order = np.argsort(-combined, kind="stable")[:k]
        return [Candidate(self._items[i].code, float(combined[i]), float(lexical[i]), float(dense[i])) for i in order]
