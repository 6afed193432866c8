"""Policy analysis routes for civil servants: compare two versions, review a draft (no LLM)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from govqa import messages
from govqa.api.policy_compare_schemas import DraftReviewOut, PolicyDiffOut
from govqa.bootstrap import Container
from govqa.core.errors import TooLargeError

# Bytes a review request may declare: the character limit in UTF-8 (3 bytes a Han character) and
# room for the JSON around it; a larger declared length is a 413 without reviewing anything.
BYTES_PER_CHAR = 3
ENVELOPE_BYTES = 4096


class ReviewRequest(BaseModel):
    """A draft to review, as plain text (Markdown allowed)."""

    text: str = Field(..., description="the draft's text; each article is reviewed on its own")


def policy_compare_router(container: Container) -> APIRouter:
    """Routes over the container's policy comparer and draft reviewer."""
    router = APIRouter(prefix="/api/v1/policy", tags=["policy"])
    limit = container.settings.policy_review.max_chars

    def body_size(request: Request) -> None:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit * BYTES_PER_CHAR + ENVELOPE_BYTES:
            raise TooLargeError(messages.DRAFT_TOO_LONG.format(n=f"≈{int(declared) // BYTES_PER_CHAR}", limit=limit))

    @router.get("/diff", response_model=PolicyDiffOut)
    def diff(
        old: str = Query(..., min_length=1, max_length=200, description="document id, document number or title"),
        new: str = Query("", max_length=200, description="document id, document number or title; empty: the successor"),
    ) -> PolicyDiffOut:
        """Two documents compared clause by clause: pairs unchanged, changed (with the character
        edits and the amounts and periods that moved), added or removed."""
        return PolicyDiffOut.of(container.policy_comparer.diff(old, new))

    @router.post("/review", response_model=DraftReviewOut, dependencies=[Depends(body_size)])
    def review(body: ReviewRequest) -> DraftReviewOut:
        """A draft's clauses, each with the closest clauses of the policies in force and the
        overlaps and likely conflicts found (413 when the draft is over the size limit)."""
        return DraftReviewOut.of(container.draft_reviewer.review(body.text))

    return router
