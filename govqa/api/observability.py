"""Health, readiness, Prometheus metrics, and one structured log line per request.

`/healthz` says the process is up (always 200, touches nothing); `/readyz` is 200 only when the
live index, its graph and the models are loaded or loadable, else 503 naming what is missing;
`/metrics` is the Prometheus text exposition. Every request gets an id (the client's
`X-Request-Id` when it sends a sane one, else a new one), returned in the same header and written
in its JSON log line. Logs never carry headers (API keys) or message text beyond a masked prefix.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from govqa import __version__
from govqa.bootstrap import Container
from govqa.core.privacy import mask_personal
from govqa.metrics import CONTENT_TYPE, ServiceMetrics

REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,64}$")
log = logging.getLogger("govqa.http")
MASK_CHARS = 4


def mask(text: str) -> str:
    """A short prefix of a citizen's message for the logs: 公积金提… (12 chars), personal numbers masked."""
    return f"{mask_personal(text)[:MASK_CHARS]}… ({len(text)} chars)"


def log_event(event: str, **fields: Any) -> None:
    """Write one JSON log line."""
    log.info(json.dumps({"event": event, **fields}, ensure_ascii=False))


class _JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if not message.startswith("{"):
            message = json.dumps({"message": message})
        head = {"ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname, "logger": record.name}
        body = json.dumps(head)[:-1] + ", " + message[1:]
        if record.exc_info:
            body = body[:-1] + ", " + json.dumps({"exc": self.formatException(record.exc_info)})[1:]
        # Whatever a line carries (a traceback quoting a question, a library's message), no personal
        # number reaches the log; masking keeps the JSON valid (digits become asterisks inside strings).
        return mask_personal(body)


def configure_logging() -> None:
    """JSON lines on stderr for the service's loggers (once per process)."""
    root = logging.getLogger("govqa")
    if any(isinstance(h.formatter, _JsonLines) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JsonLines())
    root.addHandler(handler)
    root.setLevel(logging.INFO)


class RequestObservation:
    """ASGI middleware: request id in and out, one access log line, request metrics by route template."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or ()).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.monotonic()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", ()), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.monotonic() - started
            route = getattr(scope.get("route"), "path", "unmatched")  # the template, never the raw path
            self.metrics.request(route, scope["method"], status, seconds)
            log_event(
                "request",
                request_id=request_id,
                method=scope["method"],
                route=route,
                status=status,
                ms=round(seconds * 1000, 1),
            )


def router(container: Container) -> APIRouter:
    """The /healthz, /readyz and /metrics routes."""
    r = APIRouter(tags=["operations"])

    @r.get("/healthz")
    def healthz() -> dict[str, str]:
        """The process is up (no index or model is touched)."""
        return {"status": "ok", "version": __version__}

    @r.get("/readyz", responses={503: {"description": "something a request needs is missing"}})
    def readyz() -> JSONResponse:
        """200 when the index, its graph and the models are loaded or loadable; else 503 with what is missing."""
        problems = container.readiness()
        missing = {name: reason for name, reason in problems.items() if reason}
        body = {"status": "not ready" if missing else "ready", "missing": missing, "checked": sorted(problems)}
        return JSONResponse(body, status_code=503 if missing else 200)

    @r.get("/metrics", response_class=Response)
    def metrics() -> Response:
        """Prometheus text format."""
        return Response(container.metrics.render(), media_type=CONTENT_TYPE)

    return r
