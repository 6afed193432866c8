"""Policy metadata from text: 文号, issuer, dates, expiry and repeal statements."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from govqa.core.vocab import DOC_NUMBER_RE

# Chinese kept here: header keys and date forms of policy documents, parsed from source text.
_DATE = re.compile(r"(\d{4})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*日?")
_HEADER = re.compile(
    r"^(文号|发文字号|发布机关|发文机关|发布日期|成文日期|施行日期|生效日期|有效期至|状态|废止日期|替代文件|区划)[:：]\s*(.*)$"
)
_EFFECTIVE = re.compile(r"自(\d{4}年\d{1,2}月\d{1,2}日)起(?:施行|实施|执行)")
_VALID_UNTIL = re.compile(r"有效期至(\d{4}年\d{1,2}月\d{1,2}日)")


def parse_date(text: str) -> dt.date | None:
    """Parse 2024年7月1日, 2024-07-01 or 2024.7.1; None when there is no valid date."""
    match = _DATE.search(text)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class PolicyMeta:
    """What the header block and body of a policy say about it."""

    doc_number: str = ""
    issuer: str = ""
    region: str = ""
    published: dt.date | None = None
    effective_from: dt.date | None = None
    expires_at: dt.date | None = None
    repealed_on: dt.date | None = None
    superseded_by: str = ""
    header_end: int = 0


def header_fields(text: str) -> tuple[dict[str, str], int]:
    """Read `键：值` lines right after the title; return the fields and where the body starts."""
    fields: dict[str, str] = {}
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        match = _HEADER.match(stripped)
        if match:
            fields[match[1]] = match[2].strip()
        elif stripped and not stripped.startswith("# "):
            break
        offset += len(line)
    return fields, (offset if fields else 0)


def extract_policy_meta(text: str) -> PolicyMeta:
    """Combine explicit header lines with what the body states (施行, 有效期至, 同时废止)."""
    fields, header_end = header_fields(text)
    head = text[:3000]
    number = fields.get("文号") or fields.get("发文字号") or ""
    if not number and (m := DOC_NUMBER_RE.search(head)):
        number = m[0]
    effective = parse_date(fields.get("施行日期", "") or fields.get("生效日期", ""))
    if effective is None and (m := _EFFECTIVE.search(text[-2000:] + head)):
        effective = parse_date(m[1])
    expires = parse_date(fields.get("有效期至", ""))
    if expires is None and (m := _VALID_UNTIL.search(text)):
        expires = parse_date(m[1])
    repealed = parse_date(fields.get("废止日期", ""))
    if repealed is None and fields.get("状态", "") == "已废止":
        repealed = effective or dt.date.min
    return PolicyMeta(
        doc_number=number,
        issuer=fields.get("发布机关") or fields.get("发文机关") or "",
        region=fields.get("区划", ""),
        published=parse_date(fields.get("发布日期", "") or fields.get("成文日期", "")),
        effective_from=effective,
        expires_at=expires,
        repealed_on=repealed,
        superseded_by=fields.get("替代文件", ""),
        header_end=header_end,
    )


_REPEALS = re.compile(r"《([^》]{2,60})》(?:[（(]([^）)]{2,30})[）)])?(?:同时|即行)?废止")


def repealed_titles(text: str) -> list[tuple[str, str]]:
    """(title, 文号) pairs of documents this text declares repealed (…《X》（文号）同时废止)."""
    return [(m[1], m[2] or "") for m in _REPEALS.finditer(text)]
