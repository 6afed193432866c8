"""The one bounded LLM queue: a full queue turns generated answers away at once (503, Retry-After),
while clarifying questions, field answers and search stay fast."""

import threading
import time
from collections.abc import Iterator

import httpx
import openai
import pytest

from govqa.bootstrap import SAMPLE_PATHS, Container
from govqa.config import LLMSettings, Settings
from govqa.core.errors import BusyError
from govqa.generation.queue import LLMQueue
from govqa.testing.fakes import HashEmbedder, ScriptedGenerator
from tests.servers import app_in_thread

GENERATED = "租房提取公积金一年最多能提多少"  # routed to the LLM on the sample corpus


class GatedGenerator(ScriptedGenerator):
    """A generator that does not start writing until the test opens its gate."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.entered = threading.Event()

    def generate(self, system: str, user: str, max_tokens: int) -> str:
        self.entered.set()
        assert self.gate.wait(30), "the test never opened the gate"
        return super().generate(system, user, max_tokens)

    def continuation_logprob(self, system: str, user: str, continuation: str, reply_prefix: str = "") -> float:
        # A judged answer holds the LLM as long as a written one.
        self.entered.set()
        assert self.gate.wait(30), "the test never opened the gate"
        return super().continuation_logprob(system, user, continuation, reply_prefix)


def _wait_for(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def test_queue_admits_up_to_the_bound_then_refuses_at_once() -> None:
    queue = LLMQueue(max_waiting=1, initial_turn_seconds=3.0)
    release = threading.Event()
    done: list[str] = []

    def turn(name: str) -> None:
        with queue.turn():
            release.wait(10)
            done.append(name)

    first = threading.Thread(target=turn, args=("first",))
    first.start()
    _wait_for(lambda: queue.busy)
    second = threading.Thread(target=turn, args=("second",))
    second.start()
    _wait_for(lambda: queue.waiting == 1)
    started = time.monotonic()
    with pytest.raises(BusyError) as refused, queue.turn():
        pass
    assert time.monotonic() - started < 0.5
    assert refused.value.retry_after == 6  # two turns of the initial estimate: the running one and the waiting one
    assert "请" in str(refused.value) and "busy" in str(refused.value)
    release.set()
    first.join(10)
    second.join(10)
    assert done == ["first", "second"] and queue.waiting == 0 and not queue.busy


def test_watch_reports_admission_in_this_thread_only() -> None:
    queue = LLMQueue(max_waiting=0)
    with queue.watch() as admitted:
        assert not admitted.is_set()
        with queue.turn():
            pass
        assert admitted.is_set()
    with pytest.raises(ValueError, match="max_waiting"):
        LLMQueue(-1)


@pytest.fixture(scope="module")
def gated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Container, GatedGenerator]]:
    generator = GatedGenerator()
    data = tmp_path_factory.mktemp("queue")
    settings = Settings(data_dir=data, model_dir=data / "models", llm=LLMSettings(max_waiting=0))
    c = Container(settings, embedder=HashEmbedder(64), generator=generator)
    c.ingest_pipeline().run(list(SAMPLE_PATHS))
    yield c, generator
    c.close()


def test_full_queue_is_503_with_retry_after_while_other_answers_stay_fast(
    gated: tuple[Container, GatedGenerator],
) -> None:
    c, generator = gated
    with app_in_thread(c) as url:
        holder: dict[str, httpx.Response] = {}
        first = threading.Thread(
            target=lambda: holder.setdefault(
                "r", httpx.post(url + "/api/v1/chat", json={"message": GENERATED}, timeout=60)
            )
        )
        first.start()
        assert generator.entered.wait(20), "the first question never reached the LLM"
        try:
            started = time.monotonic()
            busy = httpx.post(url + "/api/v1/chat", json={"message": GENERATED}, timeout=10)
            assert busy.status_code == 503 and time.monotonic() - started < 2.0
            assert int(busy.headers["Retry-After"]) >= 1
            assert "请" in busy.json()["detail"] and "busy" in busy.json()["detail"]

            # The OpenAI face: a 503 before any stream starts, in OpenAI's error format.
            client = openai.OpenAI(base_url=url + "/v1", api_key="unused", max_retries=0)
            with pytest.raises(openai.APIStatusError) as refused:
                client.chat.completions.create(
                    model="govqa", messages=[{"role": "user", "content": GENERATED}], stream=True
                )
            assert refused.value.status_code == 503
            assert refused.value.response.headers["Retry-After"]

            started = time.monotonic()
            clarify = httpx.post(url + "/api/v1/chat", json={"message": "公积金提取需要什么材料"}, timeout=10)
            assert clarify.json()["kind"] == "clarify"
            search = httpx.get(url + "/api/v1/search", params={"q": "居住证"}, timeout=10)
            assert search.status_code == 200 and search.json()
            assert time.monotonic() - started < 5.0

            scrape = httpx.get(url + "/metrics").text
            assert "govqa_llm_queue_running 1.0" in scrape
            assert "govqa_llm_rejected_total 2.0" in scrape
        finally:
            generator.gate.set()
            first.join(30)
        assert holder["r"].status_code == 200 and holder["r"].json()["kind"] == "answer"
