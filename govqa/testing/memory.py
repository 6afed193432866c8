"""In-memory stores behind the same Protocols as the real adapters (and the same contract tests),
so retrieval, dialogue and generation can be tested in milliseconds without Qdrant or SQLite."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from govqa import messages
from govqa.core.manifest import Manifest
from govqa.core.protocols import Embedder, Vector
from govqa.core.records import CuratedEntry
from govqa.core.types import Chunk, DialogueState, Document, Filters, LoadedDocument, ServiceItem
from govqa.core.view import IndexView, load_view


class InMemoryVectorIndex:
    """Exact cosine search over a dict of unit vectors, with the payload filters of the real index."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._rows: dict[str, tuple[np.ndarray, dict[str, str | bool]]] = {}

    def upsert(self, chunks: Sequence[Chunk], docs: Sequence[Document], vectors: Vector) -> None:
        """Insert or replace chunks with their vectors (stored as unit vectors)."""
        rows = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        for chunk, doc, row in zip(chunks, docs, rows):
            norm = float(np.linalg.norm(row))
            payload: dict[str, str | bool] = {
                "region": doc.region,
                "doc_type": doc.doc_type,
                "collection": doc.collection,
                "item_code": chunk.item_code,
                "internal": doc.internal,
            }
            self._rows[chunk.id] = (row / norm if norm else row, payload)

    def delete(self, chunk_ids: Sequence[str]) -> None:
        """Remove chunks; unknown ids are ignored."""
        for cid in chunk_ids:
            self._rows.pop(cid, None)

    def search(self, vector: Vector, k: int, filters: Filters) -> list[tuple[str, float]]:
        """Top k (chunk id, cosine) under the payload filters, ties by id."""
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        norm = float(np.linalg.norm(query))
        query = query / norm if norm else query
        wanted = {
            "region": filters.regions,
            "doc_type": filters.doc_types,
            "collection": filters.collections,
            "item_code": filters.item_codes,
            "doc_id": filters.doc_ids,
        }
        scored = [
            (cid, float(row @ query))
            for cid, (row, payload) in self._rows.items()
            if all(not values or payload[key] in values for key, values in wanted.items())
            and not (filters.public_only and payload["internal"])
            and payload["collection"] not in filters.exclude_collections
        ]
        return sorted(scored, key=lambda hit: (-hit[1], hit[0]))[:k]

    def count(self) -> int:
        """Number of stored chunks."""
        return len(self._rows)

    def close(self) -> None:
        """Nothing to release."""


