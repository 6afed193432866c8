"""Every error a route can meet, turned into one response shape in one place.

Routes under /v1/ (the OpenAI-compatible API) answer in OpenAI's error format
`{"error": {"message", "type", "code", "param"}}`, with 400 for any malformed request, because
OpenAI clients expect it; the others answer `{"detail", "error", "request_id"}`, with 422 for a
malformed request. Every message carries Chinese (for the citizen) and English (for the operator
or the client developer). Nothing a request sends can cause a 500: an unexpected exception is
logged with its request id and answered with a generic message.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from govqa import messages
from govqa.core.errors import (
    BusyError,
    CircuitOpenError,
    GovQAError,
    IndexMismatchError,
    InvalidInputError,
    ModelUnavailableError,
    NotIndexedError,
    SessionNotFoundError,
    UnknownModelError,
)
from govqa.core.text import is_han

log = logging.getLogger("govqa.api")

# The English an error adds when its own message is Chinese only, and the Chinese it adds when its
# message (usually from a third-party library) is English only.
_ENGLISH = {
    InvalidInputError: "invalid input",
    NotIndexedError: "nothing is indexed yet; run `govqa ingest`",
    SessionNotFoundError: "unknown session",
    UnknownModelError: "unknown model",
    BusyError: "the answer generator is busy",
}
_CHINESE = {
    ModelUnavailableError: messages.MODEL_UNAVAILABLE,
    IndexMismatchError: messages.INDEX_MISMATCH,
}
_OPENAI_TYPES = {
    400: "invalid_request_error",
    404: "invalid_request_error",
    409: "invalid_request_error",
    413: "invalid_request_error",
    429: "rate_limit_error",
}


def bilingual(exc: GovQAError) -> str:
    """The error's message with the other language added where it lacks it."""
    text = str(exc)
    han = any(is_han(ch) for ch in text)
    latin = any("a" <= ch.lower() <= "z" for ch in text)
    cls: type[GovQAError] = next(
        (c for c in type(exc).__mro__ if issubclass(c, GovQAError) and (c in _ENGLISH or c in _CHINESE)), type(exc)
    )
    if not latin:
        text = f"{text} ({_ENGLISH.get(cls, type(exc).__name__)})"
    if not han:
        text = f"{_CHINESE.get(cls, messages.INTERNAL_ERROR)}：{text}"
    return text


def _request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", ""))


def _openai(request: Request) -> bool:
    return request.url.path.startswith("/v1/")


def _code(exc: GovQAError | None, status: int) -> str:
    if exc is None:
        codes = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large", 429: "rate_limited"}
        return {**codes, 500: "internal_error"}.get(status, "invalid_request")
    if isinstance(exc, UnknownModelError):
        return "model_not_found"
    if isinstance(exc, BusyError):
        return "busy"
    name = type(exc).__name__.removesuffix("Error")
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def respond(
    request: Request,
    status: int,
    message: str,
    error: str,
    exc: GovQAError | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """The error response in the shape the route's clients expect."""
    request_id = _request_id(request)
    if _openai(request):
        if status == 422:
            status = 400
        kind = _OPENAI_TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
        body: dict[str, object] = {
            "error": {"message": message, "type": kind, "code": _code(exc, status), "param": None},
            "request_id": request_id,
        }
    else:
        body = {"detail": message, "error": error, "request_id": request_id}
    return JSONResponse(body, status_code=status, headers=dict(headers) if headers else None)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers for GovQA errors, malformed requests, unknown paths and the unexpected."""

    @app.exception_handler(GovQAError)
    def _govqa_error(request: Request, exc: GovQAError) -> JSONResponse:
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, BusyError | CircuitOpenError) else None
        if exc.http_status >= 500:
            log.warning(
                '{"event": "error", "request_id": "%s", "error": "%s"}', _request_id(request), type(exc).__name__
            )
        return respond(request, exc.http_status, bilingual(exc), type(exc).__name__, exc, headers)

    @app.exception_handler(RequestValidationError)
    def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        message = f"{messages.INVALID_REQUEST}（invalid request）: {problems}"
        return respond(request, 422, message, "InvalidInputError")

    @app.exception_handler(HTTPException)
    def _http(request: Request, exc: HTTPException) -> JSONResponse:
        chinese = {404: messages.NOT_FOUND_PATH, 405: messages.METHOD_NOT_ALLOWED, 413: messages.BODY_TOO_LARGE}.get(
            exc.status_code, messages.INVALID_REQUEST
        )
        return respond(request, exc.status_code, f"{chinese}（{exc.detail}）", "HTTPError", headers=exc.headers)

    @app.exception_handler(Exception)
    def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception('{"event": "unexpected", "request_id": "%s"}', _request_id(request))
        return respond(request, 500, f"{messages.INTERNAL_ERROR} (internal error)", "InternalError")
