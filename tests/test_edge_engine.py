"""The Qdrant Edge engine behind the vector-index seam: chosen by configuration, the same answers as
local mode, generations written in the other engine handled, and kill -9 of a writer mid-run
leaving the published generation intact (its shard reopens with the same points)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from govqa.core.errors import IndexMismatchError
from govqa.core.ids import chunk_id
from govqa.core.types import Chunk, Document, Filters
from govqa.stores.backends import EDGE_FOLDER, LOCAL_FOLDER, EdgeQdrant, LocalQdrant
from govqa.stores.edge_params import has_shard
from govqa.stores.generations import Layout
from govqa.stores.qdrant_index import QdrantVectorIndex
from tests.conftest import fake_container
from tests.test_crash_safety import (
    Built,
    Worker,
    build_before_and_after,
    check_killed_then_resumed,
    live_state,
    prepare,
    small_corpus,
    spawn,  # noqa: F401 - the fixture, used by name
)

pytest.importorskip("qdrant_edge", reason="qdrant-edge-py has no wheel for this platform")
from govqa.stores.edge_index import EdgeVectorIndex

ENGINE = "GOVQA_QDRANT__ENGINE"


@pytest.fixture(scope="module", autouse=True)
def edge_engine() -> Iterator[None]:
    """Every container of this module (and the ingest processes it forks) uses the edge engine."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENGINE, "edge")
        yield


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_before_and_after(tmp_path_factory.mktemp("edge-crash"))


def _points(n: int, dim: int = 8) -> tuple[list[Chunk], list[Document], np.ndarray]:
    rng = np.random.default_rng(3)
    chunks = [Chunk(id=chunk_id("d", i, str(i)), doc_id="d", ordinal=i, text=str(i), start=0, end=1) for i in range(n)]
    docs = [Document(id="d", title="d", text="x", content_hash="h", region="东湖区")] * n
    return chunks, docs, rng.normal(size=(n, dim)).astype(np.float32)


def test_configuration_selects_the_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(fake_container(tmp_path / "a").vector_backend, EdgeQdrant)
    monkeypatch.setenv(ENGINE, "local")
    assert isinstance(fake_container(tmp_path / "b").vector_backend, LocalQdrant)
    monkeypatch.setenv("GOVQA_QDRANT__HNSW_EF", "200")
    monkeypatch.setenv(ENGINE, "edge")
    backend = fake_container(tmp_path / "c").vector_backend
    assert isinstance(backend, EdgeQdrant) and backend.params.ef == 200


