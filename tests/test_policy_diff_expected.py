"""The comparison of the sample's repealed policy and its successor against the diff written by hand.

The documents are ingested for real (loader, chunker, catalog) with the hashing embedder, since
the comparison reads clauses from the catalog and needs no vectors.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from govqa.bootstrap import SAMPLE_CORPUS, Container
from govqa.policy.compare import PolicyDiff
from govqa.policy.diff import body_offset
from ingest.pipeline import IngestOptions
from tests.conftest import fake_container

EXPECTED = Path(__file__).resolve().parents[1] / "eval" / "data" / "policy_diff_jlzf-2019-07_jlzf-2024-08.json"


@pytest.fixture(scope="module")
def policies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    c = fake_container(tmp_path_factory.mktemp("policy-diff"))
    paths = [SAMPLE_CORPUS / "policies" / f"{name}.md" for name in ("jlzf-2019-07", "jlzf-2024-08")]
    report = c.ingest_pipeline().run(paths, IngestOptions())
    assert not report.failed, report.failed
    yield c
    c.close()


def expected() -> dict[str, object]:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def rows(result: PolicyDiff) -> list[tuple[str | None, str | None, str]]:
    return [(p.old.article if p.old else None, p.new.article if p.new else None, p.status) for p in result.pairs]


def test_every_clause_pair_and_status_matches_the_hand_written_diff(policies: Container) -> None:
    result = policies.policy_comparer.diff("jlzf-2019-07", "jlzf-2024-08")
    want = [(p["old"], p["new"], p["status"]) for p in expected()["pairs"]]  # type: ignore[attr-defined]
    got = rows(result)
    missing = [w for w in want if w not in got]
    extra = [g for g in got if g not in want]
    assert not missing and not extra, f"missing {missing}; not expected {extra}"
    assert got == want  # and in reading order
    changed = {w[:2] for w in want if w[2] == "changed"}
    assert changed == {
        (p.old.article, p.new.article) for p in result.pairs if p.status == "changed" and p.old and p.new
    }


def test_one_argument_compares_a_document_with_its_successor_or_predecessor(policies: Container) -> None:
    forward = policies.policy_comparer.diff("jlzf-2019-07")
    backward = policies.policy_comparer.diff("jlzf-2024-08")
    by_number = policies.policy_comparer.diff("江政发〔2019〕7号", "江政发[2024]8号")
    assert (forward.old.id, forward.new.id) == ("jlzf-2019-07", "jlzf-2024-08")
    assert rows(backward) == rows(forward) == rows(by_number)


def test_changed_clauses_carry_edits_that_rebuild_the_new_text(policies: Container) -> None:
    result = policies.policy_comparer.diff("jlzf-2019-07")
    for p in result.pairs:
        if p.status != "changed":
            continue
        assert p.old is not None and p.new is not None and p.edits
        at = body_offset(p.old.text)
        rebuilt: list[str] = []
        for e in p.edits:
            assert p.old.text[e.old_start : e.old_end] == e.old_text
            rebuilt += [p.old.text[at : e.old_start], e.new_text]
            at = e.old_end
        rebuilt.append(p.old.text[at:])
        # the old body with every edit applied is the new body (article numbers are not compared)
        assert "".join(rebuilt) == p.new.text[body_offset(p.new.text) :]


def test_the_amounts_and_periods_that_moved_match_the_hand_written_diff(policies: Container) -> None:
    result = policies.policy_comparer.diff("jlzf-2019-07", "jlzf-2024-08")
    got = {
        (p.old.article if p.old else None, p.new.article if p.new else None): sorted(
            (f.kind, f.old, f.new) for f in p.figures
        )
        for p in result.pairs
    }
    for pair in expected()["pairs"]:  # type: ignore[attr-defined]
        want = sorted((f["kind"], f["old"], f["new"]) for f in pair["figures"])
        assert got[(pair["old"], pair["new"])] == want, (pair["old"], pair["new"])


def test_every_policy_command_reads_a_document_reference_the_same_way(policies: Container) -> None:
    """One resolver for labels and diff: an id or a 文号 names one document; a title or title
    fragment both versions share is ambiguous; nothing matching is not found."""
    from govqa.core.errors import InvalidInputError, NotFoundError
    from govqa.policy.compare import resolve_document

    view = policies.snapshot()
    for ref in ("jlzf-2024-08", "江政发〔2024〕8号", " 江政发〔2024〕8号 "):
        assert resolve_document(view, ref).id == "jlzf-2024-08"
        assert policies.policy.document(ref).id == "jlzf-2024-08"
    for shared in ("《江临市住房公积金提取管理办法》", "公积金提取管理"):  # title, fragment of both
        with pytest.raises(InvalidInputError, match="jlzf-2019-07"):
            resolve_document(view, shared)
    with pytest.raises(NotFoundError):
        resolve_document(view, "没有这份文件")
