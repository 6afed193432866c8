import json
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pytest

from govqa.bootstrap import Container
from govqa.core import regions
from govqa.core.regions import (
    LEVEL_CITY,
    LEVEL_COUNTY,
    LEVEL_NATIONAL,
    LEVEL_PROVINCE,
    NATIONAL,
    level_of,
    province_of,
    region_named,
    regions_in,
)
from govqa.core.types import Document
from ingest.facets import NATIONAL_CATEGORIES, Facets, infer_facets
from ingest.loaders import record_document
from tests.conftest import realworld

CAPITALS = (
    "石家庄市 太原市 呼和浩特市 沈阳市 长春市 哈尔滨市 南京市 杭州市 合肥市 福州市 南昌市 济南市 郑州市 武汉市 "
    "长沙市 广州市 南宁市 海口市 成都市 贵阳市 昆明市 拉萨市 西安市 兰州市 西宁市 银川市 乌鲁木齐市 台北市"
).split()


# --- the gazetteer -------------------------------------------------------------------------------


def test_gazetteer_has_every_provincial_unit_and_capital() -> None:
    provinces = [r for r in map(region_named, regions.full_names()) if r is not None and r.level == LEVEL_PROVINCE]
    assert len(provinces) == 34
    assert {r.parent for r in provinces} == {NATIONAL}
    for capital in CAPITALS:
        city = region_named(capital)
        assert city is not None and city.level == LEVEL_CITY and region_named(city.parent) is not None
    assert region_named("济南市") == regions.Region("济南市", LEVEL_CITY, "山东省")
    assert region_named("内蒙古") == region_named("内蒙古自治区")
    assert region_named("新疆") is not None and region_named("新疆").name == "新疆维吾尔自治区"  # type: ignore[union-attr]


def test_levels_and_provinces() -> None:
    assert level_of(NATIONAL) == LEVEL_NATIONAL
    assert level_of("北京市") == LEVEL_PROVINCE and level_of("青岛市") == LEVEL_CITY
    assert level_of("广州市天河区") == LEVEL_COUNTY and level_of("某某县") == LEVEL_COUNTY
    assert level_of("江临市") == ""  # not in the gazetteer: unknown, not guessed
    assert province_of("广州市天河区") == "广东省" and province_of("山东省") == "山东省" and province_of(NATIONAL) == ""
    assert regions.ABBREVIATIONS["京"] == "北京市" and regions.ABBREVIATIONS["穗"] == "广州市"
    assert "宁" not in regions.ABBREVIATIONS  # 宁夏 and 南京 both write 宁政发


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("北京的停车费怎么收", ("北京市",)),
        ("济南市停车场收费标准", ("济南市",)),
        ("全国性的规定是什么", (NATIONAL,)),
        ("国家规定的退休年龄", (NATIONAL,)),
        ("国务院怎么规定的", (NATIONAL,)),
        ("内蒙古自治区的草原补贴", ("内蒙古自治区",)),
        ("新疆的社保怎么交", ("新疆维吾尔自治区",)),
        ("上海和杭州哪个公积金高", ("上海市", "杭州市")),
        ("天河区积分入学", ("广州市天河区",)),
        ("浙江西部的政策", ("浙江省",)),
        ("城市道路停车怎么收费", ()),
        ("本市的居住证怎么办", ()),
        ("市区能骑电动车吗", ()),
        ("新的政策什么时候实施", ()),
        ("京沪两地", ()),  # single-character abbreviations only count in a 文号
        ("开封后能保存多久", ()),  # a city short form that is an everyday word
        ("国家工作人员的义务", ()),
        ("朝阳区的社保", ()),  # Beijing's and Changchun's: not guessed
        ("广州北京路怎么走", ("广州市",)),
    ],
)
def test_regions_in_questions(question: str, expected: tuple[str, ...]) -> None:
    assert regions_in(question) == expected


