"""The OpenAI-compatible adapters against a real server on loopback that fails when told to:
retries, timeouts, the circuit breaker, the concurrency limit, streaming, ingest fanning embedding
batches out, and a down endpoint as a 503 in the API. No mock of httpx: real HTTP, short timeouts."""

import os
import shutil
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from eval.bench.load import free_port
from govqa.bootstrap import SAMPLE_CORPUS, Container
from govqa.config import EmbedderSettings, Settings
from govqa.core.errors import CircuitOpenError, ModelEndpointError
from govqa.models.breaker import CircuitBreaker
from govqa.models.embedders import OpenAIEmbedder
from govqa.models.generators import OpenAIGenerator
from govqa.models.http import HttpPolicy
from govqa.testing.contracts import check_embedder
from govqa.testing.fakes import ScriptedGenerator
from tests.faulty_endpoint import REPLY, FaultyEndpoint, serve_faulty
from tests.servers import app_in_thread

FAST = HttpPolicy(
    connect_timeout=1.0,
    read_timeout=1.0,
    retries=2,
    backoff_seconds=0.01,
    max_backoff_seconds=1.0,
    concurrency=4,
    breaker_failures=50,
    breaker_cooldown_seconds=1.0,
)
POLICY = SAMPLE_CORPUS / "policies" / "jljx-2022-15.md"
GUIDES = sorted((SAMPLE_CORPUS / "guides").glob("JL-GA-*.json"))  # a few chunks each


def _embedder(ep: FaultyEndpoint, **policy: Any) -> OpenAIEmbedder:
    """An embedder on `ep` (its dimension probe is then forgotten by the server's record)."""
    embedder = OpenAIEmbedder(ep.url, "stub-embed", batch_size=2, policy=replace(FAST, **policy))
    ep.reset_counts()
    return embedder


def test_transient_failures_are_retried_and_retry_after_is_honoured() -> None:
    with serve_faulty() as ep:
        embedder = _embedder(ep)
        ep.fail(500)
        ep.then("drop")
        vector = embedder.embed_query("公积金提取")
        assert ep.requests == 3
        assert np.allclose(vector, ep.embedder.embed_query("公积金提取"), atol=1e-6)

        ep.reset_counts()
        ep.fail(429, retry_after="0.5")
        started = time.monotonic()
        embedder.embed_query("社保转移")
        assert time.monotonic() - started >= 0.5  # the backoff alone would be about 0.01 s
        assert ep.requests == 2


def test_failures_past_the_retries_or_a_long_retry_after_are_endpoint_errors() -> None:
    with serve_faulty() as ep:
        embedder = _embedder(ep)
        ep.fail(500, times=3)
        with pytest.raises(ModelEndpointError, match="failed after 3 attempts: HTTP 500") as failed:
            embedder.embed_query("居住证")
        assert ep.url in str(failed.value) and "check that the server is running" in str(failed.value)
        assert ep.requests == 3

        ep.reset_counts()
        ep.fail(429, retry_after="30")
        started = time.monotonic()
        with pytest.raises(ModelEndpointError, match="asked to retry after 30 s"):
            embedder.embed_query("居住证")
        assert time.monotonic() - started < 1.0 and ep.requests == 1


def test_client_errors_are_not_retried_and_do_not_trip_the_breaker() -> None:
    with serve_faulty() as ep:
        embedder = _embedder(ep, breaker_failures=1)
        ep.fail(400)
        with pytest.raises(ModelEndpointError, match="refused the request with HTTP 400") as refused:
            embedder.embed_query("居住证")
        assert not isinstance(refused.value, CircuitOpenError)
        assert ep.requests == 1
        embedder.embed_query("居住证")  # one failure would have opened this breaker
        assert ep.requests == 2


def test_a_hanging_or_absent_server_fails_within_the_timeout() -> None:
    with serve_faulty() as ep:
        embedder = _embedder(ep, read_timeout=0.3, retries=1)
        ep.then("hang", seconds=3.0, times=2)
        started = time.monotonic()
        with pytest.raises(ModelEndpointError, match="ReadTimeout"):
            embedder.embed_query("居住证")
        assert time.monotonic() - started < 1.5  # two reads of 0.3 s and a short backoff
        assert ep.requests == 2

    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    started = time.monotonic()
    with pytest.raises(ModelEndpointError, match="ConnectError") as refused:
        OpenAIEmbedder(url, "stub-embed", policy=FAST)
    assert url in str(refused.value) and time.monotonic() - started < 2.0


