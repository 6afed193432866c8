"""The read API over real HTTP on the sample corpus (fake models): documents, items, filtered search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import httpx
import pytest

from govqa.bootstrap import SAMPLE_PATHS
from govqa.browse.highlight import marked_html, query_terms, spans
from govqa.browse.outline import outline
from govqa.core.ids import content_hash
from govqa.core.types import Document
from govqa.retrieval.tokenize import ChineseTokenizer
from ingest.chunking import StructureChunker
from ingest.pipeline import IngestOptions
from tests.conftest import fake_container
from tests.servers import app_in_thread


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    c = fake_container(tmp_path_factory.mktemp("browse") / "data")
    report = c.ingest_pipeline().run(list(SAMPLE_PATHS), IngestOptions())
    assert not report.failed
    with app_in_thread(c) as url:
        yield url
    c.close()


def _get(url: str, **params: object) -> httpx.Response:
    return httpx.get(url, params=params, timeout=30)  # type: ignore[arg-type]


def _articles(nodes: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    out = []
    for n in nodes:
        if n["kind"] == "article":
            out.append(n)
        out.extend(_articles(n["children"]))
    return out


def test_repealed_policy_names_its_successor_and_has_its_clause_tree(api: str) -> None:
    doc = _get(api + "/api/v1/documents/jlzf-2019-07").json()
    assert doc["doc_number"] == "江政发〔2019〕7号" and doc["issuer"] == "江临市人民政府"
    v = doc["validity"]
    assert v["status"] == "repealed" and v["in_force"] is False and v["repealed_on"] == "2024-07-01"
    assert v["superseded_by"] == {"id": "jlzf-2024-08", "title": "江临市住房公积金提取管理规定"} or (
        v["superseded_by"]["id"] == "jlzf-2024-08" and v["superseded_by"]["title"]
    )
    chapters = doc["clauses"]
    assert [c["label"] for c in chapters] == ["第一章", "第二章", "第三章", "第四章", "第五章"]
    assert chapters[0]["title"] == "总则" and chapters[0]["kind"] == "chapter"
    articles = _articles(chapters)
    assert len(articles) == 20 and articles[6]["label"] == "第七条"
    assert articles[6]["text"].startswith("第七条") and "12000元" in articles[6]["text"]
    assert all("文号" not in a["text"] for a in articles)  # the header block is metadata, not a clause
    successor = _get(api + "/api/v1/documents/jlzf-2024-08").json()
    assert successor["validity"]["status"] == "in_force"
    assert {"id": "jlzf-2019-07", "title": "江临市住房公积金提取管理办法"} in successor["validity"]["replaces"]


def test_expired_policy_is_expired_today_and_in_force_on_an_earlier_day(api: str) -> None:
    assert _get(api + "/api/v1/documents/jlzb-2021-30").json()["validity"]["status"] == "expired"
    earlier = _get(api + "/api/v1/documents/jlzb-2021-30", day="2023-06-01").json()
    assert earlier["validity"]["status"] == "in_force" and earlier["validity"]["expires_at"] == "2023-12-31"


def test_a_guide_is_a_list_of_its_fields(api: str) -> None:
    doc = _get(api + "/api/v1/documents/JL-GJJ-TQ-002").json()
    labels = [n["label"] for n in doc["clauses"]]
    assert doc["doc_type"] == "guide" and "申请材料" in labels and doc["item_code"] == "JL-GJJ-TQ-002"
    assert all(n["kind"] == "field" for n in doc["clauses"])


def test_unknown_ids_are_404_with_a_message_in_both_languages(api: str) -> None:
    for path, words in (("/api/v1/documents/no-such-doc", "document not found"), ("/api/v1/items/XX-1", "item")):
        r = _get(api + path)
        assert r.status_code == 404 and words in r.json()["detail"] and "未找到" in r.json()["detail"]


def test_items_filter_and_an_item_with_twins_basis_and_department(api: str) -> None:
    every = _get(api + "/api/v1/items").json()
    assert len(every) == 37
    gjj = _get(api + "/api/v1/items", q="公积金").json()
    assert gjj and len(gjj) < len(every) and all("公积金" in (i["name"] + i["department"]) for i in gjj)
    by_alias = _get(api + "/api/v1/items", q="二手房过户").json()
    assert [i["code"] for i in by_alias] == ["JL-BDC-ZY-001"]
    item = _get(api + "/api/v1/items/JL-BDC-ZY-001").json()
    assert item["department"] == "江临市不动产登记中心" and item["materials"][0]["name"] == "不动产登记申请书"
    assert [t["code"] for t in item["twins"]] == ["JL-BDC-ZY-002"]
    resolved = [b for b in item["legal_basis"] if b["doc_id"]]
    assert resolved and resolved[0]["doc_id"] == "jlzf-2021-25" and resolved[0]["chunk_id"]
    assert any(not b["doc_id"] for b in item["legal_basis"])  # a national law not in the corpus stays a label


def test_search_filters_by_type_issuer_region_and_validity_date(api: str) -> None:
    q = "住房公积金提取 租赁住房 提取额度"
    policies = _get(api + "/api/v1/search", q=q, k=30, doc_type="policy").json()
    assert policies and all(h["doc_type"] == "policy" for h in policies)
    ids = {h["doc_id"] for h in policies}
    assert "jlzf-2019-07" in ids  # the repealed rule is found (and flagged) without a date filter
    assert not next(h for h in policies if h["doc_id"] == "jlzf-2019-07")["valid"]
    dated = _get(api + "/api/v1/search", q=q, k=10, doc_type="policy", valid_on="2025-01-01").json()
    assert dated and "jlzf-2019-07" not in {h["doc_id"] for h in dated} and all(h["valid"] for h in dated)
    old = _get(api + "/api/v1/search", q=q, k=10, doc_type="policy", valid_on="2020-01-01").json()
    assert "jlzf-2019-07" in {h["doc_id"] for h in old} and "jlzf-2024-08" not in {h["doc_id"] for h in old}
    center = _get(api + "/api/v1/search", q=q, k=5, issuer="公积金管理中心").json()
    assert center and all("公积金管理中心" in h["issuer"] for h in center)
    district = _get(api + "/api/v1/search", q="入学 报名", k=5, region="东湖区").json()
    assert district and all(h["region"] == "东湖区" for h in district)


def test_an_issuer_filter_finds_its_clauses_however_low_they_rank(api: str) -> None:
    """The issuer restricts every retrieval leg: k hits of that issuer even when the query's best
    chunks all come from other issuers (filtering the ranked hits would leave few or none)."""
    q = "住房公积金提取 租赁住房 提取额度"
    best = _get(api + "/api/v1/search", q=q, k=25).json()
    issuers = {h["issuer"] for h in best}
    facets = _get(api + "/api/v1/facets").json()["issuer"]
    rare = next(f["value"] for f in facets if f["value"] not in issuers and f["count"] >= 2)
    hits = _get(api + "/api/v1/search", q=q, k=5, issuer=rare).json()
    assert len(hits) == 5 and all(h["issuer"] == rare for h in hits)
    assert _get(api + "/api/v1/search", q=q, k=5, issuer="没有这个机关").json() == []


def test_search_marks_the_query_terms(api: str) -> None:
    hits = _get(api + "/api/v1/search", q="住房公积金提取管理办法第七条", k=5).json()
    top = hits[0]
    assert top["highlights"]
    for start, end in top["highlights"]:
        assert top["text"][start:end] in top["fragment"]
    assert "<mark>第七条</mark>" in "".join(h["fragment"] for h in hits)


def test_bad_filters_are_422_with_the_reason(api: str) -> None:
    r = _get(api + "/api/v1/search", q="公积金", valid_on="2024-13-01")
    assert r.status_code == 422 and "YYYY-MM-DD" in r.json()["detail"]
    assert _get(api + "/api/v1/search", q="公积金", doc_type="poem").status_code == 422


def test_facets_list_the_filter_values(api: str) -> None:
    facets = _get(api + "/api/v1/facets").json()
    assert {f["value"] for f in facets["doc_type"]} == {"guide", "policy", "faq"}
    assert "江临市住房公积金管理中心" in {f["value"] for f in facets["issuer"]}
    assert "东湖区" in {f["value"] for f in facets["region"]}


def test_highlight_escapes_html_and_matches_articles_as_written() -> None:
    terms = query_terms(ChineseTokenizer(), "第24条 <script>")
    assert "第二十四条" in terms
    text = "第二十四条 <script>alert(1)</script>"
    marks = spans(text, terms)
    html = marked_html(text, marks)
    assert html.startswith("<mark>第二十四条</mark>") and "<script>" not in html and "&lt;" in html


def test_outline_joins_a_split_article_and_nests_sections() -> None:
    body = (
        "# 办法\n\n## 第一章 总则\n\n### 第一节 一般规定\n\n第一条 " + "甲" * 1300 + "。\n乙" * 5 + "\n\n第二条 丙。\n"
    )
    doc = Document(id="d", title="办法", text=body, content_hash=content_hash(body), doc_type="policy")
    chunks = StructureChunker().chunk(doc)
    assert sum(c.section[-1] == "第一条" for c in chunks) >= 2  # split by the chunker
    tree = outline(doc, chunks)
    assert [n.label for n in tree] == ["第一章"] and tree[0].title == "总则"
    section = tree[0].children[0]
    assert section.kind == "section" and section.title == "一般规定"
    first, second = section.children
    assert first.label == "第一条" and len(first.chunk_ids) >= 2 and first.text.count("甲") == 1300
    assert second.text == "第二条 丙。"
    assert dt.date.today()  # the outline does not depend on the day
