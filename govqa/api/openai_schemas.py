"""Request and response shapes of the OpenAI-compatible chat API (pydantic only at this edge).

Only what GovQA uses is read; sampling parameters (temperature, top_p, max_tokens, tools, …) are
accepted and ignored, because answers are verified against their sources and not sampled freely.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from govqa.api import conversation
from govqa.api.schemas import ChatResponse, CitationOut
from govqa.core.types import Reply

MODEL_ID = "govqa"
MAX_MESSAGES = 200
MAX_CONTENT_CHARS = 20_000


class ContentPart(BaseModel):
    """One part of a multi-part message; only text parts are read."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(..., max_length=40)
    text: str | None = Field(None, max_length=MAX_CONTENT_CHARS)


class ChatMessageIn(BaseModel):
    """One message of the conversation."""

    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = Field(None, max_length=MAX_CONTENT_CHARS)
    name: str | None = Field(None, max_length=64)

    def text(self) -> str:
        """The message's text (text parts joined)."""
        if isinstance(self.content, str):
            return self.content
        return "".join(p.text or "" for p in self.content or () if p.type == "text")


class ChatCompletionRequest(BaseModel):
    """POST /v1/chat/completions."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(MODEL_ID, max_length=200)
    messages: list[ChatMessageIn] = Field(..., min_length=1, max_length=MAX_MESSAGES)
    stream: bool = False
    user: str | None = Field(None, max_length=256, description="names the GovQA session when given")


def _extra(session_id: str, reply: Reply) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The structured citations and GovQA's own view of the reply (kind, mode, options, …)."""
    rendered = ChatResponse.of(session_id, reply)
    citations = [c.model_dump() for c in rendered.citations]
    meta = rendered.model_dump(exclude={"text", "citations"})
    return citations, meta


def completion_id() -> str:
    """An id in OpenAI's form."""
    return f"chatcmpl-{uuid.uuid4().hex}"


def completion(session_id: str, reply: Reply) -> dict[str, Any]:
    """A chat.completion object for a reply; `citations` and `govqa` are GovQA's extra fields."""
    citations, meta = _extra(session_id, reply)
    message = {"role": "assistant", "content": conversation.content(reply), "citations": citations}
    return {
        "id": completion_id(),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODEL_ID,
        "choices": [{"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}],
        "citations": citations,
        "govqa": meta,
    }


def chunk(cid: str, created: int, delta: dict[str, Any], finish: str | None = None, **extra: Any) -> dict[str, Any]:
    """One chat.completion.chunk."""
    choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
    return {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": MODEL_ID,
        "choices": [choice],
    } | (extra)


def final_chunk(cid: str, created: int, session_id: str, reply: Reply, rest: str) -> dict[str, Any]:
    """The last chunk: the rest of the text (options, sources), the citations and GovQA's extra fields."""
    citations, meta = _extra(session_id, reply)
    delta: dict[str, Any] = {"citations": citations}
    if rest:
        delta["content"] = rest
    return chunk(cid, created, delta, "stop", citations=citations, govqa=meta)


def models() -> dict[str, Any]:
    """GET /v1/models."""
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "govqa"}]}


__all__ = ["ChatCompletionRequest", "CitationOut", "completion", "final_chunk", "models"]
