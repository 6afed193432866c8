"""Scoring topic briefs against what they must hold, and timing them.

For each topic of `eval/data/policy_brief_topics.json` (written from the sample policies' texts):
the policies in force that address it, figures their clauses state that the brief must quote, and
the documents on the topic that are not in force that day. A brief is also checked for what must
hold of every brief: each sentence is its cited article's text at its offset, and every document
quoted is in force on the day.

    python -m eval.cli brief   (or: govqa eval brief)
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govqa.browse.service import in_force_on
from govqa.policy.brief_types import TopicBrief
from govqa.policy.types import Clause

DATA = Path(__file__).resolve().parent / "data"
SAMPLE_TOPICS = DATA / "policy_brief_topics.json"
RUNS = 5


@dataclass(frozen=True, slots=True)
class TopicCheck:
    """What the brief on one topic must hold."""

    topic: str
    on: str
    policies: tuple[str, ...]
    facts: tuple[str, ...]
    set_aside: tuple[str, ...]


def load_topics(path: Path = SAMPLE_TOPICS) -> list[TopicCheck]:
    """The topic checks of a JSON file ({"topics": [{"topic", "on", "policies", "facts", "set_aside"}]})."""
    rows = json.loads(path.read_text(encoding="utf-8"))["topics"]
    return [
        TopicCheck(r["topic"], r["on"], tuple(r["policies"]), tuple(r["facts"]), tuple(r["set_aside"])) for r in rows
    ]


def check(
    brief: TopicBrief, expected: TopicCheck, clauses: Callable[[str], Mapping[str, Clause]], ms: list[float]
) -> dict[str, Any]:
    """One topic's row: what the brief holds against what it must, and its latencies."""
    quoted = [(p.document, s) for p in brief.policies for sec in p.sections for s in sec.sentences]
    text = "\n".join(s.text for _, s in quoted)
    verbatim = sum(
        1
        for doc, s in quoted
        if (c := clauses(doc.id).get(s.article)) is not None and c.text[s.start : s.start + len(s.text)] == s.text
    )
    got = [p.document.id for p in brief.policies]
    return {
        "topic": expected.topic,
        "on": expected.on,
        "policies": got,
        "policies_ok": set(got) == set(expected.policies),
        "facts_found": [f for f in expected.facts if f in text],
        "facts_missed": [f for f in expected.facts if f not in text],
        "set_aside": [a.document.id for a in brief.set_aside],
        "set_aside_ok": {a.document.id for a in brief.set_aside} == set(expected.set_aside),
        "sentences": brief.sentence_count,
        "verbatim": verbatim,
        "not_in_force_quoted": sum(1 for doc, _ in quoted if not in_force_on(doc, brief.day)),
        "dropped": brief.dropped,
        "first_ms": round(ms[0], 1),
        "median_ms": round(statistics.median(ms[1:] or ms), 1),
    }


def timed(run: Callable[[], TopicBrief], runs: int = RUNS) -> tuple[TopicBrief, list[float]]:
    """The brief and the milliseconds each of `runs` calls took (the first one cold for the topic)."""
    ms: list[float] = []
    brief = None
    for _ in range(runs):
        started = time.perf_counter()
        brief = run()
        ms.append((time.perf_counter() - started) * 1000)
    assert brief is not None  # runs >= 1
    return brief, ms


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals over the topics."""
    facts = sum(len(r["facts_found"]) + len(r["facts_missed"]) for r in rows)
    return {
        "topics": len(rows),
        "policies_ok": sum(r["policies_ok"] for r in rows),
        "set_aside_ok": sum(r["set_aside_ok"] for r in rows),
        "fact_recall": round(sum(len(r["facts_found"]) for r in rows) / facts, 3) if facts else 1.0,
        "sentences": sum(r["sentences"] for r in rows),
        "verbatim": sum(r["verbatim"] for r in rows),
        "not_in_force_quoted": sum(r["not_in_force_quoted"] for r in rows),
        "dropped": sum(r["dropped"] for r in rows),
        "max_first_ms": max((r["first_ms"] for r in rows), default=0.0),
        "max_median_ms": max((r["median_ms"] for r in rows), default=0.0),
    }


def failures(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows where the brief misses what it must hold or breaks what every brief must keep."""
    return [
        r
        for r in rows
        if not (r["policies_ok"] and r["set_aside_ok"])
        or r["facts_missed"]
        or r["verbatim"] < r["sentences"]
        or r["not_in_force_quoted"]
    ]
