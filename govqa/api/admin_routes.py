"""The operator admin API under /api/v1/admin, behind `GOVQA_ADMIN_API_KEY` (Bearer), and the public
feedback route; `routes(container)` is what create_app includes.

Every admin request is written to the audit log, whatever its outcome: who (a fingerprint of the
key presented, never the key), what (method and path, plus what the handler names), when and the
HTTP status. Without a configured key every admin route answers 503.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, Response, UploadFile
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from govqa import messages
from govqa.api.admin_schemas import (
    AuditOut,
    CuratedIn,
    CuratedOut,
    CurateRequest,
    DeletedOut,
    FeedbackOut,
    JobOut,
    ReindexRequest,
)
from govqa.api.feedback_routes import feedback_router
from govqa.bootstrap import Container
from govqa.core.errors import GovQAError, InvalidInputError
from govqa.core.protocols import AuditLog
from govqa.core.records import FeedbackQuery, Rating
from govqa.exports import FEEDBACK_COLUMNS, TURN_COLUMNS, csv_text, jsonl
from govqa.feedback import FeedbackDesk, clean_paraphrases
from govqa.uploads import allowed_path, safe_upload_name, save_upload
from ingest.pipeline import IngestOptions

PREFIX = "/api/v1/admin"
Format = Literal["csv", "jsonl"]


def routes(container: Container) -> APIRouter:
    """The feedback route and the admin routes, as one router."""
    desk = container.feedback_desk
    router = APIRouter()
    router.include_router(feedback_router(container, desk))
    router.include_router(admin_router(container, desk))
    return router


# SQLite row ids are signed 64-bit: a larger number in the path is a 422, not an overflow inside the store.
RowId = Annotated[int, PathParam(ge=1, le=2**63 - 1, description="the row id as listed")]


def fingerprint(token: str) -> str:
    """Names a key in the audit log without revealing it."""
    return "key:" + hashlib.sha256(token.encode("utf-8")).hexdigest()[:12] if token else "anonymous"


def _bearer(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _guard(container: Container) -> Callable[[Request], None]:
    def require_admin(request: Request) -> None:
        key = container.settings.admin_api_key.get_secret_value()
        if not key:
            raise HTTPException(503, messages.ADMIN_NOT_CONFIGURED)
        token = _bearer(request)
        if not token:
            raise HTTPException(401, messages.ADMIN_NO_KEY, headers={"WWW-Authenticate": "Bearer"})
        if not hmac.compare_digest(token.encode("utf-8"), key.encode("utf-8")):
            raise HTTPException(403, messages.ADMIN_BAD_KEY)

    return require_admin


def _audited(audit: AuditLog) -> type[APIRoute]:
    """A route class recording every request in the audit log with its outcome."""

    class AuditedRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def audited(request: Request) -> Response:
                outcome = "500"
                try:
                    response = await handler(request)
                    outcome = str(response.status_code)
                    return response
                except HTTPException as exc:
                    outcome = str(exc.status_code)
                    raise
                except GovQAError as exc:
                    outcome = str(exc.http_status)
                    raise
                except RequestValidationError:
                    outcome = "422"
                    raise
                finally:
                    what = f"{request.method} {request.url.path}"
                    detail = str(getattr(request.state, "audit", ""))
                    await run_in_threadpool(audit.record, fingerprint(_bearer(request)), what, outcome, detail)

            return audited

    return AuditedRoute


def feedback_query(
    rating: Rating | None = None,
    handled: bool | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = Query(1000, ge=1, le=100_000),
) -> FeedbackQuery:
    """The triage filters from the query string."""
    return FeedbackQuery(rating, handled, since, until, limit)


def _export(rows: Iterator[str], fmt: Format, name: str) -> StreamingResponse:
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson; charset=utf-8"
    headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    return StreamingResponse(rows, media_type=media, headers=headers)


def admin_router(container: Container, desk: FeedbackDesk) -> APIRouter:  # noqa: C901 - one nested function per route
    """The /api/v1/admin routes."""
    router = APIRouter(
        prefix=PREFIX, tags=["admin"], dependencies=[Depends(_guard(container))], route_class=_audited(container.audit)
    )
    limits = container.settings.admin

    @router.get("/status")
    def status() -> dict[str, Any]:
        """Generation, models, counts, last run (as `govqa status`)."""
        return container.admin.status()

    @router.post("/ingest", response_model=JobOut, status_code=202)
    def ingest(
        request: Request,
        files: Annotated[list[UploadFile] | None, File(description="documents to upload and ingest")] = None,
        paths: Annotated[list[str] | None, Form(description="files or folders on the server")] = None,
        collection: Annotated[str, Form(min_length=1, max_length=64)] = "default",
        internal: Annotated[bool, Form(description="for operators only: never shown by a public route")] = False,
    ) -> JobOut:
        """Upload files (multipart) and/or name server paths; ingested in the background (see jobs/{id})."""
        uploads, named = list(files or []), list(paths or [])
        if not uploads and not named:
            raise InvalidInputError("give files to upload (field `files`) or server paths (field `paths`)")
        if len(uploads) > limits.max_upload_files:
            raise InvalidInputError(f"{len(uploads)} files: at most {limits.max_upload_files} per request")
        declared = int(request.headers.get("content-length") or 0)
        if declared > limits.max_upload_files * limits.max_upload_bytes + (1 << 20):
            raise HTTPException(413, f"request of {declared} bytes exceeds the upload limits")
        roots = (container.layout.inbox, *limits.ingest_roots)
        targets = [allowed_path(p, roots) for p in named]
        for upload in uploads:
            safe_upload_name(upload.filename or "")  # every name checked before anything is written
        written: list[Path] = []
        try:
            for upload in uploads:
                written.append(
                    save_upload(container.layout.uploads, upload.filename or "", upload.file, limits.max_upload_bytes)
                )
        except InvalidInputError:
            for path in written:
                path.unlink(missing_ok=True)
            raise
        targets += written
        options = IngestOptions(
            collection=collection, internal=internal, internal_collections=container.access.internal_collections
        )
        job = container.jobs.submit("ingest", lambda report: container.ingest_pipeline().run(targets, options, report))
        request.state.audit = f"job={job.id} internal={internal} files={','.join(p.name for p in targets)}"
        return JobOut.of(job)

    @router.get("/jobs/{job_id}", response_model=JobOut)
    def job(job_id: str) -> JobOut:
        """A background run's status, progress and (when done) its ingest report."""
        found = container.jobs.get(job_id)
        if found is None:
            raise HTTPException(404, f"no job {job_id}")
        return JobOut.of(found)

    @router.post("/reindex", response_model=JobOut, status_code=202)
    def reindex(request: Request, body: ReindexRequest | None = None) -> JobOut:
        """Re-ingest every known source in the background (`full`: rebuild from nothing)."""
        full = bool(body and body.full)
        job = container.jobs.submit("reindex", lambda progress: container.admin.reindex(full, progress=progress))
        request.state.audit = f"job={job.id} full={full}"
        return JobOut.of(job)

    @router.delete("/documents/{doc_id}", response_model=DeletedOut)
    def delete_document(request: Request, doc_id: str) -> DeletedOut:
        """Remove a document from the index (waits for running jobs)."""
        request.state.audit = f"doc={doc_id}"
        try:
            deleted = container.jobs.run_now(lambda: container.admin.delete(doc_id))
        except InvalidInputError as exc:
            raise HTTPException(404, str(exc)) from exc
        return DeletedOut(doc_ids=list(deleted.doc_ids), generation=deleted.report.generation)

    @router.get("/feedback", response_model=list[FeedbackOut])
    def feedback(query: Annotated[FeedbackQuery, Depends(feedback_query)]) -> list[FeedbackOut]:
        """Ratings, newest first, filtered by rating, handled and day (`since`/`until`, inclusive)."""
        return [FeedbackOut.of(f) for f in container.feedback.find(query)]

    @router.get("/feedback/export")
    def feedback_export(
        query: Annotated[FeedbackQuery, Depends(feedback_query)], format: Format = "csv"
    ) -> StreamingResponse:
        """The filtered ratings with question, answer and citations, as CSV or JSON Lines."""
        found = container.feedback.find(query)
        rows = csv_text(found, FEEDBACK_COLUMNS) if format == "csv" else jsonl(found)
        return _export(rows, format, "feedback")

    @router.post("/feedback/{feedback_id}/handled", response_model=FeedbackOut)
    def feedback_handled(request: Request, feedback_id: RowId) -> FeedbackOut:
        """Mark a rating as dealt with."""
        request.state.audit = f"feedback={feedback_id}"
        marked = container.feedback.mark_handled(feedback_id)
        if marked is None:
            raise HTTPException(404, f"no feedback with id {feedback_id}")
        return FeedbackOut.of(marked)

    @router.post("/feedback/{feedback_id}/curate", response_model=CuratedOut, status_code=201)
    def feedback_curate(request: Request, feedback_id: RowId, body: CurateRequest) -> CuratedOut:
        """Turn a rating (usually a thumbs-down) into a curated answer with the operator's text."""
        entry = desk.curate(feedback_id, body.answer, clean_paraphrases(body.paraphrases))
        request.state.audit = f"feedback={feedback_id} curated={entry.id}"
        return CuratedOut.of(entry)

    @router.get("/conversations/export")
    def conversations_export(
        format: Format = "csv",
        session_id: str | None = Query(None, max_length=64),
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> StreamingResponse:
        """The conversation log (personal numbers masked), as CSV or JSON Lines."""
        turns = container.turn_log.export(session_id, since, until)
        rows = csv_text(turns, TURN_COLUMNS) if format == "csv" else jsonl(turns)
        return _export(rows, format, "conversations")

    @router.get("/curated", response_model=list[CuratedOut])
    def curated_list() -> list[CuratedOut]:
        """Every curated answer."""
        return [CuratedOut.of(e) for e in container.curated.all()]

    @router.post("/curated", response_model=CuratedOut, status_code=201)
    def curated_add(request: Request, body: CuratedIn) -> CuratedOut:
        """Pin a standard answer to a question and its paraphrases."""
        entry = container.curated.add(body.question.strip(), body.answer.strip(), clean_paraphrases(body.paraphrases))
        request.state.audit = f"curated={entry.id}"
        return CuratedOut.of(entry)

    @router.put("/curated/{entry_id}", response_model=CuratedOut)
    def curated_update(request: Request, entry_id: RowId, body: CuratedIn) -> CuratedOut:
        """Replace a curated answer's question, answer and paraphrases."""
        request.state.audit = f"curated={entry_id}"
        paraphrases = clean_paraphrases(body.paraphrases)
        entry = container.curated.update(entry_id, body.question.strip(), body.answer.strip(), paraphrases)
        if entry is None:
            raise HTTPException(404, f"no curated answer with id {entry_id}")
        return CuratedOut.of(entry)

    @router.delete("/curated/{entry_id}")
    def curated_delete(request: Request, entry_id: RowId) -> dict[str, int]:
        """Remove a curated answer."""
        request.state.audit = f"curated={entry_id}"
        if not container.curated.delete(entry_id):
            raise HTTPException(404, f"no curated answer with id {entry_id}")
        return {"deleted": entry_id}

    @router.get("/audit", response_model=list[AuditOut])
    def audit(limit: int = Query(200, ge=1, le=10_000)) -> list[AuditOut]:
        """The latest admin actions, newest first."""
        return [AuditOut.of(e) for e in container.audit.recent(limit)]

    return router
