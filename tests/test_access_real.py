"""Internal collections on the real bundled embedder and LLM, real Qdrant, over real HTTP.

The sample corpus and the internal corpus of tests/data/internal are ingested into one index;
every public route is asked about the internal documents (tests/access_probe.py), and the public
questions get the same replies as on the sample corpus alone.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import httpx
import pytest

from govqa.bootstrap import SAMPLE_PATHS, Container
from govqa.config import RateLimitSettings, Settings
from ingest.pipeline import IngestOptions
from tests.access_probe import INTERNAL_COLLECTION, INTERNAL_DIR, INTERNAL_IDS, PUBLIC, probe
from tests.conftest import model_dir
from tests.servers import app_in_thread

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def mixed(real_container: Container, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Container, str]]:
    data = tmp_path_factory.mktemp("access-real")
    # The sample's vectors come from the session index's cache; only the internal chunks are embedded.
    shutil.copytree(real_container.layout.embedding_cache.parent, data / "cache")
    unlimited = RateLimitSettings(per_minute=0)  # the probe's requests all come from one address
    c = Container(
        Settings(data_dir=data, model_dir=model_dir(), rate_limit=unlimited), generator=real_container.generator
    )
    assert not c.ingest_pipeline().run(list(SAMPLE_PATHS), IngestOptions()).failed
    internal = IngestOptions(collection=INTERNAL_COLLECTION, internal=True)
    assert not c.ingest_pipeline().run([INTERNAL_DIR], internal).failed
    with app_in_thread(c) as url:
        yield c, url
    c.close()


def test_no_public_route_shows_internal_documents_with_the_real_models(mixed: tuple[Container, str]) -> None:
    c, url = mixed
    assert set(INTERNAL_IDS) <= set(c.operator_snapshot().documents)  # they are indexed, only not public
    exchanges = probe(url, rotate=True)  # every route on the fake models: tests/test_access.py
    assert {e.route for e in exchanges} >= {
        "POST /api/v1/chat",
        "POST /api/v1/chat/stream",
        "POST /v1/chat/completions",
    }
    assert all(e.status in (200, 404) for e in exchanges), [(e.route, e.status) for e in exchanges if e.status >= 500]
    assert [(e.route, e.request, e.leaks()) for e in exchanges if e.leaks()] == []


def test_public_questions_get_the_replies_of_the_public_corpus(
    mixed: tuple[Container, str], real_container: Container
) -> None:
    _, url = mixed
    for i, question in enumerate(PUBLIC):
        alone = real_container.answer_service.handle(f"access-alone-{i}", question)
        got = httpx.post(url + "/api/v1/chat", json={"message": question}, timeout=300).json()
        assert got["text"] == alone.text, question
        assert got.get("options", []) == list(getattr(alone, "options", ())), question
        cited = {c["doc_id"] for c in got.get("citations", [])}
        assert cited == {c.doc_id for c in getattr(alone, "citations", ())} and not cited & set(INTERNAL_IDS)
