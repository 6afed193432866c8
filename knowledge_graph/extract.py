"""Best-effort service items from semi-structured guide pages (headings such as 一、办理对象,
申请材料, 办理流程, 设定依据, as on real portals), for documents that are not in the structured format."""

from __future__ import annotations

import re

from govqa.core.types import Document, Material, ServiceItem

# Portal heading -> field of the structured format.
HEADINGS = {
    "办理对象": "服务对象",
    "服务对象": "服务对象",
    "适用对象": "服务对象",
    "受理条件": "申请条件",
    "申请条件": "申请条件",
    "办理条件": "申请条件",
    "申请材料": "申请材料",
    "所需材料": "申请材料",
    "办理材料": "申请材料",
    "提交材料": "申请材料",
    "办理流程": "办理流程",
    "办理程序": "办理流程",
    "办事流程": "办理流程",
    "申领流程": "办理流程",
    "办理地点": "办理地点",
    "受理地点": "办理地点",
    "办理时间": "办理时间",
    "承诺时限": "承诺时限",
    "办理时限": "承诺时限",
    "办结时限": "承诺时限",
    "收费标准": "收费标准",
    "是否收费": "收费标准",
    "设定依据": "设定依据",
    "政策依据": "设定依据",
    "咨询电话": "咨询电话",
    "咨询方式": "咨询电话",
    "实施主体": "实施主体",
    "办理部门": "实施主体",
}
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|\d+[、.．]|【)?\s*(" + "|".join(HEADINGS) + r")\s*[】:：]?\s*(.*)$"
)
MIN_FIELDS = 3
_APPLICANT_WORDS = {
    "个人": ("个人", "居民", "公民", "参保人", "职工", "自然人", "群众"),
    "法人": ("法人", "单位", "企业", "公司", "机构", "组织"),
}
_ENUM = re.compile(r"^[(（]?\d+[.、)）]\s*")


def sections(text: str) -> dict[str, list[str]]:
    """Field -> content lines, for every recognised heading in the text."""
    out: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.split("\n"):
        m = _HEADING.match(line)
        if m:
            current = HEADINGS[m[1]]
            out.setdefault(current, [])
            if m[2].strip():
                out[current].append(m[2].strip())
            continue
        if re.match(r"^\s*[一二三四五六七八九十]+[、.．]", line):
            current = None  # another numbered section this extractor does not know
        elif current and line.strip():
            out[current].append(line.strip())
    return {k: v for k, v in out.items() if v}


def extract_item(doc: Document) -> ServiceItem | None:
    """A ServiceItem when the page has at least MIN_FIELDS recognised sections, else None."""
    found = sections(doc.text)
    if len(found) < MIN_FIELDS:
        return None

    def joined(field: str) -> str:
        return "；".join(found.get(field, []))

    return ServiceItem(
        code=doc.id,
        name=doc.title,
        department=joined("实施主体") or doc.issuer,
        region=doc.region,
        source_doc=doc.id,
        applicant_types=tuple(
            t for t, words in _APPLICANT_WORDS.items() if any(w in joined("服务对象") for w in words)
        ),
        conditions=tuple(found.get("申请条件", ())),
        materials=tuple(Material(_ENUM.sub("", line)) for line in found.get("申请材料", ())),
        steps=tuple(found.get("办理流程", ())),
        locations=tuple(found.get("办理地点", ())),
        hours=joined("办理时间"),
        time_limit=joined("承诺时限"),
        fee=joined("收费标准"),
        legal_basis=tuple(found.get("设定依据", ())),
        phone=joined("咨询电话"),
    )
