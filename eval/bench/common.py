"""Shared helpers of the benchmark scripts: RSS, background load, table printing."""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager


def rss_mb() -> float:
    """Current resident set size of this process in MiB (Linux /proc, else peak RSS)."""
    try:
        with open(f"/proc/{os.getpid()}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _burn_embedder(stop: mp.synchronize.Event) -> None:
    from govqa.models.embedders import E5Embedder

    e5 = E5Embedder()
    text = ["江临市住房公积金管理办法第十五条规定职工可以提取住房公积金账户内的存储余额。" * 3] * 16
    while not stop.is_set():
        e5.embed_documents(text)


def _burn_llm(stop: mp.synchronize.Event, model_dir: str) -> None:
    from pathlib import Path

    from govqa.models.bundled_gguf import ensure_bundled_gguf
    from govqa.models.generators import LlamaCppGenerator

    llm = LlamaCppGenerator(ensure_bundled_gguf(Path(model_dir)), threads=2)
    while not stop.is_set():
        llm.generate("你是助手。", "请介绍住房公积金的用途。", 64)


@contextmanager
def background_load(kind: str, model_dir: str = "") -> Iterator[None]:
    """Run an embedding ("ingest") or generation ("llm") loop in another process meanwhile."""
    if kind == "none":
        yield
        return
    stop = mp.Event()
    target, args = (_burn_embedder, (stop,)) if kind == "ingest" else (_burn_llm, (stop, model_dir))
    proc = mp.Process(target=target, args=args, daemon=True)
    proc.start()
    time.sleep(8)  # let the load reach steady state (models loaded)
    try:
        yield
    finally:
        stop.set()
        proc.join(timeout=30)
        if proc.is_alive():
            proc.kill()


def table(rows: list[dict[str, object]]) -> str:
    """A Markdown table of dict rows (same keys)."""
    if not rows:
        return ""
    keys = list(rows[0])
    fmt = lambda v: f"{v:.2f}" if isinstance(v, float) else str(v)  # noqa: E731
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(fmt(r[k]) for k in keys) + " |" for r in rows]
    return "\n".join(lines)
