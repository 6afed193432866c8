"""Facets of the evidence: when the best documents disagree on something that changes the answer.

Service items carry their own near-twins in the graph; most real collections do not. There the
split shows in what retrieval returns: the same kind of rule from several cities or from the nation
(停车收费: 北京市机动车停车条例, 济南市停车场建设和管理条例, …), or one knowledge-base question
answered by two departments. A question that names no region is then asked which one; a question
that names one is answered from that region's documents (and the nation's, which apply everywhere);
entries of one department that answer the same question are shown side by side.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from govqa.core.regions import NATIONAL, canonical, regions_in
from govqa.core.types import ScoredChunk
from govqa.core.vocab import NATIONAL_PHRASES, NATIONAL_REPLY_WORDS
from govqa.dialogue.policy import pick_option


@dataclass(frozen=True, slots=True)
class FacetConfig:
    """Which hits count as the answer's competitors, and how many options a question offers."""

    relative_score: float = 0.5  # a hit scoring at least this share of the best one competes with it
    max_options: int = 5


def region_split(
    hits: Sequence[ScoredChunk], terms: Sequence[str], config: FacetConfig = FacetConfig()
) -> tuple[str, ...]:
    """The regions of competing policy documents on the question's subject, best first, when there
    are two or more. Competing: scoring at least a share of the best hit. On the subject: the
    title or the retrieved passage has one of the question's subject `terms` (停车 in
    北京市机动车停车条例 and in 济南市停车场建设和管理条例)."""
    if not hits or hits[0].document.doc_type != "policy":
        return ()
    top = hits[0].score
    best: list[str] = []
    for term in terms:
        regions: list[str] = []
        for hit in hits:
            doc = hit.document
            if hit.score < config.relative_score * top or doc.doc_type != "policy" or not doc.region:
                continue
            if (term in doc.title or term in hit.chunk.text) and doc.region not in regions:
                regions.append(doc.region)
        if len(regions) > len(best):
            best = regions
    return tuple(best[: config.max_options]) if len(best) >= 2 else ()


def named_region(text: str) -> str:
    """The first region a question names ("" when none)."""
    found = regions_in(text)
    if not found and any(p in text for p in NATIONAL_PHRASES):
        return NATIONAL
    return found[0] if found else ""


def region_scope(region: str) -> tuple[str, ...]:
    """The document regions that apply in `region`: its own, the nation's, and documents that state
    none (a city's knowledge base rarely names its city)."""
    return (region, "") if region == NATIONAL else (region, NATIONAL, "")


def chosen_option(reply: str, options: Sequence[str]) -> str:
    """The option a reply to a facet question picks: a region it names (北京 for 北京市, 国家的规定
    for 全国), else its number, text or abbreviation; a region outside the options still counts,
    since the citizen said where. "" when none."""
    named = [canonical(r) for r in regions_in(reply)]
    if not named and NATIONAL in options and any(w in reply for w in NATIONAL_REPLY_WORDS):
        return NATIONAL
    for region in named:
        if region in options:
            return region
    picked = pick_option(reply, options)
    if picked is not None:
        return picked
    return named[0] if named else ""


def duplicate_entries(
    hits: Sequence[ScoredChunk], matches: Callable[[ScoredChunk], bool], limit: int = 3
) -> list[ScoredChunk]:
    """Knowledge-base entries among the hits that each ask the question (one hit per entry)."""
    seen: set[str] = set()
    out = []
    for hit in hits:
        if hit.document.id in seen or not matches(hit):
            continue
        seen.add(hit.document.id)
        out.append(hit)
    return out[:limit]


def departments(entries: Sequence[ScoredChunk]) -> tuple[str, ...]:
    """The distinct departments (issuers) of entries, in order; entries without one are skipped."""
    return tuple(dict.fromkeys(e.document.issuer for e in entries if e.document.issuer))
