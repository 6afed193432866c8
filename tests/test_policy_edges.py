"""`govqa policy …` and /api/v1/policy over the real app and models on the sample index."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from typer.testing import CliRunner

from govqa import cli
from govqa.bootstrap import Container
from tests.servers import app_in_thread

DOC = "jljx-2022-15"  # 江临市专精特新中小企业认定管理办法


@pytest.fixture(scope="module")
def live(real_container: Container) -> Iterator[str]:
    with app_in_thread(real_container) as url:
        yield url


@pytest.mark.slow
def test_labels_route_types_every_article_with_verbatim_attributes(live: str) -> None:
    body = httpx.get(f"{live}/api/v1/policy/documents/{DOC}/labels", timeout=600).json()
    clauses = {c["article"]: c for c in body["clauses"]}
    assert len(clauses) == 20 and body["doc_number"]
    assert clauses["第十六条"]["type"] == "支持措施"
    assert clauses["第十六条"]["attributes"]["amount"] == ["30万元", "100万元"]
    assert clauses["第二十条"]["type"] == "施行与废止"
    assert clauses["第二十条"]["attributes"] == {"deadline": ["2022年9月1日", "2027年8月31日"]}
    assert clauses["第十九条"]["attributes"] == {"department": ["市经信局"]}


@pytest.mark.slow
def test_clauses_route_finds_support_for_a_beneficiary_in_force_and_rejects_bad_input(live: str) -> None:
    url = f"{live}/api/v1/policy/clauses"
    found = httpx.get(url, params={"type": "支持措施", "beneficiary": "中小企业"}, timeout=120).json()
    assert {(f["doc_id"], f["article"]) for f in found} >= {(DOC, "第十六条"), (DOC, "第十七条")}
    assert all(f["type"] == "支持措施" and f["title"] and f["chunk_id"] for f in found)
    # The policy expired on 2027-08-31: nothing of it is in force a day later.
    later = httpx.get(url, params={"type": "支持措施", "beneficiary": "中小企业", "on": "2027-09-01"}, timeout=120)
    assert all(f["doc_id"] != DOC for f in later.json())
    bad = httpx.get(url, params={"type": "补贴"}, timeout=30)
    assert bad.status_code == 422 and "支持措施" in bad.json()["detail"]
    assert httpx.get(url, params={"type": "支持措施", "on": "2024-13-01"}, timeout=30).status_code == 422
    assert httpx.get(f"{live}/api/v1/policy/documents/nope/labels", timeout=30).status_code == 404


@pytest.mark.slow
def test_cli_labels_json_and_find(real_container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_container", lambda: real_container)
    runner = CliRunner()
    out = runner.invoke(cli.app, ["policy", "labels", "江临市专精特新中小企业认定管理办法", "--json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert rows[0].keys() == {"article", "type", "attributes"}
    assert all(set(r["attributes"]) <= {"beneficiary", "amount", "deadline", "department"} for r in rows)
    assert next(r for r in rows if r["article"] == "第十七条")["attributes"]["amount"] == ["50%", "50万元"]
    found = runner.invoke(cli.app, ["policy", "find", "--type", "支持措施", "--beneficiary", "中小企业", "--json"])
    assert found.exit_code == 0, found.output
    assert any(f["article"] == "第十六条" and f["doc_number"] for f in json.loads(found.stdout))
    bad = runner.invoke(cli.app, ["policy", "find", "--type", "补贴"])
    assert bad.exit_code == 64
