"""Frozen data of a topic brief: quoted sentences, sections, the brief of one policy, the whole brief."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from govqa import messages
from govqa.core.types import Document
from govqa.policy.types import ClauseType

SectionKey = Literal["conditions", "support", "procedure", "departments"]
Standing = Literal["repealed", "expired", "not_yet_effective"]


@dataclass(frozen=True, slots=True)
class BriefSentence:
    """One quoted sentence: its text is `clause.text[start:start + len(text)]` of the cited article."""

    text: str
    article: str
    chunk_id: str
    clause_type: ClauseType
    start: int
    figures: tuple[str, ...] = ()  # amounts, caps, periods and dates it states, verbatim


@dataclass(frozen=True, slots=True)
class BriefSection:
    """The sentences of one kind (conditions, support, procedure, departments) of one policy."""

    key: SectionKey
    sentences: tuple[BriefSentence, ...]


@dataclass(frozen=True, slots=True)
class PolicyBrief:
    """A policy in force on the topic and its quoted sentences, by section."""

    document: Document
    relevance: float
    sections: tuple[BriefSection, ...]

    def citation(self, sentence: BriefSentence) -> str:
        """《title》（文号）第X条."""
        return messages.display_name(self.document) + sentence.article


@dataclass(frozen=True, slots=True)
class SetAside:
    """A document on the topic that is not in force on the day, and why."""

    document: Document
    standing: Standing


@dataclass(frozen=True, slots=True)
class TopicBrief:
    """The brief on a topic for one day: policies in force quoted, the others only listed."""

    topic: str
    day: dt.date
    terms: tuple[str, ...]
    policies: tuple[PolicyBrief, ...]
    set_aside: tuple[SetAside, ...] = ()
    dropped: int = 0  # sentences the verification refused

    @property
    def sentence_count(self) -> int:
        """How many sentences the brief quotes."""
        return sum(len(s.sentences) for p in self.policies for s in p.sections)

    @property
    def message(self) -> str:
        """One line saying what the brief holds, or why it holds nothing."""
        if not self.policies:
            return messages.BRIEF_EMPTY.format(topic=self.topic, day=self.day)
        return messages.BRIEF_HEAD.format(topic=self.topic, day=self.day, n=len(self.policies), m=self.sentence_count)


def standing_of(doc: Document, day: dt.date) -> Standing:
    """Why a document is not in force on `day` (call only for one that is not)."""
    if doc.effective_from is not None and doc.effective_from > day and doc.is_valid_on(day):
        return "not_yet_effective"
    if doc.repealed_on is not None and doc.repealed_on <= day:
        return "repealed"
    return "expired"
