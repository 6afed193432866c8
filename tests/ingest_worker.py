"""Runs an ingest on fakes in a separate process, slowed down so a test can kill it mid-run."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from govqa.bootstrap import Container
from govqa.config import Settings
from govqa.testing.fakes import HashEmbedder
from ingest import pipeline
from ingest.pipeline import IngestOptions


class SlowEmbedder(HashEmbedder):
    def embed_documents(self, texts):  # type: ignore[no-untyped-def]
        time.sleep(0.3)
        return super().embed_documents(texts)


if __name__ == "__main__":
    data, source = Path(sys.argv[1]), Path(sys.argv[2])
    pipeline.FLUSH_CHUNKS = 8  # many small batches, so a kill lands between them
    c = Container(
        Settings(data_dir=data, model_dir=data / "models", embedder={"batch_size": 8}), embedder=SlowEmbedder(64)
    )
    report = c.ingest_pipeline().run([source], IngestOptions())
    print(report.generation, report.embedded, flush=True)
