"""Draft review: each clause of a draft beside the closest clauses of the policies in force.

A draft is split into clauses the way the index splits policies (by 第X条; by paragraph when it
has no articles). For each clause the search passed in finds existing clauses of policies in force
today; each is judged against the draft clause:

- **overlap**: nearly the same text (character-bigram similarity at least `overlap_similarity`),
  or the same rule (same subject and every amount and period equal) with no value that differs;
- **conflict**: the same subject (similarity at least `subject_similarity`) and no disjoint
  beneficiaries, but an amount or period replaced by another value, or one grants what the other
  denies (可以 against 不得/不予).

The evidence of a conflict is the list of values that differ (existing -> draft), found with the
same character diff and figure pairing as the version comparison.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from govqa import messages
from govqa.core.errors import InvalidInputError, TooLargeError
from govqa.core.protocols import Chunker
from govqa.core.types import Document
from govqa.core.vocab import PERMISSIVE_RE, PROHIBITIVE_RE
from govqa.policy.compare import clauses_from_chunks
from govqa.policy.diff import AttributeReader, FigureChange, body_offset, char_edits, moved_figures, similarity
from govqa.policy.types import Clause, ClauseAttributes

Flag = Literal["overlap", "conflict"]
DRAFT_ID = "draft"


@dataclass(frozen=True, slots=True)
class ReviewConfig:
    """Thresholds and limits of a review (chosen on eval/data/policy_review_draft.md)."""

    k: int = 4
    overlap_similarity: float = 0.8
    subject_similarity: float = 0.45
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
    """True when a clause grants (可以), False when it denies (不得, 不予), None when neither or both."""
    denies, grants = bool(PROHIBITIVE_RE.search(text)), bool(PERMISSIVE_RE.search(text))
    return None if denies == grants else grants


def judge(
    draft: Clause,
    existing: Clause,
    draft_attributes: ClauseAttributes,
    existing_attributes: ClauseAttributes,
    config: ReviewConfig = ReviewConfig(),
) -> tuple[Flag | None, float, tuple[FigureChange, ...], bool]:
    """(flag, similarity, differing values existing -> draft, whether one grants what the other denies)."""
    sim = similarity(draft.text[body_offset(draft.text) :], existing.text[body_offset(existing.text) :])
    edits = char_edits(existing.text, draft.text)
    differences = moved_figures(existing.text, draft.text, edits, existing_attributes, draft_attributes)
    replaced = any(d.old and d.new for d in differences)
    a, b = _grants(draft.text), _grants(existing.text)
    grants_differ = a is not None and b is not None and a != b
    if sim < config.subject_similarity:
        return None, sim, differences, grants_differ
    others = set(draft_attributes.beneficiary), set(existing_attributes.beneficiary)
    same_beneficiary = not (others[0] and others[1] and not others[0] & others[1])
    if same_beneficiary and (replaced or grants_differ):
        return "conflict", sim, differences, grants_differ
    figures = _figure_set(draft_attributes) | _figure_set(existing_attributes)
    if not differences and not grants_differ and (sim >= config.overlap_similarity or figures):
        return "overlap", sim, differences, grants_differ
    return None, sim, differences, grants_differ


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
        """The draft's clauses, or InvalidInputError (empty) / TooLargeError (over the limits)."""
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
        """Each clause of the draft with its closest existing clauses, flagged."""
        return DraftReview(self._today(), tuple(self._review_clause(c) for c in self.check(text)))

    def _review_clause(self, clause: Clause) -> ClauseReview:
        body = clause.text[body_offset(clause.text) :]
        draft_attributes = self._attributes(clause.text)
        matches: list[Match] = []
        for found in self._search.near(body, self._config.k):
            flag, sim, differences, grants_differ = judge(
                clause, found.clause, draft_attributes, self._attributes(found.clause.text), self._config
            )
            citation = messages.display_name(found.document) + found.clause.article
            matches.append(Match(found, citation, sim, flag, differences, grants_differ))
        matches.sort(key=lambda m: -m.similarity)
        return ClauseReview(clause, tuple(matches))


__all__ = [
    "ClauseReview",
    "ClauseSearch",
    "DraftReview",
    "DraftReviewer",
    "ExistingClause",
    "Match",
    "ReviewConfig",
    "judge",
    "split_draft",
]
