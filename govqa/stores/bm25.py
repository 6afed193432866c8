"""BM25 over an inverted index, with exactly rank_bm25.BM25Okapi's scoring.

rank_bm25 loops over every document for every query term, so its cost grows linearly with the
corpus; here each query term touches only its posting list. tests/test_bm25.py checks that the
scores equal BM25Okapi's on the same tokens.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np


class BM25Index:
    """An in-memory lexical index over pre-tokenised chunks (rank_bm25 defaults k1=1.5, b=0.75, epsilon=0.25)."""

    def __init__(self, k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25) -> None:
        self.k1, self.b, self.epsilon = k1, b, epsilon
        self._docs: dict[str, Counter[str]] = {}
        self._dirty = True
        self._ids: list[str] = []
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._idf: dict[str, float] = {}
        self._norm = np.zeros(0)
        self._by_id = np.zeros(0, dtype=np.int64)

    def add(self, chunk_ids: Sequence[str], tokens: Sequence[Sequence[str]]) -> None:
        """Add or replace chunks with their tokens."""
        if len(chunk_ids) != len(tokens):
            raise ValueError(f"got {len(chunk_ids)} ids but {len(tokens)} token lists")
        for cid, toks in zip(chunk_ids, tokens):
            self._docs[cid] = Counter(toks)
        self._dirty = True

    def delete(self, chunk_ids: Sequence[str]) -> None:
        """Remove chunks; unknown ids are ignored."""
        for cid in chunk_ids:
            self._docs.pop(cid, None)
        self._dirty = True

    def count(self) -> int:
        """Number of indexed chunks."""
        return len(self._docs)

    def _build(self) -> None:
        self._ids = list(self._docs)
        lengths = np.array([sum(c.values()) for c in self._docs.values()], dtype=np.float64)
        n = len(self._ids)
        avgdl = float(lengths.mean()) if n else 0.0
        lists: dict[str, tuple[list[int], list[int]]] = {}
        for i, counts in enumerate(self._docs.values()):
            for term, tf in counts.items():
                entry = lists.setdefault(term, ([], []))
                entry[0].append(i)
                entry[1].append(tf)
        self._postings = {
            t: (np.array(d, dtype=np.int32), np.array(f, dtype=np.float64)) for t, (d, f) in lists.items()
        }
        idf = {t: math.log(n - len(d) + 0.5) - math.log(len(d) + 0.5) for t, (d, _) in lists.items()}
        negatives = [t for t, v in idf.items() if v < 0]
        average = sum(idf.values()) / len(idf) if idf else 0.0
        for t in negatives:
            idf[t] = self.epsilon * average
        self._idf = idf
        self._norm = self.k1 * (1 - self.b + self.b * lengths / avgdl) if n else np.zeros(0)
        # Positions in chunk-id order: equal scores rank by id, so the ranking depends on the chunks
        # alone and not on the order they were stored in (an updated index and a clean build of the
        # same files then answer alike).
        self._by_id = np.array(sorted(range(n), key=self._ids.__getitem__), dtype=np.int64)
        self._dirty = False

    def scores(self, tokens: Sequence[str]) -> tuple[list[str], np.ndarray]:
        """Scores of every chunk for the query tokens (duplicates counted, as rank_bm25 does)."""
        if self._dirty:
            self._build()
        scores = np.zeros(len(self._ids))
        for term in tokens:
            posting = self._postings.get(term)
            if posting is None:
                continue
            docs, tf = posting
            scores[docs] += self._idf[term] * tf * (self.k1 + 1) / (tf + self._norm[docs])
        return self._ids, scores

    def search(self, tokens: Sequence[str], k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Top k (chunk_id, score) with score > 0, optionally only among `allowed` chunk ids."""
        ids, scores = self.scores(tokens)
        if not ids:
            return []
        order = self._by_id[np.argsort(-scores[self._by_id], kind="stable")]
        out: list[tuple[str, float]] = []
        for i in order:
            if scores[i] <= 0:
                break
            if allowed is None or ids[i] in allowed:
                out.append((ids[i], float(scores[i])))
                if len(out) == k:
                    break
        return out
