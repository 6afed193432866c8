"""Answers straight from a locked item's guide fields: exact, instant, cited to the guide.

Used when the question asks for a field (材料, 流程, 时限, 费用, 地点, 电话, 条件, 依据); open
questions still go to the LLM.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from govqa.core.guide import field_lines
from govqa.core.types import Answer, Chunk, Citation, Document, ServiceItem

# Question keywords -> guide fields, in the order they are answered.
INTENTS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("材料", "证件", "带什么", "准备什么", "要带", "证明"), ("申请材料",)),
    (("条件", "资格", "能不能", "可以办", "符合"), ("申请条件",)),
    (
        (
            "流程",
            "步骤",
            "程序",
            "手续",
            "怎么办",
            "如何办",
            "怎么申请",
            "如何申请",
            "怎么取",
            "怎么提取",
            "怎么弄",
            "怎么补",
            "如何补",
            "怎么换",
            "如何换",
            "怎么领",
            "如何领",
            "怎么登记",
            "怎么注册",
        ),
        ("办理流程", "申请材料"),
    ),
    (("多久", "多长时间", "几天", "时限", "时间多长", "办结"), ("承诺时限", "法定时限")),
    (("收费", "费用", "多少钱", "要钱", "免费"), ("收费标准",)),
    (("哪里", "地点", "地址", "窗口", "在哪"), ("办理地点", "办理时间")),
    (("上班时间", "几点", "办理时间", "工作时间"), ("办理时间",)),
    (("电话", "咨询", "热线", "联系"), ("咨询电话",)),
    (("依据", "哪条规定", "法规", "根据什么"), ("设定依据",)),
    (("网上", "线上", "网办", "渠道", "方式"), ("办理渠道",)),
)


# Filler that carries no content once the item and the field word are taken out.
_FILLER = re.compile(
    r"[的了吗呢啊吧呀么，。？！、\s?!,.]|请问|我想|我要|想要|需要|要|什么|哪些|怎么|如何|办理|申请|一下|是|有|多少|"
    r"可以|能|去|在|带|孩子|小孩|我家|家里|本人|自己|那|大概|一般|大约|才能|得"
)
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


def requested_fields(question: str, names: Sequence[str] = ()) -> tuple[str, ...]:
    """Guide fields the question asks for; empty when it is an open question.

    A question is a field question only if, without the item's names, the field keywords and
    filler words, at most MAX_RESIDUE characters remain: "失业金最长能领多久" keeps 最长领 and
    goes to the LLM, while "公积金提取需要什么材料" is exactly a 申请材料 question.
    """
    fields: list[str] = []
    rest = _without_names(question, names)
    for keywords, wanted in INTENTS:
        hit = [k for k in keywords if k in question]
        if hit:
            fields.extend(f for f in wanted if f not in fields)
            for k in sorted(hit, key=len, reverse=True):
                rest = rest.replace(k, "")
    if not fields or len(_FILLER.sub("", rest)) > MAX_RESIDUE:
        return ()
    return tuple(fields)


def structured_answer(
    item: ServiceItem, fields: Sequence[str], doc: Document, chunks: Sequence[Chunk]
) -> Answer | None:
    """Compose the answer from the item's fields with one citation per field chunk; None if none apply."""
    lines_by_field = field_lines(item)
    by_label = {c.label: c for c in chunks}
    parts: list[str] = []
    citations: list[Citation] = []
    for name in fields:
        lines = lines_by_field.get(name)
        chunk = by_label.get(name)
        if not lines or chunk is None:
            continue
        marker = len(citations) + 1
        parts.append(f"{name}：\n" + "\n".join(lines) + f" [{marker}]")
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
    head = f"【{item.name}】（{item.department}）"
    return Answer(
        text=head + "\n" + "\n\n".join(parts), citations=tuple(citations), item_codes=(item.code,), grounded=True
    )
