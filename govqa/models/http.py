"""Calls to a model server over HTTP (vLLM, llama.cpp server, TEI): timeouts, retries with backoff,
a limit on requests in flight and a circuit breaker, one set per endpoint. httpx errors end here:
callers see ModelEndpointError (503 in the API), or CircuitOpenError while the endpoint rests."""

from __future__ import annotations

import json
import math
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx

from govqa.core.errors import CircuitOpenError, ConfigError, ModelEndpointError
from govqa.models.breaker import CircuitBreaker

T = TypeVar("T")
CHECK = "check that the server is running, reachable from this host and not overloaded"


@dataclass(frozen=True, slots=True)
class HttpPolicy:
    """How one endpoint is called (the fields of config.HttpEndpointSettings)."""

    connect_timeout: float = 5.0
    read_timeout: float = 60.0
    retries: int = 3
    backoff_seconds: float = 0.5
    max_backoff_seconds: float = 10.0
    concurrency: int = 4
    breaker_failures: int = 5
    breaker_cooldown_seconds: float = 30.0

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "backoff_seconds", "breaker_cooldown_seconds"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"{name} must be greater than 0, got {getattr(self, name)}")
        for name, least in (("retries", 0), ("concurrency", 1), ("breaker_failures", 1)):
            if getattr(self, name) < least:
                raise ConfigError(f"{name} must be at least {least}, got {getattr(self, name)}")


class _Transient(Exception):
    """A failure a later attempt may not meet (connection, timeout, 429, 5xx)."""

    def __init__(self, problem: str, retry_after: float | None = None) -> None:
        super().__init__(problem)
        self.retry_after = retry_after


