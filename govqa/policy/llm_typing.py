"""The clause type by the local LLM: type names scored as the reply's continuation, the likeliest wins.

The LLM reads the guidelines' eleven definitions and the clause, and each type name it may choose is
rated by its mean log-probability after `prompts.TYPE_REPLY_PREFIX` (nothing is generated, so the
answer is always one of them). It may choose among all eleven, or among a few candidates (the rules'
two best where they are unsure): a choice between two is one the small model makes far more reliably.
Decisions are cached by (model id, prompt version, the candidates and the clause text's hash).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from govqa.core.ids import content_hash
from govqa.core.protocols import ChoiceScorer, ContinuationScorer
from govqa.policy import prompts
from govqa.policy.types import CLAUSE_TYPES, ClauseType


class ClauseTypeCache(Protocol):
    """Where LLM decisions are kept, by labeller id and clause text hash."""

    def get(self, labeller: str, text_hash: str) -> tuple[str, float] | None:
        """The cached type and margin, or None."""
        ...

    def put(self, labeller: str, text_hash: str, clause_type: str, margin: float) -> None:
        """Remember a decision."""
        ...


class LLMClauseTyper:
    """Types clauses with a ContinuationScorer (one chat evaluation per clause with a ChoiceScorer).

    `scorer` builds (or returns) the LLM on the first clause not in the cache, so reading cached
    decisions never loads the model; `model_id` names it in the cache key.
    """

    def __init__(
        self, scorer: Callable[[], ContinuationScorer], model_id: str, cache: ClauseTypeCache | None = None
    ) -> None:
        self._scorer = scorer
        self._cache = cache
        self.labeller_id = f"{model_id}|{prompts.PROMPT_VERSION}"
        self.calls = 0  # clauses actually sent to the LLM (the cache's hits are not counted)

    def scores(self, text: str, choices: Sequence[ClauseType] = CLAUSE_TYPES) -> dict[ClauseType, float]:
        """Each of `choices`' mean log-probability as the reply to the clause's typing prompt."""
        user = prompts.type_prompt(text)
        prefix = prompts.TYPE_REPLY_PREFIX
        self.calls += 1
        scorer = self._scorer()
        if isinstance(scorer, ChoiceScorer):
            values = scorer.choice_logprobs(prompts.TYPE_SYSTEM, user, choices, prefix)
        else:
            values = [scorer.continuation_logprob(prompts.TYPE_SYSTEM, user, t, prefix) for t in choices]
        return dict(zip(choices, values, strict=True))

    def cached(self, text: str, choices: Sequence[ClauseType] = CLAUSE_TYPES) -> tuple[ClauseType, float] | None:
        """The decision already cached for `text` among `choices`, without calling the LLM."""
        if self._cache is None or (hit := self._cache.get(self.labeller_id, _key(text, choices))) is None:
            return None
        kind, margin = hit
        return (_as_type(kind), margin) if kind in choices else None

    def type_of(self, text: str, choices: Sequence[ClauseType] = CLAUSE_TYPES) -> tuple[ClauseType, float]:
        """The likeliest of `choices` (all eleven types unless narrowed) and its margin over the
        runner-up (log-probability), cached."""
        if len(choices) < 2:
            raise ValueError(f"choose among at least two types, not {list(choices)}")
        if (hit := self.cached(text, choices)) is not None:
            return hit
        ranked = sorted(self.scores(text, choices).items(), key=lambda kv: -kv[1])
        best, margin = ranked[0][0], ranked[0][1] - ranked[1][1]
        if self._cache is not None:
            self._cache.put(self.labeller_id, _key(text, choices), best, margin)
        return best, margin


def _key(text: str, choices: Sequence[ClauseType]) -> str:
    """The cache key of a decision: the clause text's hash, with the candidates when narrowed (a
    choice among all eleven keeps the plain hash, so earlier decisions stay valid)."""
    if tuple(choices) == CLAUSE_TYPES:
        return content_hash(text)
    return content_hash("|".join(choices) + "\n" + text)


def _as_type(name: str) -> ClauseType:
    """The ClauseType spelled `name` (checked by the caller to be one)."""
    return next(t for t in CLAUSE_TYPES if t == name)
