"""Metrics as pure functions over ranked ids and gold sets (hand-checked in tests/test_metrics.py)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from statistics import mean

from govqa.core.text import normalise_dates


def hit_at_k(ranked: Sequence[str], gold: set[str], k: int) -> float:
    """1.0 if any gold id is among the first k, else 0.0."""
    return 1.0 if any(r in gold for r in ranked[:k]) else 0.0


def recall_at_k(ranked: Sequence[str], gold: set[str], k: int) -> float:
    """Share of gold ids among the first k."""
    return len(gold & set(ranked[:k])) / len(gold) if gold else 0.0


def mrr_at_k(ranked: Sequence[str], gold: set[str], k: int = 10) -> float:
    """Reciprocal rank of the first gold id within k (0 if none)."""
    for rank, r in enumerate(ranked[:k], 1):
        if r in gold:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(ranked: Sequence[str], gold: set[str], k: int = 10) -> float:
    """Binary-relevance nDCG@k."""
    dcg = sum(1.0 / math.log2(i + 2) for i, r in enumerate(ranked[:k]) if r in gold)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(gold), k)))
    return dcg / ideal if ideal else 0.0


def dedupe(ids: Iterable[str]) -> list[str]:
    """Keep the first occurrence of each id (chunk hits -> document ranking)."""
    return list(dict.fromkeys(ids))


def retrieval_summary(rankings: Sequence[Sequence[str]], golds: Sequence[set[str]]) -> dict[str, float]:
    """Mean hit@1/3/5/10, recall@10, MRR@10 and nDCG@10 over questions."""
    if not rankings:
        return {}
    pairs = list(zip(rankings, golds))
    out = {f"hit@{k}": mean(hit_at_k(r, g, k) for r, g in pairs) for k in (1, 3, 5, 10)}
    out["recall@10"] = mean(recall_at_k(r, g, 10) for r, g in pairs)
    out["mrr@10"] = mean(mrr_at_k(r, g, 10) for r, g in pairs)
    out["ndcg@10"] = mean(ndcg_at_k(r, g, 10) for r, g in pairs)
    return out


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty sequence."""
    if not values:
        raise ValueError("percentile of an empty sequence")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 from counts (0 where undefined)."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def key_fact_recall(answer: str, facts: Sequence[str]) -> float:
    """Share of key facts that appear verbatim (whitespace-insensitive, dates in any spelling) in the answer."""
    if not facts:
        return 1.0
    text = normalise_dates("".join(answer.split()))
    return sum(1 for f in facts if normalise_dates("".join(f.split())) in text) / len(facts)
