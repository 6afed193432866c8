"""What the Qdrant Edge engine is configured with, and how its shard folder is recognised: plain
data, importable where the engine's wheel is not installed (`govqa.stores.edge_index` needs it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CONFIG_FILE = "edge_config.json"


@dataclass(frozen=True, slots=True)
class HnswParams:
    """How the engine builds and searches its HNSW graphs (docs/EVALUATION.md, vector engines)."""

    # The defaults of `QdrantSettings`, tuned on our e5 vectors.
    m: int = 32
    ef_construct: int = 200
    ef: int = 64  # candidates a search keeps: recall against latency
    # Below this many KiB of vectors in a segment the engine scans it instead of walking a graph.
    full_scan_threshold_kb: int = 10_000
    search_threads: int = 1  # one per query: the service's parallelism is its worker processes

    def __post_init__(self) -> None:
        for name in ("m", "ef_construct", "ef", "search_threads"):
            if getattr(self, name) < 1:
                raise ValueError(f"HNSW {name} must be at least 1, got {getattr(self, name)}")


def has_shard(folder: Path) -> bool:
    """Whether `folder` holds an Edge shard's segments."""
    return (folder / "segments").is_dir()
