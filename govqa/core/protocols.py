"""The seams between stages. Implementations satisfy these structurally; each has a contract test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from govqa.core.records import AuditEntry, CuratedEntry, Feedback, FeedbackQuery, LoggedTurn
from govqa.core.types import (
    Chunk,
    DialogueState,
    Document,
    Filters,
    LoadedDocument,
    RecordError,
    Reply,
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


@runtime_checkable
class ChoiceScorer(ContinuationScorer, Protocol):
    """A scorer that rates several replies to one chat, evaluating the chat only once."""

    def choice_logprobs(self, system: str, user: str, choices: Sequence[str], reply_prefix: str = "") -> list[float]:
        """`continuation_logprob` of each choice, in order (the chat and prefix evaluated once)."""
        ...


class GraphStore(Protocol):
    """The service-item knowledge graph as the rest of the system sees it (read side)."""

    def siblings(self, code: str) -> list[str]:
        """Codes of the near-twin items under the same 主项 (including `code`)."""
        ...

    def distinguishing(self, codes: list[str]) -> list[tuple[str, dict[str, list[str]]]]:
        """Attributes whose values split the candidates, most useful first: [(slot, {option: [codes]})]."""
        ...

    def clause_chunk_ids(self, code: str) -> list[str]:
        """Chunk ids of the clauses an item is based on."""
        ...

    def item_label(self, code: str) -> str:
        """The item's display name (its code when unknown)."""
        ...

    def item_node(self, code: str) -> dict[str, object]:
        """All attributes of an item ({} when unknown)."""
        ...

    def clauses_of(self, code: str) -> list[dict[str, object]]:
        """Clause (or policy) nodes an item is based on."""
        ...

    def stats(self) -> dict[str, int]:
        """Node counts per kind and the edge count."""
        ...

    def export(self, out: Path, fmt: str) -> None:
        """Write the whole graph as GraphML or node-link JSON."""
        ...

    def draw(self, code: str, out: Path) -> bool:
        """Draw an item's neighbourhood as a PNG; False when no CJK font was found (ids as labels)."""
        ...


class DocumentCatalog(Protocol):
    """Documents, chunks, items and the source ledger of one index generation (read side)."""

    def document(self, doc_id: str) -> Document | None:
        """One document, or None."""
        ...

    def documents(self) -> Iterator[Document]:
        """Every document."""
        ...

    def chunks(self, ids: Iterable[str]) -> dict[str, Chunk]:
        """The chunks with these ids that exist, by id."""
        ...

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """A document's chunks in order."""
        ...

    def clause_types(self) -> dict[str, str]:
        """Chunk id -> the clause type stored on it, for the chunks of typed policy articles."""
        ...

    def all_tokens(self) -> Iterator[tuple[str, str, list[str]]]:
        """(chunk id, document id, lexical tokens) of every chunk."""
        ...

    def items(self) -> list[ServiceItem]:
        """Every service item."""
        ...

    def aliases(self) -> dict[str, str]:
        """Near-duplicate document id -> the id of the document kept in its place."""
        ...

    def counts(self) -> dict[str, int]:
        """Numbers of documents, chunks and items."""
        ...

    def ledger_paths(self) -> list[str]:
        """Every ingested source path."""
        ...

    def ledger_docs(self, path: str) -> list[str]:
        """Ids of the documents a source path produced."""
        ...

    def ledger_hash(self, path: str) -> str | None:
        """The content hash a source path had when last ingested."""
        ...

    def last_ingest(self) -> str | None:
        """When the ledger last changed (ISO timestamp), or None."""
        ...

    def close(self) -> None:
        """Release the store."""
        ...


class CatalogWriter(DocumentCatalog, Protocol):
    """The catalog of a generation being built."""

    def put_document(self, doc: Document, chunks: Sequence[Chunk], tokens: Sequence[Sequence[str]]) -> None:
        """Store a document with its chunks and their lexical tokens (replacing an older version)."""
        ...

    def put_tokens(self, tokens: dict[str, Sequence[str]]) -> None:
        """Replace the lexical tokens of stored chunks."""
        ...

    def delete_document(self, doc_id: str) -> list[str]:
        """Remove a document; returns the ids of its chunks."""
        ...

    def document_hash(self, doc_id: str) -> str | None:
        """Content hash of a stored document."""
        ...

    def document_by_hash(self, content_hash: str) -> str | None:
        """Id of a stored document with exactly this content."""
        ...

    def put_item(self, item: ServiceItem, doc_id: str) -> None:
        """Store the service item a document describes."""
        ...

    def put_alias(self, doc_id: str, canonical_id: str, source_path: str) -> None:
        """Record a near-duplicate document as an alias of a kept one."""
        ...

    def put_signature(self, doc_id: str, sig: bytes, bands: Sequence[str]) -> None:
        """Store a document's near-duplicate signature."""
        ...

    def similar_candidates(self, bands: Sequence[str]) -> dict[str, bytes]:
        """Signatures of documents sharing a band with these."""
        ...

    def set_ledger(self, path: str, file_hash: str, doc_ids: Sequence[str]) -> None:
        """Record what a source path produced."""
        ...

    def drop_ledger(self, path: str) -> None:
        """Forget a source path."""
        ...

    def commit(self) -> None:
        """Make the changes durable."""
        ...


