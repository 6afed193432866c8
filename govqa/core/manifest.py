"""What an index generation was built with; the index describes itself and is checked on load."""

from __future__ import annotations

from dataclasses import dataclass

from govqa.core.errors import IndexMismatchError


@dataclass(frozen=True, slots=True)
class Manifest:
    """Written beside every generation; a reader refuses an index built with other parts.

    `tokenizer` names the lexical tokenizer and its dictionary (the BM25 tokens were made with it),
    `graph_format` the service-graph file's format; both are empty in indexes written before they
    were recorded.
    """

    generation: str
    embedder_id: str
    dim: int
    chunker_version: str
    created_at: str
    documents: int
    chunks: int
    items: int
    corpus_hash: str
    tokenizer: str = ""
    graph_format: str = ""

    def check(self, embedder_id: str, dim: int, chunker_version: str) -> None:
        """Raise IndexMismatchError when the index was built with another embedder or chunker."""
        if (self.embedder_id, self.dim) != (embedder_id, dim):
            raise IndexMismatchError(
                f"the index was built with embedder {self.embedder_id} ({self.dim}-d) but {embedder_id} ({dim}-d) "
                "is configured: run `govqa reindex --full` or restore the embedder settings"
            )
        if self.chunker_version != chunker_version:
            raise IndexMismatchError(
                f"the index was built with chunker {self.chunker_version}, this version uses {chunker_version}: "
                "run `govqa reindex --full`"
            )

    def check_tokenizer(self, dictionary_id: str) -> None:
        """Raise IndexMismatchError when the lexical index was tokenised otherwise than questions will be."""
        if self.tokenizer != dictionary_id:
            built = f"tokenizer {self.tokenizer}" if self.tokenizer else "an unrecorded tokenizer"
            raise IndexMismatchError(
                f"the lexical index was built with {built}, questions are tokenised with {dictionary_id}: "
                "run `govqa reindex` (tokens are rebuilt, vectors are kept)"
            )

    def check_graph(self, graph_format: str) -> None:
        """Raise IndexMismatchError when the graph file has another format than this version reads."""
        if self.graph_format != graph_format:
            raise IndexMismatchError(
                f"the service graph was written as {self.graph_format or 'an unrecorded format'}, this version "
                f"reads {graph_format}: run `govqa reindex`"
            )
