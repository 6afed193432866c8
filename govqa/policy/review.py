"""Draft review: each clause of a draft beside the closest clauses of the policies in force.

A draft is split into clauses the way the index splits policies (by 第X条; by paragraph when it
has no articles). For each clause the search passed in finds existing clauses of policies in force
today; each is judged against the draft clause:

- **conflict**: no disjoint beneficiaries, and either an amount or period replaced by another value
  (in clauses of the same subject, bigram similarity at least `subject_similarity`, or in two
  sentences alike to at least `sentence_similarity`), or one grants what the other denies
  (可以 against 不得/不予) with the same subject or the same condition (the words before ……的，);
  calendar dates never conflict, since every document has its own effective date;
- **overlap**: otherwise, nearly the same text (similarity at least `overlap_similarity`), or the
  same subject stating the same figures, with no value that differs.

The evidence is the list of values that differ (existing -> draft), found with the same character
diff and figure pairing as the version comparison.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from govqa import messages
from govqa.core.errors import InvalidInputError, TooLargeError
from govqa.core.protocols import Chunker
from govqa.core.types import Document
from govqa.core.vocab import CALENDAR_DATE_RE, CONDITION_END, PERMISSIVE_RE, PROHIBITIVE_RE
from govqa.policy.clauses import clauses_from_chunks
from govqa.policy.diff import AttributeReader, FigureChange, body_offset, char_edits, moved_figures, similarity
from govqa.policy.types import Clause, ClauseAttributes

Flag = Literal["overlap", "conflict"]
DRAFT_ID = "draft"
_SENTENCES = re.compile(r"[^。；;\n]+")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class ReviewConfig:
    """Thresholds and limits of a review (chosen on eval/data/policy_review_draft.md)."""

    k: int = 4
    overlap_similarity: float = 0.8
    subject_similarity: float = 0.45
    sentence_similarity: float = 0.6
    max_chars: int = 30000
    max_clauses: int = 150

    def __post_init__(self) -> None:
        if self.k < 1:
            raise ValueError(f"k must be at least 1; got {self.k}")
        if not 0 < self.subject_similarity <= self.overlap_similarity <= 1:
            raise ValueError(
                "need 0 < subject_similarity <= overlap_similarity <= 1; "
                f"got {self.subject_similarity} and {self.overlap_similarity}"
            )


@dataclass(frozen=True, slots=True)
class ExistingClause:
    """A clause of a policy in force, with its document and retrieval score."""

    clause: Clause
    document: Document
    score: float


class ClauseSearch(Protocol):
    """Finds existing clauses of policies in force near a text."""

    def near(self, text: str, k: int) -> list[ExistingClause]:
        """The k clauses closest to `text`, best first, at most one entry per clause."""
        ...


@dataclass(frozen=True, slots=True)
class Match:
    """An existing clause near a draft clause, how alike they are and what the review concluded."""

    existing: ExistingClause
    citation: str  # 《title》（文号）第X条
    similarity: float
    flag: Flag | None
    differences: tuple[FigureChange, ...] = ()
    grants_differ: bool = False


@dataclass(frozen=True, slots=True)
class ClauseReview:
    """One draft clause and the existing clauses closest to it."""

    clause: Clause
    matches: tuple[Match, ...]

    @property
    def flags(self) -> tuple[Match, ...]:
        """The matches that carry a flag."""
        return tuple(m for m in self.matches if m.flag is not None)


@dataclass(frozen=True, slots=True)
class DraftReview:
    """The review of a whole draft, judged against the policies in force on `day`."""

    day: dt.date
    clauses: tuple[ClauseReview, ...]

    def count(self, flag: Flag) -> int:
        """How many draft clauses carry `flag` against at least one existing clause."""
        return sum(1 for c in self.clauses if any(m.flag == flag for m in c.matches))


def split_draft(text: str, chunker: Chunker) -> tuple[Clause, ...]:
    """A draft's clauses: its 第X条 articles as the index would cut them, or, when it has none,
    its paragraphs (labelled 第1段, 第2段, …)."""
    doc = Document(DRAFT_ID, "", text, "", doc_type="policy")
    clauses = clauses_from_chunks(DRAFT_ID, chunker.chunk(doc), text)
    if len(clauses) >= 2 and any(body_offset(c.text) for c in clauses):
        return tuple(clauses)
    paragraphs = [p.strip() for p in text.split("\n") if p.strip() and not p.lstrip().startswith("#")]
    return tuple(Clause(DRAFT_ID, messages.DRAFT_PARAGRAPH.format(n=n), p) for n, p in enumerate(paragraphs, 1))


def _grants(text: str) -> bool | None:
    """True when a text grants (可以), False when it denies (不得, 不予), None when neither or both."""
    denies, grants = bool(PROHIBITIVE_RE.search(text)), bool(PERMISSIVE_RE.search(text))
    return None if denies == grants else grants


def _body(clause: Clause) -> str:
    return clause.text[body_offset(clause.text) :]


def _condition(body: str) -> str:
    """Who and when a clause is about: its words before the first ……的， (empty when it has none)."""
    at = body.find(CONDITION_END)
    return body[:at] if at >= 0 else ""


def _sentence_with(text: str, value: str) -> str:
    """The sentence (up to 。； or a line break) holding the first occurrence of `value`."""
    for sentence in _SENTENCES.findall(text):
        if value in sentence:
            return sentence
    return ""


@dataclass(frozen=True, slots=True)
class Judgement:
    """What the review concluded for one draft clause against one existing clause."""

    flag: Flag | None
    similarity: float
    differences: tuple[FigureChange, ...]
    grants_differ: bool


def judge(
    draft: Clause,
    existing: Clause,
    draft_attributes: ClauseAttributes,
    existing_attributes: ClauseAttributes,
    config: ReviewConfig = ReviewConfig(),
) -> Judgement:
    """Overlap, conflict or nothing, with the similarity, the values that differ (existing ->
    draft) and whether one clause grants what the other denies."""
    a, b = _body(draft), _body(existing)
    sim = similarity(a, b)
    differences = moved_figures(
        existing.text, draft.text, char_edits(existing.text, draft.text), existing_attributes, draft_attributes
    )
    same_subject = sim >= config.subject_similarity
    # A value replaced by another in the same sentence is the same rule stating another figure,
    # even when the clauses around it differ; calendar dates (an effective date) never conflict.
    replaced = [
        d
        for d in differences
        if d.old
        and d.new
        and not (CALENDAR_DATE_RE.fullmatch(d.old) or CALENDAR_DATE_RE.fullmatch(d.new))
        and (
            same_subject or similarity(_sentence_with(b, d.old), _sentence_with(a, d.new)) >= config.sentence_similarity
        )
    ]
    grants_a, grants_b = _grants(a), _grants(b)
    grants_differ = grants_a is not None and grants_b is not None and grants_a != grants_b
    cond_a, cond_b = _condition(a), _condition(b)
    same_condition = bool(cond_a and cond_b) and similarity(cond_a, cond_b) >= config.sentence_similarity
    if _same_beneficiary(draft_attributes.beneficiary, existing_attributes.beneficiary) and (
        replaced or (grants_differ and (same_subject or same_condition))
    ):
        return Judgement("conflict", sim, differences, grants_differ)
    if not same_subject:
        return Judgement(None, sim, differences, grants_differ)
    figures = _figure_set(draft_attributes) | _figure_set(existing_attributes)
    if not differences and not grants_differ and (sim >= config.overlap_similarity or figures):
        return Judgement("overlap", sim, differences, grants_differ)
    return Judgement(None, sim, differences, grants_differ)


def _same_beneficiary(a: Sequence[str], b: Sequence[str]) -> bool:
    """False only when both clauses name beneficiaries and none of one is part of one of the other
    (职工 and 缴存职工 are the same people; 缴存职工 and 灵活就业人员 are not)."""
    if not a or not b:
        return True
    return any(x in y or y in x for x in a for y in b)


def _figure_set(a: ClauseAttributes) -> set[str]:
    return set(a.amount) | set(a.cap) | set(a.deadline)


class DraftReviewer:
    """Reviews drafts against the clauses of policies in force."""

    def __init__(
        self,
        search: ClauseSearch,
        split: Callable[[str], Sequence[Clause]],
        attributes: AttributeReader,
        config: ReviewConfig = ReviewConfig(),
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self._search = search
        self._split = split
        self._attributes = attributes
        self._config = config
        self._today = today

    def check(self, text: str) -> tuple[Clause, ...]:
        """The draft's clauses, or InvalidInputError (empty, not text) / TooLargeError (over the limits)."""
        if _SURROGATE.search(text):  # half of a UTF-16 pair: no text, and no JSON reply could carry it
            raise InvalidInputError(messages.DRAFT_BAD_TEXT)
        text = _CONTROL.sub("", text)
        if not text.strip():
            raise InvalidInputError(messages.DRAFT_EMPTY)
        cfg = self._config
        if len(text) > cfg.max_chars:
            raise TooLargeError(messages.DRAFT_TOO_LONG.format(n=len(text), limit=cfg.max_chars))
        clauses = tuple(self._split(text))
        if not clauses:
            raise InvalidInputError(messages.DRAFT_EMPTY)
        if len(clauses) > cfg.max_clauses:
            raise TooLargeError(messages.DRAFT_TOO_MANY_CLAUSES.format(n=len(clauses), limit=cfg.max_clauses))
        return clauses

    def review(self, text: str) -> DraftReview:
        """Each clause of the draft with its closest existing clauses, flagged (control characters
        other than line breaks and tabs are dropped first)."""
        return DraftReview(self._today(), tuple(self._review_clause(c) for c in self.check(text)))

    def _review_clause(self, clause: Clause) -> ClauseReview:
        body = clause.text[body_offset(clause.text) :]
        draft_attributes = self._attributes(clause.text)
        matches: list[Match] = []
        for found in self._search.near(body, self._config.k):
            j = judge(clause, found.clause, draft_attributes, self._attributes(found.clause.text), self._config)
            citation = messages.display_name(found.document) + found.clause.article
            matches.append(Match(found, citation, j.similarity, j.flag, j.differences, j.grants_differ))
        matches.sort(key=lambda m: -m.similarity)
        return ClauseReview(clause, tuple(matches))


__all__ = [
    "ClauseReview",
    "ClauseSearch",
    "DraftReview",
    "DraftReviewer",
    "ExistingClause",
    "Judgement",
    "Match",
    "ReviewConfig",
    "judge",
    "split_draft",
]
