"""Dialogue state transitions: pure functions from (state, turn, route, reply) to the next state."""

from __future__ import annotations

import dataclasses

from govqa.core.types import ClarifyingQuestion, DialogueState, Reply, Turn
from govqa.dialogue.routes import Clarify, OutOfScope, Route, locked_document, locked_item


def advance(
    state: DialogueState, text: str, route: Route, reply: Reply, slots: tuple[tuple[str, str], ...] = ()
) -> DialogueState:
    """The state after answering `text`: the turn recorded, a clarifying question pending or
    cleared, the questions asked in this topic counted, and the item or document the route locked.

    Every answer starts a new topic: it replaces the lock (an answer that locks nothing clears it,
    so a later short follow-up is not read as being about an old topic); a greeting or an
    off-topic request keeps the conversation as it was. `slots` are the values the router read in
    this turn; a later value of the same slot replaces an earlier one."""
    if isinstance(route, OutOfScope):
        return dataclasses.replace(state, turns=(*state.turns, Turn(text, "answer", reply.text)))
    asking = isinstance(route, Clarify) and isinstance(reply, ClarifyingQuestion)
    turn = Turn(user=text, reply_kind="clarify" if asking else "answer", reply_text=reply.text)
    asked = (state.asked if state.pending is not None else 0) + 1 if asking else 0
    filled = dict(state.slots) | dict(slots)
    return dataclasses.replace(
        state,
        turns=(*state.turns, turn),
        slots=tuple(filled.items()),
        pending=reply if asking and isinstance(reply, ClarifyingQuestion) else None,
        pending_candidates=route.candidates if isinstance(route, Clarify) else (),
        pending_question=route.question if isinstance(route, Clarify) else "",
        locked_item="" if asking else locked_item(route),
        locked_doc="" if asking else locked_document(route),
        asked=asked,
    )
