"""How a service guide reads as text: one block per field. Shared by ingest (what is chunked) and
the query side (field answers quote the same lines), so the two can never disagree."""

from __future__ import annotations

from collections.abc import Iterable

from govqa.core.types import Material, ServiceItem


def _material_line(i: int, m: Material) -> str:
    extra = "，".join(x for x in (m.copies, m.note) if x)
    return f"{i}. {m.name}" + (f"（{extra}）" if extra else "")


def _numbered(values: Iterable[str]) -> list[str]:
    return [f"{i}. {v}" for i, v in enumerate(values, 1)]


def field_lines(item: ServiceItem) -> dict[str, list[str]]:
    """The rendered lines of each field (empty fields are left out)."""
    fields: dict[str, list[str]] = {
        "服务对象": ["、".join(item.applicant_types)] if item.applicant_types else [],
        "办理情形": [item.scenario] if item.scenario else [],
        "申请条件": _numbered(item.conditions),
        "申请材料": [_material_line(i, m) for i, m in enumerate(item.materials, 1)],
        "办理流程": _numbered(item.steps),
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
