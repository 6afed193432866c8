"""ClarifyPolicy: when the candidates for a question are near-twins, ask one short question
with options taken from the graph instead of guessing."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from govqa import messages
from govqa.core.protocols import GraphStore
from govqa.core.types import ClarifyingQuestion
from govqa.core.vocab import APPLICANT_WORDS, NEGATION_PREFIXES, Slot
from knowledge_graph.linking import Candidate
from knowledge_graph.schema import base_name

# Chinese kept here: the brackets in which a guide value qualifies what it states.
_BRACKETED = re.compile(r"（[^（）]*）|\([^()]*\)")
_PROMPTS = {
    Slot.SCENARIO: messages.CLARIFY_SCENARIO,
    Slot.APPLICANT: messages.CLARIFY_APPLICANT,
    Slot.DISTRICT: messages.CLARIFY_DISTRICT,
}


@dataclass(frozen=True, slots=True)
class Decision:
    """Either lock `item` (may be "" when no item is implied) or ask `question` about `candidates`."""

    item: str = ""
    question: ClarifyingQuestion | None = None
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClarifyPolicy:
    """Thresholds: a candidate counts when its score is >= `threshold` and within `margin` of the best."""

    threshold: float = 0.5
    margin: float = 0.12
    family_margin: float = 0.25  # a namesake this far below the best is still a candidate
    family_prefix: int = 3  # characters two item names share at the start to be namesakes

    def decide(
        self,
        candidates: Sequence[Candidate],
        graph: GraphStore,
        spelled: dict[str, int] | None = None,
        text: str = "",
    ) -> Decision:
        """Lock the single clear candidate, ask between close ones, or imply no item.

        `spelled` gives, per candidate, the length of its longest alias written out in the question:
        one candidate whose alias is clearly longer than the others' ("租房提取公积金" against the
        shared "提取公积金") is what the citizen named.
        """
        if not candidates or candidates[0].score < self.threshold:
            return Decision()
        top = candidates[0].score
        close = [c.code for c in candidates if c.score >= self.threshold and top - c.score <= self.margin]
        # Near-twins of a clear winner are candidates too: they share its aliases.
        close = list(
            dict.fromkeys(
                close
                + [
                    s
                    for s in graph.siblings(candidates[0].code)
                    if any(c.code == s and top - c.score <= self.margin * 2 for c in candidates)
                ]
            )
        )
        close = narrow_by_text(close, text, graph)
        if len(close) == 1:
            # Items named alike (出生医学证明首次签发 / 出生医学证明补发) are asked between unless the
            # question tells them apart, which the router's situation reading checks.
            family = [close[0], *self.family(close[0], candidates, graph)]
            family = narrow_by_text(family, text, graph)
            return Decision(item=family[0]) if len(family) == 1 else self.ask(family, graph)
        if spelled:
            lengths = sorted(((spelled.get(c, 0), c) for c in close), reverse=True)
            if lengths[0][0] >= lengths[1][0] + 2:
                return Decision(item=lengths[0][1])
        return self.ask(close, graph)

    def family(self, code: str, candidates: Sequence[Candidate], graph: GraphStore) -> list[str]:
        """Other candidates whose names begin like `code`'s (the same service for other cases)."""
        top = next((c.score for c in candidates if c.code == code), 0.0)
        return [
            c.code
            for c in candidates
            if c.code != code
            and c.score >= self.threshold
            and top - c.score <= self.family_margin
            and self.namesakes(code, c.code, graph)
        ]

    def namesakes(self, a: str, b: str, graph: GraphStore) -> bool:
        """Two items whose names begin alike (出生医学证明首次签发 / 出生医学证明补发)."""
        return common_prefix(base_name(graph.item_label(a)), base_name(graph.item_label(b))) >= self.family_prefix

    def twins(self, code: str, candidates: Sequence[Candidate], graph: GraphStore) -> list[str]:
        """`code`, its near-twins in the graph and its namesakes among `candidates`, in that order."""
        return list(dict.fromkeys([code, *graph.siblings(code), *self.family(code, candidates, graph)]))

    def ask(self, codes: Sequence[str], graph: GraphStore) -> Decision:
        """The question that best splits `codes`; falls back to listing item names."""
        attributes = graph.distinguishing(list(codes))
        if attributes:
            slot, options = attributes[0]
            return Decision(
                question=ClarifyingQuestion(_PROMPTS[Slot(slot)], Slot(slot), tuple(options)), candidates=tuple(codes)
            )
        names = tuple(graph.item_label(c) for c in codes)
        return Decision(question=ClarifyingQuestion(messages.CLARIFY_ITEM, Slot.ITEM, names), candidates=tuple(codes))

    def resolve(
        self, reply: str, question: ClarifyingQuestion, candidates: Sequence[str], graph: GraphStore
    ) -> Decision | None:
        """Narrow the pending candidates by the user's reply; None when the reply picks no option.

        A reply that negates options ("不在东湖区") or names several ("东湖或者南港") narrows to the
        options left and asks again among them."""
        if question.slot != "item":
            narrowed = narrow_by_text(list(candidates), reply, graph)
            named = [o for o in question.options if _mentions(reply, o)]
            if 1 < len(narrowed) < len(candidates) and (len(named) >= 2 or any(_negated(reply, o) for o in named)):
                return self.ask(narrowed, graph)
        option = pick_option(reply, question.options)
        if option is None:
            return None
        if question.slot == "item":
            chosen = [c for c in candidates if graph.item_label(c) == option]
        else:
            chosen = dict(graph.distinguishing(list(candidates))).get(question.slot, {}).get(option, [])
        if len(chosen) == 1:
            return Decision(item=chosen[0])
        if not chosen:
            return None
        return self.ask(chosen, graph)