def test_ingest_and_search_give_local_mode_hits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample corpus ingested in each engine: the same dense hits, filters included, and an
    update applied to a copy of the live shard."""
    hits: dict[str, list[list[str]]] = {}
    questions = ["住房公积金提取需要什么材料", "居住证怎么办理", "小微企业有哪些补贴"]
    corpus = small_corpus(tmp_path)
    for engine in ("local", "edge"):
        monkeypatch.setenv(ENGINE, engine)
        c = fake_container(tmp_path / engine)
        c.ingest_pipeline().run([corpus])
        view = c.snapshot()
        region = sorted({d.region for d in view.documents.values() if d.region})[0]
        hits[engine] = [
            [cid for cid, _ in view.vectors.search(c.embedder.embed_query(q), 10, f)]
            for q in questions
            for f in (Filters(), Filters(regions=(region,)), Filters(public_only=True))
        ]
        live = c.layout.current()
        assert live is not None and (live / (EDGE_FOLDER if engine == "edge" else LOCAL_FOLDER)).is_dir()
        c.close()
    assert hits["edge"] == hits["local"]
    c = fake_container(tmp_path / "edge")
    before = c.snapshot().vectors.count()
    c.admin.delete(sorted(c.snapshot().documents)[0])
    view = c.snapshot()
    assert 0 < view.vectors.count() < before and isinstance(view.vectors, EdgeVectorIndex)
    c.close()


def test_a_local_mode_generation_is_read_then_moved_into_a_shard(tmp_path: Path) -> None:
    """Switching an existing data directory to the edge engine: the live local-mode generation is
    still served, and the next staging copy moves its points into a shard."""
    chunks, docs, vectors = _points(20)
    old = tmp_path / "gen-000001"
    index = LocalQdrant().stage(None, old, 8)
    index.upsert(chunks, docs, vectors)
    expected = index.search(vectors[3], 5, Filters(regions=("东湖区",)))
    index.close()
    edge = EdgeQdrant()
    served = edge.open(old, 8)
    assert isinstance(served, QdrantVectorIndex) and served.search(vectors[3], 5, Filters()) == expected
    served.close()
    staging = tmp_path / "gen-000002.partial"
    shutil.copytree(old, staging)
    moved = edge.stage(old, staging, 8)
    assert moved.count() == 20
    got = moved.search(vectors[3], 5, Filters(regions=("东湖区",)))
    assert [c for c, _ in got] == [c for c, _ in expected]
    assert np.allclose([s for _, s in got], [s for _, s in expected], atol=1e-5)
    moved.close()
    assert has_shard(staging / EDGE_FOLDER) and not (staging / LOCAL_FOLDER).exists()
    with pytest.raises(IndexMismatchError, match="GOVQA_QDRANT__ENGINE=edge"):
        LocalQdrant().open(staging, 8)  # never an empty local index in front of the shard


def test_a_reader_rewriting_the_shard_config_does_not_break_the_next_staging(tmp_path: Path) -> None:
    """A reader rewrites edge_config.json when it loads the live shard; staging copies the folder
    meanwhile, so a torn config file in the copy must not matter."""
    chunks, docs, vectors = _points(10)
    live = tmp_path / "gen-000001"
    index = EdgeQdrant().stage(None, live, 8)
    index.upsert(chunks, docs, vectors)
    index.close()
    reader = EdgeQdrant().open(live, 8)  # open while the copy is made, as a serving process is
    staging = tmp_path / "gen-000002.partial"
    shutil.copytree(live, staging)
    (staging / EDGE_FOLDER / "edge_config.json").write_text('{"vectors": {', encoding="utf-8")
    copy = EdgeQdrant().stage(live, staging, 8)
    assert copy.count() == 10 and copy.search(vectors[4], 1, Filters())[0][0] == chunks[4].id
    copy.close()
    assert reader.count() == 10
    reader.close()


def test_a_published_shard_is_not_written_by_its_readers(tmp_path: Path) -> None:
    """Staging copies the live shard while readers hold it: loading and searching it writes no file."""
    chunks, docs, vectors = _points(300)
    live = tmp_path / "gen-000001"
    index = EdgeQdrant().stage(None, live, 8)
    index.upsert(chunks, docs, vectors)
    index.delete([c.id for c in chunks[:30]])  # deletions leave id-tracker state a first load rewrites
    index.optimize()
    index.close()

    def files() -> dict[str, bytes]:
        return {str(f.relative_to(live)): f.read_bytes() for f in sorted(live.rglob("*")) if f.is_file()}

    before = files()
    for _ in range(2):
        reader = EdgeQdrant().open(live, 8)
        assert reader.count() == 270 and reader.search(vectors[40], 1, Filters())[0][0] == chunks[40].id
        reader.close()
    assert files() == before


@pytest.mark.parametrize("pause", ["upsert", "optimize", "swap"])
def test_kill_9_of_an_edge_writer_keeps_the_published_generation(
    built: Built,
    spawn: Callable[..., Worker],  # noqa: F811 - the fixture imported above
    tmp_path: Path,
    pause: str,
) -> None:
    """kill -9 mid-write (vectors half written; all written but the HNSW not built nor flushed;
    folder renamed but CURRENT not yet moved): the live generation reopens whole, with exactly the
    points of a clean build, and the next run gives the clean index."""
    data = tmp_path / "data"
    prepare(built, "update", data)
    worker = spawn(data, built.corpus, "--delay", "0", "--pause-at", pause)
    worker.wait_phase(pause)
    worker.kill()
    live = Layout(data).current()
    assert live is not None and has_shard(live / EDGE_FOLDER)
    state = live_state(data)  # reopens the shard as the service does
    assert state is not None
    assert not state.differences(built.before), state.differences(built.before)
    check_killed_then_resumed(built, "update", data)