# --- facets from hand-written documents ----------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "category", "region", "level"),
    [
        ("北京市机动车停车条例", "", "北京市", LEVEL_PROVINCE),
        ("山东省实施《中华人民共和国道路交通安全法》办法", "", "山东省", LEVEL_PROVINCE),
        ("济南市停车场建设和管理条例", "山东地方法规", "济南市", LEVEL_CITY),
        ("广州市天河区深化支持港澳青年创新创业高质量发展实施办法", "", "广州市天河区", LEVEL_COUNTY),
        ("内蒙古自治区草原管理条例", "", "内蒙古自治区", LEVEL_PROVINCE),
        ("北京中轴线文化遗产保护条例", "北京地方法规", "北京市", LEVEL_PROVINCE),
        ("中华人民共和国道路交通安全法", "", NATIONAL, LEVEL_NATIONAL),
        ("住房公积金管理条例", "行政法规", NATIONAL, LEVEL_NATIONAL),
        ("国务院办公厅关于健全基本医疗保险参保长效机制的指导意见", "", NATIONAL, LEVEL_NATIONAL),
        (
            "关于市人民政府向市人民代表大会常务委员会报告国有资产管理情况的规定",
            "北京地方法规",
            "北京市",
            LEVEL_PROVINCE,
        ),
        ("2026年广州市天河区积分制入学学位申请指引", "", "广州市天河区", LEVEL_COUNTY),
        ("天河区扎实推进家庭医生签约服务", "", "广州市天河区", LEVEL_COUNTY),
        ("济南市历下区养犬管理办法", "", "济南市历下区", LEVEL_COUNTY),
        ("城市道路管理条例", "", "", ""),
        ("设区的市人民代表大会常务委员会立法规定", "", "", ""),
        ("民族区域自治法", "", "", ""),
        ("经济特区条例", "", "", ""),
        ("农产品市场管理条例", "", "", ""),
        ("举报北京市体育局机关党员干部违纪行为的电话", "", "", ""),  # a phrase, not a place called 举报北京市
        ("居住证怎么办理？", "医保局", "", ""),
    ],
)
def test_region_from_title_and_category(title: str, category: str, region: str, level: str) -> None:
    found = infer_facets(title, "", category=category)
    assert (found.region, found.level) == (region, level)


def test_national_category_wins_over_a_place_in_the_title() -> None:
    assert infer_facets("澳门特别行政区基本法", "", category="宪法相关法").region == NATIONAL


def test_region_from_doc_number_issuer_and_text_head() -> None:
    assert infer_facets("某某通知", "", doc_number="京政发〔2020〕3号").region == "北京市"
    assert infer_facets("某某通知", "", doc_number="穗府办规〔2021〕14号").region == "广州市"
    assert infer_facets("某某通知", "", doc_number="国办发〔2024〕38号").region == NATIONAL
    assert infer_facets("某某通知", "", doc_number="宁政发〔2020〕1号").region == ""  # 宁夏 or 南京
    assert infer_facets("问答", "", issuer="北京市经济和信息化局").region == "北京市"
    page = infer_facets("小学招生5月7日起网上报名！", "4月28日，广州市天河区教育局公布2026年天河区招生细则。")
    assert page == Facets("广州市天河区", LEVEL_COUNTY, "广州市天河区教育局")
    law = infer_facets("某条例", "2020年4月10日 上海市第十五届人民代表大会常务委员会第二十次会议通过")
    assert law == Facets("上海市", LEVEL_PROVINCE, "上海市人民代表大会常务委员会")


def test_a_mentioned_body_is_not_the_issuer_and_a_citation_is_no_region() -> None:
    kb = infer_facets("地质勘查资质申请材料", "依据《地质勘查资质管理条例》（国务院令第520号）提交以下材料。")
    assert kb == Facets()
    mention = infer_facets("本月起，这笔钱直接发放至个人！", "好消息！广州市医保局提醒，生育津贴直接发放。")
    assert mention.region == "广州市" and mention.issuer == ""
    assert infer_facets("居住证怎么办理？", "到社区服务站申请。", issuer="医保局") == Facets(issuer="医保局")


def test_issuer_from_the_title_opening() -> None:
    found = infer_facets("广州市卫生健康委等4部门关于印发推进家庭医生签约服务实施方案的通知", "")
    assert found.issuer == "广州市卫生健康委" and found.region == "广州市"


# --- wiring into ingest ----------------------------------------------------------------------------


def test_records_get_regions_and_only_departments_become_issuers() -> None:
    law = {"id": "l1", "title": "北京市机动车停车条例", "category": "北京地方法规", "text": "第一条 为了规范停车。"}
    doc = record_document(law, "x:1", "law", True).document
    assert doc.region == "北京市" and doc.issuer == ""
    national = record_document({**law, "title": "居住证暂行条例", "category": "行政法规"}, "x:2", "law", True)
    assert national.document.region == NATIONAL and national.document.issuer == ""
    kb = {"id": "k1", "title": "怎么办理医保卡？", "category": "医保局", "text": "到医保经办机构办理。"}
    entry = record_document(kb, "x:3", "kb", True).document
    assert entry.issuer == "医保局" and entry.region == ""
    page = {"id": "p1", "title": "创业担保贷款常见问题", "category": "local_policy_or_guide", "text": "答：可以申请。"}
    assert record_document(page, "x:4", "pages", True).document.issuer == ""


