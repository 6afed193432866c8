"""Clause labelling measured on the labelled set: type accuracy, attribute exact match, confusion.

Each labelled clause names its document and article; the clause text is read from the document
through GovQA's loader and the ingest chunker (`eval.clause_set`), as the index stores it.
The metric follows the labelling guidelines: for each clause and each of the four keys the
extracted and gold values are compared as sets with whitespace removed; attribute exact match is the
share of equal (clause, key) pairs among the pairs where either side is non-empty (pairs empty on both
sides are counted apart). Type accuracy is the share of clauses whose type equals the gold type.

    govqa eval clause-types [--labeller rules|llm|combined ...] [--json]
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval.clause_set import REALWORLD_CORPUS, LabelledClause, documents_for, resolve
from govqa.policy.export import PUBLIC_KEYS
from govqa.policy.labeller import ClauseLabeller
from govqa.policy.rules import rule_type
from govqa.policy.types import Clause, ClauseLabel

_SPACE = re.compile(r"\s+")


def locate(entries: Sequence[LabelledClause], corpus: Path = REALWORLD_CORPUS) -> list[tuple[LabelledClause, Clause]]:
    """Each entry with its clause, read through GovQA's loader and chunker (`eval.clause_set.resolve`);
    entries of real documents are left out when the real-world corpus is absent."""
    clauses = resolve(entries, documents_for(entries, corpus))
    return [(e, clauses[e.id]) for e in entries if e.id in clauses]


def spread(located: Sequence[tuple[LabelledClause, Clause]], per_split: int) -> list[tuple[LabelledClause, Clause]]:
    """At most `per_split` entries of each split, taken at even steps through the file (so every
    document keeps a share); for measuring a slow labeller on part of the set."""
    out: list[tuple[LabelledClause, Clause]] = []
    for split in sorted({g.split for g, _ in located}):
        part = [pair for pair in located if pair[0].split == split]
        step = max(1.0, len(part) / per_split)
        out += [part[int(i * step)] for i in range(min(per_split, len(part)))]
    return out


def _norm(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v for v in (_SPACE.sub("", x) for x in values) if v)


@dataclass(slots=True)
class _Tally:
    clauses: int = 0
    correct: int = 0
    pairs: int = 0
    equal: int = 0
    both_empty: int = 0
    seconds: float = 0.0
    by_llm: int = 0
    unsure: int = 0

    def summary(self, per_key: Mapping[str, list[int]], confusion: Counter[tuple[str, str]]) -> dict[str, Any]:
        gold_types = Counter[str]()
        for (gold, _), n in confusion.items():
            gold_types[gold] += n
        return {
            "clauses": self.clauses,
            "type_accuracy": round(self.correct / self.clauses, 4) if self.clauses else None,
            "attribute_exact_match": round(self.equal / self.pairs, 4) if self.pairs else None,
            "attribute_pairs": self.pairs,
            "attribute_pairs_both_empty": self.both_empty,
            "attribute_exact_match_by_key": {
                k: {"pairs": p, "equal": e, "exact_match": round(e / p, 4) if p else None}
                for k, (p, e) in per_key.items()
            },
            "typed_by_llm": self.by_llm,
            "rules_unsure": self.unsure,
            "rules_unsure_share": round(self.unsure / self.clauses, 4) if self.clauses else None,
            "seconds_per_clause": round(self.seconds / self.clauses, 4) if self.clauses else None,
            "confusion": {
                gold: {
                    "n": n,
                    "correct": confusion[(gold, gold)],
                    "mistaken_for": {pred: m for (g, pred), m in confusion.most_common() if g == gold and pred != gold},
                }
                for gold, n in sorted(gold_types.items(), key=lambda kv: -kv[1])
            },
        }


def evaluate(
    located: Sequence[tuple[LabelledClause, Clause]],
    labeller: ClauseLabeller,
    on_mistake: Callable[[LabelledClause, ClauseLabel], None] | None = None,
) -> dict[str, dict[str, Any]]:
    """Per split: type accuracy, attribute exact match (per key too), the clauses the rules are unsure
    of (those the combined labeller sends to the LLM) and the confusion by gold type."""
    tallies: dict[str, _Tally] = {}
    keys: dict[str, dict[str, list[int]]] = {}
    confusion: dict[str, Counter[tuple[str, str]]] = {}
    for gold, clause in located:
        tally = tallies.setdefault(gold.split, _Tally())
        per_key = keys.setdefault(gold.split, {k: [0, 0] for k in PUBLIC_KEYS})
        t0 = time.perf_counter()
        label = labeller.label(clause)
        tally.seconds += time.perf_counter() - t0
        tally.clauses += 1
        tally.by_llm += label.source == "llm"
        tally.unsure += rule_type(clause.text, clause.headings).unsure
        tally.correct += label.type == gold.type
        confusion.setdefault(gold.split, Counter())[(gold.type, label.type)] += 1
        wrong = label.type != gold.type
        for key in PUBLIC_KEYS:
            want, got = _norm(getattr(gold.attributes, key)), _norm(getattr(label.attributes, key))
            if not want and not got:
                tally.both_empty += 1
                continue
            tally.pairs += 1
            per_key[key][0] += 1
            if want == got:
                tally.equal += 1
                per_key[key][1] += 1
            else:
                wrong = True
        if wrong and on_mistake is not None:
            on_mistake(gold, label)
    return {split: tallies[split].summary(keys[split], confusion[split]) for split in sorted(tallies)}


def mistakes(located: Sequence[tuple[LabelledClause, Clause]], labeller: ClauseLabeller, split: str) -> Iterator[str]:
    """Lines describing each clause of `split` the labeller gets wrong (for tuning on dev only)."""
    rows: list[str] = []

    def note(gold: LabelledClause, label: ClauseLabel) -> None:
        if gold.split != split:
            return
        got = {k: list(getattr(label.attributes, k)) for k in PUBLIC_KEYS if getattr(label.attributes, k)}
        want = {k: list(getattr(gold.attributes, k)) for k in PUBLIC_KEYS if getattr(gold.attributes, k)}
        rows.append(
            f"{gold.doc_id} {gold.article} gold={gold.type} got={label.type}\n  want={want}\n  got ={got}\n"
            f"  {label.clause.text[:160]!r}"
        )

    evaluate([(g, c) for g, c in located if g.split == split], labeller, note)
    yield from rows
