"""Clause labelling measured on the labelled set: type accuracy, attribute exact match, confusion.

Each labelled clause names its document and article; the clause text is read from the document
through the ingest chunker, as the index stores it (`govqa.policy.clauses.clauses_of_document`).
The metric follows the labelling guidelines: for each clause and each of the four keys the
extracted and gold values are compared as sets with whitespace removed; attribute exact match is the
share of equal (clause, key) pairs among the pairs where either side is non-empty (pairs empty on both
sides are counted apart). Type accuracy is the share of clauses whose type equals the gold type.

    govqa eval clauses [--labeller rules|llm|combined ...] [--json]
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govqa.core.types import Document
from govqa.policy.clauses import clauses_of_document
from govqa.policy.export import PUBLIC_KEYS
from govqa.policy.labeller import ClauseLabeller
from govqa.policy.types import Clause, ClauseLabel
from ingest.chunking import StructureChunker
from ingest.loaders import load_path, record_document

_SPACE = re.compile(r"\s+")
DEFAULT_SET = Path(__file__).resolve().parent / "data" / "clause_types.jsonl"
# The real-world corpus beside the project (development machines only; absent in a fresh clone).
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "realworld" / "corpus.jsonl"


@dataclass(frozen=True, slots=True)
class GoldClause:
    """One labelled clause: where it is, its gold type and attributes, and its split (dev or test)."""

    doc_id: str
    article: str
    snippet: str
    type: str
    attributes: Mapping[str, Sequence[str]]
    split: str


def read_gold(path: Path) -> list[GoldClause]:
    """The labelled set, one JSON object a line ({doc_id, article, snippet, type, attributes, split})."""
    out: list[GoldClause] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        out.append(
            GoldClause(
                str(row["doc_id"]),
                str(row["article"]),
                str(row.get("snippet", "")),
                str(row["type"]),
                {k: list(v) for k, v in (row.get("attributes") or {}).items()},
                str(row.get("split", "dev")),
            )
        )
    return out


def documents(ids: set[str], sources: Iterable[Path], corpus: Path | None) -> dict[str, Document]:
    """The documents `ids` names, loaded from policy files under `sources` and, for the ids not found
    there, from the records of a JSONL `corpus` (the real-world law collection)."""
    found: dict[str, Document] = {}
    for root in sources:
        for path in sorted(root.rglob("*.md")) if root.is_dir() else [root]:
            if path.stem in ids:
                for loaded in load_path(path, "policies"):
                    doc = getattr(loaded, "document", None)
                    if doc is not None and doc.id in ids:
                        found[doc.id] = doc
    missing = ids - found.keys()
    if missing and corpus is not None and corpus.is_file():
        with corpus.open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                if str(row.get("id")) in missing:
                    found[str(row["id"])] = record_document(row, str(corpus), "law", True).document
    return found


def _norm(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v for v in (_SPACE.sub("", x) for x in values) if v)


def locate(gold: Sequence[GoldClause], docs: Mapping[str, Document]) -> list[tuple[GoldClause, Clause | None]]:
    """Each gold clause with the clause of its document and article (None when it cannot be found)."""
    chunker = StructureChunker()
    by_doc: dict[str, list[Clause]] = {doc_id: clauses_of_document(doc, chunker) for doc_id, doc in docs.items()}
    out: list[tuple[GoldClause, Clause | None]] = []
    for g in gold:
        candidates = [c for c in by_doc.get(g.doc_id, []) if c.article == g.article]
        snippet = _SPACE.sub("", g.snippet)[:20]
        # An article label can repeat (appendices); the snippet says which one.
        pick = next((c for c in candidates if snippet and snippet in _SPACE.sub("", c.text)), None)
        out.append((g, pick or (candidates[0] if candidates else None)))
    return out


@dataclass(slots=True)
class _Tally:
    clauses: int = 0
    correct: int = 0
    pairs: int = 0
    equal: int = 0
    both_empty: int = 0
    seconds: float = 0.0
    by_llm: int = 0

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
    located: Sequence[tuple[GoldClause, Clause | None]],
    labeller: ClauseLabeller,
    on_mistake: Callable[[GoldClause, ClauseLabel], None] | None = None,
) -> dict[str, dict[str, Any]]:
    """Per split: type accuracy, attribute exact match (per key too) and the confusion by gold type."""
    tallies: dict[str, _Tally] = {}
    keys: dict[str, dict[str, list[int]]] = {}
    confusion: dict[str, Counter[tuple[str, str]]] = {}
    for gold, clause in located:
        if clause is None:
            continue
        tally = tallies.setdefault(gold.split, _Tally())
        per_key = keys.setdefault(gold.split, {k: [0, 0] for k in PUBLIC_KEYS})
        t0 = time.perf_counter()
        label = labeller.label(clause)
        tally.seconds += time.perf_counter() - t0
        tally.clauses += 1
        tally.by_llm += label.source == "llm"
        tally.correct += label.type == gold.type
        confusion.setdefault(gold.split, Counter())[(gold.type, label.type)] += 1
        wrong = label.type != gold.type
        for key in PUBLIC_KEYS:
            want, got = _norm(gold.attributes.get(key, ())), _norm(getattr(label.attributes, key))
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


def mistakes(
    located: Sequence[tuple[GoldClause, Clause | None]], labeller: ClauseLabeller, split: str
) -> Iterator[str]:
    """Lines describing each clause of `split` the labeller gets wrong (for tuning on dev only)."""
    rows: list[str] = []

    def note(gold: GoldClause, label: ClauseLabel) -> None:
        if gold.split != split:
            return
        got = {k: list(getattr(label.attributes, k)) for k in PUBLIC_KEYS if getattr(label.attributes, k)}
        want = {k: list(v) for k, v in gold.attributes.items() if v}
        rows.append(
            f"{gold.doc_id} {gold.article} gold={gold.type} got={label.type}\n  want={want}\n  got ={got}\n"
            f"  {label.clause.text[:160]!r}"
        )

    evaluate([(g, c) for g, c in located if g.split == split], labeller, note)
    yield from rows
