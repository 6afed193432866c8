"""Generated answers: the LLM writes from numbered sources, and only verified sentences are shown.

Sentences are judged as they complete, so a stream never shows a sentence that is then taken
back: an unsupported sentence is dropped before anyone sees it, a supported one goes out with the
marker of the source that supports it. When nothing verified remains, or the question asks for a
figure and no kept sentence gives one, the reply is the refusal the router prepared.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from govqa.core.protocols import Generator
from govqa.core.types import Answer, ScoredChunk
from govqa.generation import prompts
from govqa.generation.context import pack
from govqa.generation.extractive import (
    Ask,
    RankedSentence,
    citation,
    quoted_answer,
    validity_warning,
    with_alternatives,
)
from govqa.generation.sanitize import drop_instructions
from govqa.generation.verify import (
    MARKER,
    Verdict,
    asks_figure,
    best_quote,
    is_connective,
    is_no_evidence,
    states_figure,
    verify_sentence,
)

_SENTENCE_END = re.compile(r"[。！？；\n]")
_PICK = re.compile(r"\d{1,2}")
_ONLY_HEADING = re.compile(r"^[^。，,]{1,40}\s*·\s*[^。，,]{1,30}[。：:]?$")
# Openers that point at the sources instead of saying anything ("根据资料[1]，"), and the prompt's
# "[编号]" copied literally: removed before a sentence is judged or shown.
_PREAMBLE = re.compile(
    # Chinese kept here: patterns that strip the LLM's own boilerplate from its replies.
    r"^(?:根据|依据|按照)?(?:以上|上述|所给|给出的)?资料(?:\[\d+\])?(?:中)?(?:显示|规定|提到|指出)?[，,：:]\s*"
)
_PLACEHOLDER = re.compile(r"\[编号[^\]]*\]|(?<=\S)\[\d{1,2}\](?:中的|中|里的|所述的?)")


@dataclass(frozen=True, slots=True)
class AnswerConfig:
    """How much context to give the LLM."""

    context_chars: int = 360
    max_tokens: int = 320
    min_relevance: float = 0.2  # judge margin (log P(是) - log P(否)) for a picked sentence to be shown
    # The margin for a guide sentence found by meaning alone, which no lexical score backs: on the
    # committed checks right sentences judge 0.6-2.3, near misses (公示7日 for 多久能出结果) 0.1-0.35.
    min_guide_relevance: float = 0.5


class Answerer:
    """Turns a question and its evidence into a verified, cited Answer."""

    def __init__(
        self,
        generator: Generator,
        config: AnswerConfig = AnswerConfig(),
        title_of: Callable[[str], str] = lambda doc_id: doc_id,
        today: Callable[[], dt.date] = dt.date.today,
        relevance: Callable[[str, str], float] | None = None,
    ) -> None:
        """`relevance(question, sentence)` judges whether a picked sentence answers the question (a
        margin, higher is better); without it every valid pick is shown."""
        self._generator = generator
        self._relevance = relevance
        self._config = config
        self._title_of = title_of
        self._today = today

    def stream(
        self,
        question: str,
        hits: Sequence[ScoredChunk],
        fallback: Answer,
        item_codes: tuple[str, ...] = (),
        subjects: Sequence[str] = (),
        choices: Sequence[RankedSentence] = (),
        choice_hits: Sequence[ScoredChunk] = (),
        asks: Sequence[Ask] = (),
    ) -> Iterator[str | Answer]:
        """Yield verified sentences as the LLM completes them, then the final Answer.

        With `choices` (evidence sentences indexing into `choice_hits`) the LLM first picks the one
        that answers; the picked sentence is the answer, quoted whole. It writes only when its pick
        is not a number it was offered; a pick of 0 (none answers) is the refusal.
        `subjects` are the question's content words (see verify.supports). With `asks` (the parts of
        a question on a locked item, each with guide sentences) the LLM first judges, part by part,
        whether a sentence answers; those that do are the answer, quoted whole. When none does, the
        picks among `choices` follow, and with no choices the reply is the refusal: the item's own
        guide was read and does not say it, so no sentence is written for it."""
        quoted = self._quoted(question, fallback, item_codes, choices, choice_hits, asks)
        if quoted is not None:
            if quoted is not fallback:
                yield quoted.text
            yield quoted
            return
        full = {n: _source_text(hit) for n, hit in enumerate(hits, 1)}
        headings = tuple(_heading(hit) for hit in hits)
        # Only words some source uses can be misattributed from one source to another.
        subjects = [t for t in subjects if any(t in text for text in full.values())]
        packed = [
            (n, _heading(hit), pack(question, drop_instructions(hit.chunk.text), self._config.context_chars))
            for n, hit in enumerate(hits, 1)
        ]
        kept: list[Verdict] = []
        held: list[str] = []  # connectives wait for the fact they introduce
        # A question asking for a figure shows nothing until a verified sentence gives one, so a
        # reply that ends as a refusal never showed a sentence first.
        waiting: list[str] | None = [] if asks_figure(question) else None
        buffer = ""
        user = prompts.user_prompt(question, packed)

        def judged(sentence: str) -> Iterator[str]:
            nonlocal waiting
            for shown in self._judge(_without_heading(sentence, headings), full, kept, held, subjects):
                if waiting is None:
                    yield shown
                elif states_figure(_bare(shown), question):
                    yield from waiting
                    yield shown
                    waiting = None
                else:
                    waiting.append(shown)

        for piece in self._generator.stream(prompts.SYSTEM, user, self._config.max_tokens):
            buffer += piece
            while (m := _SENTENCE_END.search(buffer)) is not None:
                sentence, buffer = buffer[: m.end()], buffer[m.end() :]
                yield from judged(sentence)
        yield from judged(buffer)
        yield self.compose(question, kept, hits, fallback, item_codes)

    def _quoted(
        self,
        question: str,
        fallback: Answer,
        item_codes: tuple[str, ...],
        choices: Sequence[RankedSentence],
        choice_hits: Sequence[ScoredChunk],
        asks: Sequence[Ask],
    ) -> Answer | None:
        """The answer from judged or picked evidence sentences, `fallback` when they show none
        answers, None when the LLM is to write (no sentences, or no valid pick)."""
        judged = self._judged(asks) if asks else None
        if judged:
            offered = [*choices, *(s for ask in asks for s in ask.sentences)]
            quoted = quoted_answer(
                with_alternatives(judged, offered, question), choice_hits, self._today(), self._title_of
            )
            return replace(quoted, item_codes=item_codes or quoted.item_codes)
        if judged is not None and not choices:
            return fallback
        if not choices:
            return None
        pick = self._pick(question, choices)
        if pick == 0:
            return fallback
        if pick is None:
            return None
        chosen = choices[pick - 1]
        if self._relevance is not None and self._relevance(question, chosen.text) < self._config.min_relevance:
            return fallback  # a true sentence that does not answer the question is not an answer
        picked = with_alternatives([chosen], choices, question)
        return replace(quoted_answer(picked, choice_hits, self._today(), self._title_of), item_codes=item_codes)

    def _judged(self, asks: Sequence[Ask]) -> list[RankedSentence] | None:
        """For each part, the first of its sentences the LLM judges to answer it; None when the LLM
        cannot judge (then the sentences are no evidence either way, and the LLM picks or writes)."""
        if self._relevance is None:
            return None
        chosen: list[RankedSentence] = []
        for ask in asks:
            for sentence in ask.sentences:
                if sentence in chosen:
                    break
                margin = self._relevance(ask.question, sentence.text)
                if margin == math.inf:
                    return None  # an LLM that cannot judge does not make a guide sentence an answer
                if margin >= self._config.min_guide_relevance:
                    chosen.append(sentence)
                    break
        return chosen

    def _pick(self, question: str, choices: Sequence[RankedSentence]) -> int | None:
        """The LLM's pick among the numbered sentences: 1..n, 0 for none, None when it gave no valid number."""
        reply = self._generator.generate(
            prompts.SELECT_SYSTEM, prompts.select_prompt(question, [c.text for c in choices]), 4
        )
        m = _PICK.search(reply)
        if m is None:
            return None
        number = int(m[0])
        return number if 0 <= number <= len(choices) else None

    def _judge(
        self, sentence: str, sources: dict[int, str], kept: list[Verdict], held: list[str], subjects: Sequence[str]
    ) -> Iterator[str]:
        sentence = _PREAMBLE.sub("", _PLACEHOLDER.sub("", sentence)).strip()
        if not sentence or is_no_evidence(sentence) or _ONLY_HEADING.match(_bare(sentence)):
            return
        if is_connective(sentence):
            held.append(sentence)
            return
        verdict = verify_sentence(sentence, sources, subjects)
        if not verdict.supported:
            return
        kept.append(verdict)
        lead = "".join(held) if kept[:-1] else ""  # a lone opener like "根据资料：" is not repeated
        held.clear()
        yield lead + _display(verdict)

    def compose(
        self,
        question: str,
        kept: Sequence[Verdict],
        hits: Sequence[ScoredChunk],
        fallback: Answer,
        item_codes: tuple[str, ...] = (),
    ) -> Answer:
        """The Answer from the verified sentences, or `fallback` when they do not answer the question."""
        if not kept or (asks_figure(question) and not any(states_figure(_bare(v.text), question) for v in kept)):
            return fallback
        day = self._today()
        claims: dict[int, list[str]] = {}
        for verdict in kept:
            claims.setdefault(verdict.source, []).append(_bare(verdict.text))
        citations = []
        warnings: list[str] = []
        for n in sorted(claims):
            hit = hits[n - 1]
            citations.append(citation(n, hit, best_quote("".join(claims[n]), hit.chunk.text), day))
            warning = validity_warning(hit.document, day, self._title_of)
            if warning and warning not in warnings:
                warnings.append(warning)
        text = "".join(_display(v) for v in kept)  # the same text the stream showed
        own = (hits[n - 1].chunk.item_code for n in claims if hits[n - 1].chunk.item_code)
        codes = item_codes or tuple(dict.fromkeys(own))[:1]
        return Answer(text=text, citations=tuple(citations), item_codes=codes, warnings=tuple(warnings))