class StagingStores(Protocol):
    """The stores of an index generation being built."""

    @property
    def catalog(self) -> CatalogWriter:
        """Documents, chunks, tokens, items and the ledger."""
        ...

    @property
    def vectors(self) -> VectorIndex:
        """Chunk vectors."""
        ...

    def write_graph(self) -> None:
        """Build and write the service graph from what the catalog holds."""
        ...

    def optimize_vectors(self) -> None:
        """Build the vector index's search structures once every write is in."""
        ...

    def close(self) -> None:
        """Commit and release everything."""
        ...


class GenerationStores(Protocol):
    """Opens the stores of index generations for ingest (the engines stay behind it)."""

    @property
    def graph_format(self) -> str:
        """Format of the graph files this version writes (recorded in the manifest)."""
        ...

    def open_catalog(self, folder: Path) -> DocumentCatalog:
        """A published generation's catalog, for reading its ledger."""
        ...

    def open_staging(self, base: Path | None, staging: Path, dim: int) -> StagingStores:
        """Stores of a generation being built in `staging` from `base` (None: from nothing)."""
        ...

    def published(self) -> None:
        """Called after a publish, to drop the stores of pruned generations."""
        ...


class Tokenizer(Protocol):
    """The lexical leg's tokenizer; an index is searched only with the one it was built with."""

    @property
    def dictionary_id(self) -> str:
        """Names the tokenizer and its dictionary (recorded in the manifest)."""
        ...

    def tokenize(self, text: str) -> list[str]:
        """Lexical tokens of a text."""
        ...

    def general_frequency(self, word: str) -> int:
        """The word's count in a general-language dictionary (0 when unknown)."""
        ...


class MeteredEmbedder(Embedder, Protocol):
    """An embedder that counts what it really computed (the rest came from a cache)."""

    @property
    def embedded(self) -> int:
        """Texts embedded so far."""
        ...

    @property
    def embed_seconds(self) -> float:
        """Seconds spent embedding so far."""
        ...


@runtime_checkable
class ConcurrentEmbedder(Embedder, Protocol):
    """An embedder that works on several batches at once (a server answering requests in parallel)."""

    def embed_batches(self, batches: Sequence[Sequence[str]]) -> Iterator[Vector]:
        """One array of rows per batch, as `embed_documents` gives, yielded in the order of
        `batches` while later batches may still be in progress."""
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


class TurnLog(Protocol):
    """The conversation log: every question with its reply, personal numbers masked."""

    def append(self, session_id: str, question: str, reply: Reply) -> LoggedTurn:
        """Record a turn (numbered after the session's last one) and return it as stored."""
        ...

    def get(self, session_id: str, turn: int) -> LoggedTurn | None:
        """One turn of a session, or None."""
        ...

    def last_answer(self, session_id: str) -> LoggedTurn | None:
        """The session's most recent answer (not a clarifying question), or None."""
        ...

    def export(
        self, session_id: str | None = None, since: dt.date | None = None, until: dt.date | None = None
    ) -> Iterator[LoggedTurn]:
        """Turns in time order, optionally of one session and within days (inclusive, UTC)."""
        ...


class FeedbackStore(Protocol):
    """Citizens' ratings of answers, for operator triage."""

    def add(self, feedback: Feedback) -> Feedback:
        """Store a rating (its `id` is ignored) and return it with its id; text is masked."""
        ...

    def get(self, feedback_id: int) -> Feedback | None:
        """One rating, or None."""
        ...

    def find(self, query: FeedbackQuery) -> list[Feedback]:
        """Ratings matching the filters, newest first."""
        ...

    def mark_handled(self, feedback_id: int, curated_id: int | None = None) -> Feedback | None:
        """Mark a rating handled (and the curated answer written for it); None when unknown."""
        ...


class CuratedStore(Protocol):
    """Operator-pinned standard answers; kept outside the index generations, so they survive a reindex."""

    def add(
        self, question: str, answer: str, paraphrases: Sequence[str] = (), source_feedback: int | None = None
    ) -> CuratedEntry:
        """Store a new entry and return it."""
        ...

    def get(self, entry_id: int) -> CuratedEntry | None:
        """One entry, or None."""
        ...

    def all(self) -> list[CuratedEntry]:
        """Every entry, oldest first."""
        ...

    def update(self, entry_id: int, question: str, answer: str, paraphrases: Sequence[str]) -> CuratedEntry | None:
        """Replace an entry's texts; None when unknown."""
        ...

    def delete(self, entry_id: int) -> bool:
        """Remove an entry; False when unknown."""
        ...

    def revision(self) -> int:
        """A number that changes with every write, so readers know when to reload."""
        ...


class AuditLog(Protocol):
    """Every admin action, append-only."""

    def record(self, who: str, action: str, outcome: str, detail: str = "") -> None:
        """Append one entry (timestamped by the store)."""
        ...

    def recent(self, limit: int = 200) -> list[AuditEntry]:
        """The latest entries, newest first."""
        ...
