"""Real HTTP against the real app: validation, errors, chat, clause search."""

import json
from pathlib import Path

import httpx
import pytest

from govqa.bootstrap import Container
from tests.conftest import fake_container
from tests.servers import app_in_thread


def test_not_indexed_gives_409_with_instructions(tmp_path: Path) -> None:
    c = fake_container(tmp_path / "empty")
    with app_in_thread(c) as url:
        r = httpx.post(url + "/api/v1/chat", json={"message": "公积金怎么取"})
        assert r.status_code == 409
        assert "govqa ingest" in r.json()["detail"]
        assert httpx.get(url + "/api/v1/health").json()["indexed"] is False
    c.close()


@pytest.fixture(scope="module")
def live(real_container: Container):  # type: ignore[no-untyped-def]
    with app_in_thread(real_container) as url:
        yield url


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"message": ""}, "message"),
        ({"message": "   "}, "问题不能为空"),
        ({"text": "wrong field"}, "message"),
        ({"message": "x" * 3000}, "message"),
        ({"message": "公积金", "session_id": "../../etc"}, "session_id"),
    ],
)
def test_malformed_requests_get_422_with_a_reason(live: str, body: dict[str, str], fragment: str) -> None:
    r = httpx.post(live + "/api/v1/chat", json=body, timeout=30)
    assert r.status_code == 422
    assert fragment in r.json()["detail"]


@pytest.mark.slow
def test_non_json_body_is_422(live: str) -> None:
    r = httpx.post(live + "/api/v1/chat", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422


@pytest.mark.slow
def test_chat_clarifies_then_answers_over_http(live: str) -> None:
    first = httpx.post(live + "/api/v1/chat", json={"message": "公积金提取需要什么材料"}, timeout=60).json()
    assert first["kind"] == "clarify" and first["options"] and first["slot"] == "scenario"
    option = next(o for o in first["options"] if o.startswith("租赁"))
    second = httpx.post(
        live + "/api/v1/chat", json={"message": option, "session_id": first["session_id"]}, timeout=60
    ).json()
    assert second["kind"] == "answer"
    assert second["citations"][0]["doc_id"] == "JL-GJJ-TQ-002"
    assert "申请材料" in second["text"]


@pytest.mark.slow
def test_stream_sends_deltas_then_the_reply(live: str) -> None:
    events = []
    with httpx.stream(
        "POST", live + "/api/v1/chat/stream", json={"message": "身份证丢了补办要带什么材料"}, timeout=120
    ) as r:
        assert r.status_code == 200
        for line in r.iter_lines():
            if line.startswith("event: "):
                events.append(line[7:])
            elif line.startswith("data: ") and events[-1] == "reply":
                reply = json.loads(line[6:])
    assert events[-1] == "reply" and "delta" in events
    assert reply["kind"] in ("answer", "clarify")


@pytest.mark.slow
def test_clause_search_returns_exact_article_first(live: str) -> None:
    hits = httpx.get(live + "/api/v1/search", params={"q": "江临市住房公积金管理办法第二十四条", "k": 3}).json()
    assert hits[0]["doc_id"] == "jlzf-2021-12" and hits[0]["label"].endswith("第二十四条")
    assert httpx.get(live + "/api/v1/search", params={"q": ""}).status_code == 422
