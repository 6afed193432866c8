"""Limits at the HTTP edge over real HTTP on fakes: message length, body size (413), search k,
the session cap and idle expiry, the rate limit per client (429 with Retry-After) and CORS."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from govqa.api.limits import TokenBuckets
from govqa.bootstrap import SAMPLE_CORPUS, Container
from govqa.config import CorsSettings, RateLimitSettings, SessionSettings, Settings
from govqa.testing.fakes import HashEmbedder, ScriptedGenerator
from tests.servers import app_in_thread

GUIDES = ("JL-GJJ-TQ-001.json", "JL-GJJ-TQ-002.json", "JL-GA-JZZ-001.json")
ORIGIN = "https://www.jl.gov.cn"


def corpus(root: Path) -> Path:
    (root / "guides").mkdir(parents=True)
    for name in GUIDES:
        shutil.copy(SAMPLE_CORPUS / "guides" / name, root / "guides" / name)
    return root / "guides"


def make(data: Path, **settings: object) -> Container:
    base = {"data_dir": data, "model_dir": data / "models", **settings}
    return Container(Settings(**base), embedder=HashEmbedder(64), generator=ScriptedGenerator())  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def guides(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus(tmp_path_factory.mktemp("limits-corpus"))


@pytest.fixture(scope="module")
def served(guides: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Container]]:
    c = make(
        tmp_path_factory.mktemp("limits-data"),
        max_body_bytes=4096,
        sessions=SessionSettings(max_sessions=3, idle_seconds=3600),
        rate_limit=RateLimitSettings(per_minute=0),
    )
    assert not c.ingest_pipeline().run([guides]).failed
    with app_in_thread(c) as url:
        yield url, c
    c.close()


def bilingual(body: dict[str, object]) -> bool:
    detail = str(body["detail"])
    return any("\u4e00" <= ch <= "\u9fff" for ch in detail) and any("a" <= ch <= "z" for ch in detail.lower())


def test_message_length_is_422_with_the_reason(served: tuple[str, Container]) -> None:
    url, _ = served
    r = httpx.post(url + "/api/v1/chat", json={"message": "公" * 501})
    assert r.status_code == 422 and "501" in r.json()["detail"] and bilingual(r.json())
    r = httpx.post(url + "/api/v1/chat", json={"message": "a" * 2001})  # under the body limit, over the field's
    assert r.status_code == 422 and "message" in r.json()["detail"] and bilingual(r.json())
    r = httpx.post(
        url + "/v1/chat/completions", json={"model": "govqa", "messages": [{"role": "user", "content": "公" * 501}]}
    )
    assert r.status_code == 400 and "501" in r.json()["error"]["message"]


def test_a_body_over_the_limit_is_413_declared_or_streamed(served: tuple[str, Container]) -> None:
    url, _ = served
    big = {"message": "公积金", "pad": "x" * 5000}
    r = httpx.post(url + "/api/v1/chat", json=big)
    assert r.status_code == 413 and bilingual(r.json()) and r.json()["error"] == "PayloadTooLarge"
    assert r.json()["request_id"] == r.headers["x-request-id"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"message": "' + b"x" * 3000
        yield b"y" * 3000 + b'"}'

    r = httpx.post(url + "/api/v1/chat", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and bilingual(r.json())
    r = httpx.post(url + "/v1/chat/completions", json={"model": "govqa", "messages": [], "pad": "x" * 5000})
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"
    small = httpx.post(url + "/api/v1/chat", json={"message": "居住证怎么办理"})
    assert small.status_code == 200


@pytest.mark.parametrize("k", ["0", "-1", "51", "abc", "1e9"])
def test_search_k_out_of_bounds_is_422(served: tuple[str, Container], k: str) -> None:
    url, _ = served
    r = httpx.get(url + "/api/v1/search", params={"q": "居住证", "k": k})
    assert r.status_code == 422 and "k" in r.json()["detail"] and bilingual(r.json())


def test_search_k_at_its_bounds_answers(served: tuple[str, Container]) -> None:
    url, _ = served
    for k in ("1", "50"):
        assert httpx.get(url + "/api/v1/search", params={"q": "居住证", "k": k}).status_code == 200


def test_live_sessions_are_capped_oldest_idle_first(served: tuple[str, Container]) -> None:
    url, c = served
    ids = [f"cap-{i}" for i in range(5)]
    for sid in ids:
        r = httpx.post(url + "/api/v1/chat", json={"message": "公积金提取需要什么材料", "session_id": sid})
        assert r.status_code == 200 and r.json()["kind"] == "clarify"
        time.sleep(0.01)
    assert c.sessions.count() == 3
    assert c.sessions.load("cap-0").pending is None and c.sessions.load("cap-1").pending is None
    assert all(c.sessions.load(sid).pending is not None for sid in ids[2:])
    # A forgotten session is not an error: the reply starts a fresh dialogue.
    r = httpx.post(url + "/api/v1/chat", json={"message": "租赁住房", "session_id": "cap-0"})
    assert r.status_code == 200 and len(c.sessions.load("cap-0").turns) == 1


def test_an_idle_session_expires_and_starts_fresh(guides: Path, tmp_path: Path) -> None:
    c = make(tmp_path / "data", sessions=SessionSettings(idle_seconds=1))
    assert not c.ingest_pipeline().run([guides]).failed
    with app_in_thread(c) as url:
        first = httpx.post(url + "/api/v1/chat", json={"message": "公积金提取需要什么材料"}).json()
        sid = first["session_id"]
        assert first["kind"] == "clarify" and c.sessions.load(sid).pending is not None
        time.sleep(1.3)
        assert c.sessions.load(sid).pending is None  # expired
        r = httpx.post(url + "/api/v1/chat", json={"message": "公积金提取需要什么材料", "session_id": sid})
        assert r.status_code == 200 and r.json()["kind"] == "clarify"
        assert len(c.sessions.load(sid).turns) == 1  # a fresh dialogue, not the old one continued
    c.close()


def test_token_bucket_paces_a_client_and_refills() -> None:
    now = [0.0]
    buckets = TokenBuckets(per_second=1.0, burst=3, clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == pytest.approx(1.0)
    assert buckets.take("b") == 0.0  # another client has its own bucket
    now[0] = 2.5
    assert buckets.take("a") == 0.0 and buckets.take("a") == 0.0 and buckets.take("a") > 0


def test_rate_limit_429_with_retry_after_on_public_routes_only(tmp_path: Path) -> None:
    c = make(tmp_path / "data", rate_limit=RateLimitSettings(per_minute=6, burst=5))
    with app_in_thread(c) as url:  # its readiness poll took the first token
        codes = [httpx.get(url + "/api/v1/health").status_code for _ in range(4)]
        assert codes == [200] * 4
        r = httpx.get(url + "/api/v1/health")
        assert r.status_code == 429 and 1 <= int(r.headers["retry-after"]) <= 10
        assert bilingual(r.json()) and r.json()["error"] == "RateLimited"
        chat = httpx.post(url + "/api/v1/chat", json={"message": "居住证怎么办理"})
        assert chat.status_code == 429  # the same client, whatever the route
        oa = httpx.post(url + "/v1/chat/completions", json={"model": "govqa", "messages": []})
        assert oa.status_code == 429 and oa.json()["error"]["type"] == "rate_limit_error"
        for path in ("/healthz", "/readyz", "/metrics") * 4:
            assert httpx.get(url + path).status_code in (200, 503), path  # probes are never limited
        assert httpx.get(url + "/api/v1/admin/status").status_code == 503  # the admin API is not limited
        # X-Forwarded-For is not trusted by default: a new value is still the same client.
        spoofed = httpx.get(url + "/api/v1/health", headers={"X-Forwarded-For": "203.0.113.9"})
        assert spoofed.status_code == 429
        metrics = httpx.get(url + "/metrics").text
        assert 'status="429"' in metrics
    c.close()


def test_forwarded_for_counts_clients_apart_only_when_trusted(tmp_path: Path) -> None:
    c = make(tmp_path / "data", rate_limit=RateLimitSettings(per_minute=6, burst=2, trust_forwarded_for=True))
    with app_in_thread(c) as url:

        def get(client: str) -> int:
            headers = {"X-Forwarded-For": f"198.51.100.200, {client}"}  # the proxy appended the last entry
            return httpx.get(url + "/api/v1/health", headers=headers).status_code

        assert [get("203.0.113.1") for _ in range(3)] == [200, 200, 429]
        assert [get("203.0.113.2") for _ in range(2)] == [200, 200]
    c.close()


def preflight(url: str, origin: str) -> httpx.Response:
    return httpx.options(
        url + "/api/v1/chat",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-session-id",
        },
    )


def test_cors_preflight_allowed_for_listed_origins_refused_for_others(tmp_path: Path) -> None:
    c = make(tmp_path / "data", cors=CorsSettings(allow_origins=(ORIGIN,)))
    with app_in_thread(c) as url:
        ok = preflight(url, ORIGIN)
        assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == ORIGIN
        assert "POST" in ok.headers["access-control-allow-methods"]
        assert "x-session-id" in ok.headers["access-control-allow-headers"].lower()
        refused = preflight(url, "https://evil.example.com")
        assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
        simple = httpx.get(url + "/api/v1/health", headers={"Origin": ORIGIN})
        assert simple.headers["access-control-allow-origin"] == ORIGIN
        other = httpx.get(url + "/api/v1/health", headers={"Origin": "https://evil.example.com"})
        assert "access-control-allow-origin" not in other.headers
    c.close()


def test_without_origins_the_api_is_same_origin_only(tmp_path: Path) -> None:
    c = make(tmp_path / "data")
    with app_in_thread(c) as url:
        r = preflight(url, ORIGIN)
        assert r.status_code == 405 and "access-control-allow-origin" not in r.headers
        simple = httpx.get(url + "/api/v1/health", headers={"Origin": ORIGIN})
        assert simple.status_code == 200 and "access-control-allow-origin" not in simple.headers
    c.close()


@pytest.mark.parametrize(
    "value", ["https://www.jl.gov.cn,https://zwfw.jl.gov.cn", '["https://www.jl.gov.cn", "https://zwfw.jl.gov.cn"]']
)
def test_cors_origins_from_the_environment(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("GOVQA_CORS__ALLOW_ORIGINS", value)
    assert Settings().cors.allow_origins == ("https://www.jl.gov.cn", "https://zwfw.jl.gov.cn")
    monkeypatch.setenv("GOVQA_CORS__ALLOW_ORIGINS", "www.jl.gov.cn")
    with pytest.raises(ValueError, match="scheme and host"):
        Settings()
