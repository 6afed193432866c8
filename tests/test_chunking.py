from govqa.core.guide import render_guide
from govqa.core.ids import content_hash
from govqa.core.types import Document
from ingest.chunking import MAX_CHARS, StructureChunker, index_text
from ingest.guides import parse_guide


def doc(text: str, doc_type: str = "policy", title: str = "某条例") -> Document:
    return Document(id="d1", title=title, text=text, content_hash=content_hash(text), doc_type=doc_type)  # type: ignore[arg-type]


LAW = """# 某条例

2020年1月1日通过

## 第一章 总则

第一条 为了规范管理，制定本条例。

第二条 本条例适用于本市。

本条例所称管理，是指以下活动：
（一）登记；
（二）变更。

## 第二章 细则

### 第一节 登记

第三条 登记应当提交材料。
"""


def test_policy_one_chunk_per_article_with_labels_and_offsets() -> None:
    d = doc(LAW)
    chunks = StructureChunker().chunk(d)
    labels = [c.label for c in chunks]
    assert labels == ["文件信息", "第一章 > 第一条", "第一章 > 第二条", "第二章 > 第一节 > 第三条"]
    second = chunks[2]
    assert "（二）变更。" in second.text and second.text.startswith("第二条")
    for c in chunks:
        assert d.text[c.start : c.end] == c.text
    assert len({c.id for c in chunks}) == len(chunks)
    assert StructureChunker().chunk(d) == chunks  # deterministic ids


def test_long_article_is_split_with_label_repeated() -> None:
    body = "第一条 " + "".join(f"第{i}句规定了具体事项，内容较长需要拆分。" for i in range(200))
    d = doc("# 长条例\n\n" + body + "\n\n第二条 短条。")
    chunks = StructureChunker().chunk(d)
    first = [c for c in chunks if c.section[-1] == "第一条"]
    assert len(first) > 1
    assert all(len(c.text) <= MAX_CHARS for c in chunks)
    assert "".join(c.text for c in first).replace("\n", "") == body.replace("\n", "")


def test_guide_one_chunk_per_field_with_item_name_in_index_text() -> None:
    item = parse_guide(
        {
            "事项名称": "居住证办理",
            "事项编码": "T-1",
            "实施主体": "公安局",
            "申请材料": [{"名称": "身份证"}],
            "办理流程": ["申请", "受理"],
            "承诺时限": "5个工作日",
        }
    )
    d = doc(render_guide(item), "guide", item.name)
    chunks = StructureChunker().chunk(d)
    assert [c.label for c in chunks] == ["概要", "申请材料", "办理流程", "承诺时限"]
    assert index_text(chunks[1], d).startswith("居住证办理 申请材料")


def test_faq_single_chunk_and_title_excluded_when_asked() -> None:
    d = Document(
        id="kb/1", title="怎么办居住证", text="到派出所办理。", content_hash="h", doc_type="faq", index_title=False
    )
    (chunk,) = StructureChunker().chunk(d)
    assert index_text(chunk, d) == "到派出所办理。"
