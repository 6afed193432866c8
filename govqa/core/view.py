"""One index generation as the query side sees it: typed stores opened together, read-only."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from govqa import messages
from govqa.core.manifest import Manifest
from govqa.core.protocols import DocumentCatalog, GraphStore, LexicalIndex, Tokenizer, VectorIndex
from govqa.core.types import Document, ServiceItem


def _no_release() -> None:
    return None


@dataclass(frozen=True, slots=True)
class IndexView:
    """Catalog, vectors, lexical index, graph and tokenizer of one generation, with the tables
    every request needs (documents by id, items, chunk ids per document) read once.

    Built by the storage layer (`govqa.stores.storage.IndexStorage.open_view`) or, in tests, from in-memory
    stores (`govqa.testing.memory.memory_view`); nothing here knows which engine is behind a store.
    """

    manifest: Manifest
    catalog: DocumentCatalog
    vectors: VectorIndex
    lexical: LexicalIndex
    graph: GraphStore
    tokenizer: Tokenizer
    documents: Mapping[str, Document]
    items: tuple[ServiceItem, ...]
    doc_chunks: Mapping[str, tuple[str, ...]]
    clause_types: Mapping[str, str] = field(default_factory=dict)  # chunk id -> its article's type
    release: Callable[[], None] = _no_release
    _by_code: dict[str, ServiceItem] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {i.code: i for i in self.items})

    @property
    def generation(self) -> str:
        """Name of the generation."""
        return self.manifest.generation

    def item(self, code: str) -> ServiceItem | None:
        """A service item by 事项编码, or None."""
        return self._by_code.get(code)

    def display_title(self, doc_id: str) -> str:
        """How answers name a document: 《title》 with its 文号 if it has one (the id if unknown)."""
        doc = self.documents.get(doc_id)
        return messages.display_name(doc) if doc is not None else doc_id

    def close(self) -> None:
        """Release the stores (file locks, connections)."""
        self.release()


def load_view(
    manifest: Manifest,
    catalog: DocumentCatalog,
    vectors: VectorIndex,
    lexical: LexicalIndex,
    graph: GraphStore,
    tokenizer: Tokenizer,
    release: Callable[[], None] = _no_release,
) -> IndexView:
    """Fill `lexical` from the catalog's stored tokens and read the per-request tables.

    The tokenizer is checked against the manifest first: BM25 over tokens made another way would
    silently miss (a term glued into one token on one side only).
    """
    manifest.check_tokenizer(tokenizer.dictionary_id)
    ids: list[str] = []
    tokens: list[list[str]] = []
    doc_chunks: dict[str, list[str]] = {}
    for cid, doc_id, toks in catalog.all_tokens():
        ids.append(cid)
        tokens.append(toks)
        doc_chunks.setdefault(doc_id, []).append(cid)
    lexical.add(ids, tokens)
    return IndexView(
        manifest=manifest,
        catalog=catalog,
        vectors=vectors,
        lexical=lexical,
        graph=graph,
        tokenizer=tokenizer,
        documents={d.id: d for d in catalog.documents()},
        items=tuple(catalog.items()),
        doc_chunks={d: tuple(c) for d, c in doc_chunks.items()},
        clause_types=catalog.clause_types(),
        release=release,
    )
