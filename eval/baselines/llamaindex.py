"""A plain LlamaIndex RAG baseline: VectorStoreIndex, default SentenceSplitter, the same embedder.

The embedder is wrapped in a LlamaIndex BaseEmbedding so both systems see identical vectors for
identical text (and share the vector cache); nothing else is tuned.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from llama_index.core import Document as LIDocument
from llama_index.core import VectorStoreIndex
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.node_parser import SentenceSplitter
from pydantic import PrivateAttr

from govqa.core.protocols import Embedder
from govqa.core.types import Document


class GovQAEmbedding(BaseEmbedding):
    """Adapts a GovQA Embedder to LlamaIndex (passage vs query encoding kept)."""

    _inner: Any = PrivateAttr()

    def __init__(self, inner: Embedder, **kwargs: Any) -> None:
        super().__init__(model_name=inner.model_id, embed_batch_size=64, **kwargs)
        self._inner = inner

    def _get_query_embedding(self, query: str) -> list[float]:
        return [float(x) for x in self._inner.embed_query(query)]

    def _get_text_embedding(self, text: str) -> list[float]:
        return [float(x) for x in self._inner.embed_documents([text])[0]]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [[float(x) for x in row] for row in self._inner.embed_documents(texts)]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


class LlamaIndexBaseline:
    """Index documents once; `retrieve` returns (doc_id, node text) best first."""

    def __init__(self, documents: Iterable[Document], embedder: Embedder) -> None:
        docs = [
            LIDocument(
                text=(f"{d.title}\n{d.text}" if d.index_title and d.title not in d.text[:200] else d.text),
                id_=d.id,
                metadata={"doc_id": d.id},
                excluded_embed_metadata_keys=["doc_id"],
                excluded_llm_metadata_keys=["doc_id"],
            )
            for d in documents
        ]
        nodes = SentenceSplitter().get_nodes_from_documents(docs)
        self.nodes = len(nodes)
        self.index = VectorStoreIndex(nodes, embed_model=GovQAEmbedding(embedder), show_progress=False)

    def retrieve(self, question: str, k: int) -> list[tuple[str, str]]:
        """Top k nodes as (document id, text)."""
        hits = self.index.as_retriever(similarity_top_k=k).retrieve(question)
        return [(str(h.node.metadata["doc_id"]), h.node.get_content()) for h in hits]
