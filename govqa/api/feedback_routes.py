"""The public feedback route: a citizen rates an answer (thumbs up or down, optional comment)."""

from __future__ import annotations

from fastapi import APIRouter

from govqa.api.admin_schemas import FeedbackRecorded, FeedbackRequest
from govqa.bootstrap import Container
from govqa.feedback import FeedbackDesk


def feedback_router(container: Container, desk: FeedbackDesk) -> APIRouter:
    """`POST /api/v1/feedback`."""
    router = APIRouter(prefix="/api/v1", tags=["feedback"])

    @router.post("/feedback", response_model=FeedbackRecorded, status_code=201)
    def feedback(body: FeedbackRequest) -> FeedbackRecorded:
        """Rate an answer of a session (default its last answer); 404 for an unknown session or turn."""
        stored = desk.rate(body.session_id, body.rating, body.comment, body.turn)
        return FeedbackRecorded(id=stored.id, session_id=stored.session_id, turn=stored.turn, rating=stored.rating)

    return router
