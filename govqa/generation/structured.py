"""Answers straight from a locked item's guide fields: exact, instant, cited to the guide.

Used when the question asks for a field (材料, 流程, 时限, 费用, 地点, 电话, 条件, 依据); open
questions still go to the LLM.
"""

from __future__ import annotations

from collections.abc import Sequence

from govqa import messages
from govqa.core.guide import field_lines
from govqa.core.types import Answer, Chunk, Citation, Document, ServiceItem
from govqa.core.vocab import FIELD_QUESTION_FILLER, INTENT_KEYWORDS, OTHER_PERIOD_CUES, PROCESSING_CUES, GuideField
from govqa.generation.sanitize import drop_instructions
from govqa.generation.verify import asks_figure, question_clauses

MAX_RESIDUE = 2


def _common(a: str, b: str) -> str:
    """Longest common substring of two short strings."""
    best = ""
    for i in range(len(a)):
        for j in range(i + len(best) + 1, len(a) + 1):
            if a[i:j] in b:
                best = a[i:j]
            else:
                break
    return best


def _without_names(question: str, names: Sequence[str]) -> str:
    """The question with every stretch of two or more characters that belongs to a name removed
    ("公积金提取" is part of 住房公积金提取, so it goes)."""
    rest = question
    while True:
        piece = max((_common(rest, n) for n in names if n), key=len, default="")
        if len(piece) < 2:
            return rest
        rest = rest.replace(piece, "", 1)


def requested_fields(question: str, names: Sequence[str] = ()) -> tuple[GuideField, ...]:
    """Guide fields the question asks for; empty when it is an open question.

    A question is a field question only if, without the item's names, the field keywords and
    filler words, at most MAX_RESIDUE characters remain: "失业金最长能领多久" keeps 最长领 and
    goes to the LLM, while "公积金提取需要什么材料" is exactly a 申请材料 question.
    """
    fields = mentioned_fields(question)
    rest = _without_names(question, names)
    for keywords, _wanted in INTENT_KEYWORDS:
        for k in sorted((k for k in keywords if k in question), key=len, reverse=True):
            rest = rest.replace(k, "")
    if not fields or len(FIELD_QUESTION_FILLER.sub("", rest)) > MAX_RESIDUE:
        return ()
    return fields


def fields_by_part(question: str, names: Sequence[str] = ()) -> list[tuple[str, tuple[GuideField, ...]]]:
    """Each part of a question in several parts with the guide fields it asks for, when every part
    that asks is a field question of its own ("多久能办下来？收不收钱": 承诺时限, then 收费标准);
    empty otherwise. The clauses that only state the citizen's situation ("刚辞职，") are not
    parts: the situation chose the item, and a field of the item is its field whatever the case."""
    asking = question_clauses(question)[1]
    if len(asking) < 2:
        return []
    parts = [(part, requested_fields(part, names)) for part in asking]
    return parts if all(fields for _, fields in parts) else []


def asks_other_period(question: str) -> bool:
    """A "how long" question about a waiting, notice or validity period (等多久才能取, 提前多久,
    能用多久), which a guide's time limit for the handling does not answer."""
    return asks_figure(question) and not PROCESSING_CUES.search(question) and bool(OTHER_PERIOD_CUES.search(question))


def mentioned_fields(question: str) -> tuple[GuideField, ...]:
    """Guide fields whose keywords the question has, however much else it says."""
    fields: list[GuideField] = []
    for keywords, wanted in INTENT_KEYWORDS:
        if any(k in question for k in keywords):
            fields.extend(f for f in wanted if f not in fields)
    return tuple(fields)


def structured_answer(
    item: ServiceItem, fields: Sequence[GuideField], doc: Document, chunks: Sequence[Chunk]
) -> Answer | None:
    """Compose the answer from the item's fields with one citation per field chunk; None if none apply."""
    lines_by_field = field_lines(item)
    by_label = {c.label: c for c in chunks}
    parts: list[str] = []
    citations: list[Citation] = []
    for name in fields:
        # A guide's own words are quoted, but never an instruction planted in them (as in any source).
        lines = [clean for line in lines_by_field.get(name, ()) if (clean := drop_instructions(line))]
        chunk = by_label.get(name)
        if not lines or chunk is None:
            continue
        marker = len(citations) + 1
        parts.append(messages.FIELD_ANSWER_BLOCK.format(field=name, lines="\n".join(lines)) + f" [{marker}]")
        citations.append(
            Citation(
                marker=marker,
                chunk_id=chunk.id,
                doc_id=doc.id,
                title=doc.title,
                doc_number=doc.doc_number,
                section=name,
                url=doc.url,
                quote=lines[0][:80],
            )
        )
    if not parts:
        return None
    head = messages.FIELD_ANSWER_HEAD.format(name=item.name, department=item.department)
    return Answer(
        text=head + "\n" + "\n\n".join(parts), citations=tuple(citations), item_codes=(item.code,), grounded=True
    )
