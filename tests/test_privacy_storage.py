"""No 身份证号, mobile or bank card number typed by a citizen is stored or logged: the bytes of every
file under the data directory, the admin exports and the service's log lines are read back after
questions, a stream, the OpenAI face, a search and feedback carrying such numbers. The masked
question is still answered."""

from __future__ import annotations

import io
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from govqa.api.observability import _JsonLines, configure_logging, log_event
from govqa.bootstrap import SAMPLE_CORPUS, Container
from govqa.config import AdminSettings, RateLimitSettings, Settings
from govqa.core.privacy import mask_personal, pseudonymous_id, without_personal
from govqa.stores.sessions import SqliteSessionStore
from govqa.testing.fakes import HashEmbedder, ScriptedGenerator
from tests.servers import app_in_thread

KEY = "privacy-key-83be"
AUTH = {"Authorization": f"Bearer {KEY}"}
ID = "110101199003071234"
MOBILE = "13812345678"
CARD = "6222021234567890"
# As citizens type them: run together, grouped, after +86.
TYPED = {ID: ID, MOBILE: "138-1234-5678", CARD: "6222 0212 3456 7890"}
SECRETS = (ID, MOBILE, CARD, "1234-5678", "0212 3456")
PLAIN = "居住证申领需要什么材料？"
QUESTION = f"{PLAIN}我是{ID}，电话{TYPED[MOBILE]}，卡{TYPED[CARD]}"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Container, io.StringIO]]:
    root = tmp_path_factory.mktemp("privacy")
    (root / "guides").mkdir()
    shutil.copy(SAMPLE_CORPUS / "guides" / "JL-GA-JZZ-001.json", root / "guides")
    for name in ("JL-GJJ-TQ-001.json", "JL-GJJ-TQ-002.json"):
        shutil.copy(SAMPLE_CORPUS / "guides" / name, root / "guides")
    data = root / "data"
    settings = Settings(
        data_dir=data,
        model_dir=data / "models",
        admin_api_key=KEY,
        admin=AdminSettings(),
        rate_limit=RateLimitSettings(per_minute=0),
    )
    c = Container(settings, embedder=HashEmbedder(64), generator=ScriptedGenerator())
    assert not c.ingest_pipeline().run([root / "guides"]).failed
    configure_logging()
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    handler.setFormatter(_JsonLines())
    logging.getLogger("govqa").addHandler(handler)
    try:
        with app_in_thread(c) as url:
            yield url, c, captured
    finally:
        logging.getLogger("govqa").removeHandler(handler)
        c.close()


def assert_clean(text: str | bytes, where: str) -> None:
    blob = text if isinstance(text, bytes) else text.encode("utf-8")
    for secret in SECRETS:
        assert secret.encode() not in blob, f"{secret} in {where}"


def test_numbers_typed_anywhere_are_masked_in_every_stored_byte_and_log(
    served: tuple[str, Container, io.StringIO],
) -> None:
    url, c, captured = served
    chat = httpx.post(url + "/api/v1/chat", json={"message": QUESTION, "session_id": MOBILE})
    assert chat.status_code == 200
    body = chat.json()
    assert body["kind"] == "answer" and body["mode"] == "field" and body["citations"]  # answered, not refused
    plain = httpx.post(url + "/api/v1/chat", json={"message": PLAIN}).json()
    # As if no number were typed (电话 in the question adds the guide's phone field).
    assert body["text"].startswith(plain["text"]) and body["citations"][0] == plain["citations"][0]
    with httpx.stream("POST", url + "/api/v1/chat/stream", json={"message": QUESTION}) as r:
        streamed = "".join(r.iter_text())
    assert r.status_code == 200 and "event: reply" in streamed
    clarify = httpx.post(url + "/api/v1/chat", json={"message": f"公积金提取需要什么材料？{TYPED[CARD]}"})
    assert clarify.json()["kind"] == "clarify"  # the pending question is stored with the session
    oa = httpx.post(
        url + "/v1/chat/completions",
        json={"model": "govqa", "messages": [{"role": "user", "content": QUESTION}], "user": MOBILE},
    )
    assert oa.status_code == 200 and oa.json()["choices"][0]["message"]["citations"]
    assert httpx.get(url + "/api/v1/search", params={"q": f"居住证 {ID}"}).status_code == 200
    fb = httpx.post(
        url + "/api/v1/feedback", json={"session_id": MOBILE, "rating": "down", "comment": f"请回电{TYPED[MOBILE]}"}
    )
    assert fb.status_code == 201
    log_event("probe", text=f"{ID} {MOBILE}")  # anything a future line carries goes through the same formatter

    exports = [
        httpx.get(f"{url}/api/v1/admin/conversations/export", headers=AUTH, params={"format": f}).text
        for f in ("csv", "jsonl")
    ]
    exports += [
        httpx.get(f"{url}/api/v1/admin/feedback/export", headers=AUTH, params={"format": f}).text
        for f in ("csv", "jsonl")
    ]
    exports.append(httpx.get(f"{url}/api/v1/admin/feedback", headers=AUTH).text)
    assert "110101********1234" in exports[1] and "138****5678" in exports[1]
    for i, text in enumerate(exports):
        assert_clean(text, f"export {i}")
    stored = [p for p in c.layout.root.rglob("*") if p.is_file()]
    assert any(p.name.startswith("sessions.sqlite") for p in stored)
    assert any(p.name.startswith("operator.sqlite") for p in stored)
    for path in stored:
        assert_clean(path.read_bytes(), str(path))
    logs = captured.getvalue()
    assert '"event": "chat"' in logs and '"event": "request"' in logs and '"event": "probe"' in logs
    assert_clean(logs, "log")
    # The session keyed by a mobile number is found again under its pseudonym, never stored by it.
    assert len(c.sessions.load(MOBILE).turns) == 2  # the chat turn and the OpenAI turn of user=MOBILE
    assert pseudonymous_id(MOBILE).startswith("p-")


def test_session_state_is_masked_and_loads_back(tmp_path: Path) -> None:
    from govqa.core.types import DialogueState, Turn

    store = SqliteSessionStore(tmp_path / "s.sqlite")
    state = DialogueState("s1", turns=(Turn(QUESTION, "answer", "好的"),), pending_question=QUESTION)
    store.save(state)
    loaded = store.load("s1")
    assert loaded.turns[0].user == mask_personal(QUESTION) and loaded.pending_question == mask_personal(QUESTION)
    store.close()
    for path in tmp_path.glob("s.sqlite*"):
        assert_clean(path.read_bytes(), str(path))


def test_the_router_reads_the_question_without_the_numbers() -> None:
    assert without_personal(QUESTION) == f"{PLAIN}我，电话，卡"
    assert without_personal(f"我的身份证号{ID}丢了") == "我的身份证丢了"
    assert without_personal("京政发〔2024〕3号，请拨打12345") == "京政发〔2024〕3号，请拨打12345"


def test_pseudonymous_ids_leave_plain_ids_alone() -> None:
    assert pseudonymous_id("a3f9c2d14e") == "a3f9c2d14e"
    assert pseudonymous_id("oa-2-" + "ab" * 20) == "oa-2-" + "ab" * 20
    assert pseudonymous_id(MOBILE) == pseudonymous_id(MOBILE) != MOBILE
