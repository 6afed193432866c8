"""The admin API and feedback over real HTTP on fakes: the auth matrix for every admin route,
upload and background ingest into a real index, delete, feedback triage and exports (masked),
curated answers served first, surviving a reindex, and the audit trail."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from govqa.api.app import create_app
from govqa.bootstrap import SAMPLE_CORPUS, Container
from govqa.config import AdminSettings, Settings
from govqa.testing.fakes import HashEmbedder, ScriptedGenerator
from ingest.pipeline import IngestOptions
from tests.servers import app_in_thread

KEY = "test-admin-key-7f3a9c"
AUTH = {"Authorization": f"Bearer {KEY}"}
ADMIN = "/api/v1/admin"
# A small real corpus: two near-twin guides, one other guide and the knowledge base.
GUIDES = ("JL-GJJ-TQ-001.json", "JL-GJJ-TQ-002.json", "JL-GA-JZZ-001.json")
NEW_POLICY = """# 江临市共享单车停放管理办法

文号：江临政发〔2025〕9号

第一条 为规范共享单车停放秩序，制定本办法。

第二条 共享单车应当停放在施划的电子围栏停车区内，禁止停放在盲道和消防通道。
"""


def container(data: Path, key: str = KEY, roots: tuple[Path, ...] = ()) -> Container:
    settings = Settings(
        data_dir=data,
        model_dir=data / "models",
        admin_api_key=key,
        admin=AdminSettings(max_upload_bytes=64 * 1024, max_upload_files=3, ingest_roots=roots),
    )
    return Container(settings, embedder=HashEmbedder(64), generator=ScriptedGenerator())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("admin-corpus")
    (root / "guides").mkdir()
    for name in GUIDES:
        shutil.copy(SAMPLE_CORPUS / "guides" / name, root / "guides" / name)
    shutil.copytree(SAMPLE_CORPUS / "faq", root / "faq")
    return root


@pytest.fixture(scope="module")
def served(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Container]]:
    c = container(tmp_path_factory.mktemp("admin-data"), roots=(corpus,))
    report = c.ingest_pipeline().run([corpus / "guides", corpus / "faq"], IngestOptions())
    assert not report.failed
    with app_in_thread(c) as url:
        yield url, c
    c.close()


def admin_routes(c: Container) -> list[tuple[str, str]]:
    """(method, path) of every admin route the app serves, parameters filled in."""
    paths = create_app(c).openapi()["paths"]
    return [
        (method.upper(), re.sub(r"\{[^}]+\}", "1", path))
        for path, operations in paths.items()
        if path.startswith(ADMIN)
        for method in operations
    ]


def wait_job(url: str, job_id: str) -> dict[str, object]:
    deadline = time.time() + 60
    while time.time() < deadline:
        job = httpx.get(f"{url}{ADMIN}/jobs/{job_id}", headers=AUTH).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise TimeoutError(job_id)


def test_every_admin_route_needs_the_key(served: tuple[str, Container]) -> None:
    url, c = served
    routes = admin_routes(c)
    assert len(routes) >= 15
    for method, path in routes:
        assert httpx.request(method, url + path).status_code == 401, path
        assert httpx.request(method, url + path, headers={"Authorization": "Bearer nope"}).status_code == 403, path
        assert httpx.request(method, url + path, headers={"Authorization": KEY}).status_code == 401, path


def test_without_a_configured_key_every_admin_route_is_503(tmp_path: Path) -> None:
    c = container(tmp_path / "data", key="")
    with app_in_thread(c) as url:
        for method, path in admin_routes(c):
            r = httpx.request(method, url + path, headers=AUTH)
            assert r.status_code == 503 and "GOVQA_ADMIN_API_KEY" in r.json()["detail"], path
    c.close()


def test_every_admin_route_answers_with_the_key(served: tuple[str, Container]) -> None:
    url, c = served
    chat = httpx.post(url + "/api/v1/chat", json={"message": "居住证怎么办理"}).json()
    fb = httpx.post(url + "/api/v1/feedback", json={"session_id": chat["session_id"], "rating": "down"}).json()
    entry = httpx.post(
        f"{url}{ADMIN}/curated", headers=AUTH, json={"question": "测试问题一二三", "answer": "甲"}
    ).json()
    (c.layout.inbox).mkdir(parents=True, exist_ok=True)
    (c.layout.inbox / "note.md").write_text(NEW_POLICY.replace("共享单车", "电动自行车"), encoding="utf-8")
    job = httpx.post(f"{url}{ADMIN}/ingest", headers=AUTH, data={"paths": str(c.layout.inbox / "note.md")}).json()
    wait_job(url, job["id"])
    calls = {
        ("GET", "/status"): {},
        ("POST", "/ingest"): {"data": {"paths": str(c.layout.inbox / "note.md")}},
        ("GET", f"/jobs/{job['id']}"): {},
        ("POST", "/reindex"): {"json": {"full": False}},
        ("GET", "/feedback"): {"params": {"rating": "down"}},
        ("GET", "/feedback/export"): {"params": {"format": "jsonl"}},
        ("POST", f"/feedback/{fb['id']}/handled"): {},
        ("POST", f"/feedback/{fb['id']}/curate"): {"json": {"answer": "乙"}},
        ("GET", "/conversations/export"): {},
        ("GET", "/curated"): {},
        ("POST", "/curated"): {"json": {"question": "测试问题四五六", "answer": "丙"}},
        ("PUT", f"/curated/{entry['id']}"): {"json": {"question": "测试问题七八九", "answer": "丁"}},
        ("DELETE", f"/curated/{entry['id']}"): {},
        ("DELETE", "/documents/note"): {},
        ("GET", "/audit"): {},
    }
    templates = {(m, re.sub(r"/(\d+|[0-9a-f]{16}|note)(?=/|$)", "/1", p)) for m, p in calls}
    assert templates == {(m, p.removeprefix(ADMIN)) for m, p in admin_routes(c)}  # every route exercised
    for (method, path), kwargs in calls.items():
        r = httpx.request(method, url + ADMIN + path, headers=AUTH, timeout=60, **kwargs)  # type: ignore[arg-type]
        assert r.status_code in (200, 201, 202), (method, path, r.status_code, r.text)


def test_upload_is_ingested_in_the_background_searchable_then_deleted(served: tuple[str, Container]) -> None:
    url, c = served
    files = [("files", ("bike-rules.md", NEW_POLICY.encode("utf-8"), "text/markdown"))]
    r = httpx.post(f"{url}{ADMIN}/ingest", headers=AUTH, files=files)
    assert r.status_code == 202 and r.json()["status"] in ("queued", "running", "done")
    job = wait_job(url, r.json()["id"])
    assert job["status"] == "done", job
    report = job["report"]
    assert isinstance(report, dict) and [f["status"] for f in report["files"]] == ["indexed"]
    assert (c.layout.uploads / "bike-rules.md").is_file()
    hits = httpx.get(url + "/api/v1/search", params={"q": "共享单车停放在电子围栏停车区", "k": 3}).json()
    assert hits[0]["doc_id"] == "bike-rules" and "电子围栏" in hits[0]["text"]
    r = httpx.delete(f"{url}{ADMIN}/documents/bike-rules", headers=AUTH)
    assert r.status_code == 200 and r.json()["doc_ids"] == ["bike-rules"]
    hits = httpx.get(url + "/api/v1/search", params={"q": "共享单车停放在电子围栏停车区", "k": 3}).json()
    assert all(h["doc_id"] != "bike-rules" for h in hits)
    assert httpx.delete(f"{url}{ADMIN}/documents/bike-rules", headers=AUTH).status_code == 404
    assert httpx.get(f"{url}{ADMIN}/jobs/doesnotexist", headers=AUTH).status_code == 404


@pytest.mark.parametrize("name", ["../evil.md", "..", ".hidden.md", "a/b.md", "a\\b.md", "run.exe", "/abs/evil.md"])
def test_unsafe_or_unsupported_upload_names_are_rejected(served: tuple[str, Container], name: str) -> None:
    url, c = served
    before = sorted(p.name for p in c.layout.root.parent.rglob("*"))
    r = httpx.post(f"{url}{ADMIN}/ingest", headers=AUTH, files=[("files", (name, b"# t\n\ntext", "text/plain"))])
    assert r.status_code == 422, (name, r.text)
    assert sorted(p.name for p in c.layout.root.parent.rglob("*")) == before  # nothing written anywhere


def test_upload_limits_and_server_paths(served: tuple[str, Container], corpus: Path) -> None:
    url, _ = served
    big = [("files", ("big.md", b"x" * (64 * 1024 + 1), "text/markdown"))]
    r = httpx.post(f"{url}{ADMIN}/ingest", headers=AUTH, files=big)
    assert r.status_code == 422 and "limit" in r.json()["detail"]
    many = [("files", (f"f{i}.md", b"# t\n\nx", "text/markdown")) for i in range(4)]
    assert httpx.post(f"{url}{ADMIN}/ingest", headers=AUTH, files=many).status_code == 422
    assert httpx.post(f"{url}{ADMIN}/ingest", headers=AUTH, data={}).status_code == 422
    outside = httpx.post(f"{url}{ADMIN}/ingest", headers=AUTH, data={"paths": "/etc/hostname"})
    assert outside.status_code == 422 and "GOVQA_ADMIN__INGEST_ROOTS" in outside.json()["detail"]
    inside = httpx.post(f"{url}{ADMIN}/ingest", headers=AUTH, data={"paths": str(corpus / "guides")})
    job = wait_job(url, inside.json()["id"])
    assert job["status"] == "done" and {f["status"] for f in job["report"]["files"]} == {"unchanged"}  # type: ignore[index]


def test_feedback_round_trip_with_masked_numbers(served: tuple[str, Container]) -> None:
    url, _ = served
    chat = httpx.post(url + "/api/v1/chat", json={"message": "居住证申领需要什么材料"}).json()
    assert chat["kind"] == "answer" and chat["citations"]
    session = chat["session_id"]
    question = "我的身份证号110101199003071234，手机13812345678，居住证申领要多久"
    second = httpx.post(url + "/api/v1/chat", json={"message": question, "session_id": session}).json()
    assert second["kind"] == "answer"
    comment = "没说清楚，请回电13912345678"
    r = httpx.post(
        url + "/api/v1/feedback", json={"session_id": session, "rating": "down", "comment": comment, "turn": 1}
    )
    assert r.status_code == 201 and r.json()["turn"] == 1
    fid = r.json()["id"]
    last = httpx.post(url + "/api/v1/feedback", json={"session_id": session, "rating": "up"})
    assert last.status_code == 201 and last.json()["turn"] == 2  # default: the session's last answer
    assert httpx.post(url + "/api/v1/feedback", json={"session_id": "nobody", "rating": "up"}).status_code == 404
    assert (
        httpx.post(url + "/api/v1/feedback", json={"session_id": session, "rating": "up", "turn": 9}).status_code == 404
    )
    assert httpx.post(url + "/api/v1/feedback", json={"session_id": session, "rating": "meh"}).status_code == 422
    assert (
        httpx.post(
            url + "/api/v1/feedback", json={"session_id": session, "rating": "up", "comment": "x" * 501}
        ).status_code
        == 422
    )

    listed = httpx.get(f"{url}{ADMIN}/feedback", headers=AUTH, params={"rating": "down", "handled": False}).json()
    mine = next(f for f in listed if f["id"] == fid)
    assert mine["question"] == "居住证申领需要什么材料" and mine["comment"] == "没说清楚，请回电139****5678"
    rated_last = next(
        f for f in httpx.get(f"{url}{ADMIN}/feedback", headers=AUTH).json() if f["id"] == last.json()["id"]
    )
    assert rated_last["question"] == "我的身份证号110101********1234，手机138****5678，居住证申领要多久"
    assert mine["answer"] == chat["text"] and mine["citations"][0]["doc_id"] == chat["citations"][0]["doc_id"]
    jsonl = httpx.get(f"{url}{ADMIN}/feedback/export", headers=AUTH, params={"format": "jsonl"}).text
    row = next(json.loads(line) for line in jsonl.splitlines() if json.loads(line)["id"] == fid)
    assert row["question"] == mine["question"] and row["answer"] == chat["text"] and row["citations"]
    assert row["comment"] == mine["comment"]
    text = httpx.get(f"{url}{ADMIN}/feedback/export", headers=AUTH, params={"format": "csv"}).text
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    row = next(r for r in rows if r["id"] == str(fid))
    assert row["question"] == mine["question"] and json.loads(row["citations"])[0]["doc_id"]
    conversations = httpx.get(f"{url}{ADMIN}/conversations/export", headers=AUTH, params={"session_id": session}).text
    for export in (jsonl, text, conversations):
        assert "110101199003071234" not in export and "13812345678" not in export and "13912345678" not in export
    assert "110101********1234" in conversations

    assert httpx.post(f"{url}{ADMIN}/feedback/{fid}/handled", headers=AUTH).json()["handled"] is True
    handled = httpx.get(f"{url}{ADMIN}/feedback", headers=AUTH, params={"handled": True}).json()
    assert fid in [f["id"] for f in handled]
    assert fid not in [
        f["id"] for f in httpx.get(f"{url}{ADMIN}/feedback", headers=AUTH, params={"handled": False}).json()
    ]
    assert httpx.get(f"{url}{ADMIN}/feedback", headers=AUTH, params={"since": "2999-01-01"}).json() == []
    assert httpx.post(f"{url}{ADMIN}/feedback/99999/handled", headers=AUTH).status_code == 404


def test_curated_answer_is_served_first_and_survives_a_reindex(served: tuple[str, Container]) -> None:
    url, _ = served
    body = {
        "question": "公积金提取需要什么材料",
        "answer": "请携带身份证和提取申请表。",
        "paraphrases": ["提取公积金要带什么"],
    }
    entry = httpx.post(f"{url}{ADMIN}/curated", headers=AUTH, json=body).json()

    def ask(text: str) -> dict[str, object]:
        return httpx.post(url + "/api/v1/chat", json={"message": text}).json()  # type: ignore[no-any-return]

    for wording in (
        "公积金提取需要什么材料",
        "请问，公积金提取需要什么材料？",
        "公积金提取需要什么材料呢",
        "提取公积金要带什么",
    ):
        reply = ask(wording)
        assert reply["mode"] == "curated" and reply["text"] == body["answer"], wording
        citation = reply["citations"][0]  # type: ignore[index]
        assert str(entry["id"]) in citation["title"] and entry["updated_at"][:10] in citation["title"]
    for different in ("公积金贷款需要什么材料", "公积金提取需要多长时间"):
        assert ask(different)["mode"] != "curated", different
    # Not for a reply to a pending clarifying question.
    first = ask("公积金提取")
    if first["kind"] == "clarify":
        again = httpx.post(
            url + "/api/v1/chat", json={"message": "公积金提取需要什么材料", "session_id": first["session_id"]}
        )
        assert again.json()["mode"] != "curated"

    wait_job(url, httpx.post(f"{url}{ADMIN}/reindex", headers=AUTH, json={"full": True}).json()["id"])
    assert ask("公积金提取需要什么材料")["mode"] == "curated"
    updated = {**body, "answer": "新的标准答复。"}
    assert httpx.put(f"{url}{ADMIN}/curated/{entry['id']}", headers=AUTH, json=updated).status_code == 200
    assert ask("公积金提取需要什么材料")["text"] == "新的标准答复。"
    assert httpx.delete(f"{url}{ADMIN}/curated/{entry['id']}", headers=AUTH).status_code == 200
    assert ask("公积金提取需要什么材料")["mode"] != "curated"
    assert httpx.delete(f"{url}{ADMIN}/curated/{entry['id']}", headers=AUTH).status_code == 404
    assert httpx.post(f"{url}{ADMIN}/curated", headers=AUTH, json={"question": "x"}).status_code == 422


def test_a_thumbs_down_becomes_a_curated_answer(served: tuple[str, Container]) -> None:
    url, _ = served
    chat = httpx.post(url + "/api/v1/chat", json={"message": "居住证签注要多久"}).json()
    fid = httpx.post(url + "/api/v1/feedback", json={"session_id": chat["session_id"], "rating": "down"}).json()["id"]
    r = httpx.post(f"{url}{ADMIN}/feedback/{fid}/curate", headers=AUTH, json={"answer": "居住证签注当场办结。"})
    assert r.status_code == 201 and r.json()["question"] == "居住证签注要多久" and r.json()["source_feedback"] == fid
    rated = next(f for f in httpx.get(f"{url}{ADMIN}/feedback", headers=AUTH).json() if f["id"] == fid)
    assert rated["handled"] and rated["curated_id"] == r.json()["id"]
    again = httpx.post(url + "/api/v1/chat", json={"message": "居住证签注要多久？"}).json()
    assert again["mode"] == "curated" and again["text"] == "居住证签注当场办结。"
    assert httpx.post(f"{url}{ADMIN}/feedback/99999/curate", headers=AUTH, json={"answer": "x"}).status_code == 404
    httpx.delete(f"{url}{ADMIN}/curated/{r.json()['id']}", headers=AUTH)


def test_audit_records_who_what_and_outcome_never_the_key(served: tuple[str, Container]) -> None:
    url, c = served
    httpx.get(f"{url}{ADMIN}/status", headers={"Authorization": "Bearer wrong-key"})
    httpx.get(f"{url}{ADMIN}/status")
    httpx.post(f"{url}{ADMIN}/curated", headers=AUTH, json={"question": "审计测试问题", "answer": "审计"})
    entries = httpx.get(f"{url}{ADMIN}/audit", headers=AUTH, params={"limit": 10}).json()
    outcomes = [(e["action"], e["outcome"]) for e in entries]
    assert ("GET /api/v1/admin/status", "403") in outcomes and ("GET /api/v1/admin/status", "401") in outcomes
    created = next(e for e in entries if e["action"] == "POST /api/v1/admin/curated")
    assert created["outcome"] == "201" and created["detail"].startswith("curated=") and created["at"]
    assert created["who"].startswith("key:") and KEY not in created["who"]
    assert next(e for e in entries if e["outcome"] == "401")["who"] == "anonymous"
    assert {e["who"] for e in entries if e["outcome"] == "403"} != {created["who"]}
    stored = b"".join(p.read_bytes() for p in c.layout.root.glob("operator.sqlite*"))
    assert KEY.encode() not in stored
