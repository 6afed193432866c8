"""Policy analysis routes for civil servants: compare two versions, review a draft (no LLM)."""

from __future__ import annotations

from fastapi import APIRouter, Query

from govqa.api.policy_compare_schemas import PolicyDiffOut
from govqa.bootstrap import Container


def policy_compare_router(container: Container) -> APIRouter:
    """Routes over the container's policy comparer."""
    router = APIRouter(prefix="/api/v1/policy", tags=["policy"])

    @router.get("/diff", response_model=PolicyDiffOut)
    def diff(
        old: str = Query(..., min_length=1, max_length=200, description="document id, document number or title"),
        new: str = Query("", max_length=200, description="document id, document number or title; empty: the successor"),
    ) -> PolicyDiffOut:
        """Two documents compared clause by clause: pairs unchanged, changed (with the character
        edits and the amounts and periods that moved), added or removed."""
        return PolicyDiffOut.of(container.policy_comparer.diff(old, new))

    return router
