"""Clause labelling on the real law corpus: time per clause by rules and by the LLM, and how many
clauses the rules leave to the LLM.

    python -m eval.bench.clause_labelling [--corpus ../shared/data/realworld/corpus.jsonl]
        [--docs 0] [--llm-sample 200] [--seed 7]

Every law document's articles are read through the ingest chunker and labelled by rules (type and
attributes); a random sample of them is then typed by the LLM (no cache: each is a real call), once
for the clauses the rules are unsure of as the combined labeller would send them. Prints the rule
time per clause, the LLM time per clause, the share of unsure clauses and the projected ingest cost
of the LLM fallback.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections import Counter
from pathlib import Path

from eval.bench.common import table
from eval.clause_set import REALWORLD_CORPUS
from eval.metrics import percentile
from govqa.bootstrap import Container
from govqa.config import Settings
from govqa.policy.attributes import extract_attributes
from govqa.policy.clauses import clauses_of_document
from govqa.policy.llm_typing import LLMClauseTyper
from govqa.policy.rules import rule_type
from govqa.policy.types import Clause
from ingest.chunking import StructureChunker
from ingest.loaders import record_document


def law_clauses(corpus: Path, limit: int) -> list[Clause]:
    """The articles of the corpus's law documents (the first `limit` documents; 0 = all)."""
    chunker = StructureChunker()
    out: list[Clause] = []
    docs = 0
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row.get("collection") != "law":
                continue
            out += clauses_of_document(record_document(row, str(corpus), "law", True).document, chunker)
            docs += 1
            if limit and docs >= limit:
                break
    return out


def main() -> None:
    """Parse arguments, run, print."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=REALWORLD_CORPUS)
    parser.add_argument("--docs", type=int, default=0, help="law documents to read (0 = all)")
    parser.add_argument("--llm-sample", type=int, default=200, help="clauses typed by the LLM")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not args.corpus.is_file():
        raise SystemExit(f"corpus not found: {args.corpus} (the real-world data is on development machines only)")
    t0 = time.perf_counter()
    clauses = law_clauses(args.corpus, args.docs)
    read_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    verdicts = [rule_type(c.text, c.headings) for c in clauses]
    type_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for clause, verdict in zip(clauses, verdicts, strict=True):
        extract_attributes(clause.text, verdict.type)
    attr_s = time.perf_counter() - t0
    unsure = sum(v.unsure for v in verdicts)
    n = len(clauses)

    c = Container(Settings())
    llm = LLMClauseTyper(c.clause_scorer, c.llm_id())  # no cache: every clause is a real call
    sample = random.Random(args.seed).sample(clauses, min(args.llm_sample, n))
    if sample:
        llm.type_of("第一条　本办法自公布之日起施行。")  # loads the model and evaluates the fixed prompt head
    times: list[float] = []
    agree = 0
    for clause in sample:
        t = time.perf_counter()
        kind, _ = llm.type_of(clause.text)
        times.append(time.perf_counter() - t)
        agree += kind == rule_type(clause.text, clause.headings).type
    llm_mean = sum(times) / len(times) if times else 0.0
    pct = (lambda p: 1000 * percentile(times, p)) if times else (lambda p: 0.0)
    print(f"law clauses: {n} from {args.corpus.name} (read and chunked in {read_s:.1f}s)")
    rows: list[dict[str, object]] = [
        {"step": "rules: type", "clauses": n, "total s": type_s, "ms per clause": f"{1000 * type_s / n:.3f}"},
        {"step": "rules: attributes", "clauses": n, "total s": attr_s, "ms per clause": f"{1000 * attr_s / n:.3f}"},
        {
            "step": "LLM: type",
            "clauses": len(sample),
            "total s": sum(times),
            "ms per clause": f"{1000 * llm_mean:.0f} (p50 {pct(50):.0f}, p95 {pct(95):.0f})",
        },
    ]
    print(table(rows))
    print(f"rules unsure (sent to the LLM by the combined labeller): {unsure} of {n} = {unsure / n:.1%}")
    print(f"LLM agrees with the rules' type on {agree} of {len(sample)} sampled clauses")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"projected LLM fallback at ingest for these {n} clauses: {unsure * llm_mean / 60:.1f} min "
        f"(rules alone: {(type_s + attr_s):.1f}s)"
    )
    print("rules' types:", dict(Counter(v.type for v in verdicts).most_common()))


if __name__ == "__main__":
    main()
