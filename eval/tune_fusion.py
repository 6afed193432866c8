"""Choose fusion weights from a dev set: run every leg once per question, then grid-search the
fusion offline on one half of the questions and report the other half.

    python -m eval.tune_fusion --qa ../shared/data/realworld/dev_qa.jsonl --limit 500

Prints the best settings per method (weighted RRF, weighted normalised scores) with held-out
figures next to each single leg, so a chosen weighting is never judged on the data that chose it.
"""

from __future__ import annotations

import argparse
import itertools
import random
from pathlib import Path

from eval.datasets import SAMPLE_RETRIEVAL, RetrievalCase, load_retrieval
from eval.metrics import dedupe, retrieval_summary
from govqa.bootstrap import Container
from govqa.config import Settings
from govqa.retrieval.fusion import weighted_rrf, weighted_scores

Legs = dict[str, list[tuple[str, float]]]


def doc_ranking(fused: list[tuple[str, float]], chunk_doc: dict[str, str], k: int = 10) -> list[str]:
    """Chunk ranking -> document ranking."""
    return dedupe(chunk_doc[c] for c, _ in fused if c in chunk_doc)[:k]


def evaluate(
    results: list[Legs],
    cases: list[RetrievalCase],
    chunk_doc: dict[str, str],
    method: str,
    weights: dict[str, float],
    k: int = 60,
) -> dict[str, float]:
    """Document-level summary of one fusion setting over the given questions."""
    rankings = []
    for legs in results:
        fused = weighted_rrf(legs, weights, k) if method == "rrf" else weighted_scores(legs, weights)
        rankings.append(doc_ranking(fused, chunk_doc))
    return retrieval_summary(rankings, [set(c.gold_docs) for c in cases])


def main() -> None:
    """Parse arguments, run, print."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--qa", type=Path, default=SAMPLE_RETRIEVAL)
    parser.add_argument("--dataset", action="append", default=[])
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    c = Container(Settings())
    snap = c.snapshot()
    chunk_doc = {cid: doc for doc, ids in snap.doc_chunks.items() for cid in ids}
    cases = load_retrieval(args.qa, tuple(args.dataset), args.limit)
    random.Random(0).shuffle(cases)
    retriever = c.retriever()
    results = [retriever.run_legs(case.question) for case in cases]
    half = len(cases) // 2
    dev, test = (results[:half], cases[:half]), (results[half:], cases[half:])
    print(f"{len(cases)} questions ({half} to choose, {len(cases) - half} to report)")
    for leg in ("dense", "bm25", "graph", "exact"):
        if any(leg in r for r in results):
            m = evaluate(
                *test, chunk_doc, "rrf", {n: (1.0 if n == leg else 0.0) for n in ("dense", "bm25", "graph", "exact")}
            )
            print(
                f"single leg {leg:<6} held-out hit@1 {m['hit@1']:.3f} hit@5 {m['hit@5']:.3f} mrr@10 {m['mrr@10']:.3f}"
            )
    grid = [0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0]
    for method, ks in (("rrf", (10, 30, 60)), ("scores", (0,))):
        best: tuple[float, dict[str, float], int] | None = None
        for wd, wb, wg, k in itertools.product(grid, grid, (0.0, 0.5, 1.0), ks):
            if wd == wb == 0:
                continue
            weights = {"dense": wd, "bm25": wb, "graph": wg, "exact": 5.0}
            score = evaluate(*dev, chunk_doc, method, weights, k or 60)["mrr@10"]
            if best is None or score > best[0]:
                best = (score, weights, k)
        assert best is not None
        held = evaluate(*test, chunk_doc, method, best[1], best[2] or 60)
        print(
            f"{method:<6} best on dev mrr@10 {best[0]:.3f} with {best[1]} k={best[2]}: "
            f"held-out hit@1 {held['hit@1']:.3f} hit@5 {held['hit@5']:.3f} mrr@10 {held['mrr@10']:.3f}"
        )


if __name__ == "__main__":
    main()
