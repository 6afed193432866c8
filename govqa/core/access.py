"""Who may see which documents: the public view of an index leaves internal documents out.

A document is internal when it was ingested with `--internal` (stored on the document and on its
chunks' vector payload) or when its collection is listed in `access.internal_collections`. Every
public route (chat, SSE, search, documents, items, the OpenAI face) reads the index through
`public_view`, which drops those documents from each store the query side reads: the document and
item tables, the catalog, the vector search (a payload filter), BM25 (an allow-list) and the
service graph. Routes, the router and the retriever never test the flag themselves, so one added
later cannot forget it; only operator commands read the full view.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from govqa.core.protocols import DocumentCatalog, GraphStore, LexicalIndex, Vector, VectorIndex
from govqa.core.types import Chunk, Document, Filters, ServiceItem
from govqa.core.view import IndexView


@dataclass(frozen=True, slots=True)
class AccessPolicy:
    """The collections settings declare internal, on top of the per-document flag."""

    internal_collections: tuple[str, ...] = ()

    def is_internal(self, doc: Document) -> bool:
        """True when no public route may retrieve, cite or show `doc`."""
        return doc.internal or doc.collection in self.internal_collections

    def public_filters(self, filters: Filters) -> Filters:
        """`filters` narrowed to public documents (what the public view applies to every vector search)."""
        return dataclasses.replace(
            filters,
            public_only=True,
            exclude_collections=tuple(dict.fromkeys((*filters.exclude_collections, *self.internal_collections))),
        )


class _PublicCatalog:
    """A catalog that answers as if internal documents had never been ingested."""

    def __init__(self, inner: DocumentCatalog, public: Mapping[str, Document], public_chunks: frozenset[str]) -> None:
        self._inner = inner
        self._public = public
        self._public_chunks = public_chunks

    def document(self, doc_id: str) -> Document | None:
        """A public document by id (None for an internal one)."""
        return self._public.get(doc_id)

    def documents(self) -> Iterator[Document]:
        """The public documents."""
        return iter(tuple(self._public.values()))

    def chunks(self, ids: Iterable[str]) -> dict[str, Chunk]:
        """Chunks by id, those of internal documents left out."""
        return {cid: c for cid, c in self._inner.chunks(ids).items() if c.doc_id in self._public}

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """A public document's chunks ([] for an internal one)."""
        return self._inner.chunks_of(doc_id) if doc_id in self._public else []

    def all_tokens(self) -> Iterator[tuple[str, str, list[str]]]:
        """Tokens of the public documents' chunks."""
        return (row for row in self._inner.all_tokens() if row[1] in self._public)

    def items(self) -> list[ServiceItem]:
        """Service items whose guide is public."""
        return [i for i in self._inner.items() if i.source_doc in self._public]

    def clause_types(self) -> dict[str, str]:
        """Clause types of the public documents' chunks."""
        chunks = self._public_chunks
        return {cid: t for cid, t in self._inner.clause_types().items() if cid in chunks}

    def aliases(self) -> dict[str, str]:
        """Duplicate ids of public documents (an alias of an internal document is not shown)."""
        return {a: c for a, c in self._inner.aliases().items() if c in self._public}

    def counts(self) -> dict[str, int]:
        """Counts of the whole index (operators' figures, not content)."""
        return self._inner.counts()

    def ledger_paths(self) -> list[str]:
        """Source paths of the whole index."""
        return self._inner.ledger_paths()

    def ledger_docs(self, path: str) -> list[str]:
        """Public document ids ingested from `path`."""
        return [d for d in self._inner.ledger_docs(path) if d in self._public]

    def ledger_hash(self, path: str) -> str | None:
        """The ledger hash of a source path."""
        return self._inner.ledger_hash(path)

    def last_ingest(self) -> str | None:
        """When the last ingest ran."""
        return self._inner.last_ingest()

    def close(self) -> None:
        """Nothing: the full view owns the connection."""


class _PublicVectors:
    """Vector search with the public filters added to every query; writes are refused."""

    def __init__(self, inner: VectorIndex, policy: AccessPolicy) -> None:
        self._inner = inner
        self._policy = policy

    def upsert(self, chunks: Sequence[Chunk], docs: Sequence[Document], vectors: Vector) -> None:
        """Refused: the public view is read-only."""
        raise PermissionError("the public view of an index is read-only")

    def delete(self, chunk_ids: Sequence[str]) -> None:
        """Refused: the public view is read-only."""
        raise PermissionError("the public view of an index is read-only")

    def search(self, vector: Vector, k: int, filters: Filters) -> list[tuple[str, float]]:
        """Top k public chunks under `filters`."""
        return self._inner.search(vector, k, self._policy.public_filters(filters))

    def count(self) -> int:
        """Number of stored chunks."""
        return self._inner.count()