class HttpEndpoint:
    """One server's base URL, called under an HttpPolicy. `label` names it in errors
    (e.g. "embedding endpoint")."""

    def __init__(self, url: str, label: str, policy: HttpPolicy, api_key: str = "") -> None:
        self.url = url.rstrip("/")
        self._label = label
        self._policy = policy
        self._client = httpx.Client(
            base_url=self.url,
            timeout=httpx.Timeout(policy.read_timeout, connect=policy.connect_timeout),
            # The semaphore is the limit: waiting in httpx's pool would time out as an error instead.
            limits=httpx.Limits(max_connections=None, max_keepalive_connections=policy.concurrency),
            headers={"Authorization": f"Bearer {api_key}"} if api_key else {},
        )
        self._slots = threading.BoundedSemaphore(policy.concurrency)
        self._breaker = CircuitBreaker(policy.breaker_failures, policy.breaker_cooldown_seconds)

    def post_json(self, path: str, body: Mapping[str, object]) -> Any:
        """POST `body` as JSON and return the decoded reply, retrying transient failures."""

        def attempt() -> Any:
            self._admit()
            with self._slots:
                response = self._open(path, body, stream=False)
            try:
                return response.json()
            except ValueError as exc:
                raise ModelEndpointError(f"the {self._label} {self.url}{path} answered with no JSON") from exc

        return self._retrying(path, attempt)

    def stream_events(self, path: str, body: Mapping[str, object]) -> Iterator[dict[str, Any]]:
        """POST `body` and yield the JSON of each server-sent event until `[DONE]`. A failure before
        the first event is retried like `post_json`; one after it is raised (a reply cannot resume)."""
        response, events = self._retrying(path, lambda: self._start_stream(path, body))
        try:
            yield from events
        except httpx.RequestError as exc:
            self._breaker.failure()
            raise ModelEndpointError(f"the {self._label} {self.url}{path} broke off a reply: {_describe(exc)}") from exc
        finally:
            response.close()
            self._slots.release()

    def _start_stream(self, path: str, body: Mapping[str, object]) -> tuple[httpx.Response, Iterator[dict[str, Any]]]:
        """Open a stream and read up to its first event, holding a slot until the caller releases it."""
        self._admit()
        self._slots.acquire()
        response: httpx.Response | None = None
        try:
            response = self._open(path, body, stream=True)
            events = _events(response.iter_lines(), f"the {self._label} {self.url}{path}")
            first = next(events, None)
        except BaseException as exc:
            if response is not None:
                response.close()
            self._slots.release()
            if isinstance(exc, httpx.RequestError):
                self._breaker.failure()
                raise _Transient(_describe(exc)) from exc
            raise

        def replay() -> Iterator[dict[str, Any]]:
            if first is not None:
                yield first
            yield from events

        return response, replay()

    def _admit(self) -> None:
        """Raise CircuitOpenError while the breaker is open (before waiting for a slot: fail fast)."""
        wait = self._breaker.refused_for()
        if wait:
            seconds = max(1, math.ceil(wait))
            raise CircuitOpenError(
                f"the {self._label} {self.url} failed {self._policy.breaker_failures} times in a row and is not "
                f"called for {seconds} more seconds; {CHECK}",
                retry_after=seconds,
            )

    def _open(self, path: str, body: Mapping[str, object], stream: bool) -> httpx.Response:
        """One attempt, admitted by the breaker and holding a slot: a response with a success status
        (its body unread when streaming), else _Transient or ModelEndpointError."""
        try:
            response = self._client.send(self._client.build_request("POST", path, json=body), stream=stream)
        except httpx.RequestError as exc:
            self._breaker.failure()
            raise _Transient(_describe(exc)) from exc
        if response.is_success:
            self._breaker.success()
            return response
        detail = _excerpt(response)
        if response.status_code == 429 or response.status_code >= 500:
            self._breaker.failure()
            raise _Transient(f"HTTP {response.status_code} {detail}", _retry_after(response))
        self._breaker.success()  # the server is up; it refused this request
        raise ModelEndpointError(
            f"the {self._label} {self.url}{path} refused the request with HTTP {response.status_code} {detail}; "
            "check the model name, the API key and the server's limits"
        )

    def _retrying(self, path: str, attempt: Callable[[], T]) -> T:
        """`attempt()`, tried again after a transient failure with exponential backoff and jitter
        (or the server's Retry-After), at most `retries` more times."""
        n = 0
        while True:
            try:
                return attempt()
            except _Transient as exc:
                delay = self._delay(n, exc.retry_after)
                if n == self._policy.retries or delay is None:
                    tries = f"{n + 1} attempt{'s' if n else ''}"
                    asked = f" (it asked to retry after {exc.retry_after:.0f} s)" if delay is None else ""
                    raise ModelEndpointError(
                        f"the {self._label} {self.url}{path} failed after {tries}: {exc}{asked}; {CHECK}"
                    ) from exc
            time.sleep(delay)
            n += 1

    def _delay(self, attempt: int, retry_after: float | None) -> float | None:
        """Seconds to wait before the next attempt; None when the server asks for longer than
        `max_backoff_seconds` (a request is not held that long)."""
        cap = self._policy.max_backoff_seconds
        if retry_after is not None:
            return retry_after if retry_after <= cap else None
        return min(cap, self._policy.backoff_seconds * 2**attempt) * random.uniform(0.5, 1.0)


def _events(lines: Iterator[str], source: str) -> Iterator[dict[str, Any]]:
    """The JSON payloads of server-sent `data:` lines, up to `data: [DONE]`."""
    for line in lines:
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            return
        try:
            event = json.loads(data)
        except ValueError:
            event = None
        if not isinstance(event, dict):
            raise ModelEndpointError(f"{source} sent an event that is not a JSON object: {data[:80]!r}")
        yield event


def _describe(exc: httpx.RequestError) -> str:
    """A transport error in words (httpx's own message is often empty for timeouts)."""
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _excerpt(response: httpx.Response) -> str:
    """The start of an error response's body, for the message."""
    try:
        text = response.read().decode("utf-8", "replace").strip()
    except httpx.RequestError:
        text = ""  # the status already says what went wrong
    finally:
        response.close()
    return f"({text[:200]})" if text else ""


def _retry_after(response: httpx.Response) -> float | None:
    """The Retry-After header in seconds (a number or an HTTP date), if any."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
