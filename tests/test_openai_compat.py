"""The OpenAI-compatible face with the official `openai` client, and observability, over real HTTP."""

import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from govqa.api import conversation
from govqa.bootstrap import SAMPLE_PATHS, Container
from tests.conftest import fake_container
from tests.servers import app_in_thread

QUESTION = "公积金提取需要什么材料"


def test_stateless_keys_chain_turns_and_numbers_select_options() -> None:
    first = conversation.stateless_key([QUESTION])
    second = conversation.stateless_key([QUESTION, "2"])
    assert first != second and first.startswith("oa-1-") and second.startswith("oa-2-")
    assert conversation.stateless_key([QUESTION]) == first  # a resent history finds the same key
    rendered = "您要办理的是哪种情形？\n1. 购买自住住房\n2. 租赁住房\n请回复序号或选项内容。"
    assert conversation.selected_option("2", rendered) == "租赁住房"
    assert conversation.selected_option("2", "1. 申请\n2. 受理") == "2"  # not a clarifying question
    assert conversation.plain_markers("材料 [1]，以及[2]。") == "材料［1］，以及［2］。"
    assert conversation.session_for_user("alice") == "alice"
    assert conversation.SESSION_ID.match(conversation.session_for_user("alice@example.org"))


@pytest.fixture(scope="module")
def fake_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    c: Container = fake_container(tmp_path_factory.mktemp("oa"))
    c.ingest_pipeline().run(list(SAMPLE_PATHS))
    with app_in_thread(c) as url:
        yield url
    c.close()


def test_openai_client_clarify_then_answer_by_number_with_citations(fake_url: str) -> None:
    client = openai.OpenAI(base_url=fake_url + "/v1", api_key="sk-never-logged", max_retries=0)
    assert [m.id for m in client.models.list()] == ["govqa"]
    history = [{"role": "user", "content": QUESTION}]
    asked = client.chat.completions.create(model="govqa", messages=history)  # type: ignore[arg-type]
    text = asked.choices[0].message.content or ""
    assert asked.model_extra and asked.model_extra["govqa"]["kind"] == "clarify"
    assert "1. " in text and "2. " in text
    history += [{"role": "assistant", "content": text}, {"role": "user", "content": "2"}]
    answer = client.chat.completions.create(model="govqa", messages=history)  # type: ignore[arg-type]
    message = answer.choices[0].message
    assert message.model_extra and message.model_extra["citations"]
    assert "来源：\n［1］" in (message.content or "") and "[1]" not in (message.content or "")
    chunks = list(client.chat.completions.create(model="govqa", messages=history, stream=True))  # type: ignore[arg-type]
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert streamed == message.content  # the same turn replayed from the state before it
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra and chunks[-1].model_extra["citations"]


def test_bad_requests_are_openai_errors_in_both_languages(fake_url: str) -> None:
    cases = [
        ({"model": "govqa", "messages": []}, 400),
        ({"model": "govqa", "messages": [{"role": "assistant", "content": "hi"}]}, 400),
        ({"model": "govqa", "messages": [{"role": "user", "content": "x" * 600}]}, 400),
        ({"model": "govqa", "messages": [{"role": "user", "content": 5}]}, 400),
        ({"model": "gpt-4", "messages": [{"role": "user", "content": QUESTION}]}, 404),
    ]
    for body, status in cases:
        r = httpx.post(fake_url + "/v1/chat/completions", json=body)
        assert r.status_code == status, body
        error = r.json()["error"]
        assert {"message", "type", "code"} <= set(error)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"]) and any(
            ch.isascii() and ch.isalpha() for ch in error["message"]
        )
    r = httpx.post(
        fake_url + "/v1/chat/completions", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400
    r = httpx.post(
        fake_url + "/v1/chat/completions",
        json={"messages": [{"role": "user", "content": QUESTION}]},
        headers={"X-Session-Id": "../etc"},
    )
    assert r.status_code == 400


def test_health_ready_metrics_and_request_ids(fake_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert httpx.get(fake_url + "/healthz").status_code == 200
    ready = httpx.get(fake_url + "/readyz")
    assert ready.status_code == 200 and ready.json()["missing"] == {}
    assert httpx.get(fake_url + "/api/v1/health").json()["indexed"] is True
    with caplog.at_level(logging.INFO, logger="govqa.http"):
        r = httpx.post(
            fake_url + "/v1/chat/completions",
            json={"model": "govqa", "messages": [{"role": "user", "content": "租房提取公积金要什么材料"}]},
            headers={"X-Request-Id": "req-123", "Authorization": "Bearer sk-secret-key"},
        )
        # The request line is written once the response has gone out: the client may read it first.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not any(
            '"request"' in rec.getMessage() and "req-123" in rec.getMessage() for rec in caplog.records
        ):
            time.sleep(0.02)
    assert r.headers["x-request-id"] == "req-123"
    lines = [json.loads(rec.getMessage()) for rec in caplog.records if rec.name == "govqa.http"]
    assert {"chat", "request"} <= {line["event"] for line in lines if line["request_id"] == "req-123"}
    logged = caplog.text
    assert "sk-secret-key" not in logged and "租房提取公积金要什么材料" not in logged and "租房提取…" in logged
    assert len(httpx.get(fake_url + "/healthz").headers["x-request-id"]) == 32  # generated when absent
    scrape = httpx.get(fake_url + "/metrics").text
    assert 'govqa_http_requests_total{method="POST",route="/v1/chat/completions",status="200"}' in scrape
    assert 'govqa_answer_duration_seconds_bucket{le="0.025",mode="clarify"}' in scrape
    assert 'govqa_clarifications_total{slot="scenario"}' in scrape and "govqa_llm_queue_waiting 0.0" in scrape

    empty = fake_container(tmp_path / "empty")
    with app_in_thread(empty) as url:
        not_ready = httpx.get(url + "/readyz")
        assert not_ready.status_code == 503 and "govqa ingest" in not_ready.json()["missing"]["index"]
        assert httpx.get(url + "/healthz").status_code == 200
    empty.close()


@pytest.mark.slow
def test_real_models_through_the_openai_client(real_container: Container) -> None:
    with app_in_thread(real_container) as url:
        client = openai.OpenAI(base_url=url + "/v1", api_key="unused", max_retries=0, timeout=180)
        history = [{"role": "user", "content": QUESTION}]
        asked = client.chat.completions.create(model="govqa", messages=history)  # type: ignore[arg-type]
        assert asked.model_extra and asked.model_extra["govqa"]["slot"] == "scenario"
        options = asked.model_extra["govqa"]["options"]
        number = next(n for n, o in enumerate(options, 1) if o.startswith("租赁"))
        history += [
            {"role": "assistant", "content": asked.choices[0].message.content},
            {"role": "user", "content": str(number)},
        ]
        chunks = list(client.chat.completions.create(model="govqa", messages=history, stream=True))  # type: ignore[arg-type]
        citations = chunks[-1].model_extra["citations"] if chunks[-1].model_extra else []
        assert citations and citations[0]["doc_id"] == "JL-GJJ-TQ-002"
        assert "申请材料" in "".join(c.choices[0].delta.content or "" for c in chunks)
