"""Structured service guides (办事指南): parse the documented JSON format into a ServiceItem and
render it (`govqa.core.guide`) as the text that is chunked, quoted and cited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govqa.core.errors import LoadError
from govqa.core.types import Material, ServiceItem

# Field order of the rendered text; each becomes one chunk headed 【字段】.
FIELDS: tuple[str, ...] = (
    "服务对象",
    "办理情形",
    "申请条件",
    "申请材料",
    "办理流程",
    "办理渠道",
    "办理地点",
    "办理时间",
    "承诺时限",
    "法定时限",
    "收费标准",
    "设定依据",
    "咨询电话",
)
REQUIRED = ("事项名称", "事项编码", "实施主体")


def is_guide_record(record: Mapping[str, Any]) -> bool:
    """True when a JSON object is in the guide format (has 事项名称 and 事项编码)."""
    return "事项名称" in record and "事项编码" in record


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
            out.append(Material(str(entry.get("名称", "")), str(entry.get("份数", "")), str(entry.get("说明", ""))))
        else:
            out.append(Material(str(entry)))
    return tuple(m for m in out if m.name)


def parse_guide(record: Mapping[str, Any], source_doc: str = "") -> ServiceItem:
    """Build a ServiceItem from one guide record; LoadError names any missing required field."""
    missing = [key for key in REQUIRED if not str(record.get(key, "")).strip()]
    if missing:
        raise LoadError(f"service guide lacks required field(s) {', '.join(missing)}")
    code = str(record["事项编码"]).strip()
    return ServiceItem(
        code=code,
        name=str(record["事项名称"]).strip(),
        department=str(record["实施主体"]).strip(),
        region=str(record.get("区划", "")).strip(),
        source_doc=source_doc or code,
        aliases=_strs(record.get("事项别名")),
        applicant_types=_strs(record.get("服务对象")),
        scenario=str(record.get("办理情形", "") or "").strip(),
        conditions=_strs(record.get("申请条件")),
        materials=_materials(record.get("申请材料")),
        steps=_strs(record.get("办理流程")),
        locations=_strs(record.get("办理地点")),
        channels=_strs(record.get("办理渠道")),
        hours=str(record.get("办理时间", "") or ""),
        time_limit=str(record.get("承诺时限", "") or ""),
        legal_time_limit=str(record.get("法定时限", "") or ""),
        fee=str(record.get("收费标准", "") or ""),
        legal_basis=_strs(record.get("设定依据")),
        phone=str(record.get("咨询电话", "") or ""),
        updated=str(record.get("更新日期", "") or ""),
    )
