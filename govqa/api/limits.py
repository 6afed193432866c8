"""Request limits at the HTTP edge: body size (413), requests per client (429) and CORS.

Both limits are ASGI middleware, so a request past one is turned away before FastAPI reads or
validates its body; the error body has the shape and the two languages of `api/errors.py`.

- Body size: a declared Content-Length past the limit is refused at once; a chunked body is
  counted as it arrives and refused the moment it passes the limit. Admin uploads have their own,
  larger bound (files per request times bytes per file).
- Rate: a token bucket per client address, in memory (per process): `burst` requests at once,
  refilled at `per_minute`. Health, readiness and metrics are never limited (probes and scrapers
  poll them), nor is the admin API (behind its key, every request audited). X-Forwarded-For is
  read only when the operator says a proxy sets it, and then its last entry, the one the proxy
  appended: the entries before it are whatever the client wrote.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from govqa import messages
from govqa.api.errors import respond
from govqa.config import CorsSettings, RateLimitSettings

ADMIN_UPLOAD = "/api/v1/admin/ingest"
UNLIMITED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
UNLIMITED_PREFIXES = ("/api/v1/admin/",)
MAX_CLIENTS = 100_000  # buckets kept; the least recently seen are dropped first (they are full by then)


def _too_large(limit: int) -> str:
    return f"{messages.BODY_TOO_LARGE}（request body over {limit} bytes）"


class BodySizeLimit:
    """ASGI middleware: 413 for a request body larger than the limit of its path."""

    def __init__(self, app: ASGIApp, max_bytes: int, upload_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_bytes = upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_bytes if scope["path"] == ADMIN_UPLOAD else self.max_bytes
        declared = dict(scope.get("headers") or ()).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await respond(Request(scope), 413, _too_large(limit), "PayloadTooLarge")(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # Raised inside the route's body reading, which passes HTTPException on to the handlers.
                    raise HTTPException(413, f"request body over {limit} bytes")
            return message

        await self.app(scope, counted, send)


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float


class TokenBuckets:
    """One token bucket per key: `burst` tokens, refilled at `per_second`; pure bookkeeping."""

    def __init__(self, per_second: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_second = per_second
        self.burst = burst
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def take(self, key: str) -> float:
        """Take a token for `key`: 0.0 when granted, else the seconds until one is available."""
        now = self._clock()
        bucket = self._buckets.pop(key, None) or _Bucket(float(self.burst), now)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.at) * self.per_second)
        bucket.at = now
        self._buckets[key] = bucket  # most recently seen last
        while len(self._buckets) > MAX_CLIENTS:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.per_second


def client_address(scope: Scope, trust_forwarded_for: bool) -> str:
    """The address a request is counted under: the peer, or the proxy's last X-Forwarded-For entry."""
    if trust_forwarded_for:
        forwarded = dict(scope.get("headers") or ()).get(b"x-forwarded-for", b"").decode("latin-1")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class RateLimit:
    """ASGI middleware: 429 with Retry-After for a client past its token bucket."""

    def __init__(self, app: ASGIApp, settings: RateLimitSettings, clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.trust_forwarded_for = settings.trust_forwarded_for
        self.buckets = TokenBuckets(settings.per_minute / 60.0, settings.burst, clock) if settings.per_minute else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or self.buckets is None
            or path in UNLIMITED_PATHS
            or path.startswith(UNLIMITED_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        wait = self.buckets.take(client_address(scope, self.trust_forwarded_for))
        if not wait:
            await self.app(scope, receive, send)
            return
        seconds = max(1, math.ceil(wait))
        message = f"{messages.RATE_LIMITED.format(seconds=seconds)} (too many requests; retry after {seconds} s)"
        response = respond(Request(scope), 429, message, "RateLimited", headers={"Retry-After": str(seconds)})
        await response(scope, receive, send)


def install_limits(app: FastAPI, max_body_bytes: int, upload_bytes: int, rate: RateLimitSettings) -> None:
    """Add the body-size and rate limits (call before the observation middleware, which wraps them)."""
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes, upload_bytes=upload_bytes)
    app.add_middleware(RateLimit, settings=rate)


def install_cors(app: FastAPI, cors: CorsSettings) -> None:
    """Let the listed origins call the public API from a browser; none listed: same-origin only."""
    if not cors.allow_origins:
        return  # no CORS headers at all: browsers keep other sites' pages from reading the answers
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(cors.allow_origins),
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Content-Type", "X-Session-Id", "X-Request-Id"],
        expose_headers=["X-Session-Id", "X-Request-Id", "Retry-After"],
        max_age=600,
    )
