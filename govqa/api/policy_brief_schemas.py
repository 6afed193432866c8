"""Response model of the topic brief API (the CLI's --json prints the same)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from govqa import messages
from govqa.policy.brief_types import BriefSection, BriefSentence, PolicyBrief, SetAside, TopicBrief


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


class BriefSentenceOut(BaseModel):
    """A quoted sentence and the article it is quoted from."""

    text: str = Field(description="verbatim from the cited article")
    citation: str = Field(description="《title》（文号）第X条")
    article: str
    chunk_id: str
    clause_type: str
    start: int = Field(description="offset of the sentence in the article's text")
    figures: list[str] = Field(description="amounts, caps, periods and dates the sentence states")

    @classmethod
    def of(cls, policy: PolicyBrief, s: BriefSentence) -> BriefSentenceOut:
        """Render a BriefSentence of `policy`."""
        return cls(
            text=s.text,
            citation=policy.citation(s),
            article=s.article,
            chunk_id=s.chunk_id,
            clause_type=s.clause_type,
            start=s.start,
            figures=list(s.figures),
        )


class BriefSectionOut(BaseModel):
    """The sentences of one kind of a policy."""

    key: str = Field(description="conditions, support, procedure or departments")
    heading: str
    sentences: list[BriefSentenceOut]

    @classmethod
    def of(cls, policy: PolicyBrief, section: BriefSection) -> BriefSectionOut:
        """Render a BriefSection of `policy`."""
        return cls(
            key=section.key,
            heading=messages.BRIEF_SECTIONS[section.key],
            sentences=[BriefSentenceOut.of(policy, s) for s in section.sentences],
        )


class PolicyBriefOut(BaseModel):
    """A policy in force on the topic and its quoted sentences."""

    doc_id: str
    title: str
    doc_number: str
    effective_from: str | None
    expires_at: str | None
    relevance: float
    sections: list[BriefSectionOut]

    @classmethod
    def of(cls, policy: PolicyBrief) -> PolicyBriefOut:
        """Render a PolicyBrief."""
        doc = policy.document
        return cls(
            doc_id=doc.id,
            title=doc.title,
            doc_number=doc.doc_number,
            effective_from=_iso(doc.effective_from),
            expires_at=_iso(doc.expires_at),
            relevance=round(policy.relevance, 3),
            sections=[BriefSectionOut.of(policy, s) for s in policy.sections],
        )


class SetAsideOut(BaseModel):
    """A document on the topic that is not in force on the day: listed, never quoted."""

    doc_id: str
    title: str
    doc_number: str
    standing: str = Field(description="repealed, expired or not_yet_effective")
    label: str
    repealed_on: str | None
    expires_at: str | None
    effective_from: str | None

    @classmethod
    def of(cls, item: SetAside) -> SetAsideOut:
        """Render a SetAside."""
        doc = item.document
        return cls(
            doc_id=doc.id,
            title=doc.title,
            doc_number=doc.doc_number,
            standing=item.standing,
            label=messages.BRIEF_STANDING[item.standing],
            repealed_on=_iso(doc.repealed_on),
            expires_at=_iso(doc.expires_at),
            effective_from=_iso(doc.effective_from),
        )


class TopicBriefOut(BaseModel):
    """The brief on a topic: the policies in force quoted, the others only listed."""

    topic: str
    day: str
    terms: list[str] = Field(description="the topic's words looked for in the policies")
    message: str = Field(description="what the brief holds, or why it holds nothing")
    sentence_count: int
    dropped: int = Field(description="sentences left out because the verification did not accept them")
    policies: list[PolicyBriefOut]
    set_aside_note: str = ""
    set_aside: list[SetAsideOut]

    @classmethod
    def of(cls, brief: TopicBrief) -> TopicBriefOut:
        """Render a TopicBrief."""
        return cls(
            topic=brief.topic,
            day=brief.day.isoformat(),
            terms=list(brief.terms),
            message=brief.message,
            sentence_count=brief.sentence_count,
            dropped=brief.dropped,
            policies=[PolicyBriefOut.of(p) for p in brief.policies],
            set_aside_note=messages.BRIEF_SET_ASIDE.format(day=brief.day) if brief.set_aside else "",
            set_aside=[SetAsideOut.of(a) for a in brief.set_aside],
        )