class InMemoryCatalog:
    """The catalog Protocol (read and write side) over dicts."""

    def __init__(self) -> None:
        self._docs: dict[str, Document] = {}
        self._chunks: dict[str, Chunk] = {}
        self._tokens: dict[str, list[str]] = {}
        self._items: dict[str, tuple[ServiceItem, str]] = {}
        self._aliases: dict[str, str] = {}
        self._signatures: dict[str, tuple[bytes, tuple[str, ...]]] = {}
        self._ledger: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._changed: str | None = None

    def put_document(self, doc: Document, chunks: Sequence[Chunk], tokens: Sequence[Sequence[str]]) -> None:
        """Store a document with its chunks, replacing any previous version of the same id."""
        self.delete_document(doc.id)
        self._docs[doc.id] = doc
        for chunk, toks in zip(chunks, tokens):
            self._chunks[chunk.id] = chunk
            self._tokens[chunk.id] = list(toks)

    def put_tokens(self, tokens: dict[str, Sequence[str]]) -> None:
        """Replace the tokens of stored chunks."""
        for cid, toks in tokens.items():
            if cid in self._chunks:
                self._tokens[cid] = list(toks)

    def delete_document(self, doc_id: str) -> list[str]:
        """Remove a document with its chunks, item, aliases and signature; returns the chunk ids."""
        ids = [cid for cid, c in self._chunks.items() if c.doc_id == doc_id]
        for cid in ids:
            del self._chunks[cid], self._tokens[cid]
        self._docs.pop(doc_id, None)
        self._signatures.pop(doc_id, None)
        self._items = {code: entry for code, entry in self._items.items() if entry[1] != doc_id}
        self._aliases = {a: c for a, c in self._aliases.items() if doc_id not in (a, c)}
        return ids

    def document(self, doc_id: str) -> Document | None:
        """One document, or None."""
        return self._docs.get(doc_id)

    def documents(self) -> Iterator[Document]:
        """Every document."""
        yield from list(self._docs.values())

    def document_hash(self, doc_id: str) -> str | None:
        """Content hash of a stored document."""
        doc = self._docs.get(doc_id)
        return doc.content_hash if doc else None

    def document_by_hash(self, content_hash: str) -> str | None:
        """Id of a stored document with exactly this content."""
        return next((d.id for d in self._docs.values() if d.content_hash == content_hash), None)

    def chunks(self, ids: Iterable[str]) -> dict[str, Chunk]:
        """The existing chunks among `ids`."""
        return {cid: self._chunks[cid] for cid in ids if cid in self._chunks}

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """A document's chunks in order."""
        return sorted((c for c in self._chunks.values() if c.doc_id == doc_id), key=lambda c: c.ordinal)

    def clause_types(self) -> dict[str, str]:
        """Chunk id -> the clause type stored on it."""
        return {cid: c.clause_type for cid, c in self._chunks.items() if c.clause_type}

    def all_tokens(self) -> Iterator[tuple[str, str, list[str]]]:
        """(chunk id, document id, tokens) of every chunk."""
        for cid, chunk in list(self._chunks.items()):
            yield cid, chunk.doc_id, list(self._tokens[cid])

    def counts(self) -> dict[str, int]:
        """Numbers of documents, chunks, items and aliases."""
        return {
            "documents": len(self._docs),
            "chunks": len(self._chunks),
            "items": len(self._items),
            "aliases": len(self._aliases),
        }

    def put_item(self, item: ServiceItem, doc_id: str) -> None:
        """Store a service item."""
        self._items[item.code] = (item, doc_id)

    def items(self) -> list[ServiceItem]:
        """Every service item, by code."""
        return [item for _, (item, _) in sorted(self._items.items())]

    def put_alias(self, doc_id: str, canonical_id: str, source_path: str) -> None:
        """Record a near-duplicate as an alias of a kept document."""
        self._aliases[doc_id] = canonical_id

    def aliases(self) -> dict[str, str]:
        """Alias id -> kept id."""
        return dict(self._aliases)

    def put_signature(self, doc_id: str, sig: bytes, bands: Sequence[str]) -> None:
        """Store a near-duplicate signature."""
        self._signatures[doc_id] = (sig, tuple(bands))

    def similar_candidates(self, bands: Sequence[str]) -> dict[str, bytes]:
        """Signatures sharing a band."""
        wanted = set(bands)
        return {d: sig for d, (sig, own) in self._signatures.items() if wanted & set(own)}

    def ledger_hash(self, path: str) -> str | None:
        """File hash of a source path when last ingested."""
        entry = self._ledger.get(path)
        return entry[0] if entry else None

    def ledger_docs(self, path: str) -> list[str]:
        """Documents a source path produced."""
        entry = self._ledger.get(path)
        return list(entry[1]) if entry else []

    def ledger_paths(self) -> list[str]:
        """Every source path."""
        return sorted(self._ledger)

    def set_ledger(self, path: str, file_hash: str, doc_ids: Sequence[str]) -> None:
        """Record what a source path produced."""
        self._ledger[path] = (file_hash, tuple(doc_ids))
        self._changed = "now"

    def drop_ledger(self, path: str) -> None:
        """Forget a source path."""
        self._ledger.pop(path, None)

    def last_ingest(self) -> str | None:
        """Whether the ledger ever changed (a marker, not a time)."""
        return self._changed

    def commit(self) -> None:
        """Nothing to flush."""

    def close(self) -> None:
        """Nothing to release."""


