"""Four uvicorn worker processes on one data directory: a conversation continues on whichever
worker gets its next turn, and feedback, curated answers and admin jobs written through one worker
are read back from every worker, under concurrent clients, with no 5xx and no lost write."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from govqa.bootstrap import SAMPLE_CORPUS, Container
from govqa.config import QdrantSettings, Settings
from govqa.stores.qdrant_index import ServerConfig, open_client
from govqa.testing.fakes import HashEmbedder, ScriptedGenerator
from tests.multiworker_app import WORKER_HEADER
from tests.qdrant_server import URL_VAR, drop_prefixed, unique_prefix
from tests.servers import server_process

WORKERS = 4
KEY = "multiworker-admin-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
ADMIN = "/api/v1/admin"
GUIDES = ("JL-GJJ-TQ-001.json", "JL-GJJ-TQ-002.json", "JL-GA-JZZ-001.json")
CONVERSATIONS = 8


@pytest.fixture(scope="module")
def workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`uvicorn --workers 4` over an index of three guides and the knowledge base (on the Qdrant
    server GOVQA_TEST_QDRANT_URL names, if set)."""
    data = tmp_path_factory.mktemp("multiworker")
    env = {
        "GOVQA_DATA_DIR": str(data / "data"),
        "GOVQA_MODEL_DIR": str(data / "models"),
        "GOVQA_ADMIN_API_KEY": KEY,
        "GOVQA_RATE_LIMIT__PER_MINUTE": "0",
        "TMPDIR": str(data),  # the workers' private copies of local-mode vectors
    }
    qdrant = QdrantSettings()
    if os.environ.get(URL_VAR):
        qdrant = QdrantSettings(url=os.environ[URL_VAR], collection_prefix=unique_prefix())
        env |= {"GOVQA_QDRANT__URL": qdrant.url, "GOVQA_QDRANT__COLLECTION_PREFIX": qdrant.collection_prefix}
    c = Container(
        Settings(data_dir=data / "data", qdrant=qdrant), embedder=HashEmbedder(64), generator=ScriptedGenerator()
    )
    report = c.ingest_pipeline().run([SAMPLE_CORPUS / "guides" / g for g in GUIDES] + [SAMPLE_CORPUS / "faq"])
    assert not report.failed
    c.close()
    uvicorn = ["-m", "uvicorn", "tests.multiworker_app:build", "--factory", "--workers", str(WORKERS)]
    try:
        with server_process(
            lambda port: [*uvicorn, "--host", "127.0.0.1", "--port", str(port), "--timeout-keep-alive", "120"],
            env,
            stop_seconds=30,
        ) as url:
            yield url
    finally:
        if qdrant.url:
            client = open_client(None, ServerConfig(qdrant.url))
            drop_prefixed(client, qdrant.collection_prefix)
            client.close()


@pytest.fixture(scope="module")
def pinned(workers: str) -> Iterator[list[httpx.Client]]:
    """One client per worker process: a single kept-alive connection stays with the worker that
    accepted it, so the client's requests all reach that worker."""
    found: dict[str, httpx.Client] = {}
    deadline = time.time() + 60
    while len(found) < WORKERS and time.time() < deadline:
        client = httpx.Client(base_url=workers, timeout=60, limits=httpx.Limits(max_connections=1))
        pid = client.get("/api/v1/health").headers[WORKER_HEADER]
        if pid in found:
            client.close()
        else:
            found[pid] = client
    assert len(found) == WORKERS, f"reached {len(found)} worker processes, expected {WORKERS}"
    yield list(found.values())
    for client in found.values():
        client.close()


def _ok(response: httpx.Response) -> httpx.Response:
    """The response, after checking it is a 2xx (so no 5xx, and no write refused)."""
    assert response.is_success, (response.status_code, response.text)
    return response


