"""FastAPI app factory: routes parse, call one service method, render."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, StreamingResponse

from govqa import __version__
from govqa.api import admin_routes, observability, openai_compat
from govqa.api.browse_routes import browse_router
from govqa.api.errors import install_error_handlers
from govqa.api.limits import install_cors, install_limits
from govqa.api.observability import RequestObservation
from govqa.api.policy_compare_routes import policy_compare_router
from govqa.api.policy_routes import policy_router
from govqa.api.schemas import ChatRequest, ChatResponse
from govqa.bootstrap import Container
from govqa.core.errors import GovQAError
from govqa.service import validate_question

WEB = Path(__file__).resolve().parent.parent / "web"


def create_app(container: Container) -> FastAPI:  # noqa: C901 - one nested function per route
    """Build the app around an already-configured container."""
    observability.configure_logging()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        container.close()  # release the index folder so another process may open it

    app = FastAPI(
        title="GovQA",
        version=__version__,
        description="Offline government-affairs question answering",
        lifespan=lifespan,
    )

    install_error_handlers(app)
    settings = container.settings
    uploads = settings.admin.max_upload_files * settings.admin.max_upload_bytes + (1 << 20)  # + multipart framing
    install_limits(app, settings.max_body_bytes, uploads, settings.rate_limit)
    install_cors(app, settings.cors)
    app.add_middleware(RequestObservation, metrics=container.metrics)  # outermost: logs and meters the refusals too
    app.include_router(observability.router(container))
    app.include_router(openai_compat.router(container))

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(WEB / "index.html", media_type="text/html")

    @app.get("/widget.js", include_in_schema=False)
    def widget() -> FileResponse:
        return FileResponse(WEB / "widget.js", media_type="text/javascript")

    @app.get("/workbench", include_in_schema=False)
    def workbench() -> FileResponse:
        return FileResponse(WEB / "workbench.html", media_type="text/html")

    @app.get("/workbench.js", include_in_schema=False)
    def workbench_js() -> FileResponse:
        return FileResponse(WEB / "workbench.js", media_type="text/javascript")

    @app.get("/workbench_brief.js", include_in_schema=False)
    def workbench_brief_js() -> FileResponse:
        return FileResponse(WEB / "workbench_brief.js", media_type="text/javascript")

    @app.get("/demo", include_in_schema=False)
    def demo() -> FileResponse:
        return FileResponse(WEB / "demo.html", media_type="text/html")

    app.include_router(browse_router(container))
    app.include_router(policy_router(container))
    app.include_router(policy_compare_router(container))

    @app.get("/api/v1/health")
    def health() -> dict[str, object]:
        """Liveness, and whether an index is available."""
        return {"status": "ok", "indexed": container.layout.current() is not None, "version": __version__}

    @app.post("/api/v1/chat", response_model=ChatResponse)
    def chat(body: ChatRequest) -> ChatResponse:
        """Ask a question or answer a clarifying question; returns an answer or a question."""
        session_id = body.session_id or uuid.uuid4().hex
        reply = container.answer_service.handle(session_id, body.message)
        return ChatResponse.of(session_id, reply)

    @app.post("/api/v1/chat/stream")
    def chat_stream(body: ChatRequest) -> StreamingResponse:
        """Server-sent events: `delta` events with text pieces, then one `reply` event (a ChatResponse)."""
        session_id = body.session_id or uuid.uuid4().hex
        validate_question(body.message, container.settings.max_question_chars)
        container.snapshot()  # fail before streaming starts when nothing is indexed
        parts = container.answer_service.stream(session_id, body.message)

        def events() -> Iterator[str]:
            try:
                for part in parts:
                    if isinstance(part, str):
                        yield f"event: delta\ndata: {json.dumps({'text': part}, ensure_ascii=False)}\n\n"
                    else:
                        payload = ChatResponse.of(session_id, part).model_dump_json()
                        yield f"event: reply\ndata: {payload}\n\n"
            except GovQAError as exc:
                yield f"event: error\ndata: {json.dumps({'detail': str(exc)}, ensure_ascii=False)}\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    app.include_router(admin_routes.routes(container))
    return app
