"""What one API worker process holds per indexed chunk: the resident memory and the time to open an
index view (documents, items, per-document chunk ids, clause types, the BM25 postings, local-mode
vectors), and the bytes a generation takes on disk besides the vectors.

    python -m eval.bench.worker_memory [--copies 10 80] [--dim 384]

The corpus is the sample's policies copied N times, every sentence of copy k marked with (k) so
no copy is a duplicate of another; ingested with the hash embedder (vectors of `--dim`), each size
in a fresh process. The per-chunk figures are the slopes between the sizes, which cancel what a
worker holds whatever the corpus (interpreter, tokenizer dictionary, models).
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing as mp
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from eval.bench.common import rss_mb, table
from govqa.bootstrap import SAMPLE_CORPUS, Container
from govqa.config import Settings
from govqa.testing.fakes import HashEmbedder, ScriptedGenerator


def corpus(copies: int, folder: Path) -> Path:
    """The sample policies `copies` times, each copy's sentences marked with its number."""
    folder.mkdir(parents=True)
    for path in sorted((SAMPLE_CORPUS / "policies").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for k in range(copies):
            (folder / f"{path.stem}-{k:04d}.md").write_text(text.replace("。", f"（{k}）。"), encoding="utf-8")
    return folder


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@dataclass(frozen=True, slots=True)
class Size:
    """What one index size costs a worker."""

    chunks: int
    documents: int
    view_mib: float  # resident memory the opened view added
    open_seconds: float
    generation_mib: float  # the generation folder on disk, vectors left out
    vectors_mib: float  # the local-mode vector storage


def measure(copies: int, dim: int) -> Size:
    """Ingest `copies` copies, then open the view in a fresh container and measure it."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        settings = Settings(data_dir=work / "data")
        writer = Container(settings, embedder=HashEmbedder(dim), generator=ScriptedGenerator())
        report = writer.ingest_pipeline().run([corpus(copies, work / "src")])
        writer.close()
        live = writer.layout.current()
        if live is None:
            raise SystemExit("the ingest published nothing")
        reader = Container(settings, embedder=HashEmbedder(dim), generator=ScriptedGenerator())
        reader.tokenizer.tokenize("预热")  # the jieba dictionary is loaded whatever the corpus
        before = rss_mb()
        started = time.perf_counter()
        reader.snapshot()
        seconds = time.perf_counter() - started
        after = rss_mb()
        reader.close()
        vectors = _folder_bytes(live / "qdrant")
        return Size(
            chunks=report.chunks_total,
            documents=report.documents_total,
            view_mib=after - before,
            open_seconds=seconds,
            generation_mib=(_folder_bytes(live) - vectors) / 2**20,
            vectors_mib=vectors / 2**20,
        )


def main() -> None:
    """Parse arguments, measure each size in a fresh process, print the sizes and the slopes."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, nargs=2, default=(10, 80), metavar=("SMALL", "LARGE"))
    parser.add_argument("--dim", type=int, default=384, help="vector size (multilingual-e5-small: 384)")
    args = parser.parse_args()
    sizes: list[Size] = []
    for copies in args.copies:
        with mp.get_context("spawn").Pool(1) as pool:
            sizes.append(pool.apply(measure, (copies, args.dim)))
    print(table([dataclasses.asdict(size) for size in sizes]))
    small, large = sizes
    added = large.chunks - small.chunks
    print(f"resident per chunk: {(large.view_mib - small.view_mib) * 1024 / added:.2f} KiB")
    print(f"open time per chunk: {(large.open_seconds - small.open_seconds) * 1000 / added:.3f} ms")
    print(f"on disk per chunk, no vectors: {(large.generation_mib - small.generation_mib) * 1024 / added:.2f} KiB")
    print(f"local-mode vectors per chunk: {(large.vectors_mib - small.vectors_mib) * 1024 / added:.2f} KiB")


if __name__ == "__main__":
    main()
