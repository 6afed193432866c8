"""The service-item graph built from the real sample files (fake embedder: structure only)."""

import json
import shutil
from itertools import combinations
from pathlib import Path

import pytest

from govqa import messages
from govqa.bootstrap import SAMPLE_PATHS, Container
from knowledge_graph import schema as s
from knowledge_graph.store import ServiceGraph
from knowledge_graph.views import export, neighbourhood
from tests.conftest import fake_container


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    c = fake_container(tmp_path_factory.mktemp("kg"))
    c.ingest_pipeline().run(list(SAMPLE_PATHS))
    yield c
    c.close()


def test_every_near_twin_pair_has_a_distinguishing_attribute(built: Container) -> None:
    graph = built.snapshot().graph
    groups = [n for n, d in graph.g.nodes(data=True) if d["kind"] == s.GROUP]
    pairs = 0
    for group in groups:
        codes = sorted(graph.g.nodes[v]["code"] for v in graph.g.successors(group))
        for a, b in combinations(codes, 2):
            pairs += 1
            attributes = graph.distinguishing([a, b])
            assert attributes, (a, b)
            slot, options = attributes[0]
            assert all(len(v) == 1 for v in options.values()), (a, b, slot, options)
    assert pairs >= 10


def test_applicant_and_district_twins_are_told_apart_by_the_right_slot(built: Container) -> None:
    graph = built.snapshot().graph
    assert graph.distinguishing(["JL-RS-SB-001", "JL-RS-SB-002"])[0][0] in ("applicant", "scenario")
    slots = dict(graph.distinguishing(["JL-DHJY-RX-001", "JL-XSJY-RX-001", "JL-NGJY-RX-001"]))
    assert set(slots["district"]) == {"东湖区", "西山区", "南港区"}


def test_every_basis_naming_a_sample_policy_resolves_to_its_clause(built: Container) -> None:
    snap = built.snapshot()
    titles = {d.title for d in snap.documents.values() if d.doc_type == "policy"}
    checked = 0
    for item in snap.items:
        resolved = {n["label"] for n in snap.graph.clauses_of(item.code)}
        for basis in item.legal_basis:
            for title, article in s.parse_basis(basis):
                if title in titles and article:
                    checked += 1
                    assert f"{title}{article}" in resolved, (item.code, basis)
    assert checked >= 50


def test_repealed_policy_points_to_successor_and_items_resolve_to_the_current_one(built: Container) -> None:
    g = built.snapshot().graph.g
    assert g.has_edge(s.node_id(s.POLICY, "jlzf-2019-07"), s.node_id(s.POLICY, "jlzf-2024-08"))
    graph = ServiceGraph(g, messages.UNSET_OPTION_LABELS)
    assert ("jlzf-2019-07", "jlzf-2024-08") in graph.superseded_at("2026-11-28")
    assert ("jlzb-2021-30", "") in graph.superseded_at("2026-11-28")  # expired, no successor
    assert graph.superseded_at("2020-01-01") == []
    assert "JL-GJJ-TQ-002" in graph.items_based_on("jlzf-2024-08")
    assert "JL-GJJ-TQ-002" not in graph.items_based_on("jlzf-2019-07")


def test_changed_and_deleted_guides_leave_no_orphans(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for folder in SAMPLE_PATHS:
        shutil.copytree(folder, corpus / folder.name)
    c = fake_container(tmp_path / "data")
    c.ingest_pipeline().run([corpus])
    path = corpus / "guides" / "JL-GJJ-TQ-002.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["申请材料"] = [{"名称": "测试专用新材料", "份数": "1份", "说明": ""}]
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    (corpus / "guides" / "JL-GJJ-TQ-003.json").unlink()
    c.ingest_pipeline().run([corpus])
    g = c.snapshot().graph.g
    assert s.node_id(s.ITEM, "JL-GJJ-TQ-003") not in g
    assert s.node_id(s.MATERIAL, "测试专用新材料") in g
    orphans = [n for n in g.nodes if g.degree(n) == 0]
    assert not orphans, orphans[:5]
    c.close()


def test_export_and_neighbourhood(built: Container, tmp_path: Path) -> None:
    g = built.snapshot().graph.g
    export(g, tmp_path / "g.graphml", "graphml")
    export(g, tmp_path / "g.json", "json")
    assert (tmp_path / "g.graphml").stat().st_size > 1000
    sub = neighbourhood(g, "JL-GJJ-TQ-001")
    kinds = {d["kind"] for _, d in sub.nodes(data=True)}
    assert {s.ITEM, s.DEPARTMENT, s.MATERIAL, s.CLAUSE, s.POLICY, s.GROUP} <= kinds


PAGE = """# 企业职工基本养老金申领
发布时间：2025-08-21
一、办理对象
本市参保单位、参保人
二、受理条件
达到法定退休年龄且累计缴费满15年。
三、申请材料
1. 居民身份证
2. 社会保障卡
四、办理流程
网上申报，经办机构审核后发放。
五、咨询电话
12345
六、温馨提示
请留意短信通知。
"""


def test_semi_structured_page_becomes_an_item(tmp_path: Path) -> None:
    from knowledge_graph.extract import extract_item, sections

    found = sections(PAGE)
    assert found["申请材料"] == ["1. 居民身份证", "2. 社会保障卡"]
    assert "温馨提示" not in "".join(found.get("咨询电话", []))
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "pension.md").write_text(PAGE, encoding="utf-8")
    c = fake_container(tmp_path / "data")
    c.ingest_pipeline().run([folder])
    snap = c.snapshot()
    (item,) = snap.items
    assert item.code == "pension" and len(item.materials) == 2 and item.applicant_types == ("个人", "法人")
    assert s.node_id(s.MATERIAL, "社会保障卡") in snap.graph.g
    c.close()
    doc_without_sections = extract_item(
        snap.documents["pension"].__class__(id="x", title="t", text="正文", content_hash="h")
    )
    assert doc_without_sections is None