def test_region_round_trips_through_the_catalog_and_the_fake(tmp_path: Path) -> None:
    from govqa.stores.catalog import Catalog
    from govqa.testing.memory import InMemoryCatalog

    doc = Document(id="d", title="t", text="x", content_hash="h", region="广州市天河区")
    for catalog in (InMemoryCatalog(), Catalog(tmp_path / "catalog.sqlite")):
        catalog.put_document(doc, [], [])
        assert catalog.document("d") == doc
        catalog.close()


def test_a_new_loader_version_rederives_metadata_without_reembedding(
    fake: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dump = tmp_path / "law.jsonl"
    record = {
        "id": "law-1",
        "title": "济南市停车场建设和管理条例",
        "category": "山东地方法规",
        "text": "第一条 规范停车。",
    }
    dump.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    # An index built before facets existed: no region, an older loader version in the ledger.
    monkeypatch.setattr("ingest.loaders.infer_facets", lambda *a, **k: Facets())
    monkeypatch.setattr("ingest.pipeline.LOADER_VERSION", "before-facets")
    fake.ingest_pipeline().run([dump])
    assert fake.snapshot().documents["law-1"].region == ""
    monkeypatch.undo()
    report = fake.ingest_pipeline().run([dump])
    assert report.generation and report.embedded == 0  # vectors come from the cache
    assert fake.snapshot().documents["law-1"].region == "济南市"
    assert {f.status for f in fake.ingest_pipeline().run([dump]).files} == {"unchanged"}


# --- the real corpus -------------------------------------------------------------------------------


def _real_law_documents() -> list[tuple[dict[str, str], Document]]:
    path = realworld("corpus.jsonl")
    out = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        record = json.loads(line)
        if record.get("collection") == "law":
            out.append((record, record_document(record, f"{path}:{lineno}", "default", True).document))
    return out


@pytest.mark.realdata
def test_real_corpus_laws_get_their_region() -> None:
    laws = _real_law_documents()
    assert laws, "no law documents in the real corpus"
    wrong: list[tuple[str, str, str]] = []
    local = national = 0
    for record, doc in laws:
        category = record["category"]
        if category.endswith("地方法规"):
            local += 1
            province = region_named(category.removesuffix("地方法规"))
            assert province is not None, category
            if province_of(doc.region) != province.name:
                wrong.append((doc.title, category, doc.region))
        elif category in NATIONAL_CATEGORIES:
            national += 1
            if doc.region != NATIONAL:
                wrong.append((doc.title, category, doc.region))
    with_region = sum(1 for _, doc in laws if doc.region)
    print(  # noqa: T201 - the coverage figures, shown with `pytest -s`
        f"\nreal corpus: {with_region}/{len(laws)} law documents have a region "
        f"({with_region / len(laws):.1%}); {local} local, {national} national"
    )
    assert not wrong, wrong[:10]
    assert with_region == len(laws)
    assert all(level_of(doc.region) for _, doc in laws)
    assert all(doc.issuer != record["category"] for record, doc in laws)


@pytest.mark.realdata
def test_real_hotspots_span_regions() -> None:
    by_id = {doc.id: doc for _, doc in _real_law_documents()}
    hotspots = [
        json.loads(line)
        for line in realworld("ambiguity.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip() and json.loads(line).get("type") == "corpus_region_or_level_hotspot"
    ]
    assert hotspots
    spans: dict[str, set[str]] = defaultdict(set)
    for hotspot in hotspots:
        docs = [by_id[i] for i in hotspot["doc_ids"] if i in by_id]
        assert len(docs) == len(hotspot["doc_ids"]), hotspot["topic"]
        spans[hotspot["topic"]] = {d.region for d in docs}
        assert all(d.region for d in docs), hotspot["topic"]
    counts = {topic: len(r) for topic, r in spans.items()}
    print("\nhotspot regions:", counts)  # noqa: T201 - shown with `pytest -s`
    # 居住证/户籍 pairs a law with a regulation, both national: its ambiguity is one of level, not region.
    for topic, found in spans.items():
        assert len(found) >= 2 or found == {NATIONAL}, (topic, found)
    assert sum(len(found) >= 2 for found in spans.values()) >= len(spans) - 1


def test_facets_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Facets().region = "北京市"  # type: ignore[misc]
    assert replace(Facets(), region="北京市").region == "北京市"
