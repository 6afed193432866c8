"""AnswerService.handle(session_id, text) -> Reply: the one entry point every edge calls.

A thin loop: validate, load the session, let the router pick the answer mode, run the LLM only
for a generated answer, save the next state.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator

from govqa import messages
from govqa.core.errors import InvalidInputError
from govqa.core.privacy import mask_personal, without_personal
from govqa.core.protocols import SessionStore, TurnLog
from govqa.core.types import Answer, Reply
from govqa.core.view import IndexView
from govqa.dialogue.router import Router
from govqa.dialogue.routes import Clarify, Generate, Mode, Route, locked_item
from govqa.dialogue.state import advance
from govqa.generation.answerer import Answerer


def validate_question(text: str, limit: int) -> str:
    """Strip and check a question; InvalidInputError with the user-facing reason."""
    if not text.strip():
        raise InvalidInputError(messages.EMPTY_QUESTION)
    text = text.strip()
    if len(text) > limit:
        raise InvalidInputError(messages.TOO_LONG.format(n=len(text), limit=limit))
    return text


def parse_day(value: str | None) -> dt.date | None:
    """A YYYY-MM-DD day given by a user (None when empty); InvalidInputError with the expected form."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(messages.BAD_DATE.format(value=value)) from None


def _routed(text: str) -> str:
    """What the router reads of a question: without personal numbers; only a number: masked."""
    return without_personal(text).strip() or mask_personal(text)


class AnswerService:
    """Dialogue over the router and answerer: clarify when needed, answer with citations, refuse the rest."""

    def __init__(
        self,
        snapshot: Callable[[], IndexView],
        router: Router,
        answerer: Answerer,
        sessions: SessionStore,
        max_chars: int = 500,
        turns: TurnLog | None = None,
    ) -> None:
        self._snapshot = snapshot
        self._router = router
        self._answerer = answerer
        self._sessions = sessions
        self._max_chars = max_chars
        self._turns = turns

    def handle(self, session_id: str, text: str) -> Reply:
        """Answer or ask back; the session's state is saved either way."""
        final: Reply | None = None
        for part in self.stream(session_id, text):
            if not isinstance(part, str):
                final = part
        assert final is not None  # stream() always ends with a Reply
        return final

    def route(self, session_id: str, text: str) -> Route:
        """The answer mode the router picks for this turn, without answering or saving (for evaluation)."""
        text = validate_question(text, self._max_chars)
        self._snapshot()
        return self._router.route(self._sessions.load(session_id), _routed(text))

    def stream(self, session_id: str, text: str) -> Iterator[str | Reply]:
        """Yield verified answer text as it is produced, then the final Reply."""
        text = validate_question(text, self._max_chars)
        self._snapshot()  # raises NotIndexedError before the first ingest
        state = self._sessions.load(session_id)
        # The router reads the question without the citizen's personal numbers: a 身份证号 names no
        # service, and its digits would pull retrieval away from the question. The stores mask them.
        asked = _routed(text)
        route = self._router.route(state, asked)
        reply: Reply | None = None
        if isinstance(route, Clarify):
            reply = route.reply
        elif isinstance(route, Generate):
            shown = bool(route.note)
            if route.note:
                yield route.note + "\n"
            items = (route.item,) if route.item else ()
            parts = self._answerer.stream(
                route.question,
                route.evidence,
                route.fallback,
                items,
                route.subjects,
                route.sentences,
                route.hits,
                route.asks,
            )
            for part in parts:
                if isinstance(part, Answer):
                    reply = part
                else:
                    shown = True
                    yield part
            assert reply is not None  # Answerer.stream always ends with an Answer
            if route.note:
                reply = dataclasses.replace(reply, text=f"{route.note}\n{reply.text}")
            if not shown:
                yield reply.text
        else:
            reply = route.reply
            yield reply.text  # streaming clients see the same text as the final reply
        if isinstance(reply, Answer):
            refused = isinstance(route, Generate) and reply is route.fallback
            # The item the turn is locked on comes first, whatever the answer's sources are.
            codes = tuple(dict.fromkeys(((locked_item(route),) if locked_item(route) else ()) + reply.item_codes))
            reply = dataclasses.replace(reply, mode=str(Mode.REFUSAL if refused else route.mode), item_codes=codes)
        self._sessions.save(advance(state, text, route, reply, self._router.slots_read(state, asked, route)))
        if self._turns is not None:
            self._turns.append(session_id, text, reply)  # masked by the store; feedback rates these turns
        yield reply