class _PublicLexical:
    """BM25 restricted to the public chunks (IDF is still the whole index's: counts, never text)."""

    def __init__(self, inner: LexicalIndex, public_chunks: frozenset[str]) -> None:
        self._inner = inner
        # One set for every query (BM25 only tests membership), not a copy per request.
        self._public = set(public_chunks)

    def add(self, chunk_ids: Sequence[str], tokens: Sequence[Sequence[str]]) -> None:
        """Refused: the public view is read-only."""
        raise PermissionError("the public view of an index is read-only")

    def delete(self, chunk_ids: Sequence[str]) -> None:
        """Refused: the public view is read-only."""
        raise PermissionError("the public view of an index is read-only")

    def search(self, tokens: Sequence[str], k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Top k public chunks, optionally only among `allowed`."""
        return self._inner.search(tokens, k, self._public if allowed is None else allowed & self._public)

    def count(self) -> int:
        """Number of public chunks."""
        return len(self._public)


class _PublicGraph:
    """The service graph with internal items and the clauses of internal documents left out."""

    def __init__(self, inner: GraphStore, public_docs: Mapping[str, Document], public_codes: frozenset[str]) -> None:
        self._inner = inner
        self._docs = public_docs
        self._codes = public_codes

    def siblings(self, code: str) -> list[str]:
        """Public near-twins of a public item."""
        return [c for c in self._inner.siblings(code) if c in self._codes] if code in self._codes else []

    def distinguishing(self, codes: list[str]) -> list[tuple[str, dict[str, list[str]]]]:
        """Attributes splitting the public candidates."""
        return self._inner.distinguishing([c for c in codes if c in self._codes])

    def clauses_of(self, code: str) -> list[dict[str, object]]:
        """Clause and policy nodes of public documents a public item is based on."""
        if code not in self._codes:
            return []
        return [n for n in self._inner.clauses_of(code) if str(n.get("doc_id", "")) in self._docs]

    def clause_chunk_ids(self, code: str) -> list[str]:
        """Chunk ids of the public clauses behind a public item."""
        return [str(cid) for node in self.clauses_of(code) for cid in _as_list(node.get("chunk_ids"))]

    def item_label(self, code: str) -> str:
        """A public item's name (the code itself for an internal or unknown one)."""
        return self._inner.item_label(code) if code in self._codes else code

    def item_node(self, code: str) -> dict[str, object]:
        """A public item's attributes ({} for an internal or unknown one)."""
        return self._inner.item_node(code) if code in self._codes else {}

    def stats(self) -> dict[str, int]:
        """Counts of the whole graph (operators' figures)."""
        return self._inner.stats()

    def export(self, out: Path, fmt: str) -> None:
        """Refused: exporting is an operator command on the full view."""
        raise PermissionError("export the graph from the full view (`govqa graph export`)")

    def draw(self, code: str, out: Path) -> bool:
        """Refused: drawing is an operator command on the full view."""
        raise PermissionError("draw the graph from the full view (`govqa graph draw`)")


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, (list, tuple)) else []


def public_view(view: IndexView, policy: AccessPolicy) -> IndexView:
    """`view` without its internal documents (the same view when it holds none).

    The stores are wrapped, never copied: the result shares the full view's connections and must
    not outlive it (its `release` does nothing).
    """
    internal = {d for d, doc in view.documents.items() if policy.is_internal(doc)}
    if not internal:
        return view
    docs = {d: doc for d, doc in view.documents.items() if d not in internal}
    items = tuple(i for i in view.items if i.source_doc in docs)
    doc_chunks = {d: c for d, c in view.doc_chunks.items() if d in docs}
    chunks = frozenset(c for ids in doc_chunks.values() for c in ids)
    return IndexView(
        manifest=view.manifest,
        catalog=_PublicCatalog(view.catalog, docs, chunks),
        vectors=_PublicVectors(view.vectors, policy),
        lexical=_PublicLexical(view.lexical, chunks),
        graph=_PublicGraph(view.graph, docs, frozenset(i.code for i in items)),
        tokenizer=view.tokenizer,
        documents=docs,
        items=items,
        doc_chunks=doc_chunks,
        clause_types={c: t for c, t in view.clause_types.items() if c in chunks},
    )
