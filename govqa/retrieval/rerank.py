"""Optional reranking of the best few candidates with the local LLM, by question likelihood.

For each candidate passage the LLM is asked which citizen question the passage answers, and the
reranker reads how likely the actual question is as that reply (the mean log-probability of its
tokens; "unsupervised passage reranking", Sachan et al. 2022). On the 12345 knowledge base this beat
asking the same model "是/否, does this passage answer the question" (see docs/EVALUATION.md). The
LLM order is fused with the retriever's order by weighted reciprocal rank, so one odd LLM score
cannot throw a clear first hit far down.

It costs one prompt evaluation per candidate (≈0.8 s each for the bundled 1.5B model on 2 cores),
so it is off by default and meant for deployments with a faster LLM.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from govqa.core.protocols import ContinuationScorer
from govqa.core.types import ScoredChunk
from govqa.generation import prompts
from govqa.retrieval.fusion import weighted_rrf


@dataclass(frozen=True, slots=True)
class RerankConfig:
    """How many candidates the LLM reads, how much of each, and its weight against the retriever's order."""

    top: int = 5
    passage_chars: int = 150
    weight: float = 2.0
    rrf_k: int = 10


class QuestionLikelihoodReranker:
    """Reorders the first `top` hits by fusing the retriever's order with the LLM's question likelihood."""

    def __init__(self, scorer: ContinuationScorer, config: RerankConfig = RerankConfig()) -> None:
        self._scorer = scorer
        self.config = config

    def likelihood(self, question: str, passage: str) -> float:
        """Mean log-probability per token of `question` as the question `passage` answers."""
        text = " ".join(passage.split())[: self.config.passage_chars]
        return self._scorer.continuation_logprob(
            prompts.RERANK_SYSTEM, prompts.rerank_prompt(text), question, prompts.RERANK_REPLY_PREFIX
        )

    def rerank(self, question: str, hits: Sequence[ScoredChunk]) -> list[ScoredChunk]:
        """The hits, the first `top` reordered; scores stay the retriever's, reassigned best-first.

        Each reordered hit records its LLM rank and log-probability as the leg "rerank", so
        `govqa search --explain` shows why it moved.
        """
        head, tail = list(hits[: self.config.top]), list(hits[self.config.top :])
        if len(head) < 2:
            return list(hits)
        ids = [h.chunk.id for h in head]
        scores = {h.chunk.id: self.likelihood(question, h.chunk.text) for h in head}
        by_llm = sorted(ids, key=lambda cid: -scores[cid])
        fused = weighted_rrf(
            {"retriever": [(cid, 0.0) for cid in ids], "rerank": [(cid, scores[cid]) for cid in by_llm]},
            {"retriever": 1.0, "rerank": self.config.weight},
            self.config.rrf_k,
        )
        by_id = {h.chunk.id: h for h in head}
        llm_rank = {cid: r for r, cid in enumerate(by_llm, 1)}
        fused_score = dict(fused)
        # A stable sort of the retriever's order: fused ties (first in one order, second in the
        # other) keep the retriever's order, not weighted_rrf's tie-break by id.
        order = sorted(ids, key=lambda cid: -fused_score[cid])
        reordered = [
            dataclasses.replace(
                by_id[cid],
                score=head[i].score,
                leg_ranks=(*by_id[cid].leg_ranks, ("rerank", llm_rank[cid])),
                leg_scores=(*by_id[cid].leg_scores, ("rerank", scores[cid])),
            )
            for i, cid in enumerate(order)
        ]
        return reordered + tail
