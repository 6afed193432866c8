"""A local server speaking the OpenAI /v1/embeddings and /v1/chat/completions wire format."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

from govqa.testing.fakes import HashEmbedder
from tests.servers import free_port, wait_ready

REPLY = "根据资料[1]，需要身份证。"


def _app() -> FastAPI:
    app = FastAPI()
    embedder = HashEmbedder(64)

    @app.get("/api/v1/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/embeddings")
    async def embeddings(request: Request) -> JSONResponse:
        body = await request.json()
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        rows = embedder.embed_documents(texts)
        data = [{"object": "embedding", "index": i, "embedding": row.tolist()} for i, row in enumerate(rows)]
        return JSONResponse({"object": "list", "data": list(reversed(data)), "model": body["model"]})

    @app.post("/v1/chat/completions")
    async def chat(request: Request):  # type: ignore[no-untyped-def]
        body = await request.json()
        if not body.get("stream"):
            return JSONResponse({"choices": [{"index": 0, "message": {"role": "assistant", "content": REPLY}}]})

        def events() -> Iterator[str]:
            for i in range(0, len(REPLY), 3):
                yield (
                    "data: " + json.dumps({"choices": [{"index": 0, "delta": {"content": REPLY[i : i + 3]}}]}) + "\n\n"
                )
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    return app


@contextmanager
def serve_stub() -> Iterator[str]:
    """Yield the base URL (ending in /v1) of a running stub."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_ready(f"http://127.0.0.1:{port}")
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
