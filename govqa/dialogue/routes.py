"""Answer modes: what the router decided for one turn, each with the evidence it rests on.

Every mode but `Generate` carries its finished reply; `Generate` carries the retrieved evidence the
LLM may use. `question` is the question being answered (after a clarifying reply it is the
original question), `item` the service item the turn is locked on ("" when none).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum

from govqa.core.types import Answer, ClarifyingQuestion, ScoredChunk
from govqa.generation.extractive import Ask, RankedSentence


class Mode(StrEnum):
    """Names of the answer modes, as reported to clients, logs and the evaluation."""

    CLARIFY = "clarify"
    FIELD = "field"
    CLAUSE = "clause"
    FAQ = "faq"
    EXTRACTED = "extracted"
    VALIDITY = "validity"
    GENERATED = "generated"
    REFUSAL = "refusal"
    OUT_OF_SCOPE = "out_of_scope"
    CURATED = "curated"


@dataclass(frozen=True, slots=True)
class Clarify:
    """Ask one short question; `candidates` are the items it chooses between."""

    question: str
    reply: ClarifyingQuestion
    candidates: tuple[str, ...]
    mode: Mode = Mode.CLARIFY


@dataclass(frozen=True, slots=True)
class FieldAnswer:
    """Answered from the locked item's guide fields (申请材料, 承诺时限, …)."""

    question: str
    item: str
    reply: Answer
    mode: Mode = Mode.FIELD


@dataclass(frozen=True, slots=True)
class ClauseAnswer:
    """The named (or clearly retrieved) article's own text, cited with title, 文号 and 条."""

    question: str
    reply: Answer
    evidence: tuple[ScoredChunk, ...]
    mode: Mode = Mode.CLAUSE


@dataclass(frozen=True, slots=True)
class FaqAnswer:
    """A knowledge-base entry that matches the question, answered with its own sentences."""

    question: str
    reply: Answer
    evidence: tuple[ScoredChunk, ...]
    mode: Mode = Mode.FAQ


@dataclass(frozen=True, slots=True)
class ExtractAnswer:
    """The evidence sentences that cover the question, quoted whole (no LLM)."""

    question: str
    item: str
    reply: Answer
    evidence: tuple[ScoredChunk, ...]
    mode: Mode = Mode.EXTRACTED


@dataclass(frozen=True, slots=True)
class ValidityAnswer:
    """Whether a named policy is in force, from its metadata."""

    question: str
    reply: Answer
    mode: Mode = Mode.VALIDITY


@dataclass(frozen=True, slots=True)
class Generate:
    """No extractive mode fits: the LLM writes from `evidence`, and verification decides what stays."""

    question: str
    item: str
    evidence: tuple[ScoredChunk, ...]
    fallback: Answer  # the refusal shown when no verified sentence answers the question
    # The question's content words: a kept sentence may repeat one only if its source has it too.
    subjects: tuple[str, ...] = ()
    # The best evidence sentences: the LLM first picks the one that answers, and writes only if none does.
    sentences: tuple[RankedSentence, ...] = ()
    hits: tuple[ScoredChunk, ...] = ()  # what `sentences` and `asks` index into
    # The parts of a question on a locked item, each with the item's guide sentences closest in
    # meaning: the LLM judges whether each answers, before any pick or writing.
    asks: tuple[Ask, ...] = ()
    note: str = ""  # said before the answer (what a best-effort answer assumed)
    mode: Mode = Mode.GENERATED


@dataclass(frozen=True, slots=True)
class Refusal:
    """The corpus does not cover the question; the reply names related items and where to ask."""

    question: str
    reply: Answer
    reason: str
    item: str = ""
    mode: Mode = Mode.REFUSAL


@dataclass(frozen=True, slots=True)
class OutOfScope:
    """Not a government-affairs question (a poem, code, a persona change, a request for the prompt)."""

    question: str
    reply: Answer
    mode: Mode = Mode.OUT_OF_SCOPE


@dataclass(frozen=True, slots=True)
class Curated:
    """An operator's standard answer for this question (govqa/dialogue/curated.py)."""

    question: str
    reply: Answer
    entry: int  # the curated entry's id
    score: float  # 1.0 for an equal normalised question, else the cosine that passed
    mode: Mode = Mode.CURATED


Route = (
    Clarify
    | FieldAnswer
    | ClauseAnswer
    | FaqAnswer
    | ExtractAnswer
    | ValidityAnswer
    | Generate
    | Refusal
    | OutOfScope
    | Curated
)


def locked_item(route: Route) -> str:
    """The item a route locks the conversation on ("" when none)."""
    return getattr(route, "item", "")


def locked_document(route: Route) -> str:
    """The document an answer without an item came from, for follow-ups ("" when none)."""
    if locked_item(route) or not isinstance(route, (ClauseAnswer, FaqAnswer, ExtractAnswer, Generate)):
        return ""
    evidence = route.evidence
    return evidence[0].document.id if evidence else ""


def with_note(route: Route, note: str) -> Route:
    """The same route with `note` said before its answer (a clarifying question is left as it is)."""
    if isinstance(route, Clarify):
        return route
    if isinstance(route, Generate):
        return dataclasses.replace(route, note=route.note + note)
    reply = route.reply
    return dataclasses.replace(route, reply=dataclasses.replace(reply, text=f"{note}\n{reply.text}"))
