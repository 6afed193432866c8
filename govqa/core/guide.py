"""How a service guide reads as text: one block per field. Shared by ingest (what is chunked) and
the query side (field answers quote the same lines), so the two can never disagree."""

from __future__ import annotations

from collections.abc import Iterable

from govqa.core.types import Material, ServiceItem
from govqa.core.vocab import ALIASES_LABEL, GuideField

# The list separator of Chinese text.
_ENUMERATION = "、"


def _material_line(i: int, m: Material) -> str:
    extra = "，".join(x for x in (m.copies, m.note) if x)
    return f"{i}. {m.name}" + (f"（{extra}）" if extra else "")


def _numbered(values: Iterable[str]) -> list[str]:
    return [f"{i}. {v}" for i, v in enumerate(values, 1)]


def field_lines(item: ServiceItem) -> dict[GuideField, list[str]]:
    """The rendered lines of each field (empty fields are left out)."""
    fields: dict[GuideField, list[str]] = {
        GuideField.APPLICANTS: [_ENUMERATION.join(item.applicant_types)] if item.applicant_types else [],
        GuideField.SCENARIO: [item.scenario] if item.scenario else [],
        GuideField.CONDITIONS: _numbered(item.conditions),
        GuideField.MATERIALS: [_material_line(i, m) for i, m in enumerate(item.materials, 1)],
        GuideField.STEPS: _numbered(item.steps),
        GuideField.CHANNELS: [_ENUMERATION.join(item.channels)] if item.channels else [],
        GuideField.LOCATIONS: list(item.locations),
        GuideField.HOURS: [item.hours] if item.hours else [],
        GuideField.TIME_LIMIT: [item.time_limit] if item.time_limit else [],
        GuideField.LEGAL_TIME_LIMIT: [item.legal_time_limit] if item.legal_time_limit else [],
        GuideField.FEE: [item.fee] if item.fee else [],
        GuideField.LEGAL_BASIS: list(item.legal_basis),
        GuideField.PHONE: [item.phone] if item.phone else [],
    }
    return {k: v for k, v in fields.items() if v}


def render_guide(item: ServiceItem) -> str:
    """Render a guide as text: a title line, a summary line, then one 【字段】 block per field."""
    summary = ((GuideField.CODE, item.code), (GuideField.DEPARTMENT, item.department), (GuideField.REGION, item.region))
    lines = [f"# {item.name}", "　".join(f"{key}：{value}" for key, value in summary)]
    if item.aliases:
        lines.append(f"{ALIASES_LABEL}：" + _ENUMERATION.join(item.aliases))
    for name, values in field_lines(item).items():
        lines.append("")
        lines.append(f"【{name}】")
        lines.extend(values)
    return "\n".join(lines) + "\n"
