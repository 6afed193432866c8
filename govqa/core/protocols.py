"""The seams between stages. Implementations satisfy these structurally; each has a contract test."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from govqa.core.types import (
    Chunk,
    DialogueState,
    Document,
    Filters,
    LoadedDocument,
    RecordError,
    ScoredChunk,
    ServiceItem,
)

Vector = npt.NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    """Turns text into L2-normalised vectors; queries and passages may be encoded differently."""

    @property
    def model_id(self) -> str:
        """A stable name of the model and its settings, recorded in the index manifest."""
        ...

    @property
    def dim(self) -> int:
        """Vector dimension."""
        ...

    def embed_documents(self, texts: Sequence[str]) -> Vector:
        """Return one row per text, shape (len(texts), dim), float32, L2-normalised."""
        ...

    def embed_query(self, text: str) -> Vector:
        """Return one vector of shape (dim,), float32, L2-normalised."""
        ...


@runtime_checkable
class VectorIndex(Protocol):
    """Dense nearest-neighbour search over chunk vectors."""

    def upsert(self, chunks: Sequence[Chunk], docs: Sequence[Document], vectors: Vector) -> None:
        """Insert or replace chunks (matched by id) with their vectors and filterable payload."""
        ...

    def delete(self, chunk_ids: Sequence[str]) -> None:
        """Remove chunks; unknown ids are ignored."""
        ...

    def search(self, vector: Vector, k: int, filters: Filters) -> list[tuple[str, float]]:
        """Return up to k (chunk_id, cosine score) pairs, best first."""
        ...

    def count(self) -> int:
        """Number of stored chunks."""
        ...


@runtime_checkable
class LexicalIndex(Protocol):
    """Keyword (BM25) search over pre-tokenised chunks."""

    def add(self, chunk_ids: Sequence[str], tokens: Sequence[Sequence[str]]) -> None:
        """Add or replace chunks with their tokens."""
        ...

    def delete(self, chunk_ids: Sequence[str]) -> None:
        """Remove chunks; unknown ids are ignored."""
        ...

    def search(self, tokens: Sequence[str], k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Return up to k (chunk_id, BM25 score) pairs with score > 0, best first."""
        ...

    def count(self) -> int:
        """Number of stored chunks."""
        ...


class Retriever(Protocol):
    """Ranks chunks for a question."""

    def retrieve(self, text: str, k: int, filters: Filters) -> list[ScoredChunk]:
        """Return up to k scored chunks, best first."""
        ...


class Generator(Protocol):
    """A chat LLM."""

    @property
    def model_id(self) -> str:
        """A stable name of the model."""
        ...

    def generate(self, system: str, user: str, max_tokens: int) -> str:
        """Return the full completion."""
        ...

    def stream(self, system: str, user: str, max_tokens: int) -> Iterator[str]:
        """Yield the completion piece by piece."""
        ...


@runtime_checkable
class ContinuationScorer(Protocol):
    """A language model that can say how likely a given reply is (used to rerank by question likelihood)."""

    def continuation_logprob(self, system: str, user: str, continuation: str, reply_prefix: str = "") -> float:
        """Mean log-probability per token of `continuation` where the reply to the chat starts with
        `reply_prefix` (given, not scored) followed by `continuation`."""
        ...


class GraphStore(Protocol):
    """The service-item knowledge graph as the rest of the system sees it."""

    def items(self) -> list[ServiceItem]:
        """All service items."""
        ...

    def item(self, code: str) -> ServiceItem | None:
        """One item by 事项编码, or None."""
        ...


class SessionStore(Protocol):
    """Dialogue state per session."""

    def load(self, session_id: str) -> DialogueState:
        """Return the stored state or a fresh one."""
        ...

    def save(self, state: DialogueState) -> None:
        """Persist the state."""
        ...


class Loader(Protocol):
    """Reads one source file into documents (a catalogue file may hold many)."""

    suffixes: tuple[str, ...]

    def load(self, path: Path) -> Iterable[LoadedDocument | RecordError]:
        """Yield documents (and per-record errors); raise LoadError when the whole file is unreadable."""
        ...


class Chunker(Protocol):
    """Splits a document into chunks."""

    version: str

    def chunk(self, doc: Document) -> list[Chunk]:
        """Return the document's chunks in order, with offsets into doc.text."""
        ...
