"""How close a question must be to a curated one: the e5 cosine of each labelled paraphrase and
near-but-different question against its curated question, and the threshold that separates them.

    python -m eval.curated_match [--data FILE] [--threshold 0.95]

Each record of the set (eval/data/curated_match.jsonl) names a curated question, wordings that
should get its answer (`match`) and questions close in words but asking something else
(`no_match`). Each wording is compared with the curated question alone, as if the operator had
written no paraphrase, the hardest case. Prints the score ranges, the separating interval and
recall/false matches at the threshold.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from govqa.core.protocols import Embedder
from govqa.core.records import CuratedEntry
from govqa.dialogue.curated import CuratedConfig, CuratedMatcher
from govqa.testing.memory import MemoryCuratedStore

DATA = Path(__file__).parent / "data" / "curated_match.jsonl"


@dataclass(frozen=True, slots=True)
class Scored:
    """One labelled wording and the score the matcher gave it."""

    curated: str
    text: str
    should_match: bool
    score: float
    needed: float  # the threshold this wording had to reach (strict when it changes content characters)
    passed: bool


def load(path: Path = DATA) -> list[dict[str, object]]:
    """The labelled groups."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score_set(embedder: Embedder, groups: list[dict[str, object]], config: CuratedConfig) -> list[Scored]:
    """Every labelled wording scored against its own curated question (nothing else stored)."""
    out: list[Scored] = []
    for group in groups:
        question = str(group["question"])
        store = MemoryCuratedStore([CuratedEntry(1, question, "-")])
        matcher = CuratedMatcher(store, embedder, config)
        for label, wordings in ((True, group["match"]), (False, group["no_match"])):
            assert isinstance(wordings, list)
            for wording in wordings:
                found = matcher.best(wording)
                assert found is not None  # one entry stored, every wording long enough
                out.append(Scored(question, wording, label, found.score, found.needed, found.passes))
    return out


def summary(scored: list[Scored], config: CuratedConfig) -> dict[str, float]:
    """Score ranges, the outcome with the two thresholds, and with the plain threshold alone."""
    pos = [s for s in scored if s.should_match]
    neg = [s for s in scored if not s.should_match]
    return {
        "paraphrases": len(pos),
        "near_but_different": len(neg),
        "paraphrase_cosine_min": round(min(s.score for s in pos), 4),
        "different_cosine_max": round(max(s.score for s in neg), 4),
        "threshold": config.threshold,
        "strict_threshold": config.strict_threshold,
        "recall": round(sum(s.passed for s in pos) / len(pos), 4),
        "false_matches": sum(s.passed for s in neg),
        "cosine_only_false_matches": sum(s.score >= config.threshold for s in neg),
    }


def main() -> None:
    """Score the set with the bundled e5 embedder and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--threshold", type=float, default=CuratedConfig().threshold)
    parser.add_argument("--strict-threshold", type=float, default=CuratedConfig().strict_threshold)
    args = parser.parse_args()
    from govqa.models.embedders import E5Embedder

    config = CuratedConfig(threshold=args.threshold, strict_threshold=args.strict_threshold)
    scored = score_set(E5Embedder(), load(args.data), config)
    print(json.dumps(summary(scored, config), indent=2))
    for s in sorted(scored, key=lambda s: -s.score):
        mark = "match" if s.should_match else "DIFFERENT"
        wrong = "" if s.passed == s.should_match else "  <- wrong"
        print(f"{s.score:.4f} (needs {s.needed:.2f})  {mark:9}  {s.text}  (vs {s.curated}){wrong}")


if __name__ == "__main__":
    main()
