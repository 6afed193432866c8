"""Ingest throughput and the share of time spent outside the embedder, then the incremental re-runs.

    python -m eval.bench.ingest_throughput PATH [--docs N]

Builds into a fresh temporary data directory with an empty vector cache, so the first run embeds
everything. Prints: first run (chunks/s, embed share), an unchanged re-run (ratio to the first),
and a run after changing one document (how many chunks were re-embedded). With --docs, only the
first N records of a JSONL file are used.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from eval.bench.common import rss_mb, table
from govqa.bootstrap import Container
from govqa.config import Settings
from ingest.pipeline import IngestOptions


def subset(path: Path, docs: int, folder: Path) -> Path:
    """The first `docs` records of a JSONL file, copied to folder."""
    out = folder / path.name
    with path.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= docs:
                break
            dst.write(line)
    return out


def change_one(path: Path) -> None:
    """Append a sentence to one document (a JSONL record or the first file of a folder)."""
    if path.suffix == ".jsonl":
        lines = path.read_text(encoding="utf-8").splitlines()
        record = json.loads(lines[0])
        record["text"] += "\n本条为测试修改。"
        lines[0] = json.dumps(record, ensure_ascii=False)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        first = sorted(p for p in path.rglob("*.md"))[0]
        first.write_text(first.read_text(encoding="utf-8") + "\n本条为测试修改。\n", encoding="utf-8")


def main() -> None:
    """Parse arguments, run, print."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path)
    parser.add_argument("--docs", type=int, default=0, help="use only the first N JSONL records")
    parser.add_argument("--untitled-collection", action="append", default=[])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = args.path
        if args.docs and source.suffix == ".jsonl":
            source = subset(source, args.docs, work)
        elif source.is_dir() or source.suffix != ".jsonl":
            import shutil

            target = work / "corpus"
            shutil.copytree(source, target) if source.is_dir() else shutil.copy(source, target)
            source = target
        c = Container(Settings(data_dir=work / "data", model_dir=Settings().model_dir))
        options = IngestOptions(untitled_collections=tuple(args.untitled_collection))
        rows = []
        first = c.ingest_pipeline().run([source], options)
        rows.append(
            {
                "run": "first (empty cache)",
                "seconds": first.seconds,
                "chunks": first.chunks_written,
                "embedded": first.embedded,
                "chunks_per_s": first.chunks_written / first.seconds,
                "outside_embedder": f"{100 * (1 - first.embed_seconds / first.seconds):.1f}%",
                "vs_first": "1.00x",
            }
        )
        t0 = time.perf_counter()
        again = c.ingest_pipeline().run([source], options)
        rows.append(
            {
                "run": "unchanged re-run",
                "seconds": time.perf_counter() - t0,
                "chunks": again.chunks_written,
                "embedded": again.embedded,
                "chunks_per_s": 0.0,
                "outside_embedder": "-",
                "vs_first": f"{again.seconds / first.seconds:.3f}x",
            }
        )
        change_one(source)
        changed = c.ingest_pipeline().run([source], options)
        rows.append(
            {
                "run": "one document changed",
                "seconds": changed.seconds,
                "chunks": changed.chunks_written,
                "embedded": changed.embedded,
                "chunks_per_s": changed.chunks_written / changed.seconds,
                "outside_embedder": f"{100 * (1 - changed.embed_seconds / changed.seconds):.1f}%",
                "vs_first": f"{changed.seconds / first.seconds:.3f}x",
            }
        )
        print(
            f"source: {args.path} ({first.documents_total} documents, {first.chunks_total} chunks); "
            f"embedder {c.embedder.model_id}"
        )
        print(table(rows))
        print(f"\nRSS: {rss_mb():.0f} MiB")
        c.close()


if __name__ == "__main__":
    main()
