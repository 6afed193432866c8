"""Prometheus metrics of one service instance: HTTP traffic, answers by mode, the LLM queue.

One registry per container (not the library's global one), so that several apps in one process
(tests, the evaluation) each count their own traffic.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from govqa.core.errors import BusyError
from govqa.core.protocols import SessionStore, TurnLog
from govqa.core.types import Answer, ClarifyingQuestion, Reply
from govqa.core.view import IndexView
from govqa.dialogue.router import Router
from govqa.generation.answerer import Answerer
from govqa.generation.queue import LLMQueue
from govqa.service import AnswerService

# Seconds: a clarifying question or field answer takes tens of milliseconds, a generated answer
# on two cores 5 to 40 seconds.
_HTTP_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 40.0, 80.0)
_ANSWER_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 40.0, 80.0)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class ServiceMetrics:
    """The counters and histograms; `render()` is the /metrics body."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "govqa_http_requests",
            "HTTP requests by route template, method and status",
            ("route", "method", "status"),
            registry=r,
        )
        self.request_seconds = Histogram(
            "govqa_http_request_duration_seconds",
            "HTTP request duration until the last byte, by route template, method and status",
            ("route", "method", "status"),
            buckets=_HTTP_BUCKETS,
            registry=r,
        )
        self.answer_seconds = Histogram(
            "govqa_answer_duration_seconds",
            "Time to the complete reply by answer mode (clarify, field, clause, faq, extracted, validity, "
            "generated, refusal, out_of_scope)",
            ("mode",),
            buckets=_ANSWER_BUCKETS,
            registry=r,
        )
        self.clarifications = Counter(
            "govqa_clarifications", "Clarifying questions asked, by what they ask", ("slot",), registry=r
        )
        self.refusals = Counter(
            "govqa_refusals", "Answers refusing because the corpus does not cover the question", registry=r
        )
        self.busy = Counter("govqa_llm_rejected", "Requests turned away because the LLM queue was full", registry=r)
        self.queue_waiting = Gauge("govqa_llm_queue_waiting", "Answers waiting for the LLM", registry=r)
        self.queue_running = Gauge("govqa_llm_queue_running", "Answers the LLM is writing (0 or 1)", registry=r)

    def watch_queue(self, queue: LLMQueue) -> None:
        """Read the queue's depth at every scrape."""
        self.queue_waiting.set_function(lambda: queue.waiting)
        self.queue_running.set_function(lambda: 1.0 if queue.busy else 0.0)

    def request(self, route: str, method: str, status: int, seconds: float) -> None:
        """Count one HTTP request."""
        labels = (route, method, str(status))
        self.requests.labels(*labels).inc()
        self.request_seconds.labels(*labels).observe(seconds)

    def answered(self, reply: Reply, seconds: float) -> None:
        """Count one reply of the dialogue."""
        if isinstance(reply, ClarifyingQuestion):
            self.answer_seconds.labels("clarify").observe(seconds)
            self.clarifications.labels(str(reply.slot)).inc()
            return
        self.answer_seconds.labels(reply.mode or "unknown").observe(seconds)
        if reply.mode == "refusal":
            self.refusals.inc()

    def render(self) -> bytes:
        """The Prometheus text exposition of every metric."""
        return generate_latest(self.registry)


class MeteredAnswerService(AnswerService):
    """AnswerService that counts each reply by mode with the time it took, and each request the
    LLM queue turned away."""

    def __init__(
        self,
        metrics: ServiceMetrics,
        snapshot: Callable[[], IndexView],
        router: Router,
        answerer: Answerer,
        sessions: SessionStore,
        max_chars: int = 500,
        turns: TurnLog | None = None,
    ) -> None:
        super().__init__(snapshot, router, answerer, sessions, max_chars, turns)
        self._metrics = metrics

    def stream(self, session_id: str, text: str) -> Iterator[str | Reply]:
        """AnswerService.stream, timed."""
        started = time.monotonic()
        try:
            for part in super().stream(session_id, text):
                if isinstance(part, Answer | ClarifyingQuestion):
                    self._metrics.answered(part, time.monotonic() - started)
                yield part
        except BusyError:
            self._metrics.busy.inc()
            raise