def test_breaker_opens_fails_fast_then_probes_and_recovers() -> None:
    with serve_faulty() as ep:
        embedder = _embedder(ep, retries=0, breaker_failures=3, breaker_cooldown_seconds=0.5)
        ep.fail(500, times=1000)
        for _ in range(3):
            with pytest.raises(ModelEndpointError) as failed:
                embedder.embed_query("居住证")
            assert not isinstance(failed.value, CircuitOpenError)
        assert ep.requests == 3

        started = time.monotonic()
        with pytest.raises(CircuitOpenError) as refused:
            embedder.embed_query("居住证")
        assert time.monotonic() - started < 0.1 and ep.requests == 3  # nothing reached the server
        assert ep.url in str(refused.value) and "3 times in a row" in str(refused.value)
        assert refused.value.retry_after == 1

        time.sleep(0.55)
        with pytest.raises(ModelEndpointError) as probe:  # the one probe, still failing
            embedder.embed_query("居住证")
        assert not isinstance(probe.value, CircuitOpenError) and ep.requests == 4
        with pytest.raises(CircuitOpenError):  # open again at once
            embedder.embed_query("居住证")
        assert ep.requests == 4

        ep.faults.clear()  # the server recovers
        time.sleep(0.55)
        embedder.embed_query("居住证")
        embedder.embed_query("公积金")
        assert ep.requests == 6


def test_half_open_breaker_lets_one_probe_through() -> None:
    now = [0.0]
    breaker = CircuitBreaker(failures=2, cooldown=10.0, clock=lambda: now[0])
    breaker.failure()
    assert breaker.refused_for() == 0.0
    breaker.failure()
    assert breaker.refused_for() == 10.0
    now[0] = 10.0
    assert breaker.refused_for() == 0.0  # the probe
    assert breaker.refused_for() == 10.0  # the others wait while it is out
    now[0] = 20.0
    assert breaker.refused_for() == 0.0  # a probe that never reported does not keep it open
    breaker.success()
    assert breaker.refused_for() == 0.0 and breaker.refused_for() == 0.0


def test_concurrency_limit_holds_across_callers_and_batches_keep_their_order() -> None:
    with serve_faulty(delay=0.1) as ep:
        embedder = _embedder(ep, concurrency=2)
        texts = [f"第{i}条 申请材料{i}" for i in range(8)]
        threads = [threading.Thread(target=embedder.embed_query, args=(f"问题{i}",)) for i in range(4)]
        for thread in threads:
            thread.start()
        rows = embedder.embed_documents(texts)  # 4 batches of 2, up to 2 at once
        for thread in threads:
            thread.join(10)
        assert ep.requests == 8 and ep.max_in_flight == 2
        ep.delay = 0.0
        assert np.allclose(rows, np.vstack([embedder.embed_documents([t]) for t in texts]), atol=1e-6)


def test_stream_is_retried_before_its_first_piece_only() -> None:
    with serve_faulty() as ep:
        generator = OpenAIGenerator(ep.url, "stub-chat", policy=replace(FAST, read_timeout=0.3, retries=1))
        ep.fail(503)
        assert "".join(generator.stream("系统", "问题", 16)) == REPLY
        ep.then("hang", seconds=2.0)  # no headers within the read timeout
        assert "".join(generator.stream("系统", "问题", 16)) == REPLY
        ep.fail(502)
        assert generator.generate("系统", "问题", 16) == REPLY
        assert ep.requests == 6

        ep.reset_counts()
        ep.then("cut")
        pieces: list[str] = []
        with pytest.raises(ModelEndpointError, match="broke off a reply"):
            pieces.extend(generator.stream("系统", "问题", 16))
        assert pieces == [REPLY[:3]] and ep.requests == 1

        ep.reset_counts()
        ep.then("stall", seconds=2.0)
        started = time.monotonic()
        with pytest.raises(ModelEndpointError, match="ReadTimeout"):
            list(generator.stream("系统", "问题", 16))
        assert time.monotonic() - started < 1.0 and ep.requests == 1