def _conversation(clients: list[httpx.Client], i: int) -> tuple[int, int]:
    """A clarifying question on one worker, the reply on the next, feedback and a curated answer
    through two others; the ids written."""
    ask, reply, rate, admin = (clients[(i + k) % WORKERS] for k in range(4))
    first = _ok(ask.post("/api/v1/chat", json={"message": "公积金提取需要什么材料"}))
    body = first.json()
    assert body["kind"] == "clarify" and body["slot"] == "scenario", body
    option = next(o for o in body["options"] if o.startswith("租赁"))
    second = _ok(reply.post("/api/v1/chat", json={"message": option, "session_id": body["session_id"]}))
    assert second.headers[WORKER_HEADER] != first.headers[WORKER_HEADER]
    answer = second.json()
    assert answer["kind"] == "answer" and answer["citations"][0]["doc_id"] == "JL-GJJ-TQ-002", answer
    rated = _ok(rate.post("/api/v1/feedback", json={"session_id": body["session_id"], "rating": "down"}))
    assert rated.json()["turn"] == 2
    entry = _ok(
        admin.post(
            f"{ADMIN}/curated", headers=AUTH, json={"question": f"第{i}号窗口几点开门", "answer": f"窗口{i}：九点。"}
        )
    )
    return int(rated.json()["id"]), int(entry.json()["id"])


def test_conversations_and_operator_writes_are_shared_by_every_worker(pinned: list[httpx.Client]) -> None:
    with ThreadPoolExecutor(max_workers=CONVERSATIONS) as pool:
        written = list(pool.map(lambda i: _conversation(pinned, i), range(CONVERSATIONS)))
    feedback_ids = {f for f, _ in written}
    curated_ids = {c for _, c in written}
    assert len(feedback_ids) == len(curated_ids) == CONVERSATIONS
    for client in pinned:
        listed = {f["id"] for f in _ok(client.get(f"{ADMIN}/feedback", headers=AUTH)).json()}
        assert feedback_ids <= listed
        entries = {e["id"] for e in _ok(client.get(f"{ADMIN}/curated", headers=AUTH)).json()}
        assert curated_ids <= entries
        # Each worker's matcher sees the entries the other workers added (the revision is shared).
        for i in range(CONVERSATIONS):
            reply = _ok(client.post("/api/v1/chat", json={"message": f"第{i}号窗口几点开门"})).json()
            assert reply["mode"] == "curated" and reply["text"] == f"窗口{i}：九点。"


def _notice(n: int) -> bytes:
    return (
        f"# 江临市第{n}政务服务分中心迁址公告\n\n自2027年1月起，第{n}政务服务分中心迁至滨江路{n}号办公，"
        "办理时间不变。\n"
    ).encode()


def test_admin_jobs_from_two_workers_queue_and_every_worker_follows_them(pinned: list[httpx.Client]) -> None:
    """Two uploads through two workers at once: the second waits for the first instead of failing
    on the ingest lock, any worker reports either job, and every worker then serves both documents."""
    jobs = [
        _ok(
            pinned[n].post(
                f"{ADMIN}/ingest", headers=AUTH, files=[("files", (f"notice-{n}.md", _notice(n), "text/markdown"))]
            )
        ).json()["id"]
        for n in (0, 1)
    ]
    deadline = time.time() + 120
    states: dict[str, str] = {}
    while time.time() < deadline:
        states = {
            f"{job}@{i}": _ok(c.get(f"{ADMIN}/jobs/{job}", headers=AUTH)).json()["status"]
            for job in jobs
            for i, c in enumerate(pinned)
        }
        if all(s in ("done", "failed") for s in states.values()):
            break
        time.sleep(0.2)
    assert set(states.values()) == {"done"}, states
    for client in pinned:
        for n in (0, 1):
            hits = _ok(client.get("/api/v1/search", params={"q": f"第{n}政务服务分中心迁址", "k": 3})).json()
            assert hits[0]["doc_id"] == f"notice-{n}", (client.headers, hits)


def test_serve_refuses_several_workers_on_local_mode(tmp_path: Path) -> None:
    """Local mode lets one process open an index: `govqa serve --workers 2` says so instead of
    starting workers that would fail on the index lock."""
    env = {**os.environ, "GOVQA_DATA_DIR": str(tmp_path)}
    env.pop("GOVQA_QDRANT__URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "govqa.cli", "serve", "--workers", "2", "--no-preload"],
        env=env,
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 78 and "needs a Qdrant server (GOVQA_QDRANT__URL)" in done.stderr
