"""The amounts and periods a clause states, read by two patterns: the attribute reader the version
comparison and the draft review use until the fuller extractor (beneficiaries, caps, bodies) is wired."""

from __future__ import annotations

from govqa.core.vocab import FIGURE_AMOUNT_RE, FIGURE_PERIOD_RE
from govqa.policy.types import ClauseAttributes


def read_figures(text: str) -> ClauseAttributes:
    """The clause's amounts and periods, verbatim, in text order, each once (no beneficiaries)."""
    amounts = tuple(dict.fromkeys(m[0] for m in FIGURE_AMOUNT_RE.finditer(text)))
    periods = tuple(dict.fromkeys(m[0] for m in FIGURE_PERIOD_RE.finditer(text)))
    return ClauseAttributes(amount=amounts, deadline=periods)
