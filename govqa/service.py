"""AnswerService.handle(session_id, text) -> Reply: the one entry point every edge calls."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator

from govqa import messages
from govqa.core.errors import InvalidInputError
from govqa.core.protocols import SessionStore
from govqa.core.types import Answer, ClarifyingQuestion, DialogueState, Filters, Reply, Turn
from govqa.dialogue.policy import ClarifyPolicy, Decision
from govqa.generation.answerer import Answerer
from govqa.generation.structured import requested_fields, structured_answer
from govqa.generation.validity import is_validity_question, validity_answer
from govqa.retrieval.hybrid import HybridRetriever
from govqa.retrieval.references import is_policy_question
from govqa.stores.snapshot import IndexSnapshot
from knowledge_graph.schema import base_name


def validate_question(text: str, limit: int) -> str:
    """Strip and check a question; InvalidInputError with the user-facing reason."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInputError(messages.EMPTY_QUESTION)
    text = text.strip()
    if len(text) > limit:
        raise InvalidInputError(messages.TOO_LONG.format(n=len(text), limit=limit))
    return text


class AnswerService:
    """Dialogue over the retriever and answerer: clarify when needed, answer with citations."""

    def __init__(
        self,
        snapshot: Callable[[], IndexSnapshot],
        retriever: HybridRetriever,
        answerer: Answerer,
        sessions: SessionStore,
        policy: ClarifyPolicy = ClarifyPolicy(),
        max_chars: int = 500,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self._snapshot = snapshot
        self._retriever = retriever
        self._answerer = answerer
        self._sessions = sessions
        self._policy = policy
        self._max_chars = max_chars
        self._today = today

    def handle(self, session_id: str, text: str) -> Reply:
        """Answer or ask back; the session's state is saved either way."""
        final: Reply | None = None
        for part in self.stream(session_id, text):
            if not isinstance(part, str):
                final = part
        assert final is not None  # stream() always ends with a Reply
        return final

    def stream(self, session_id: str, text: str) -> Iterator[str | Reply]:
        """Yield answer text pieces as they are generated, then the final Reply."""
        text = validate_question(text, self._max_chars)
        snap = self._snapshot()  # raises NotIndexedError before the first ingest
        state = self._sessions.load(session_id)
        decision, question, direct = self._route(snap, state, text)
        if decision.question is not None:
            self._save(state, text, decision.question, decision, question)
            yield decision.question
            return
        reply = direct or (self._structured(snap, decision.item, question) if decision.item else None)
        if reply is not None:
            yield reply.text  # streaming clients see the same text as the final reply
        else:
            for part in self._answerer.stream(question, Filters(), (decision.item,) if decision.item else ()):
                if isinstance(part, Answer):
                    reply = part
                else:
                    yield part
        assert reply is not None  # Answerer.stream always ends with an Answer
        self._save(state, text, reply, decision, question)
        yield reply

    def _route(self, snap: IndexSnapshot, state: DialogueState, text: str) -> tuple[Decision, str, Answer | None]:
        """Decide what to do with a turn: (decision, the question to answer, a ready answer or None)."""
        if state.pending is not None:
            decision = self._policy.resolve(text, state.pending, state.pending_candidates, snap.graph)
            decision = decision or self._relink(state, text)
            if decision is not None:
                return decision, state.pending_question, None
        named = self._retriever.named_policies(text)
        if is_validity_question(text):
            validity = self._validity(snap, text, named or self._retriever.named_policies(text, fuzzy=True))
            if validity is not None:
                return Decision(), text, validity
        if named or is_policy_question(text):
            return Decision(), text, None  # what a rule says is answered from the rule, not an item
        linker = self._retriever.linker()
        candidates = linker.candidates(text)
        spelled = linker.contained_name_length(text, [c.code for c in candidates])
        decision = self._policy.decide(candidates, snap.graph, spelled, text)
        if not decision.item and decision.question is None and state.locked_item and len(text) <= 12:
            decision = Decision(item=state.locked_item)  # a short follow-up stays on the locked item
        return decision, text, None

    def _validity(self, snap: IndexSnapshot, text: str, named: list[str]) -> Answer | None:
        docs = [snap.documents[d] for d in named if d in snap.documents]
        first = [c for d in docs for c in snap.catalog.chunks_of(d.id)[:1]]
        return validity_answer(text, docs, first, self._today(), snap.display_title)

    def _relink(self, state: DialogueState, reply: str) -> Decision | None:
        """A free-text reply to a clarifying question ("买了套二手房"): rank only the pending
        candidates against the original question plus the reply; lock the clear winner."""
        assert state.pending is not None
        linker = self._retriever.linker()
        options = linker.closest_phrases(reply, state.pending.options)
        if len(options) >= 2 and options[0][1] - options[1][1] >= 0.02:
            chosen = self._policy.resolve(
                options[0][0], state.pending, state.pending_candidates, self._snapshot().graph
            )
            if chosen is not None:
                return chosen
        pending = set(state.pending_candidates)
        ranked = [c for c in linker.candidates(f"{state.pending_question} {reply}", k=50) if c.code in pending]
        if len(ranked) >= 2 and ranked[0].score - ranked[1].score >= 0.03:
            return Decision(item=ranked[0].code)
        return None

    @staticmethod
    def _structured(snap: IndexSnapshot, code: str, question: str) -> Answer | None:
        item = snap.item(code)
        if item is None or item.source_doc not in snap.documents:
            return None
        fields = requested_fields(question, (item.name, base_name(item.name), *item.aliases, item.scenario))
        if not fields:
            return None
        return structured_answer(item, fields, snap.documents[item.source_doc], snap.catalog.chunks_of(item.source_doc))

    def _save(self, state: DialogueState, text: str, reply: Reply, decision: Decision, question: str) -> None:
        asking = isinstance(reply, ClarifyingQuestion)
        turn = Turn(user=text, reply_kind="clarify" if asking else "answer", reply_text=reply.text)
        self._sessions.save(
            dataclasses.replace(
                state,
                turns=state.turns + (turn,),
                pending=reply if isinstance(reply, ClarifyingQuestion) else None,
                pending_candidates=decision.candidates if asking else (),
                pending_question=question if asking else "",
                locked_item=decision.item or state.locked_item,
            )
        )
