"""The labelled clause set (eval/data/clause_types.jsonl): clause types and attributes read by hand.

Each entry names a document and an article (第八条). `resolve` finds the article's text the way
GovQA sees it: the document is loaded with GovQA's own loaders, cut with the default chunker, and
the consecutive chunks whose section label ends with that article are joined (a long article may
be several chunks). Sample documents come from the repository; real ones from
../shared/data/realworld/corpus.jsonl, and their entries are skipped when that file is absent.
The labelling rules are in eval/data/README.md ("clause_types.jsonl").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import govqa
from govqa.core.types import Chunk, Document, LoadedDocument
from govqa.policy.clauses import section_headings, titles_at
from govqa.policy.types import CLAUSE_TYPES, Clause, ClauseAttributes, ClauseType
from ingest.chunking import StructureChunker
from ingest.loaders import load_path, record_document

DATA = Path(__file__).resolve().parent / "data"
CLAUSE_SET = DATA / "clause_types.jsonl"
SAMPLE_POLICIES = Path(govqa.__file__).resolve().parent / "sample_corpus" / "policies"
REALWORLD_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "realworld" / "corpus.jsonl"
# The four attribute fields the set labels (`cap` and `cites` are extracted but not labelled).
LABELLED_FIELDS = ("beneficiary", "amount", "deadline", "department")

Source = Literal["sample", "realworld"]
Split = Literal["train", "dev", "test"]
SPLITS: tuple[Split, ...] = ("train", "dev", "test")


@dataclass(frozen=True, slots=True)
class LabelledClause:
    """One gold entry: where the clause is, the words its body starts with, its type and attributes."""

    id: str
    doc_id: str
    article: str
    source: Source
    snippet: str
    type: ClauseType
    attributes: ClauseAttributes
    split: Split


def _choice(value: Any, allowed: tuple[str, ...], what: str, where: str) -> Any:
    if value not in allowed:
        raise ValueError(f"{where}: {what} {value!r} is not one of {', '.join(allowed)}")
    return value


def _entry(row: Mapping[str, Any], where: str) -> LabelledClause:
    attrs = row.get("attributes") or {}
    unknown = set(attrs) - set(LABELLED_FIELDS)
    if unknown:
        raise ValueError(f"{where}: unknown attribute fields {sorted(unknown)}; use {', '.join(LABELLED_FIELDS)}")
    return LabelledClause(
        id=str(row["id"]),
        doc_id=str(row["doc_id"]),
        article=str(row["article"]),
        source=_choice(row.get("source"), ("sample", "realworld"), "source", where),
        snippet=str(row["snippet"]),
        type=_choice(row.get("type"), CLAUSE_TYPES, "type", where),
        attributes=ClauseAttributes(**{k: tuple(str(v) for v in attrs.get(k, ())) for k in LABELLED_FIELDS}),
        split=_choice(row.get("split"), SPLITS, "split", where),
    )


def load_clause_set(path: Path = CLAUSE_SET) -> list[LabelledClause]:
    """The entries of a clause-set file in file order; ValueError names the line of a bad entry."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if line.strip():
                try:
                    out.append(_entry(json.loads(line), f"{path}:{lineno}"))
                except (json.JSONDecodeError, KeyError) as exc:
                    raise ValueError(f"{path}:{lineno}: bad entry ({exc})") from exc
    return out


def sample_documents(folder: Path = SAMPLE_POLICIES) -> dict[str, Document]:
    """The sample policies loaded as GovQA ingests them, by document id (the file stem)."""
    docs: dict[str, Document] = {}
    for path in sorted(folder.glob("*.md")):
        for loaded in load_path(path, "policies"):
            if isinstance(loaded, LoadedDocument):
                docs[loaded.document.id] = loaded.document
    return docs


def realworld_documents(doc_ids: Iterable[str], corpus: Path = REALWORLD_CORPUS) -> dict[str, Document]:
    """The corpus records with these ids as Documents; empty when the corpus file is absent."""
    wanted = set(doc_ids)
    docs: dict[str, Document] = {}
    if not wanted or not corpus.is_file():
        return docs
    with corpus.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            record = json.loads(line)
            if record.get("id") in wanted:
                loaded = record_document(record, f"{corpus}:{lineno}", "law", index_titles=True)
                docs[loaded.document.id] = loaded.document
    return docs


def documents_for(entries: Iterable[LabelledClause], corpus: Path = REALWORLD_CORPUS) -> dict[str, Document]:
    """The documents the entries name: the sample policies, and the real ones when `corpus` exists."""
    docs = sample_documents()
    docs.update(realworld_documents({e.doc_id for e in entries if e.source == "realworld"}, corpus))
    return docs


def article_clauses(doc: Document, article: str) -> list[Clause]:
    """Each article of `doc` labelled `article`, its chunks joined; normally exactly one.

    A chunk that starts with the label opens an article; the chunks after it that carry the same
    label continue it (a long article is cut into several). 第十条之一 is labelled 第十条 by the
    chunker, so a document with both gives two clauses here.
    """
    runs: list[list[Chunk]] = []
    previous = ""
    for chunk in StructureChunker().chunk(doc):
        label = chunk.section[-1] if chunk.section else ""
        if label == article:
            if previous == article and not chunk.text.startswith(article):
                runs[-1].append(chunk)
            else:
                runs.append([chunk])
        previous = label
    headings = section_headings(doc.text)
    return [
        Clause(
            doc_id=doc.id,
            article=article,
            text="\n".join(c.text for c in run),
            chunk_id=run[0].id,
            section=run[0].section,
            headings=titles_at(headings, run[0].section, run[0].start),
        )
        for run in runs
    ]


def resolve(entries: Iterable[LabelledClause], documents: Mapping[str, Document]) -> dict[str, Clause]:
    """Each entry's clause by entry id; entries whose document is not in `documents` are left out.

    ValueError when a present document has no article of that label, or more than one.
    """
    clauses: dict[str, Clause] = {}
    for entry in entries:
        doc = documents.get(entry.doc_id)
        if doc is None:
            continue
        found = article_clauses(doc, entry.article)
        if len(found) != 1:
            raise ValueError(f"{entry.id}: {entry.doc_id} has {len(found)} articles labelled {entry.article}")
        clauses[entry.id] = found[0]
    return clauses


def body(clause: Clause) -> str:
    """The clause text after its 第X条 label and the space that follows it (what `snippet` starts)."""
    return clause.text.removeprefix(clause.article).lstrip()
