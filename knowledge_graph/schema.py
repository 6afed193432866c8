"""Node and edge kinds of the service-item graph (see docs/KNOWLEDGE_GRAPH.md)."""

from __future__ import annotations

import re

from govqa.core.vocab import ARTICLE_PREFIX, ARTICLE_SUFFIX, NATIONAL_PREFIX, NUMERAL

# Node kinds
ITEM, GROUP, DEPARTMENT, DISTRICT, MATERIAL, SERVICE_OBJECT, CHANNEL, POLICY, CLAUSE = (
    "ServiceItem",
    "ItemGroup",
    "Department",
    "District",
    "Material",
    "ServiceObject",
    "Channel",
    "Policy",
    "Clause",
)
# Edge kinds
HAS_SCENARIO = "HAS_SCENARIO"  # ItemGroup -> ServiceItem (near-twins under one 主项)
IMPLEMENTED_BY = "IMPLEMENTED_BY"  # ServiceItem -> Department
AVAILABLE_IN = "AVAILABLE_IN"  # ServiceItem -> District
REQUIRES = "REQUIRES"  # ServiceItem -> Material
SERVES = "SERVES"  # ServiceItem -> ServiceObject (个人 / 法人)
OFFERED_VIA = "OFFERED_VIA"  # ServiceItem -> Channel
BASED_ON = "BASED_ON"  # ServiceItem -> Clause (or Policy when no article is named)
PART_OF = "PART_OF"  # Clause -> Policy
SUPERSEDED_BY = "SUPERSEDED_BY"  # Policy -> Policy

# 《title》 optionally followed by the article it names; 《》 are the title marks of Chinese text.
_BASIS = re.compile(rf"《([^》]{{2,60}})》\s*({ARTICLE_PREFIX}{NUMERAL}{ARTICLE_SUFFIX})?")
_SCENARIO_SUFFIX = re.compile(r"[（(][^（()）]*[)）]\s*$")


def node_id(kind: str, key: str) -> str:
    """Stable node id such as `ServiceItem:JL-GJJ-TQ-001`."""
    return f"{kind}:{key}"


def base_name(name: str) -> str:
    """The 主项 name of a 办理项: the official name without its trailing （情形）."""
    return _SCENARIO_SUFFIX.sub("", name).strip() or name


def parse_basis(text: str) -> list[tuple[str, str]]:
    """(policy title, article label or "") pairs named in a 设定依据 string."""
    return [(m[1].strip(), m[2] or "") for m in _BASIS.finditer(text)]


def title_key(title: str) -> str:
    """Normalise a policy title for matching (drop 中华人民共和国 and spaces)."""
    return title.replace(NATIONAL_PREFIX, "").replace(" ", "").replace("　", "")