class InMemorySessionStore:
    """Dialogue state per session id in a dict, keeping the last `max_turns` turns as the SQLite store does."""

    def __init__(self, max_turns: int = 20) -> None:
        self._states: dict[str, DialogueState] = {}
        self._max_turns = max_turns

    def load(self, session_id: str) -> DialogueState:
        """The stored state or a fresh one."""
        return self._states.get(session_id) or DialogueState(session_id)

    def save(self, state: DialogueState) -> None:
        """Keep the state (frozen, so no copy is needed)."""
        self._states[state.session_id] = dataclasses.replace(state, turns=state.turns[-self._max_turns :])


def memory_view(entries: Sequence[LoadedDocument], embedder: Embedder, generation: str = "mem-1") -> IndexView:
    """An IndexView of in-memory stores holding `entries`, chunked, embedded and tokenised as ingest does."""
    # Imported here: the builders belong to ingest and the graph, which the fakes above do not need.
    from govqa.retrieval.tokenize import ChineseTokenizer
    from govqa.stores.bm25 import BM25Index
    from ingest.chunking import StructureChunker, index_text
    from knowledge_graph.build import graph_of_catalog
    from knowledge_graph.store import GRAPH_FORMAT, ServiceGraph

    chunker, tokenizer = StructureChunker(), ChineseTokenizer()
    catalog, vectors = InMemoryCatalog(), InMemoryVectorIndex(embedder.dim)
    for entry in entries:
        doc = entry.document
        chunks = chunker.chunk(doc)
        texts = [index_text(c, doc) for c in chunks]
        catalog.put_document(doc, chunks, [tokenizer.tokenize(t) for t in texts])
        if texts:
            vectors.upsert(chunks, [doc] * len(chunks), embedder.embed_documents(texts))
        if entry.item is not None:
            catalog.put_item(entry.item, doc.id)
    counts = catalog.counts()
    manifest = Manifest(
        generation=generation,
        embedder_id=embedder.model_id,
        dim=embedder.dim,
        chunker_version=chunker.version,
        created_at="",
        documents=counts["documents"],
        chunks=counts["chunks"],
        items=counts["items"],
        corpus_hash="",
        tokenizer=tokenizer.dictionary_id,
        graph_format=GRAPH_FORMAT,
    )
    graph = ServiceGraph(graph_of_catalog(catalog), messages.UNSET_OPTION_LABELS)
    return load_view(manifest, catalog, vectors, BM25Index(), graph, tokenizer)


class MemoryCuratedStore:
    """Curated answers in a dict (for the matcher's tests and its threshold measurement)."""

    def __init__(self, entries: Iterable[CuratedEntry] = ()) -> None:
        self._entries = {e.id: e for e in entries}
        self._revision = 0

    def add(
        self, question: str, answer: str, paraphrases: Sequence[str] = (), source_feedback: int | None = None
    ) -> CuratedEntry:
        """Store a new entry."""
        entry = CuratedEntry(max(self._entries, default=0) + 1, question, answer, tuple(paraphrases), "", "", None)
        self._entries[entry.id] = dataclasses.replace(entry, source_feedback=source_feedback)
        self._revision += 1
        return self._entries[entry.id]

    def get(self, entry_id: int) -> CuratedEntry | None:
        """One entry, or None."""
        return self._entries.get(entry_id)

    def all(self) -> list[CuratedEntry]:
        """Every entry, oldest first."""
        return [self._entries[k] for k in sorted(self._entries)]

    def update(self, entry_id: int, question: str, answer: str, paraphrases: Sequence[str]) -> CuratedEntry | None:
        """Replace an entry's texts."""
        if entry_id not in self._entries:
            return None
        old = self._entries[entry_id]
        self._entries[entry_id] = dataclasses.replace(
            old, question=question, answer=answer, paraphrases=tuple(paraphrases)
        )
        self._revision += 1
        return self._entries[entry_id]

    def delete(self, entry_id: int) -> bool:
        """Remove an entry."""
        self._revision += 1
        return self._entries.pop(entry_id, None) is not None

    def revision(self) -> int:
        """Changes with every write."""
        return self._revision
