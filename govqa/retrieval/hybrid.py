"""The hybrid retriever: dense + BM25 + graph legs and exact references, fused, then validity-aware."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from govqa.core.protocols import Embedder
from govqa.core.text import article_label_number
from govqa.core.types import Filters, ScoredChunk
from govqa.core.view import IndexView
from govqa.core.vocab import LegName
from govqa.retrieval.fusion import weighted_rrf
from govqa.retrieval.references import TitleIndex, article_number, is_policy_question
from govqa.retrieval.rerank import QuestionLikelihoodReranker
from knowledge_graph.linking import ItemLinker

LEGS = (LegName.DENSE, LegName.BM25, LegName.GRAPH, LegName.EXACT)


@dataclass(frozen=True, slots=True)
class FusionConfig:
    """Weights per leg and the RRF constant (chosen on the dev set, see docs/EVALUATION.md)."""

    dense: float = 1.0
    bm25: float = 0.5
    graph: float = 0.5
    exact: float = 5.0
    rrf_k: int = 10
    depth: int = 50
    invalid_penalty: float = 0.5
    title_boost: float = 1.5
    policy_boost: float = 1.3
    link_threshold: float = 0.55


class HybridRetriever:
    """Ranks chunks of the current snapshot for a question.

    `legs` restricts which legs run (for evaluation of single legs); `today` gives the date
    validity is judged on when the filters do not set one; an optional `reranker` reorders the
    best few fused hits.
    """

    def __init__(
        self,
        snapshot: Callable[[], IndexView],
        embedder: Embedder,
        config: FusionConfig = FusionConfig(),
        legs: tuple[str, ...] = LEGS,
        today: Callable[[], dt.date] = dt.date.today,
        reranker: QuestionLikelihoodReranker | None = None,
    ) -> None:
        unknown = set(legs) - set(LEGS)
        if unknown:
            raise ValueError(f"unknown retrieval legs {sorted(unknown)}; choose from {', '.join(LEGS)}")
        self._snapshot = snapshot
        self._embedder = embedder
        self.config = config
        self.legs = legs
        self._today = today
        self.reranker = reranker
        self._per_snapshot: tuple[str, TitleIndex, ItemLinker] | None = None

    def _helpers(self, snap: IndexView) -> tuple[TitleIndex, ItemLinker]:
        if self._per_snapshot is None or self._per_snapshot[0] != snap.generation:
            self._per_snapshot = (
                snap.generation,
                TitleIndex(snap.documents.values()),
                ItemLinker(snap.items, self._embedder, word_frequency=snap.tokenizer.general_frequency),
            )
        return self._per_snapshot[1], self._per_snapshot[2]

    def named_policies(self, text: str, fuzzy: bool = False) -> list[str]:
        """Ids of indexed policies the question names by title or 文号 (or, if `fuzzy`, by most of a title)."""
        return _named(self._helpers(self._snapshot())[0], text, fuzzy)

    def names_policy(self, text: str) -> bool:
        """True when the question names an indexed policy (then no item needs locking)."""
        return bool(self.named_policies(text))

    def linker(self) -> ItemLinker:
        """The item linker of the current snapshot."""
        return self._helpers(self._snapshot())[1]

    def _allowed(self, snap: IndexView, filters: Filters) -> set[str] | None:
        if not (
            filters.regions
            or filters.doc_types
            or filters.collections
            or filters.item_codes
            or filters.clause_types
            or filters.doc_ids
        ):
            return None
        allowed: set[str] = set()
        for doc_id, doc in snap.documents.items():
            if filters.regions and doc.region not in filters.regions:
                continue
            if filters.doc_types and doc.doc_type not in filters.doc_types:
                continue
            if filters.collections and doc.collection not in filters.collections:
                continue
            if filters.item_codes and doc.item_code not in filters.item_codes:
                continue
            if filters.doc_ids and doc_id not in filters.doc_ids:
                continue
            allowed.update(snap.doc_chunks.get(doc_id, ()))
        if filters.clause_types:
            allowed = {cid for cid in allowed if snap.clause_types.get(cid) in filters.clause_types}
        return allowed

    def _exact(self, snap: IndexView, named: list[str], text: str) -> list[tuple[str, float]]:
        """Chunks of the named article of the named policy (current versions first)."""
        number = article_number(text)
        if number is None:
            return []
        day = self._today()
        for doc_id in sorted(named[:3], key=lambda d: not snap.documents[d].is_valid_on(day)):
            hits = [
                (c.id, 1.0)
                for c in snap.catalog.chunks_of(doc_id)
                if c.section and article_label_number(c.section[-1]) == number
            ]
            if hits:
                return hits
        return []

    def _graph(self, snap: IndexView, linker: ItemLinker, text: str, order: dict[str, int]) -> list[tuple[str, float]]:
        """Chunks of the confidently linked items, then of the clauses they are based on.

        Within an item, chunks keep the order the other legs gave them (`order`), so the item's
        relevant field comes first rather than its summary.
        """
        cands = linker.candidates(text, k=3)
        if not cands or cands[0].score < self.config.link_threshold:
            return []
        out: list[tuple[str, float]] = []
        for cand in cands:
            if cand.score < self.config.link_threshold or cands[0].score - cand.score > 0.1:
                break
            item = snap.item(cand.code)
            if item is None:
                continue
            own = sorted(snap.doc_chunks.get(item.source_doc, ()), key=lambda cid: order.get(cid, 10**6))
            out.extend((cid, cand.score) for cid in own)
            basis = sorted(snap.graph.clause_chunk_ids(cand.code), key=lambda cid: order.get(cid, 10**6))
            out.extend((cid, cand.score * 0.9) for cid in basis)
        return out

    def run_legs(self, text: str, filters: Filters = Filters()) -> dict[str, list[tuple[str, float]]]:
        """Each leg's best-first (chunk_id, score) list, before fusion."""
        snap = self._snapshot()
        return self._run_legs(snap, text, filters, _named(self._helpers(snap)[0], text))

    def _run_legs(
        self, snap: IndexView, text: str, filters: Filters, named: list[str]
    ) -> dict[str, list[tuple[str, float]]]:
        linker = self._helpers(snap)[1]
        depth = self.config.depth
        results: dict[str, list[tuple[str, float]]] = {}
        allowed = self._allowed(snap, filters)
        if LegName.DENSE in self.legs:
            results[LegName.DENSE] = snap.vectors.search(self._embedder.embed_query(text), depth, filters)
        if LegName.BM25 in self.legs:
            results[LegName.BM25] = snap.lexical.search(snap.tokenizer.tokenize(text), depth, allowed)
        if LegName.GRAPH in self.legs and snap.items and not named and not is_policy_question(text):
            order: dict[str, int] = {}
            for hits in results.values():
                for rank, (cid, _) in enumerate(hits):
                    order[cid] = min(rank, order.get(cid, rank))
            results[LegName.GRAPH] = [
                h for h in self._graph(snap, linker, text, order) if allowed is None or h[0] in allowed
            ]
        if LegName.EXACT in self.legs:
            results[LegName.EXACT] = [h for h in self._exact(snap, named, text) if allowed is None or h[0] in allowed]
        return results

    def retrieve(self, text: str, k: int = 5, filters: Filters = Filters()) -> list[ScoredChunk]:
        """Top k chunks; documents not valid on the filter date are demoted and keep their flag."""
        snap = self._snapshot()  # one snapshot for the whole request, even if a new index is published meanwhile
        named_list = _named(self._helpers(snap)[0], text)
        legs = self._run_legs(snap, text, filters, named_list)
        cfg = self.config
        weights: dict[str, float] = {
            LegName.DENSE: cfg.dense,
            LegName.BM25: cfg.bm25,
            LegName.GRAPH: cfg.graph,
            LegName.EXACT: cfg.exact,
        }
        fused = weighted_rrf(legs, weights, cfg.rrf_k) if len(legs) > 1 else list(next(iter(legs.values()), []))
        named = set(named_list) if LegName.EXACT in self.legs else set()
        # Routing: a question about what a rule says prefers the rule's own text to a guide quoting it.
        policy_boost = cfg.policy_boost if len(legs) > 1 and is_policy_question(text) else 1.0
        day = filters.valid_on or self._today()
        chunks = snap.catalog.chunks([cid for cid, _ in fused[: max(k * 4, 20)]])
        ranks = {name: {cid: r for r, (cid, _) in enumerate(hits, 1)} for name, hits in legs.items()}
        raw = {name: dict(hits) for name, hits in legs.items()}
        scored: list[ScoredChunk] = []
        for cid, score in fused[: max(k * 4, 20)]:
            chunk = chunks.get(cid)
            if chunk is None:
                continue
            doc = snap.documents[chunk.doc_id]
            if doc.id in named:
                score *= cfg.title_boost  # the question names this policy
            if doc.doc_type == "policy":
                score *= policy_boost
            if not doc.is_valid_on(day):
                score *= cfg.invalid_penalty
            scored.append(
                ScoredChunk(
                    chunk=chunk,
                    document=doc,
                    score=score,
                    leg_ranks=tuple((n, r[cid]) for n, r in ranks.items() if cid in r),
                    leg_scores=tuple((n, s[cid]) for n, s in raw.items() if cid in s),
                )
            )
        scored.sort(key=lambda s: -s.score)
        if self.reranker is not None:
            scored = self.reranker.rerank(text, scored)
        return scored[:k]


# Share of a title's character pairs a question must hold to name it without quoting it whole, when
# it also names an article (失业保险和促进就业实施办法第十条 for 江临市失业保险和促进就业实施办法).
ARTICLE_TITLE_SHARE = 0.7


def _named(titles: TitleIndex, text: str, fuzzy: bool = False) -> list[str]:
    """Policies the text names: by title or 文号; by most of a title when it also names an article
    (or when `fuzzy`, by a looser share)."""
    found = titles.find(text)
    if found:
        return found
    if fuzzy:
        return titles.find_fuzzy(text)
    return titles.find_fuzzy(text, ARTICLE_TITLE_SHARE) if article_number(text) is not None else []
