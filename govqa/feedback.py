"""Feedback on answers and turning a thumbs-down into a curated answer.

A rating copies the question, answer and citations it rates from the conversation log, so an
operator triaging it needs no other lookup (and the log may be pruned without losing it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from govqa import messages
from govqa.core.errors import InvalidInputError, SessionNotFoundError
from govqa.core.protocols import CuratedStore, FeedbackStore, TurnLog
from govqa.core.records import CuratedEntry, Feedback, Rating


def clean_paraphrases(paraphrases: Iterable[str] | None) -> list[str]:
    """Paraphrases of a curated question without blanks and repeats, in the order given."""
    return list(dict.fromkeys(p.strip() for p in paraphrases or () if p.strip()))


class FeedbackDesk:
    """Records ratings and curates answers from them."""

    def __init__(self, turns: TurnLog, feedback: FeedbackStore, curated: CuratedStore) -> None:
        self._turns = turns
        self._feedback = feedback
        self._curated = curated

    def rate(self, session_id: str, rating: Rating, comment: str = "", turn: int | None = None) -> Feedback:
        """Store a rating of one answer (`turn`, default the session's last answer); 404 when unknown."""
        logged = self._turns.get(session_id, turn) if turn is not None else self._turns.last_answer(session_id)
        if logged is None:
            raise SessionNotFoundError(messages.NO_SUCH_TURN)
        return self._feedback.add(
            Feedback(
                id=0,
                session_id=session_id,
                turn=logged.turn,
                at="",
                rating=rating,
                comment=comment.strip(),
                question=logged.question,
                answer=logged.reply,
                mode=logged.mode,
                citations=logged.citations,
            )
        )

    def curate(self, feedback_id: int, answer: str, paraphrases: Sequence[str] = ()) -> CuratedEntry:
        """A curated answer to the rated question with the operator's text; the rating is handled."""
        rated = self._feedback.get(feedback_id)
        if rated is None:
            raise SessionNotFoundError(f"no feedback with id {feedback_id}")
        if not answer.strip():
            raise InvalidInputError("the curated answer must not be empty")
        entry = self._curated.add(rated.question, answer.strip(), paraphrases, source_feedback=feedback_id)
        self._feedback.mark_handled(feedback_id, entry.id)
        return entry
