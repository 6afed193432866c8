"""The topic brief over the sample corpus's policies: service, CLI and real HTTP against the app
(index built with the hashing embedder: the brief reads the catalog and needs no vectors)."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator

import httpx
import pytest
from typer.testing import CliRunner

from govqa import cli
from govqa.bootstrap import SAMPLE_CORPUS, Container
from govqa.browse.service import in_force_on
from govqa.policy.brief import verified
from govqa.policy.brief_types import BriefSentence, TopicBrief
from govqa.policy.clauses import clauses_from_chunks
from govqa.policy.types import Clause
from ingest.pipeline import IngestOptions
from tests.conftest import fake_container
from tests.servers import app_in_thread

DAY = dt.date(2025, 6, 1)  # jljx-2022-15 in force, jlzb-2021-30 expired, jlzf-2019-07 repealed


@pytest.fixture(scope="module")
def policies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    c = fake_container(tmp_path_factory.mktemp("policy-brief") / "data")
    assert not c.ingest_pipeline().run(sorted((SAMPLE_CORPUS / "policies").glob("*.md")), IngestOptions()).failed
    yield c
    c.close()


@pytest.fixture(scope="module")
def url(policies: Container) -> Iterator[str]:
    with app_in_thread(policies) as base:
        yield base


def _clauses(c: Container, doc_id: str) -> dict[str, Clause]:
    snap = c.snapshot()
    doc = snap.documents[doc_id]
    return {cl.article: cl for cl in clauses_from_chunks(doc_id, snap.catalog.chunks_of(doc_id), doc.text)}


def _quoted(brief: TopicBrief) -> list[tuple[str, BriefSentence]]:
    return [(p.document.id, s) for p in brief.policies for sec in p.sections for s in sec.sentences]


def test_a_covered_topic_quotes_only_policies_in_force_each_sentence_verbatim(policies: Container) -> None:
    started = time.perf_counter()
    brief = policies.policy.brief("专精特新", DAY)
    assert time.perf_counter() - started < 5  # well under a second once warm; generous for a shared machine
    assert [p.document.id for p in brief.policies] == ["jljx-2022-15"]
    snap = policies.snapshot()
    assert all(in_force_on(snap.documents[d], DAY) for d, _ in _quoted(brief))
    clauses = _clauses(policies, "jljx-2022-15")
    for _, s in _quoted(brief):
        text = clauses[s.article].text
        assert s.text in text and text[s.start : s.start + len(s.text)] == s.text
    assert brief.dropped == 0 and brief.sentence_count == len(_quoted(brief))
    sections = {sec.key: sec for sec in brief.policies[0].sections}
    assert set(sections) == {"conditions", "support", "procedure", "departments"}
    support = " ".join(s.text for s in sections["support"].sentences)
    for amount in ("30万元", "100万元", "50万元"):
        assert amount in support
    assert "30万元" in sections["support"].sentences[0].figures
    assert {s.article for s in sections["support"].sentences} >= {"第十六条", "第十七条"}
    assert any("15个工作日" in s.text or "3年" in s.text for s in sections["procedure"].sentences)
    assert any("市经信局" in s.text for s in sections["departments"].sentences)
    citation = brief.policies[0].citation(sections["support"].sentences[0])
    assert citation == "《江临市专精特新中小企业认定管理办法》（江经信发〔2022〕15号）第十六条"
    texts = [s.text for _, s in _quoted(brief)]
    assert len(texts) == len(set(texts))  # nothing quoted twice
    assert "现行有效的政策文件1份" in brief.message


def test_repealed_and_expired_documents_are_listed_apart_never_quoted(policies: Container) -> None:
    brief = policies.policy.brief("住房公积金提取", DAY)
    quoted = {d for d, _ in _quoted(brief)}
    assert "jlzf-2024-08" in quoted and "jlzf-2019-07" not in quoted
    assert [(a.document.id, a.standing) for a in brief.set_aside] == [("jlzf-2019-07", "repealed")]
    assert brief.policies[0].document.id == "jlzf-2024-08"  # the title holds the whole topic
    assert any("18000元" in s.text for _, s in _quoted(brief))
    # The day decides: in 2022 the 2019 measures are in force and their successor is not yet.
    before = policies.policy.brief("住房公积金提取", dt.date(2022, 1, 1))
    assert "jlzf-2019-07" in {d for d, _ in _quoted(before)}
    assert ("jlzf-2024-08", "not_yet_effective") in [(a.document.id, a.standing) for a in before.set_aside]
    # Two rules in force that day give the decision different time limits: both are quoted.
    limits = {d: s.text for d, s in _quoted(before) if "作出准予提取或者不准提取的决定" in s.text}
    assert "5个工作日" in limits["jlzf-2019-07"] and "3个工作日" in limits["jlzf-2021-12"]
    expired = policies.policy.brief("高校毕业生", DAY)
    assert not expired.policies and [(a.document.id, a.standing) for a in expired.set_aside] == [
        ("jlzb-2021-30", "expired")
    ]


def test_a_topic_the_corpus_does_not_cover_is_an_empty_brief_with_a_message(policies: Container) -> None:
    brief = policies.policy.brief("新能源汽车", DAY)
    assert not brief.policies and not brief.set_aside and brief.sentence_count == 0
    assert "没有找到关于“新能源汽车”的条款" in brief.message


def test_words_asking_for_support_narrow_the_brief_to_support_measures(policies: Container) -> None:
    brief = policies.policy.brief("对专精特新企业的资金支持", DAY)
    assert [p.document.id for p in brief.policies] == ["jljx-2022-15"]
    assert [sec.key for sec in brief.policies[0].sections] == ["support"]
    assert "30万元" in " ".join(s.text for _, s in _quoted(brief))


def test_a_sentence_not_at_its_offset_fails_verification() -> None:
    clause = Clause("d", "第一条", "第一条　对首次认定的企业给予奖励30万元。")
    good = BriefSentence("对首次认定的企业给予奖励30万元。", "第一条", "", "支持措施", 4)
    assert verified(good, clause, ())
    assert not verified(BriefSentence(good.text, "第一条", "", "支持措施", 0), clause, ())
    assert not verified(BriefSentence("对首次认定的企业给予奖励50万元。", "第一条", "", "支持措施", 4), clause, ())


def test_brief_route_over_http(url: str) -> None:
    r = httpx.get(url + "/api/v1/policy/brief", params={"topic": "专精特新", "on": "2025-06-01"}, timeout=30)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["day"] == "2025-06-01" and body["dropped"] == 0 and body["sentence_count"] > 0
    (policy,) = body["policies"]
    assert policy["doc_number"] == "江经信发〔2022〕15号"
    support = next(s for s in policy["sections"] if s["key"] == "support")
    assert support["heading"] == "支持措施"
    first = support["sentences"][0]
    assert first["citation"].endswith("第十六条") and "江经信发〔2022〕15号" in first["citation"]
    assert "30万元" in first["figures"]
    none = httpx.get(url + "/api/v1/policy/brief", params={"topic": "新能源汽车"}, timeout=30)
    assert none.status_code == 200 and none.json()["policies"] == [] and "没有找到" in none.json()["message"]
    aside = httpx.get(url + "/api/v1/policy/brief", params={"topic": "高校毕业生", "on": "2025-06-01"}, timeout=30)
    assert [(a["doc_id"], a["label"]) for a in aside.json()["set_aside"]] == [("jlzb-2021-30", "已失效")]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({}, "topic"),
        ({"topic": "   "}, "主题词"),
        ({"topic": "，。！"}, "主题词"),
        ({"topic": "%_"}, "主题词"),
        ({"topic": "专精特新" * 13}, "过长"),
        ({"topic": "专精特新", "on": "2025-13-01"}, "YYYY-MM-DD"),
    ],
)
def test_bad_input_is_a_422_saying_why(url: str, params: dict[str, str], words: str) -> None:
    r = httpx.get(url + "/api/v1/policy/brief", params=params, timeout=30)
    assert r.status_code == 422, r.text
    assert words in r.json()["detail"]


def test_cli_brief_text_and_json(policies: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_container", lambda: policies)
    runner = CliRunner()
    text = runner.invoke(cli.app, ["policy", "brief", "专精特新", "--date", "2025-06-01"])
    assert text.exit_code == 0, text.output
    assert "支持措施" in text.output and "第十六条" in text.output and "30万元" in text.output
    as_json = runner.invoke(cli.app, ["policy", "brief", "高校毕业生", "--date", "2025-06-01", "--json"])
    assert as_json.exit_code == 0, as_json.output
    body = json.loads(as_json.output)
    assert body["policies"] == [] and body["set_aside"][0]["standing"] == "expired"
    bad = runner.invoke(cli.app, ["policy", "brief", " "])
    assert bad.exit_code == 64


@pytest.mark.browser
def test_workbench_brief_by_keyboard_cites_and_opens_the_article(
    url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from tests.browser import DESKTOP, PHONE, artifacts, chromium, screenshot

    with chromium() as browser:
        page = browser.new_page(viewport=DESKTOP)
        page.goto(url + "/workbench")
        page.focus("#tab-search")
        page.keyboard.press("Tab")  # the brief's tab comes next, and Enter opens it
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "brief-topic"
        page.keyboard.type("专精特新")
        page.fill("#brief-date", "2025-06-01")
        page.focus("#brief-topic")
        page.keyboard.press("Enter")
        page.wait_for_selector(".brief-policy")
        assert page.locator(".brief-policy").count() == 1
        assert "江经信发〔2022〕15号" in page.locator(".brief-meta").inner_text()
        support = page.locator(".brief-section[data-key='support']")
        assert "30万元" in support.locator("mark").all_inner_texts()
        cite = support.locator("button.cite").first
        assert cite.inner_text() == "第十六条" and "江经信发〔2022〕15号" in (cite.get_attribute("aria-label") or "")
        cite.focus()
        page.keyboard.press("Enter")
        page.wait_for_selector("#doc .article.focus")
        assert "30万元" in page.locator("#doc .article.focus").inner_text()
        screenshot(page, artifacts(tmp_path_factory), "workbench-brief-desktop.png")
        page.fill("#brief-topic", "高校毕业生")
        page.click("#brief-btn")
        page.wait_for_selector(".brief-aside li[data-doc='jlzb-2021-30']")
        assert page.locator(".brief-policy").count() == 0
        assert "没有找到" in page.locator("#brief-status").inner_text()
        assert "已失效" in page.locator(".brief-aside").inner_text()
        page.close()
        phone = browser.new_page(viewport=PHONE)  # three tabs fit a phone's top bar
        phone.goto(url + "/workbench")
        phone.click("#tab-brief")
        assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth")
        for tab in ("#tab-search", "#tab-brief", "#tab-qa"):  # one line each, inside the bar
            box = phone.locator(tab).bounding_box()
            assert box is not None and box["height"] < 36 and box["y"] + box["height"] <= 56
        phone.close()
