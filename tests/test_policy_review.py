"""Draft review on the real index of the sample corpus (real embedder, Qdrant, BM25) and over real HTTP.

The draft eval/data/policy_review_draft.md plants copies, changed figures, contradictions and new
clauses; eval/data/policy_review_expected.json says, written by hand, which flags a reviewer
should raise. Every planted flag must be found with its evidence, and at most one false flag per
10 draft clauses may be raised.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from eval.policy_review import SAMPLE_DRAFT, SAMPLE_EXPECTED, load_expected, score
from govqa.bootstrap import Container
from govqa.policy.review import DraftReview
from tests.servers import app_in_thread

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def review(real_container: Container) -> DraftReview:
    return real_container.draft_reviewer.review(real_container.draft_text(SAMPLE_DRAFT))


def test_every_planted_overlap_and_conflict_is_found_with_few_false_flags(review: DraftReview) -> None:
    s = score(review, load_expected())
    # the figures, in the test output (pytest -s) and in `govqa eval review`
    print(f"\ndraft review: {s.summary()}")  # noqa: T201
    assert s.clauses >= 12
    assert not s.missed, f"planted flags not found: {s.missed}"
    assert not s.wrong_evidence, f"conflicts found without the planted values: {s.wrong_evidence}"
    assert s.false_per_10_clauses <= 1.0, f"false flags: {s.false_flags}"
    # nothing repealed or expired is cited
    cited = {m.existing.document.id for c in review.clauses for m in c.matches}
    assert not cited & {"jlzf-2019-07", "jlzb-2021-30"}


def test_each_match_cites_title_number_and_article(review: DraftReview) -> None:
    rent = next(c for c in review.clauses if c.clause.article == "第四条")
    conflict = next(m for m in rent.flags if m.flag == "conflict")
    assert conflict.citation == "《江临市住房公积金提取管理办法》（江政发〔2024〕8号）第八条"
    assert [(d.old, d.new) for d in conflict.differences if d.old and d.new] == [
        ("18000元", "20000元"),
        ("24000元", "30000元"),
    ]


@pytest.fixture(scope="module")
def url(real_container: Container) -> Iterator[str]:
    with app_in_thread(real_container) as base:
        yield base


def test_review_api_flags_a_pasted_draft(url: str) -> None:
    text = "第一条　失业保险金按月发放，标准为本市月最低工资标准的80%。\n第二条　本措施自2025年1月1日起施行。\n"
    r = httpx.post(url + "/api/v1/policy/review", json={"text": text}, timeout=120)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["clauses"], body["conflicts"], body["overlaps"]) == (2, 1, 0)
    first = body["reviews"][0]
    assert first["flags"] == ["conflict"]
    match = next(m for m in first["matches"] if m["flag"] == "conflict")
    assert match["citation"].endswith("（江政发〔2023〕6号）第十条")
    assert {"kind": "amount", "old": "90%", "new": "80%"} in match["differences"]


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"text": "   "}, 422, "empty"),
        ({}, 422, "text"),
        ({"text": "第一条　" + "很长的草案。" * 6000}, 413, "limit"),
    ],
)
def test_review_api_rejects_empty_and_oversized_drafts(url: str, body: dict[str, str], status: int, words: str) -> None:
    r = httpx.post(url + "/api/v1/policy/review", json=body, timeout=60)
    assert r.status_code == status, r.text
    assert words in r.json()["detail"]


def test_cli_diff_and_review_print_json(
    real_container: Container, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import json

    from typer.testing import CliRunner

    import govqa.cli as cli

    monkeypatch.setattr(cli, "_container", lambda: real_container)
    runner = CliRunner()
    diff = runner.invoke(cli.app, ["policy", "diff", "jlzf-2019-07", "--json"])
    assert diff.exit_code == 0, diff.output
    body = json.loads(diff.output)
    assert body["new"]["id"] == "jlzf-2024-08" and body["counts"]["changed"] == 15
    rent = next(p for p in body["pairs"] if p["new"] and p["new"]["article"] == "第八条")
    assert {"kind": "amount", "old": "12000元", "new": "18000元"} in rent["figures"]
    draft = tmp_path / "draft.md"
    draft.write_text(
        "第一条　失业保险金按月发放，标准为本市月最低工资标准的80%。\n\n第二条　本措施自印发之日起施行。\n"
    )
    review = runner.invoke(cli.app, ["policy", "review", str(draft), "--json"])
    assert review.exit_code == 0, review.output
    assert (json.loads(review.output)["clauses"], json.loads(review.output)["conflicts"]) == (2, 1)
    refused = runner.invoke(cli.app, ["policy", "review", str(SAMPLE_EXPECTED)])  # a .json file
    assert refused.exit_code == 64
    bad = runner.invoke(cli.app, ["policy", "diff", "no-such-policy"])
    assert bad.exit_code == 64
