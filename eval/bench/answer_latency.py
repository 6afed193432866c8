"""Time to first shown text and full answer time per answer mode, with the configured models.

    python -m eval.bench.answer_latency [--per-kind 4] [--checks FILE]

Uses the index of GOVQA_DATA_DIR (run `govqa ingest --sample` first) and the committed answer
checks, taking up to N questions of each check kind so every answer mode is exercised. Models are
loaded before timing. Prints one row per question, then p50/p95 of both times per mode and the RSS.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from eval.bench.common import rss_mb, table
from eval.datasets import SAMPLE_ANSWERS, load_answer_checks
from eval.metrics import percentile
from govqa.bootstrap import Container
from govqa.config import Settings


def main() -> None:
    """Parse arguments, run, print."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-kind", type=int, default=4, help="questions per check kind")
    parser.add_argument("--checks", type=Path, default=SAMPLE_ANSWERS)
    args = parser.parse_args()
    c = Container(Settings())
    t0 = time.perf_counter()
    _ = c.generator, c.embedder
    c.retriever().linker()
    c.generator.generate("你好", "你好", 4)  # first llama.cpp call allocates its buffers
    load_s = time.perf_counter() - t0
    taken: dict[str, int] = defaultdict(int)
    rows = []
    for check in load_answer_checks(args.checks):
        if taken[check.kind] >= args.per_kind:
            continue
        taken[check.kind] += 1
        session = f"bench-{check.id}-{time.time_ns()}"
        for turn in check.setup:
            c.answer_service.handle(session, turn)
        start = time.perf_counter()
        first = None
        final = None
        for part in c.answer_service.stream(session, check.question):
            if isinstance(part, str):
                first = first if first is not None else time.perf_counter() - start
            else:
                final = part
        total = time.perf_counter() - start
        mode = getattr(final, "mode", "") or ("clarify" if hasattr(final, "options") else "answer")
        rows.append({"id": check.id, "mode": mode, "ttft_s": first if first is not None else total, "total_s": total})
    print(f"models loaded in {load_s:.1f}s; LLM {c.generator.model_id}")
    print(table(rows))
    by_mode: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        by_mode[str(row["mode"])].append(row)
    summary = [
        {
            "mode": mode,
            "n": len(group),
            "ttft_p50_s": percentile([float(r["ttft_s"]) for r in group], 50),  # type: ignore[arg-type]
            "ttft_p95_s": percentile([float(r["ttft_s"]) for r in group], 95),  # type: ignore[arg-type]
            "total_p50_s": percentile([float(r["total_s"]) for r in group], 50),  # type: ignore[arg-type]
            "total_p95_s": percentile([float(r["total_s"]) for r in group], 95),  # type: ignore[arg-type]
        }
        for mode, group in sorted(by_mode.items())
    ]
    print()
    print(table(summary))
    print(f"\nRSS {rss_mb():.0f} MiB")


if __name__ == "__main__":
    main()
