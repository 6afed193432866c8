"""Dialogue state transitions: pure functions from (state, turn, route, reply) to the next state."""

from __future__ import annotations

import dataclasses

from govqa.core.types import ClarifyingQuestion, DialogueState, Reply, Turn
from govqa.dialogue.routes import Clarify, Route, locked_item


def advance(state: DialogueState, text: str, route: Route, reply: Reply) -> DialogueState:
    """The state after answering `text`: the turn recorded, a clarifying question pending or
    cleared, and the item the route locked (the previous lock stays when the route locks none)."""
    asking = isinstance(route, Clarify) and isinstance(reply, ClarifyingQuestion)
    turn = Turn(user=text, reply_kind="clarify" if asking else "answer", reply_text=reply.text)
    return dataclasses.replace(
        state,
        turns=(*state.turns, turn),
        pending=reply if asking and isinstance(reply, ClarifyingQuestion) else None,
        pending_candidates=route.candidates if isinstance(route, Clarify) else (),
        pending_question=route.question if isinstance(route, Clarify) else "",
        locked_item=locked_item(route) or state.locked_item,
    )
