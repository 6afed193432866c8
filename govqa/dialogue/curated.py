"""Curated answers: an operator's standard answer served when a question matches its question or
one of its paraphrases closely.

Close, not loose: a citizen must get the pinned answer only for the question it was written for.
Both sides are normalised (full/half width, case, punctuation, whitespace, polite openers and
closing particles); an equal key is a match. Otherwise the e5 cosine of the question and each
curated wording (both encoded as queries, the symmetric use of e5) decides, with two thresholds
measured on eval/data/curated_match.jsonl (paraphrases that should match, near-but-different
questions that must not): e5 scores 公积金贷款需要什么材料 0.963 against 公积金提取需要什么材料,
above several true paraphrases, so cosine alone cannot separate them. A wording that asks about
the same things in other function words (怎么/如何, 需要/要, 丢了/掉了) passes at `threshold`; one
that adds or drops a content character (贷款 for 提取) must reach `strict_threshold`, which no
near-but-different question of the set reaches.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass

import numpy as np

from govqa import messages
from govqa.core.protocols import CuratedStore, Embedder, Vector
from govqa.core.records import CuratedEntry
from govqa.core.types import Answer, Citation
from govqa.dialogue.routes import Curated

# Chinese kept here: wording around a question that does not change what it asks, stripped before matching.
_OPENERS = ("您好", "你好", "请问一下", "请问", "我想问一下", "我想问", "想问一下", "想咨询一下", "咨询一下")
_CLOSERS = "吗呢啊呀吧哦嘛"
_DROP = re.compile(r"[\W_]+", re.UNICODE)
# Chinese kept here: characters that change how a question is put, not what it asks about, and
# characters folded onto a synonym (掉/失 -> 丢, 资料 -> 材料, 补领 -> 补办, 最高 -> 最多).
_FUNCTION_CHARS = frozenset("怎么如何哪些什么里在要需准备带能可以吗呢的了办理去到个我想请问是有得该应子钱久时长间")
_SAME = str.maketrans("掉失资领高", "丢丢材办多")


@dataclass(frozen=True, slots=True)
class CuratedConfig:
    """How close a question must be to a curated wording (see the module docstring)."""

    threshold: float = 0.95  # for a wording with the same content characters
    strict_threshold: float = 0.98  # for a wording that adds or drops a content character
    min_chars: int = 4  # a shorter key is matched only exactly: two characters say too little


def normalise_question(text: str) -> str:
    """The matching key of a question: NFKC (full to half width), lower case, no punctuation or
    spaces, no polite opener or closing particle."""
    key = _DROP.sub("", unicodedata.normalize("NFKC", text).lower())
    for opener in _OPENERS:
        if key.startswith(opener) and len(key) > len(opener):
            key = key[len(opener) :]
            break
    return key.rstrip(_CLOSERS) or key


def content_chars(key: str) -> frozenset[str]:
    """The characters of a normalised question that say what it is about (synonyms folded)."""
    return frozenset(c for c in key.translate(_SAME) if c not in _FUNCTION_CHARS)


@dataclass(frozen=True, slots=True)
class CuratedMatch:
    """The closest curated wording of a question: its entry, the cosine (1.0 for an equal key)
    and the threshold that wording had to reach."""

    entry: CuratedEntry
    score: float
    needed: float

    @property
    def passes(self) -> bool:
        """Close enough for the question to get the entry's answer."""
        return self.score >= self.needed


class CuratedMatcher:
    """Finds the curated entry a question asks for; reloads when the store changes."""

    def __init__(self, store: CuratedStore, embedder: Embedder | None, config: CuratedConfig = CuratedConfig()) -> None:
        self._store = store
        self._embedder = embedder
        self._config = config
        self._lock = threading.Lock()
        self._revision = -1
        self._entries: dict[int, CuratedEntry] = {}
        self._keys: dict[str, int] = {}
        self._owners: list[int] = []  # entry id of each row of _vectors
        self._wordings: list[str] = []  # the normalised wording of each row
        self._vectors: Vector | None = None

    def best(self, text: str) -> CuratedMatch | None:
        """The entry whose wording passes by the widest margin (or misses by the least); None when
        there is nothing to compare with."""
        self._refresh()
        key = normalise_question(text)
        if key in self._keys:
            return CuratedMatch(self._entries[self._keys[key]], 1.0, 1.0)
        if self._vectors is None or self._embedder is None or len(key) < self._config.min_chars:
            return None
        scores = self._vectors @ self._embedder.embed_query(text)
        mine = content_chars(key)
        needed = np.asarray(
            [
                self._config.threshold if content_chars(wording) == mine else self._config.strict_threshold
                for wording in self._wordings
            ],
            dtype=np.float32,
        )
        i = int(np.argmax(scores - needed))
        return CuratedMatch(self._entries[self._owners[i]], float(scores[i]), float(needed[i]))

    def match(self, text: str) -> Curated | None:
        """The curated route for `text`, or None when no entry is close enough."""
        found = self.best(text)
        if found is None or not found.passes:
            return None
        return Curated(text, curated_reply(found.entry), found.entry.id, found.score)

    def _refresh(self) -> None:
        revision = self._store.revision()
        if revision == self._revision:
            return
        with self._lock:
            entries = {e.id: e for e in self._store.all()}
            keys = {normalise_question(q): e.id for e in entries.values() for q in e.questions}
            rows = [(e.id, q) for e in entries.values() for q in e.questions]
            vectors = None
            if rows and self._embedder is not None:
                embedder = self._embedder
                vectors = np.vstack([embedder.embed_query(q) for _, q in rows]).astype(np.float32)
            self._entries, self._keys, self._vectors = entries, keys, vectors
            self._owners = [i for i, _ in rows]
            self._wordings = [normalise_question(q) for _, q in rows]
            self._revision = revision


def curated_reply(entry: CuratedEntry) -> Answer:
    """The entry's answer, cited as the curated entry with its id and last-edited day."""
    citation = Citation(
        marker=1,
        chunk_id="",
        doc_id=f"curated-{entry.id}",
        title=messages.CURATED_TITLE.format(id=entry.id, date=entry.updated_at[:10]),
        doc_number="",
        section="",
        url="",
        quote=entry.question,
    )
    return Answer(text=entry.answer, citations=(citation,), grounded=True)
