"""Answers to "is this policy still in force?" straight from the documents' metadata."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

from govqa import messages
from govqa.core.types import Answer, Chunk, Citation, Document
from govqa.core.vocab import VALIDITY_CUES

_YEAR = re.compile(r"(19|20)\d{2}")


def is_validity_question(question: str) -> bool:
    """True when the question asks whether a policy is in force."""
    return bool(VALIDITY_CUES.search(question))


def _pick(question: str, docs: Sequence[Document]) -> list[Document]:
    """Versions the question means: those of a year it names, else all of them."""
    years = {m[0] for m in _YEAR.finditer(question)}
    if years:
        dated = [
            d
            for d in docs
            if years & {str(x.year) for x in (d.published, d.effective_from) if x}
            or any(y in d.doc_number for y in years)
        ]
        if dated:
            return dated
    return list(docs)


def status_sentence(doc: Document, day: dt.date, title_of: Callable[[str], str]) -> str:
    """One sentence stating a document's validity on `day`."""
    name = messages.display_name(doc)
    if doc.repealed_on is not None and doc.repealed_on <= day:
        when = (
            messages.VALIDITY_REPEALED.format(date=messages.cn_date(doc.repealed_on))
            if doc.repealed_on.year > 1
            else messages.REPEALED_UNDATED
        )
        successor = messages.VALIDITY_SUCCESSOR.format(title=title_of(doc.superseded_by)) if doc.superseded_by else ""
        return f"{name}{when}{successor}。"
    if doc.expires_at is not None and doc.expires_at < day:
        return f"{name}" + messages.VALIDITY_EXPIRED.format(date=messages.cn_date(doc.expires_at)) + "。"
    until = messages.VALIDITY_UNTIL.format(date=messages.cn_date(doc.expires_at)) if doc.expires_at else ""
    since = messages.VALIDITY_SINCE.format(date=messages.cn_date(doc.effective_from)) if doc.effective_from else ""
    return f"{name}{since}{messages.VALIDITY_CURRENT}{until}。"


def validity_answer(
    question: str, docs: Sequence[Document], first_chunks: Sequence[Chunk], day: dt.date, title_of: Callable[[str], str]
) -> Answer | None:
    """State the validity of the named policy (each version when several share its title)."""
    if not docs:
        return None
    chunk_of = {c.doc_id: c for c in first_chunks}
    sentences, citations, warnings = [], [], []
    for n, doc in enumerate(_pick(question, docs), 1):
        sentences.append(status_sentence(doc, day, title_of).rstrip("。") + f"[{n}]。")
        chunk = chunk_of.get(doc.id)
        citations.append(
            Citation(
                marker=n,
                chunk_id=chunk.id if chunk else "",
                doc_id=doc.id,
                title=doc.title,
                doc_number=doc.doc_number,
                section=chunk.label if chunk else "",
                url=doc.url,
                quote=(chunk.text if chunk else "")[:80],
                supported=doc.is_valid_on(day),
            )
        )
        if not doc.is_valid_on(day):
            warnings.append(messages.VALIDITY_PREFER_CURRENT)
    return Answer(
        text="".join(sentences), citations=tuple(citations), grounded=True, warnings=tuple(dict.fromkeys(warnings))
    )
