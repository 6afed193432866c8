"""The OpenAI-compatible face: GovQA as a model for Open WebUI, LobeChat or the `openai` library.

`POST /v1/chat/completions` (plain or `stream: true`, server-sent chunks ending in `data: [DONE]`)
and `GET /v1/models` (one model, `govqa`). Which dialogue a request continues is documented in
govqa/api/conversation.py. Sampling parameters and system messages are ignored: the service's own
prompt is fixed and its answers are verified against their sources. A request naming another
model is a 404 `model_not_found`, so a misconfigured client says so instead of silently talking to
something else.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import time
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse, StreamingResponse

from govqa import messages
from govqa.api import conversation
from govqa.api.errors import bilingual, respond
from govqa.api.observability import log_event, mask
from govqa.api.openai_schemas import MODEL_ID, ChatCompletionRequest, chunk, completion, final_chunk, models
from govqa.bootstrap import Container
from govqa.core.errors import GovQAError, InvalidInputError, UnknownModelError
from govqa.core.privacy import pseudonymous_id
from govqa.core.types import DialogueState, Reply
from govqa.service import validate_question

SessionHeader = Annotated[
    str | None,
    Header(
        alias="X-Session-Id", max_length=64, pattern=conversation.SESSION_ID.pattern, description="the GovQA session"
    ),
]


def _sse(payload: dict[str, Any]) -> str:
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


def read_turn(body: ChatCompletionRequest, session_header: str | None) -> conversation.Turn:
    """The session and the new user message of a request (InvalidInputError when there is none)."""
    if body.model != MODEL_ID:
        available = MODEL_ID
        raise UnknownModelError(
            f"{messages.UNKNOWN_MODEL.format(model=body.model, available=available)} "
            f"The model {body.model!r} does not exist; use {available!r}."
        )
    said = [m for m in body.messages if m.role not in ("system", "developer")]
    if not said or said[-1].role != "user":
        raise InvalidInputError(f"{messages.NO_USER_MESSAGE} The conversation must end with a user message.")
    users = [m.text() for m in said if m.role == "user"]
    previous = next((m.text() for m in reversed(said[:-1]) if m.role == "assistant"), "")
    text = conversation.selected_option(users[-1], previous)
    if session_header:
        return conversation.Turn(session_header, text)
    if body.user:
        return conversation.Turn(conversation.session_for_user(body.user), text)
    key = conversation.stateless_key(users)
    return conversation.Turn(key, text, conversation.stateless_key(users[:-1]) if len(users) > 1 else "")


def router(container: Container) -> APIRouter:
    """The /v1 routes."""
    r = APIRouter(tags=["openai"])

    def begin(request: Request, body: ChatCompletionRequest, session_header: str | None) -> conversation.Turn:
        """Check the turn and carry a stateless conversation's state to this turn's key."""
        turn = read_turn(body, session_header)
        text = validate_question(turn.text, container.settings.max_question_chars)
        container.snapshot()  # a question before anything is ingested fails here, before any state moves
        if turn.session_id.startswith(conversation.KEY_PREFIX):
            before = container.sessions.load(turn.previous_key) if turn.previous_key else DialogueState("")
            container.sessions.save(dataclasses.replace(before, session_id=turn.session_id))
        log_event(
            "chat",
            request_id=getattr(request.state, "request_id", ""),
            session=pseudonymous_id(turn.session_id)[:16],
            question=mask(text),
            stream=body.stream,
        )
        return dataclasses.replace(turn, text=text)

    @r.get("/v1/models")
    def list_models() -> dict[str, Any]:
        """The one model this service is."""
        return models()

    @r.post("/v1/chat/completions", response_model=None)
    def chat_completions(
        request: Request, body: ChatCompletionRequest, session_header: SessionHeader = None
    ) -> JSONResponse | StreamingResponse:
        """Answer the conversation's last user message (an answer with footnoted sources, or a
        clarifying question with numbered options)."""
        turn = begin(request, body, session_header)
        headers = {"X-Session-Id": turn.session_id}
        if not body.stream:
            reply = container.answer_service.handle(turn.session_id, turn.text)
            return JSONResponse(completion(turn.session_id, reply), headers=headers)
        parts = container.answer_service.stream(turn.session_id, turn.text)
        # Pull the stream until the LLM queue has admitted it (or the reply is complete), so that a
        # full queue is still a 503 with Retry-After and not an error inside a 200 stream.
        first: list[str | Reply] = []
        with container.llm_queue.watch() as admitted:
            for part in parts:
                first.append(part)
                if not isinstance(part, str) or admitted.is_set():
                    break
        return StreamingResponse(
            _chunks(request, turn.session_id, itertools.chain(first, parts)),
            media_type="text/event-stream",
            headers=headers,
        )

    return r


def _chunks(request: Request, session_id: str, parts: Iterator[str | Reply]) -> Iterator[str]:
    """OpenAI's chunk stream: the role, text pieces as verified, then the rest (options, sources) with
    the structured citations, then [DONE]."""
    cid = f"chatcmpl-{getattr(request.state, 'request_id', '') or time.time_ns()}"
    created = int(time.time())
    yield _sse(chunk(cid, created, {"role": "assistant", "content": ""}))
    sent = ""
    try:
        for part in parts:
            if isinstance(part, str):
                piece = conversation.plain_markers(part)
                sent += piece
                yield _sse(chunk(cid, created, {"content": piece}))
                continue
            full = conversation.content(part)
            rest = full[len(sent) :] if full.startswith(sent) else conversation.footnotes(part)
            yield _sse(final_chunk(cid, created, session_id, part, rest))
    except GovQAError as exc:
        # Headers are gone: the error travels as OpenAI's in-stream error object.
        error = respond(request, exc.http_status, bilingual(exc), type(exc).__name__, exc)
        yield f"data: {bytes(error.body).decode()}\n\n"
    yield "data: [DONE]\n\n"
