"""Retrieval latency (no LLM, warm process): per leg and hybrid, p50/p95, optionally under load,
and the scaling legs (dense, BM25) on an index replicated to N chunks.

    python -m eval.bench.retrieval_latency --qa ../shared/data/realworld/dev_qa.jsonl --n 200
    python -m eval.bench.retrieval_latency --load ingest        # while an embedder runs in parallel
    python -m eval.bench.retrieval_latency --scale 300000       # dense + BM25 at 300k chunks

Uses the index of GOVQA_DATA_DIR as it is (ingest first). Prints Markdown.
"""

from __future__ import annotations

import argparse
import functools
import random
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from eval.bench.common import background_load, rss_mb, table
from eval.datasets import SAMPLE_RETRIEVAL, load_retrieval
from eval.metrics import percentile
from govqa.bootstrap import Container
from govqa.config import Settings
from govqa.core.types import Filters


def measure(fn: Callable[[str], object], questions: list[str]) -> dict[str, float]:
    """p50/p95/mean in ms of fn(question) over the questions."""
    times = []
    for q in questions:
        t0 = time.perf_counter()
        fn(q)
        times.append((time.perf_counter() - t0) * 1000)
    return {"p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95), "mean_ms": sum(times) / len(times)}


def run_legs(c: Container, questions: list[str], label: str) -> list[dict[str, object]]:
    """Latency rows for the dense leg, the BM25 leg and the hybrid retriever."""
    rows = []
    for legs in (("dense",), ("bm25",), ("dense", "bm25", "graph", "exact")):
        r = c.retriever(legs)
        r.retrieve("预热", 10, Filters())
        c.embedder.clear_query_cache()  # every system embeds each question afresh
        rows.append(
            {
                "condition": label,
                "system": "+".join(legs) if len(legs) < 4 else "hybrid",
                **measure(functools.partial(r.retrieve, k=10, filters=Filters()), questions),
            }
        )
    return rows


def scaled(c: Container, questions: list[str], target: int) -> list[dict[str, object]]:
    """Dense (Qdrant local) and BM25 legs at `target` chunks, replicating the real index with noise."""
    from qdrant_client import QdrantClient, models

    from govqa.stores.bm25 import BM25Index
    from govqa.stores.qdrant_index import QdrantVectorIndex, unit_rows

    snap = c.snapshot()
    ids, tokens = [], []
    for cid, _, toks in snap.catalog.all_tokens():
        ids.append(cid)
        tokens.append(toks)
    if not isinstance(snap.vectors, QdrantVectorIndex):
        raise SystemExit("the scaled benchmark copies vectors out of a Qdrant index")
    base = np.array([v for _, v in snap.vectors.points()], dtype=np.float32)
    reps = max(1, target // len(ids))
    rng = np.random.default_rng(0)
    bm25 = BM25Index()
    for r in range(reps):
        bm25.add([f"{cid}~{r}" for cid in ids], tokens)
    client = QdrantClient(location=":memory:")
    index = QdrantVectorIndex(client, "scaled", base.shape[1])  # the product's collection settings (DOT)
    # Baseline in the same process: the COSINE collection indexes were written with before DOT.
    client.create_collection(
        "cosine", vectors_config=models.VectorParams(size=base.shape[1], distance=models.Distance.COSINE)
    )
    n = 0
    for _ in range(reps):
        noisy = unit_rows(base + rng.normal(scale=0.01, size=base.shape).astype(np.float32))
        for i in range(0, len(noisy), 2048):
            block = noisy[i : i + 2048]
            for name in ("scaled", "cosine"):
                client.upsert(
                    name, points=models.Batch(ids=list(range(n, n + len(block))), vectors=block.tolist()), wait=True
                )
            n += len(block)
    tok = c.tokenizer
    bm25.search(tok.tokenize("预热"), 10)
    embed = c.embedder
    vectors = {q: embed.embed_query(q) for q in questions}
    dense = measure(lambda q: index.search(vectors[q], 50, Filters()), questions)
    cosine = measure(lambda q: client.query_points("cosine", query=vectors[q].tolist(), limit=50), questions)
    lexical = measure(lambda q: bm25.search(tok.tokenize(q), 50), questions)
    embed.clear_query_cache()  # the vectors above were remembered; time fresh embeddings
    query = measure(lambda q: embed.embed_query(q), questions)
    return [
        {"condition": f"{n} chunks", "system": "dense search only", **dense},
        {
            "condition": f"{n} chunks",
            "system": f"dense, COSINE collection as before (p50 {cosine['p50_ms'] / dense['p50_ms']:.2f}x of DOT)",
            **cosine,
        },
        {"condition": f"{bm25.count()} chunks", "system": "bm25 search only", **lexical},
        {"condition": "-", "system": "query embedding", **query},
    ]


def main() -> None:
    """Parse arguments, run, print."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--qa", type=Path, default=SAMPLE_RETRIEVAL)
    parser.add_argument("--n", type=int, default=200, help="questions sampled from --qa")
    parser.add_argument("--load", choices=("none", "ingest", "llm", "all"), default="none")
    parser.add_argument("--scale", type=int, default=0, help="also measure dense/BM25 at this many chunks")
    args = parser.parse_args()
    c = Container(Settings())
    snap = c.snapshot()
    cases = load_retrieval(args.qa)
    random.Random(0).shuffle(cases)
    questions = [x.question for x in cases[: args.n]]
    print(
        f"index: {snap.manifest.chunks} chunks, {snap.manifest.documents} documents; {len(questions)} questions; "
        f"embedder {snap.manifest.embedder_id}"
    )
    rows = run_legs(c, questions, "idle")
    loads = ("ingest", "llm") if args.load == "all" else (() if args.load == "none" else (args.load,))
    for kind in loads:
        with background_load(kind, str(c.settings.model_dir)):
            rows += run_legs(c, questions, f"during {kind}")
    if loads:
        idle = {r["system"]: r["p50_ms"] for r in rows if r["condition"] == "idle"}
        for r in rows:
            r["p50_vs_idle"] = f"{float(r['p50_ms']) / float(idle[r['system']]):.2f}x"  # type: ignore[arg-type]
    print(table(rows))
    if args.scale:
        print()
        print(table(scaled(c, questions, args.scale)))
    print(f"\nRSS of this process: {rss_mb():.0f} MiB")


if __name__ == "__main__":
    main()