def core_value(line: str) -> str:
    """A guide value without the qualifications it puts in brackets: "3个工作日（网上申请…即时办结）"
    -> "3个工作日". A clause after "；" is a statement of its own (周六 9:00-12:00 提供延时服务) and stays."""
    return _BRACKETED.sub("", line).strip()


def common_prefix(a: str, b: str) -> int:
    """How many characters two names share at the start."""
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def narrow_by_text(codes: list[str], text: str, graph: GraphStore) -> list[str]:
    """Keep the candidates whose distinguishing value the question already states ("东湖区…"), or
    the values it names when it names several ("东湖或者南港"); drop a value it negates ("不在东湖区")."""
    while len(codes) > 1 and text:
        for _slot, options in graph.distinguishing(codes):
            named = [v for v in options if _mentions(text, v)]
            negated = {v for v in named if _negated(text, v)}
            keep = [c for v in named if v not in negated for c in options[v]]
            if negated and not keep:
                keep = [c for v, cs in options.items() if v not in negated for c in cs]
            keep = list(dict.fromkeys(keep))
            if keep and len(keep) < len(codes):
                codes = keep
                break
        else:
            return codes
    return codes


def _short_form(value: str) -> str:
    """An option value without its administrative suffix (东湖 for 东湖区)."""
    # Chinese kept here: administrative suffixes a citizen leaves out.
    return value[:-1] if value.endswith(("区", "县", "市")) and len(value) >= 3 else value


def _mentions(text: str, value: str) -> bool:
    """The value, or its short form, is in the text."""
    return len(value) >= 2 and (value in text or _short_form(value) in text)


def _negated(text: str, value: str) -> bool:
    """The value's mention follows a negation (不在东湖区, 不是东湖)."""
    at = text.find(_short_form(value))
    return at >= 0 and any(text[:at].endswith(n) for n in NEGATION_PREFIXES)


def pick_option(reply: str, options: Sequence[str]) -> str | None:
    """The option a reply names: a number (1-based), the option text, or the best bigram overlap."""
    text = reply.strip().rstrip("。.!！")
    if text.isdigit() and 1 <= int(text) <= len(options):
        return options[int(text) - 1]
    if text in options:
        return text
    if set(options) <= set(APPLICANT_WORDS):
        hits = [o for o in options if any(w in text for w in APPLICANT_WORDS[o])]
        if len(hits) == 1:
            return hits[0]
    named = sorted((o for o in options if o and o in text), key=len, reverse=True)
    if named:
        return named[0]  # the longest option the reply spells out
    containing = [o for o in options if text and text in o]
    if len(containing) == 1:
        return containing[0]
    # Abbreviated replies ("购房" for 购买自住住房): share of the reply's characters found in the option.
    chars = {c for c in text if c.isalnum()}
    if not chars:
        return None
    scored = sorted(((len(chars & set(o)) / len(chars), o) for o in options), reverse=True)
    if scored[0][0] >= 0.6 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1]
    return None
