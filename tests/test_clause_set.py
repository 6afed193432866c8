"""The labelled clause set: well formed, every entry resolves to one clause, every attribute verbatim."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from eval.clause_set import (
    LABELLED_FIELDS,
    LabelledClause,
    body,
    documents_for,
    load_clause_set,
    realworld_documents,
    resolve,
    sample_documents,
)
from govqa.policy.types import CLAUSE_TYPES, Clause
from tests.conftest import realworld

MIN_ENTRIES = 240
MIN_PER_TYPE = 8
MIN_TRAIN = 150
SNIPPET_CHARS = 16
# Chinese kept here: the clause types whose clauses may name a beneficiary (eval/data/README.md).
BENEFICIARY_TYPES = {"适用范围", "申报条件", "支持措施", "申报程序", "申请材料", "时限"}
_WS = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _WS.sub("", text)


@pytest.fixture(scope="module")
def entries() -> list[LabelledClause]:
    return load_clause_set()


def test_entries_are_well_formed(entries: list[LabelledClause]) -> None:
    ids = [e.id for e in entries]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    assert all(re.fullmatch(r"ct-\d{3,}", i) for i in ids)
    places = Counter((e.doc_id, e.article) for e in entries)
    assert not [p for p, n in places.items() if n > 1], "an article is labelled twice"
    for e in entries:
        assert e.type in CLAUSE_TYPES, e.id
        assert e.split in {"train", "dev", "test"}, e.id
        assert e.source in {"sample", "realworld"}, e.id
        for field in LABELLED_FIELDS:
            values = getattr(e.attributes, field)
            assert all(v.strip() for v in values), (e.id, field)
            assert len(values) == len(set(values)), (e.id, field, values)
        if e.type not in BENEFICIARY_TYPES:
            assert not e.attributes.beneficiary, f"{e.id}: a {e.type} clause has no beneficiary"


def test_size_types_and_splits(entries: list[LabelledClause]) -> None:
    assert len(entries) >= MIN_ENTRIES
    per_type = Counter(e.type for e in entries)
    assert {t: per_type[t] for t in CLAUSE_TYPES if per_type[t] < MIN_PER_TYPE} == {}
    split_of: dict[str, set[str]] = {}
    for e in entries:
        split_of.setdefault(e.doc_id, set()).add(e.split)
    assert {d: s for d, s in split_of.items() if len(s) > 1} == {}, "a document's clauses share one split"
    sources = {e.source for e in entries}
    for split in ("dev", "test"):
        assert {e.source for e in entries if e.split == split} == sources, f"{split} lacks a source"
    # The measured splits keep their first proportions; train only adds real clauses to develop on.
    measured = [e for e in entries if e.split != "train"]
    dev_share = sum(e.split == "dev" for e in measured) / len(measured)
    assert 0.25 <= dev_share <= 0.42, f"dev holds {dev_share:.0%} of dev and test, about a third expected"
    train = [e for e in entries if e.split == "train"]
    assert len(train) >= MIN_TRAIN, f"train holds {len(train)} clauses"
    assert {e.source for e in train} == {"realworld"}, "train is read from real regulations only"
    assert not {e.doc_id for e in train} & {e.doc_id for e in measured}, "a train document is also measured"


def _check_resolves(selected: list[LabelledClause], clauses: dict[str, Clause]) -> None:
    missing = [e.id for e in selected if e.id not in clauses]
    assert not missing, f"documents not found for {missing[:5]}"
    for e in selected:
        clause = clauses[e.id]
        text = body(clause)
        assert text.startswith(e.snippet), (e.id, e.snippet, text[:30])
        assert len(e.snippet) == min(SNIPPET_CHARS, len(text)), e.id
        squashed = _squash(text)
        for field in LABELLED_FIELDS:
            for value in getattr(e.attributes, field):
                assert _squash(value) in squashed, f"{e.id} {field}: {value!r} is not in {e.doc_id} {e.article}"


def test_sample_entries_resolve_to_their_clause(entries: list[LabelledClause]) -> None:
    selected = [e for e in entries if e.source == "sample"]
    assert selected
    _check_resolves(selected, resolve(selected, sample_documents()))


def test_realworld_entries_resolve_to_their_clause(entries: list[LabelledClause]) -> None:
    selected = [e for e in entries if e.source == "realworld"]
    assert selected
    corpus = realworld("corpus.jsonl")
    assert set(realworld_documents({e.doc_id for e in selected}, corpus)) == {e.doc_id for e in selected}
    _check_resolves(selected, resolve(selected, documents_for(entries, corpus)))