def _container(data: Path, ep: FaultyEndpoint, **http: Any) -> Container:
    """A container whose embedder is the endpoint, built by bootstrap from Settings."""
    embedder = EmbedderSettings(backend="openai", url=ep.url, model="stub-embed", **{"batch_size": 4, **http})
    c = Container(Settings(data_dir=data, model_dir=data / "models", embedder=embedder), generator=ScriptedGenerator())
    assert c.embedder.dim == 16  # built now: its dimension probe is not part of what is measured
    ep.reset_counts()
    return c


def test_ingest_fans_batches_out_in_order_and_sends_only_new_texts(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(POLICY, folder)
    for guide in GUIDES:
        shutil.copy(guide, folder)
    with serve_faulty(delay=0.05) as ep:
        c = _container(tmp_path / "data", ep, batch_size=8, concurrency=3)
        try:
            report = c.ingest_pipeline().run([folder])
            assert not report.failed and report.chunks_total >= 40
            assert report.embedded == report.chunks_total == len(ep.texts)
            # Chunks of several files share full batches (only the last is short), 3 in flight.
            assert sorted(ep.batch_sizes)[1:] == [8] * (len(ep.batch_sizes) - 1)
            assert ep.max_in_flight == 3

            # Each text's cached vector is the one the endpoint gives it alone: no batch came back
            # out of order, and reading them sends nothing.
            texts = list(ep.texts)
            ep.reset_counts()
            ep.delay = 0.0
            stored = c.embedder.embed_documents(texts)
            assert ep.requests == 0
            alone = OpenAIEmbedder(ep.url, "stub-embed")
            assert np.allclose(stored, np.vstack([alone.embed_documents([t]) for t in texts]), atol=1e-6)

            ep.reset_counts()
            assert c.ingest_pipeline().run([folder]).embedded == 0 and ep.requests == 0

            source = folder / POLICY.name
            source.write_text(source.read_text(encoding="utf-8").replace("不收取任何费用", "不收取费用"))
            again = c.ingest_pipeline().run([folder])
            assert again.embedded == len(ep.texts) == 1 and "不收取费用" in ep.texts[0]
        finally:
            c.close()


def test_a_down_embedding_endpoint_is_a_503_naming_it(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(POLICY, folder)
    with serve_faulty() as ep:
        c = _container(tmp_path / "data", ep, retries=0, breaker_failures=1, breaker_cooldown_seconds=30)
        try:
            assert not c.ingest_pipeline().run([folder]).failed
            ep.fail(500, times=1000)
            with app_in_thread(c) as url:
                down = httpx.get(url + "/api/v1/search", params={"q": "专精特新认定条件"}, timeout=10)
                assert down.status_code == 503
                assert "模型暂不可用" in down.json()["detail"] and ep.url in down.json()["detail"]
                assert down.json()["error"] == "ModelEndpointError"

                resting = httpx.get(url + "/api/v1/search", params={"q": "研发费用"}, timeout=10)
                assert resting.status_code == 503 and resting.json()["error"] == "CircuitOpenError"
                assert 1 <= int(resting.headers["Retry-After"]) <= 30
        finally:
            c.close()


def _real_server(kind: str) -> tuple[str, str]:
    """The URL and model of a real server of `kind` given by the environment, or skip."""
    url = os.environ.get(f"GOVQA_TEST_{kind}_URL", "")
    model = os.environ.get(f"GOVQA_TEST_{kind}_MODEL", "")
    if not (url and model):
        pytest.skip(
            f"no real {kind.lower()} server: set GOVQA_TEST_{kind}_URL (e.g. http://host:8000/v1) and "
            f"GOVQA_TEST_{kind}_MODEL to run the adapter against vLLM, llama.cpp server or TEI"
        )
    return url, model


def test_real_embedding_server_passes_the_embedder_contract() -> None:
    url, model = _real_server("EMBEDDINGS")
    check_embedder(OpenAIEmbedder(url, model, batch_size=2))


def test_real_chat_server_generates_and_streams() -> None:
    url, model = _real_server("CHAT")
    generator = OpenAIGenerator(url, model)
    assert generator.generate("只用中文回答。", "1加1等于几？", 16).strip()
    assert "".join(generator.stream("只用中文回答。", "1加1等于几？", 16)).strip()
