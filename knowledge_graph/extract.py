"""Best-effort service items from semi-structured guide pages (headings such as 一、办理对象,
申请材料, 办理流程, 设定依据, as on real portals), for documents that are not in the structured format."""

from __future__ import annotations

import re

from govqa.core.types import Document, Material, ServiceItem
from govqa.core.vocab import APPLICANT_WORDS, CN_NUMERAL_CHARS, PORTAL_HEADINGS, GuideField

# The number of a section heading (一、 三．).
_SECTION_NUMBER = rf"[{CN_NUMERAL_CHARS}]+[、.．]"
# A heading line: optional number or 【, a known portal heading, then maybe the content itself.
_HEADING = re.compile(
    rf"^\s*(?:{_SECTION_NUMBER}|\d+[、.．]|【)?\s*(" + "|".join(PORTAL_HEADINGS) + r")\s*[】:：]?\s*(.*)$"
)
MIN_FIELDS = 3
_ENUM = re.compile(r"^[(（]?\d+[.、)）]\s*")


def sections(text: str) -> dict[GuideField, list[str]]:
    """Field -> content lines, for every recognised heading in the text."""
    out: dict[GuideField, list[str]] = {}
    current: GuideField | None = None
    for line in text.split("\n"):
        m = _HEADING.match(line)
        if m:
            current = PORTAL_HEADINGS[m[1]]
            out.setdefault(current, [])
            if m[2].strip():
                out[current].append(m[2].strip())
            continue
        if re.match(rf"^\s*{_SECTION_NUMBER}", line):
            current = None  # another numbered section this extractor does not know
        elif current and line.strip():
            out[current].append(line.strip())
    return {k: v for k, v in out.items() if v}


def extract_item(doc: Document) -> ServiceItem | None:
    """A ServiceItem when the page has at least MIN_FIELDS recognised sections, else None."""
    found = sections(doc.text)
    if len(found) < MIN_FIELDS:
        return None

    def joined(field: GuideField) -> str:
        return "；".join(found.get(field, []))  # the list separator of Chinese text

    return ServiceItem(
        code=doc.id,
        name=doc.title,
        department=joined(GuideField.DEPARTMENT) or doc.issuer,
        region=doc.region,
        source_doc=doc.id,
        applicant_types=tuple(
            t for t, words in APPLICANT_WORDS.items() if any(w in joined(GuideField.APPLICANTS) for w in words)
        ),
        conditions=tuple(found.get(GuideField.CONDITIONS, ())),
        materials=tuple(Material(_ENUM.sub("", line)) for line in found.get(GuideField.MATERIALS, ())),
        steps=tuple(found.get(GuideField.STEPS, ())),
        locations=tuple(found.get(GuideField.LOCATIONS, ())),
        hours=joined(GuideField.HOURS),
        time_limit=joined(GuideField.TIME_LIMIT),
        fee=joined(GuideField.FEE),
        legal_basis=tuple(found.get(GuideField.LEGAL_BASIS, ())),
        phone=joined(GuideField.PHONE),
    )
