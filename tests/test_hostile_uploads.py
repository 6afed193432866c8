"""Hostile uploads through the real admin API over HTTP: traversal, absolute, NUL and overlong
names are refused before anything is written; hostile contents fail in the job's ingest report
with their reasons while the good files of the same upload are indexed; size and count limits."""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from govqa.bootstrap import Container
from govqa.config import AdminSettings, Settings
from govqa.testing.fakes import HashEmbedder, ScriptedGenerator
from tests.hostile import good_files, hostile_cases
from tests.servers import app_in_thread

KEY = "hostile-upload-key-51c2"
AUTH = {"Authorization": f"Bearer {KEY}"}
INGEST = "/api/v1/admin/ingest"
MAX_FILE = 4 << 20


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Container, Path]]:
    root = tmp_path_factory.mktemp("hostile-upload")
    data = root / "data"
    settings = Settings(
        data_dir=data,
        model_dir=data / "models",
        admin_api_key=KEY,
        admin=AdminSettings(max_upload_bytes=MAX_FILE, max_upload_files=40),
    )
    c = Container(settings, embedder=HashEmbedder(64), generator=ScriptedGenerator())
    with app_in_thread(c) as url:
        yield url, c, root
    c.close()


def files_outside(root: Path, data: Path) -> list[str]:
    return sorted(str(p) for p in root.rglob("*") if not p.is_relative_to(data))


def raw_upload(url: str, filename: bytes, body: bytes = b"# t\n\ntext") -> httpx.Response:
    """A multipart upload with the file name's bytes exactly as given (httpx would escape a NUL)."""
    boundary = uuid.uuid4().hex
    payload = (
        f"--{boundary}\r\n".encode()
        + b'Content-Disposition: form-data; name="files"; filename="'
        + filename
        + b'"\r\nContent-Type: text/plain\r\n\r\n'
        + body
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {**AUTH, "Content-Type": f"multipart/form-data; boundary={boundary}"}
    return httpx.post(url + INGEST, content=payload, headers=headers)


NAMES = [
    b"../../x.md",
    b"..\\..\\x.md",
    b"/etc/passwd",
    b"/etc/passwd.md",
    b"/tmp/evil.md",
    b"a\x00b.md",
    b"x.md\x00.exe",
    b"x" * 300 + b".md",
    "\u202egpj.md".encode(),
    b"..",
    b"",
]


@pytest.mark.parametrize("name", NAMES, ids=[repr(n[:24]) for n in NAMES])
def test_traversal_absolute_nul_and_long_names_are_refused(served: tuple[str, Container, Path], name: bytes) -> None:
    url, c, root = served
    before = files_outside(root, c.layout.root)
    uploaded = sorted(p.name for p in c.layout.uploads.glob("*")) if c.layout.uploads.exists() else []
    r = raw_upload(url, name)
    assert r.status_code == 422, (name, r.status_code, r.text)
    assert "name" in r.json()["detail"] or "file" in r.json()["detail"], r.text
    assert files_outside(root, c.layout.root) == before
    now = sorted(p.name for p in c.layout.uploads.glob("*")) if c.layout.uploads.exists() else []
    assert now == uploaded
    assert not Path("/x.md").exists() and not (root.parent / "x.md").exists()


def wait_job(url: str, job_id: str, seconds: float = 240) -> dict[str, object]:
    deadline = time.time() + seconds
    while time.time() < deadline:
        job = httpx.get(f"{url}/api/v1/admin/jobs/{job_id}", headers=AUTH).json()
        if job["status"] in ("done", "failed"):
            return job  # type: ignore[no-any-return]
        time.sleep(0.2)
    raise TimeoutError(f"job {job_id} still running after {seconds} s")


def test_hostile_contents_fail_in_the_report_and_the_good_files_are_indexed(
    served: tuple[str, Container, Path],
) -> None:
    url, c, root = served
    cases = [case for case in hostile_cases() if 0 < len(case.data) <= MAX_FILE]
    good = good_files()
    files = [("files", (case.name, case.data, "application/octet-stream")) for case in cases]
    files += [("files", (name, data, "application/octet-stream")) for name, data in good.items()]
    before = files_outside(root, c.layout.root)
    r = httpx.post(url + INGEST, headers=AUTH, files=files, timeout=120)
    assert r.status_code == 202, r.text
    job = wait_job(url, r.json()["id"])
    assert job["status"] == "done", job
    report = job["report"]
    assert isinstance(report, dict)
    by_name = {Path(f["path"]).name: f for f in report["files"]}
    for case in cases:
        assert by_name[case.name]["status"] == "failed" and case.reason in by_name[case.name]["reason"], case.name
    for name in good:
        assert by_name[name]["status"] == "indexed", by_name[name]
    assert report["failed"] == len(cases)
    assert files_outside(root, c.layout.root) == before
    hits = httpx.get(url + "/api/v1/search", params={"q": "电动自行车登记 购车发票", "k": 3}).json()
    assert hits and hits[0]["doc_id"] == "bike-guide"


def test_upload_size_and_count_limits(served: tuple[str, Container, Path]) -> None:
    url, _, _ = served
    fifty = [("files", ("one-line-50mb.txt", b"x" * (50 * 10**6), "text/plain"))]
    r = httpx.post(url + INGEST, headers=AUTH, files=fifty, timeout=120)
    assert r.status_code == 422 and "GOVQA_ADMIN__MAX_UPLOAD_BYTES" in r.json()["detail"]
    many = [("files", (f"f{i}.md", b"# t\n\nx", "text/markdown")) for i in range(41)]
    r = httpx.post(url + INGEST, headers=AUTH, files=many)
    assert r.status_code == 422 and "at most 40" in r.json()["detail"]
    # A declared length past files x bytes is refused before a byte of the body is read.
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        head = (
            f"POST {INGEST} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {KEY}\r\n"
            f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {41 * MAX_FILE + (2 << 20)}\r\n\r\n"
        )
        sock.sendall(head.encode())
        received = b""
        while b"PayloadTooLarge" not in received and (block := sock.recv(65536)):
            received += block  # headers and body may arrive apart
        answer = received.decode("utf-8", "replace")
    assert answer.startswith("HTTP/1.1 413") and "PayloadTooLarge" in answer
