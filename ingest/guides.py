"""Structured service guides (办事指南): parse the documented JSON format into a ServiceItem and
render it as the text that is chunked, quoted and cited."""

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


def _material_line(i: int, m: Material) -> str:
    extra = "，".join(x for x in (m.copies, m.note) if x)
    return f"{i}. {m.name}" + (f"（{extra}）" if extra else "")


def field_lines(item: ServiceItem) -> dict[str, list[str]]:
    """The rendered lines of each field (empty fields are left out)."""
    numbered = lambda values: [f"{i}. {v}" for i, v in enumerate(values, 1)]  # noqa: E731
    fields: dict[str, list[str]] = {
        "服务对象": ["、".join(item.applicant_types)] if item.applicant_types else [],
        "办理情形": [item.scenario] if item.scenario else [],
        "申请条件": numbered(item.conditions),
        "申请材料": [_material_line(i, m) for i, m in enumerate(item.materials, 1)],
        "办理流程": numbered(item.steps),
        "办理渠道": ["、".join(item.channels)] if item.channels else [],
        "办理地点": list(item.locations),
        "办理时间": [item.hours] if item.hours else [],
        "承诺时限": [item.time_limit] if item.time_limit else [],
        "法定时限": [item.legal_time_limit] if item.legal_time_limit else [],
        "收费标准": [item.fee] if item.fee else [],
        "设定依据": list(item.legal_basis),
        "咨询电话": [item.phone] if item.phone else [],
    }
    return {k: v for k, v in fields.items() if v}


def render_guide(item: ServiceItem) -> str:
    """Render a guide as text: a title line, a summary line, then one 【字段】 block per field."""
    lines = [f"# {item.name}", f"事项编码：{item.code}　实施主体：{item.department}　区划：{item.region}"]
    if item.aliases:
        lines.append("别名：" + "、".join(item.aliases))
    for name, values in field_lines(item).items():
        lines.append("")
        lines.append(f"【{name}】")
        lines.extend(values)
    return "\n".join(lines) + "\n"
