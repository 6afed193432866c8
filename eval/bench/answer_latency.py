"""Time to first token and full answer time with the configured LLM, plus the process RSS.

    python -m eval.bench.answer_latency [--n 8]

Uses the index of GOVQA_DATA_DIR and the clause questions of the sample retrieval set (they are
answered by the LLM, not by a clarifying question or from guide fields). Prints per-question
figures and p50 of each.
"""

from __future__ import annotations

import argparse
import time

from eval.bench.common import rss_mb, table
from eval.datasets import SAMPLE_RETRIEVAL, load_retrieval
from eval.metrics import percentile
from govqa.bootstrap import Container
from govqa.config import Settings


def main() -> None:
    """Parse arguments, run, print."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=8)
    args = parser.parse_args()
    c = Container(Settings())
    t0 = time.perf_counter()
    _ = c.generator, c.embedder
    c.retriever().linker()
    load_s = time.perf_counter() - t0
    rows = []
    checks = load_retrieval(SAMPLE_RETRIEVAL, ("clause",))[: args.n]
    for i, check in enumerate(checks):
        start = time.perf_counter()
        first = None
        pieces = 0
        for part in c.answer_service.stream(f"bench-{i}-{time.time_ns()}", check.question):
            if isinstance(part, str):
                pieces += 1
                if first is None:
                    first = time.perf_counter() - start
        total = time.perf_counter() - start
        rows.append(
            {
                "question": check.question[:24],
                "ttft_s": first or total,
                "total_s": total,
                "pieces": pieces,
                "kind": type(part).__name__,
            }
        )
    print(f"models loaded in {load_s:.1f}s; LLM {c.generator.model_id}")
    print(table(rows))
    print(
        f"\np50 time to first token {percentile([r['ttft_s'] for r in rows], 50):.2f}s, "  # type: ignore[misc]
        f"p50 full answer {percentile([r['total_s'] for r in rows], 50):.2f}s; RSS {rss_mb():.0f} MiB"
    )


if __name__ == "__main__":
    main()