_HEADING = re.compile(r"^\s*(?:\[\d{1,2}\]\s*)?[^。，,：:\n]{1,40}\s*·\s*[^。，,：:\n]{1,30}[：:，,]\s*")


def _without_heading(sentence: str, headings: Sequence[str]) -> str:
    """The sentence without a source heading the model copied in front of it ("失业保险金申领 · 申请条件：")."""
    text = _HEADING.sub("", sentence.strip())
    for heading in headings:
        for piece in (heading, *heading.split(" · ")[1:]):
            if piece and text.startswith(piece):
                return text[len(piece) :].lstrip("：:，, ")
    return text


def _heading(hit: ScoredChunk) -> str:
    return " · ".join(x for x in (hit.document.title, hit.chunk.label) if x)


def _source_text(hit: ScoredChunk) -> str:
    """What a sentence may rest on: the document's title, the chunk's label and its full text."""
    return f"{hit.document.title} {hit.chunk.label}\n{drop_instructions(hit.chunk.text)}"


def _bare(sentence: str) -> str:
    return MARKER.sub("", sentence).strip()


def _display(verdict: Verdict) -> str:
    """The sentence with one marker, of the source that supports it, before its end punctuation."""
    body = _bare(verdict.text)
    end = body[-1] if body and body[-1] in "。！？；" else ""
    body = body[: len(body) - len(end)] if end else body
    return f"{body}[{verdict.source}]{end or '。'}"
