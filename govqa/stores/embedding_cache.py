"""Vectors cached by (embedder id, text hash): an unchanged chunk is never embedded twice,
and a killed ingest resumes without redoing finished batches."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from govqa.core.ids import content_hash
from govqa.core.protocols import ConcurrentEmbedder, Embedder, Vector


class CachedEmbedder:
    """Wraps an Embedder; documents are looked up in SQLite before being embedded."""

    def __init__(self, inner: Embedder, path: Path, batch_size: int = 64) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._inner = inner
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, hash TEXT, vec BLOB, PRIMARY KEY (model, hash))"
        )
        self._batch = batch_size
        self.embedded = 0  # texts actually sent to the model, for reports and tests
        self.embed_seconds = 0.0

    @property
    def model_id(self) -> str:
        return self._inner.model_id

    @property
    def dim(self) -> int:
        return self._inner.dim

    def embed_query(self, text: str) -> Vector:
        # One question is embedded by several parts of a request (dense leg, item linker, option
        # matching); a small LRU saves the repeats. Rows are read-only so no caller can alter them.
        return self._query_lru(text)

    def clear_query_cache(self) -> None:
        """Forget remembered query vectors (benchmarks measure cold questions)."""
        self._query_lru.cache_clear()

    @functools.lru_cache(maxsize=512)  # noqa: B019 - the cache lives as long as the embedder, by design
    def _query_lru(self, text: str) -> Vector:
        vector = self._inner.embed_query(text)
        vector.setflags(write=False)
        return vector

    def embed_documents(self, texts: Sequence[str]) -> Vector:
        import time

        hashes = [content_hash(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        model = self.model_id
        for i in range(0, len(hashes), 500):
            part = list(set(hashes[i : i + 500]))
            marks = ",".join("?" * len(part))
            for h, blob in self._db.execute(
                f"SELECT hash, vec FROM vectors WHERE model=? AND hash IN ({marks})", [model, *part]
            ):
                found[h] = np.frombuffer(blob, dtype=np.float32)
        missing = list(dict.fromkeys(i for i, h in enumerate(hashes) if h not in found))
        batches = [missing[start : start + self._batch] for start in range(0, len(missing), self._batch)]
        batch_texts = [[texts[i] for i in batch] for batch in batches]
        results: Iterator[Vector]
        if isinstance(self._inner, ConcurrentEmbedder):
            # An endpoint serving requests in parallel gets every batch at once; they come back in order.
            results = self._inner.embed_batches(batch_texts)
        else:
            results = map(self._inner.embed_documents, batch_texts)
        t0 = time.perf_counter()  # wall time: batches sent in parallel overlap
        try:
            for batch, vectors in zip(batches, results):
                self.embedded += len(batch)
                rows = [(model, hashes[i], v.astype(np.float32).tobytes()) for i, v in zip(batch, vectors)]
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?,?,?)", rows)
                self._db.commit()  # per batch, so a killed run keeps what it paid for
                for i, v in zip(batch, vectors):
                    found[hashes[i]] = v
        finally:
            self.embed_seconds += time.perf_counter() - t0
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([found[h] for h in hashes]).astype(np.float32)

    def close(self) -> None:
        """Close the cache database."""
        self._db.close()
