"""Scoring a draft review against the flags a reviewer planted by hand.

A flag is (draft article, kind, existing document, existing article). Recall counts the planted
flags found (with, for an amount or period conflict, every planted differing value among the
evidence); precision counts the flags raised that were planted; false flags are also given per
10 draft clauses, the figure the acceptance bar is stated in.

    python -m eval.cli review   (or: govqa eval review)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govqa.policy.review import DraftReview

DATA = Path(__file__).resolve().parent / "data"
SAMPLE_DRAFT = DATA / "policy_review_draft.md"
SAMPLE_EXPECTED = DATA / "policy_review_expected.json"

FlagKey = tuple[str, str, str, str]  # draft article, kind, document id, article


@dataclass(frozen=True, slots=True)
class ReviewScore:
    """How a review compares with the planted flags."""

    clauses: int
    planted: int
    found: int
    raised: int
    false_flags: tuple[FlagKey, ...]
    missed: tuple[FlagKey, ...]
    wrong_evidence: tuple[FlagKey, ...]

    @property
    def recall(self) -> float:
        """Planted flags found with their evidence, over planted flags."""
        return self.found / self.planted if self.planted else 1.0

    @property
    def precision(self) -> float:
        """Raised flags that were planted, over raised flags."""
        return (self.raised - len(self.false_flags)) / self.raised if self.raised else 1.0

    @property
    def false_per_10_clauses(self) -> float:
        """False flags per 10 draft clauses."""
        return 10 * len(self.false_flags) / self.clauses if self.clauses else 0.0

    def summary(self) -> dict[str, Any]:
        """The figures as a JSON-ready mapping."""
        return {
            "clauses": self.clauses,
            "planted": self.planted,
            "found": self.found,
            "raised": self.raised,
            "recall": round(self.recall, 3),
            "precision": round(self.precision, 3),
            "false_flags": len(self.false_flags),
            "false_per_10_clauses": round(self.false_per_10_clauses, 2),
            "missed": [list(k) for k in self.missed],
            "wrong_evidence": [list(k) for k in self.wrong_evidence],
            "false": [list(k) for k in self.false_flags],
        }


def load_expected(path: Path = SAMPLE_EXPECTED) -> dict[str, Any]:
    """The hand-written expectation (see eval/data/policy_review_expected.json)."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def score(review: DraftReview, expected: dict[str, Any]) -> ReviewScore:
    """Compare the flags a review raised with the planted ones."""
    planted: dict[FlagKey, list[tuple[str, str]]] = {}
    for entry in expected["clauses"]:
        for flag in entry["flags"]:
            key = (entry["article"], flag["kind"], flag["doc"], flag["article"])
            planted[key] = [(a, b) for a, b in flag.get("differs", [])]
    raised: dict[FlagKey, set[tuple[str, str]]] = {}
    for clause in review.clauses:
        for m in clause.flags:
            assert m.flag is not None  # ClauseReview.flags holds flagged matches only
            key = (clause.clause.article, m.flag, m.existing.document.id, m.existing.clause.article)
            raised[key] = {(d.old, d.new) for d in m.differences}
    missed = tuple(k for k in planted if k not in raised)
    wrong = tuple(k for k, values in planted.items() if k in raised and not set(values) <= raised[k])
    false = tuple(k for k in raised if k not in planted)
    found = len(planted) - len(missed) - len(wrong)
    return ReviewScore(len(review.clauses), len(planted), found, len(raised), false, missed, wrong)


__all__ = ["SAMPLE_DRAFT", "SAMPLE_EXPECTED", "ReviewScore", "load_expected", "score"]
