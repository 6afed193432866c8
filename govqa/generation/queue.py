"""One bounded queue in front of the LLM: answers wait their turn, and past a bound they are turned away.

The bundled LLM writes one answer at a time on two cores; an answer that waits behind four others
waits half a minute or more. Rather than letting waiting requests pile up until clients time out,
`LLMQueue` admits a request to wait only while fewer than `max_waiting` others do, and otherwise
raises `BusyError` at once with an estimate of when to retry. Only turns that need the LLM pass
through it: clarifying questions, field, clause and FAQ answers and search never wait here.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import math
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from govqa import messages
from govqa.core.errors import BusyError
from govqa.core.protocols import Generator
from govqa.core.types import Answer, ScoredChunk
from govqa.generation.answerer import AnswerConfig, Answerer
from govqa.generation.extractive import Ask, RankedSentence

# Called when a request of this context is admitted (the edge uses it to know that a stream will
# not be turned away any more, see `LLMQueue.watch`).
_ON_ADMIT: contextvars.ContextVar[Callable[[], None] | None] = contextvars.ContextVar("on_admit", default=None)


class LLMQueue:
    """Serialises LLM turns; at most `max_waiting` turns wait while one runs.

    `retry_after` estimates, from the mean duration of recent turns, how long the queue takes to
    drain; it starts at `initial_turn_seconds` before any turn has been measured.
    """

    def __init__(self, max_waiting: int, initial_turn_seconds: float = 10.0) -> None:
        if max_waiting < 0:
            raise ValueError(f"max_waiting must be 0 or more, got {max_waiting}")
        self.max_waiting = max_waiting
        self._turn = threading.Lock()
        self._state = threading.Lock()
        self._waiting = 0
        self._mean_turn = initial_turn_seconds

    @property
    def waiting(self) -> int:
        """Turns waiting for the LLM now (not counting the one it is writing)."""
        return self._waiting

    @property
    def busy(self) -> bool:
        """True while a turn holds the LLM."""
        return self._turn.locked()

    def retry_after(self) -> int:
        """Seconds after which a turned-away request should find room (at least 1)."""
        return max(1, math.ceil(self._mean_turn * (self._waiting + 1)))

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Hold the LLM for one answer; raises BusyError at once when the queue is full."""
        if not self._turn.acquire(blocking=False):
            with self._state:
                if self._waiting >= self.max_waiting:
                    seconds = self.retry_after()
                    raise BusyError(
                        f"{messages.BUSY.format(seconds=seconds)} The answer generator is busy "
                        f"({self._waiting} answers waiting); retry in about {seconds} s.",
                        retry_after=seconds,
                    )
                self._waiting += 1
            try:
                self._turn.acquire()
            finally:
                with self._state:
                    self._waiting -= 1
        on_admit = _ON_ADMIT.get()
        if on_admit is not None:
            on_admit()
        started = time.monotonic()
        try:
            yield
        finally:
            # A running mean over roughly the last ten turns.
            self._mean_turn = 0.9 * self._mean_turn + 0.1 * (time.monotonic() - started)
            self._turn.release()

    @contextmanager
    def watch(self) -> Iterator[threading.Event]:
        """An event set when a turn taken in this context (thread) is admitted, so that an edge can
        pull a stream until it can no longer be turned away before it sends a status line."""
        admitted = threading.Event()
        token = _ON_ADMIT.set(admitted.set)
        try:
            yield admitted
        finally:
            _ON_ADMIT.reset(token)


class QueuedAnswerer(Answerer):
    """An Answerer whose every turn (the pick, the judge and the writing) holds one place in the queue."""

    def __init__(
        self,
        queue: LLMQueue,
        generator: Generator,
        config: AnswerConfig = AnswerConfig(),
        title_of: Callable[[str], str] = lambda doc_id: doc_id,
        today: Callable[[], dt.date] = dt.date.today,
        relevance: Callable[[str, str], float] | None = None,
    ) -> None:
        super().__init__(generator, config, title_of, today, relevance)
        self._queue = queue

    def stream(
        self,
        question: str,
        hits: Sequence[ScoredChunk],
        fallback: Answer,
        item_codes: tuple[str, ...] = (),
        subjects: Sequence[str] = (),
        choices: Sequence[RankedSentence] = (),
        choice_hits: Sequence[ScoredChunk] = (),
        asks: Sequence[Ask] = (),
    ) -> Iterator[str | Answer]:
        """Answerer.stream, once the queue admits the turn (BusyError when it is full)."""
        with self._queue.turn():
            yield from super().stream(question, hits, fallback, item_codes, subjects, choices, choice_hits, asks)
