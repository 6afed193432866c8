"""The policy comparison API over real HTTP against the real app (index built with the hashing embedder:
comparison reads the catalog and needs no vectors)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from govqa.bootstrap import SAMPLE_CORPUS
from ingest.pipeline import IngestOptions
from tests.conftest import fake_container
from tests.servers import app_in_thread

POLICIES = ("jlzf-2019-07", "jlzf-2024-08", "jljx-2022-15")


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    c = fake_container(tmp_path_factory.mktemp("policy-api"))
    report = c.ingest_pipeline().run([SAMPLE_CORPUS / "policies" / f"{p}.md" for p in POLICIES], IngestOptions())
    assert not report.failed, report.failed
    with app_in_thread(c) as base:
        yield base


def test_diff_of_two_versions_names_both_and_lists_the_pairs(url: str) -> None:
    r = httpx.get(url + "/api/v1/policy/diff", params={"old": "jlzf-2019-07", "new": "jlzf-2024-08"}, timeout=30)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["old"]["id"], body["new"]["id"]) == ("jlzf-2019-07", "jlzf-2024-08")
    assert body["old"]["repealed_on"] == "2024-07-01" and body["old"]["superseded_by"] == "jlzf-2024-08"
    assert body["counts"] == {"unchanged": 3, "changed": 15, "added": 9, "removed": 2}
    rent = next(p for p in body["pairs"] if p["old"] and p["old"]["article"] == "第七条")
    assert rent["status"] == "changed" and rent["new"]["article"] == "第八条"
    for e in rent["edits"]:
        assert rent["new"]["text"][e["new_start"] : e["new_end"]] == e["new_text"]
        assert rent["old"]["text"][e["old_start"] : e["old_end"]] == e["old_text"]


def test_one_document_is_compared_with_its_successor(url: str) -> None:
    r = httpx.get(url + "/api/v1/policy/diff", params={"old": "江政发〔2019〕7号"}, timeout=30)
    assert r.status_code == 200, r.text
    assert r.json()["new"]["id"] == "jlzf-2024-08"


@pytest.mark.parametrize(
    ("params", "status", "words"),
    [
        ({"old": "no-such-policy"}, 404, "no-such-policy"),
        ({"old": "江临市住房公积金提取管理办法"}, 422, "jlzf-2019-07"),  # both versions share the title
        ({"old": "jljx-2022-15"}, 422, "successor"),  # no other version recorded
        ({}, 422, "old"),
    ],
)
def test_bad_references_are_4xx_saying_why(url: str, params: dict[str, str], status: int, words: str) -> None:
    r = httpx.get(url + "/api/v1/policy/diff", params=params, timeout=30)
    assert r.status_code == status, r.text
    assert words in r.json()["detail"]
