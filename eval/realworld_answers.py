"""Answers on a real knowledge base: what citizens' questions get, by answer mode.

    python -m eval.realworld_answers --qa DEV_QA.jsonl [--queries MESSAGES.jsonl] [--n 100] [--m 50]

Uses the index of GOVQA_DATA_DIR as it is (ingest the knowledge base there first, titles kept).
`--qa` rows carry `question`, `source_ids` and `dataset`; `--dataset` picks which (default
bj_faq). `--queries` rows carry `query` (real citizen messages without answers). Samples are seeded.
For QA rows it reports the share answered from the right entry (a citation of a gold id), answered
from another entry, and refused; for messages, what each got. Writes JSON and Markdown to --out.
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
from govqa.core.types import Answer


def _ask(c: Container, session: str, text: str) -> dict[str, Any]:
    t0 = time.perf_counter()
    reply = c.answer_service.handle(session, text[: c.settings.max_question_chars])
    seconds = time.perf_counter() - t0
    cited = [x.doc_id for x in reply.citations] if isinstance(reply, Answer) else []
    mode = reply.mode if isinstance(reply, Answer) else "clarify"
    return {"mode": mode, "cited": cited, "seconds": round(seconds, 2), "reply": reply.text[:240]}


def main() -> None:
    """Parse arguments, run both samples, print and write the results."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--qa", type=Path, required=True)
    parser.add_argument("--dataset", default="bj_faq")
    parser.add_argument("--queries", type=Path)
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--m", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("eval/results"))
    args = parser.parse_args()
    c = Container(Settings())
    rng = random.Random(args.seed)
    rows = [r for r in read_jsonl(args.qa) if r.get("dataset") == args.dataset]
    qa = []
    for i, row in enumerate(rng.sample(rows, min(args.n, len(rows)))):
        got = _ask(c, f"rw-qa-{i}-{time.time_ns()}", str(row["question"]))
        gold = set(row.get("source_ids") or ())
        got["outcome"] = (
            "right entry" if gold & set(got["cited"]) else ("other entry" if got["cited"] else "no citation")
        )
        qa.append({"id": row["id"], "question": row["question"], **got})
    messages = []
    if args.queries:
        queries = list(read_jsonl(args.queries))
        for i, row in enumerate(rng.sample(queries, min(args.m, len(queries)))):
            messages.append(
                {"id": row.get("id"), "query": row["query"], **_ask(c, f"rw-q-{i}-{time.time_ns()}", str(row["query"]))}
            )
    summary = {
        "qa": {
            "n": len(qa),
            "outcomes": dict(Counter(r["outcome"] for r in qa)),
            "modes": dict(Counter(r["mode"] for r in qa)),
            "p50_s": percentile([r["seconds"] for r in qa], 50) if qa else None,
        },
        "messages": {
            "n": len(messages),
            "modes": dict(Counter(r["mode"] for r in messages)),
            "p50_s": percentile([r["seconds"] for r in messages], 50) if messages else None,
            "max_s": max((r["seconds"] for r in messages), default=None),
        },
        "settings": {"qa": str(args.qa), "dataset": args.dataset, "queries": str(args.queries), "seed": args.seed},
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "realworld_answers.json").write_text(
        json.dumps({"summary": summary, "qa": qa, "messages": messages}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    lines = [
        "# Real knowledge-base answers",
        "",
        "```json",
        json.dumps(summary, ensure_ascii=False, indent=1),
        "```",
        "",
    ]
    lines += ["## Citizen messages", "", "| message | mode | reply |", "|---|---|---|"]
    for r in messages:
        lines.append(f"| {r['query'][:60]} | {r['mode']} | {r['reply'][:100].replace('|', '/')} |")
    (args.out / "realworld_answers.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(json.dumps(summary, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
