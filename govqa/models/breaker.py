"""A circuit breaker: stop calling an endpoint that keeps failing, then probe it now and then."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class CircuitBreaker:
    """Closed, calls pass. After `failures` failures in a row it opens: calls are refused for
    `cooldown` seconds. Then it is half-open: one call goes through as a probe; its success closes
    the circuit, its failure opens it for another cool-down. Thread-safe.

    While a probe is out the cool-down is re-armed, so the others keep failing fast, and a probe
    that never reports back (its caller died) cannot leave the circuit stuck open.
    """

    def __init__(self, failures: int, cooldown: float, clock: Callable[[], float] = time.monotonic) -> None:
        if failures < 1:
            raise ValueError(f"failures must be at least 1, got {failures}")
        if cooldown <= 0:
            raise ValueError(f"cooldown must be positive, got {cooldown}")
        self._threshold = failures
        self._cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._open_until = 0.0  # 0: closed

    def refused_for(self) -> float:
        """0.0 when a call may go ahead (as the probe, when half-open), else the seconds left of
        the cool-down."""
        with self._lock:
            if not self._open_until:
                return 0.0
            now = self._clock()
            if now >= self._open_until:
                self._open_until = now + self._cooldown
                return 0.0
            return self._open_until - now

    def success(self) -> None:
        """The endpoint answered: close the circuit."""
        with self._lock:
            self._failures = 0
            self._open_until = 0.0

    def failure(self) -> None:
        """The endpoint failed: open the circuit at the threshold, or again after a failed probe."""
        with self._lock:
            self._failures += 1
            if self._open_until or self._failures >= self._threshold:
                self._open_until = self._clock() + self._cooldown
