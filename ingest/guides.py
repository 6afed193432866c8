"""Structured service guides (办事指南): parse the documented JSON format into a ServiceItem and
render it (`govqa.core.guide`) as the text that is chunked, quoted and cited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govqa.core.errors import LoadError
from govqa.core.types import Material, ServiceItem
from govqa.core.vocab import GuideField as F
from govqa.core.vocab import MaterialKey

REQUIRED = (F.NAME, F.CODE, F.DEPARTMENT)


def is_guide_record(record: Mapping[str, Any]) -> bool:
    """True when a JSON object is in the guide format (has 事项名称 and 事项编码)."""
    return F.NAME in record and F.CODE in record


def _strs(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value if str(v).strip())


def _materials(value: Any) -> tuple[Material, ...]:
    out = []
    for entry in value or ():
        if isinstance(entry, Mapping):
            out.append(
                Material(*(str(entry.get(key, "")) for key in (MaterialKey.NAME, MaterialKey.COPIES, MaterialKey.NOTE)))
            )
        else:
            out.append(Material(str(entry)))
    return tuple(m for m in out if m.name)


def parse_guide(record: Mapping[str, Any], source_doc: str = "") -> ServiceItem:
    """Build a ServiceItem from one guide record; LoadError names any missing required field."""
    missing = [key for key in REQUIRED if not str(record.get(key, "")).strip()]
    if missing:
        raise LoadError(f"service guide lacks required field(s) {', '.join(missing)}")
    code = str(record[F.CODE]).strip()
    return ServiceItem(
        code=code,
        name=str(record[F.NAME]).strip(),
        department=str(record[F.DEPARTMENT]).strip(),
        region=str(record.get(F.REGION, "")).strip(),
        source_doc=source_doc or code,
        aliases=_strs(record.get(F.ALIASES)),
        applicant_types=_strs(record.get(F.APPLICANTS)),
        scenario=str(record.get(F.SCENARIO, "") or "").strip(),
        conditions=_strs(record.get(F.CONDITIONS)),
        materials=_materials(record.get(F.MATERIALS)),
        steps=_strs(record.get(F.STEPS)),
        locations=_strs(record.get(F.LOCATIONS)),
        channels=_strs(record.get(F.CHANNELS)),
        hours=str(record.get(F.HOURS, "") or ""),
        time_limit=str(record.get(F.TIME_LIMIT, "") or ""),
        legal_time_limit=str(record.get(F.LEGAL_TIME_LIMIT, "") or ""),
        fee=str(record.get(F.FEE, "") or ""),
        legal_basis=_strs(record.get(F.LEGAL_BASIS)),
        phone=str(record.get(F.PHONE, "") or ""),
        updated=str(record.get(F.UPDATED, "") or ""),
    )
