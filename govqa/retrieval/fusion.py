"""Rank fusion as pure functions: inputs are never mutated, ids are unique in the output."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

Ranked = Sequence[tuple[str, float]]


def weighted_rrf(legs: Mapping[str, Ranked], weights: Mapping[str, float], k: int = 60) -> list[tuple[str, float]]:
    """Weighted reciprocal rank fusion: score(id) = sum over legs of weight / (k + rank).

    Each leg is a best-first list of (id, score); a leg listing an id twice counts its best rank.
    Ties are broken by id so the result does not depend on the order the legs are given in.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    fused: dict[str, float] = {}
    for name, ranked in sorted(legs.items()):  # fixed summation order: floats add order-dependently
        weight = weights.get(name, 1.0)
        seen: set[str] = set()
        for rank, (doc_id, _) in enumerate(ranked, 1):
            if doc_id in seen:
                continue
            seen.add(doc_id)
            fused[doc_id] = fused.get(doc_id, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))


def weighted_scores(legs: Mapping[str, Ranked], weights: Mapping[str, float]) -> list[tuple[str, float]]:
    """Convex combination of min-max normalised scores per leg (missing = 0); ties broken by id."""
    fused: dict[str, float] = {}
    for name, ranked in sorted(legs.items()):
        if not ranked:
            continue
        best: dict[str, float] = {}
        for doc_id, score in ranked:
            best[doc_id] = max(score, best.get(doc_id, score))
        lo, hi = min(best.values()), max(best.values())
        span = hi - lo or 1.0
        weight = weights.get(name, 1.0)
        for doc_id, score in best.items():
            fused[doc_id] = fused.get(doc_id, 0.0) + weight * (score - lo) / span
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))
