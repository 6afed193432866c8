"""What real citizen messages get from the dialogue policy: a question back, an answer, a refusal.

    python -m eval.realworld_clarify --queries MESSAGES.jsonl [--n 300] [--examples 20] [--seed 7]

Uses the index of GOVQA_DATA_DIR as it is. Only the decision is taken (the router's answer mode,
no LLM call), so several hundred messages take a minute or two. Prints the share of each mode,
the clarifying questions with their options, and up to `--examples` messages per mode; writes JSON
and Markdown to --out.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from pathlib import Path
from typing import Any

from eval.datasets import read_jsonl
from eval.metrics import percentile
from govqa.bootstrap import Container
from govqa.config import Settings
from govqa.dialogue.routes import Clarify
from govqa.testing.fakes import ScriptedGenerator


def main() -> None:
    """Parse arguments, route the sample, print and write the results."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--examples", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("eval/results"))
    args = parser.parse_args()
    c = Container(Settings(), generator=ScriptedGenerator())
    rows = list(read_jsonl(args.queries))
    sample = random.Random(args.seed).sample(rows, min(args.n, len(rows)))
    results: list[dict[str, Any]] = []
    for i, row in enumerate(sample):
        text = str(row["query"])[: c.settings.max_question_chars].strip()
        if not text:
            continue
        t0 = time.perf_counter()
        route = c.answer_service.route(f"rw-clarify-{i}-{time.time_ns()}", text)
        seconds = time.perf_counter() - t0
        result: dict[str, Any] = {"id": row.get("id"), "query": text, "mode": str(route.mode), "seconds": seconds}
        if isinstance(route, Clarify):
            result["question"] = route.reply.text
            result["options"] = list(route.reply.options)
        else:
            result["reason"] = getattr(route, "reason", "")
        results.append(result)
    modes = Counter(r["mode"] for r in results)
    asks = [r["seconds"] for r in results if r["mode"] == "clarify"]
    summary = {
        "n": len(results),
        "modes": dict(modes),
        "clarify_share": modes["clarify"] / len(results) if results else 0.0,
        "seconds_p50": percentile([r["seconds"] for r in results], 50) if results else None,
        "clarify_seconds_p50": percentile(asks, 50) if asks else None,
        "settings": {"queries": str(args.queries), "n": args.n, "seed": args.seed, "index": str(c.layout.root)},
    }
    examples = {m: [r for r in results if r["mode"] == m][: args.examples] for m in modes}
    args.out.mkdir(parents=True, exist_ok=True)
    data = {"summary": summary, "examples": examples, "results": results}
    (args.out / "realworld_clarify.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    lines = ["# Real citizen messages through the dialogue policy", "", "```", json.dumps(summary, indent=2), "```"]
    for mode, rows_ in examples.items():
        lines += ["", f"## {mode}", ""]
        for r in rows_:
            extra = f" → {r['question']} {' / '.join(r['options'])}" if mode == "clarify" else ""
            lines.append(f"- {r['query'][:80]}{extra}")
    (args.out / "realworld_clarify.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(json.dumps(summary, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
