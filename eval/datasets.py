"""Evaluation dataset formats (JSONL). See eval/data/README.md for the field lists.

The retrieval format accepts ../shared/data/realworld/dev_qa.jsonl as it is: `question`,
`source_ids`, `dataset`, and the gold article in `meta.article`.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
SAMPLE_RETRIEVAL = DATA / "sample_retrieval.jsonl"
SAMPLE_MENTIONS = DATA / "linking_mentions.jsonl"
SAMPLE_DIALOGUES = DATA / "dialogue_cases.jsonl"
SAMPLE_ANSWERS = DATA / "answer_checks.jsonl"
# Checks written from the corpus alone, apart from those the answering rules were developed on.
HELDOUT_ANSWERS = DATA / "answer_checks_heldout.jsonl"
# Checks of the same kind, measured only once the rules were final.
FRESH_ANSWERS = DATA / "answer_checks_fresh.jsonl"
SAMPLE_CLAUSES = DATA / "clause_labels.jsonl"
# Documents carrying injected instructions, about a topic no other set asks about (古树名木): the
# answer checks of kind injection_document read them; they are not in the shipped sample corpus.
INJECTION_CORPUS = DATA / "injection_corpus"


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a JSONL file; a bad line raises ValueError naming the line."""
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{lineno}: invalid JSON ({exc.msg})") from exc


@dataclass(frozen=True, slots=True)
class RetrievalCase:
    """A question with its gold documents and, for clause questions, the gold article label."""

    id: str
    question: str
    gold_docs: tuple[str, ...]
    article: str = ""
    dataset: str = ""


def load_retrieval(
    path: Path, datasets: tuple[str, ...] = (), limit: int | None = None, sample: int | None = None, seed: int = 0
) -> list[RetrievalCase]:
    """Retrieval cases, optionally only some datasets, the first `limit` of each dataset, or a seeded
    random `sample` of each (files are often ordered by topic, so the first N can be unrepresentative)."""
    if sample is not None:
        everything = load_retrieval(path, datasets)
        rng = random.Random(seed)
        keep: set[int] = set()
        for name in sorted({c.dataset for c in everything}):
            idx = [i for i, c in enumerate(everything) if c.dataset == name]
            keep.update(rng.sample(idx, min(sample, len(idx))))
        return [c for i, c in enumerate(everything) if i in keep]
    cases: list[RetrievalCase] = []
    per: dict[str, int] = {}
    for i, row in enumerate(read_jsonl(path)):
        dataset = str(row.get("dataset") or row.get("kind") or "default")
        if datasets and dataset not in datasets:
            continue
        if limit is not None and per.get(dataset, 0) >= limit:
            continue
        per[dataset] = per.get(dataset, 0) + 1
        meta = row.get("meta") or {}
        cases.append(
            RetrievalCase(
                id=str(row.get("id", i)),
                question=str(row["question"]),
                gold_docs=tuple(row.get("source_ids") or ()),
                article=str(row.get("article") or meta.get("article") or ""),
                dataset=dataset,
            )
        )
    return cases


@dataclass(frozen=True, slots=True)
class Mention:
    """A colloquial mention and the item codes it means."""

    mention: str
    item_codes: tuple[str, ...]


def load_mentions(path: Path = SAMPLE_MENTIONS) -> list[Mention]:
    """Entity-linking mentions."""
    return [Mention(str(r["mention"]), tuple(r["item_codes"])) for r in read_jsonl(path)]


@dataclass(frozen=True, slots=True)
class DialogueTurn:
    """One scripted user turn with what the service should do.

    An answer turn may name the `item` it must be locked on, or `docs` of which it must cite at
    least one (`all_docs`: the ideal answer cites every one, as for duplicated entries)."""

    user: str
    expect: str  # "ask" | "answer"
    slot: str = ""
    item: str = ""
    docs: tuple[str, ...] = ()
    all_docs: bool = False

    @property
    def has_gold(self) -> bool:
        """Whether the turn says what a right answer is locked on or cites."""
        return bool(self.item or self.docs)


@dataclass(frozen=True, slots=True)
class DialogueCase:
    """A scripted conversation; `kind` groups the results (vague, stated, followup, region …)."""

    id: str
    turns: tuple[DialogueTurn, ...]
    kind: str = ""


def load_dialogues(path: Path = SAMPLE_DIALOGUES) -> list[DialogueCase]:
    """Dialogue scripts (format in eval/data/README.md)."""
    return [
        DialogueCase(
            str(r["id"]),
            tuple(
                DialogueTurn(
                    str(t["user"]),
                    str(t["expect"]),
                    str(t.get("slot", "")),
                    str(t.get("item", "")),
                    tuple(str(d) for d in t.get("docs", ())),
                    bool(t.get("all_docs", False)),
                )
                for t in r["turns"]
            ),
            str(r.get("kind", "")),
        )
        for r in read_jsonl(path)
    ]


@dataclass(frozen=True, slots=True)
class AnswerCheck:
    """A question with the key facts a correct answer states, or an expected refusal."""

    id: str
    question: str
    key_facts: tuple[str, ...]
    source_ids: tuple[str, ...]
    expect_refusal: bool
    kind: str = "fact"
    forbidden: tuple[str, ...] = ()  # substrings a reply must never contain (an injected payload)
    setup: tuple[str, ...] = ()  # earlier turns of the same session, sent first


def load_answer_checks(path: Path = SAMPLE_ANSWERS) -> list[AnswerCheck]:
    """Answer checks."""
    return [
        AnswerCheck(
            str(r["id"]),
            str(r["question"]),
            tuple(r.get("key_facts") or ()),
            tuple(r.get("source_ids") or ()),
            bool(r.get("expect_refusal")),
            str(r.get("kind") or ("absent" if r.get("expect_refusal") else "fact")),
            tuple(r.get("forbidden") or ()),
            tuple(r.get("setup") or ()),
        )
        for r in read_jsonl(path)
    ]


@dataclass(frozen=True, slots=True)
class ClauseLabel:
    """A document's article and words its text starts with (the chunk labelled so must hold them)."""

    doc_id: str
    article: str
    snippet: str


def load_clause_labels(path: Path = SAMPLE_CLAUSES) -> list[ClauseLabel]:
    """Clause labels; also accepts dev_qa.jsonl law-recitation rows (gold law, meta.article, answer)."""
    out = []
    for r in read_jsonl(path):
        if "doc_id" in r:
            out.append(ClauseLabel(str(r["doc_id"]), str(r["article"]), str(r["snippet"])))
        elif (r.get("meta") or {}).get("article") and r.get("source_ids"):
            first = str(r.get("answer", "")).split(",")[0]
            out.append(ClauseLabel(str(r["source_ids"][0]), str(r["meta"]["article"]), first[:16]))
    return out
