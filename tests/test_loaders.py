import json
from pathlib import Path

import pytest

from govqa.core.errors import LoadError
from govqa.core.types import LoadedDocument, RecordError
from ingest.loaders import load_path

POLICY = "# 江临市测试办法\n\n文号：江政发〔2024〕8号\n发布机关：江临市人民政府\n施行日期：2024-07-01\n\n## 第一章 总则\n\n第一条 为了测试，制定本办法。\n\n第二条 本办法自2024年7月1日起施行。《江临市旧办法》（江政发〔2019〕7号）同时废止。\n"


def docs(path: Path) -> list[LoadedDocument]:
    return [d for d in load_path(path) if isinstance(d, LoadedDocument)]


def test_gbk_text_with_policy_metadata(tmp_path: Path) -> None:
    path = tmp_path / "policy.txt"
    path.write_bytes(POLICY.encode("gbk"))
    (doc,) = [d.document for d in docs(path)]
    assert doc.title == "江临市测试办法"
    assert doc.doc_type == "policy"
    assert doc.doc_number == "江政发〔2024〕8号"
    assert doc.issuer == "江临市人民政府"
    assert doc.effective_from is not None and doc.effective_from.isoformat() == "2024-07-01"
    assert doc.id == "policy"


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "u16.md"
    path.write_bytes(b"\xff\xfe" + "# 标题\n\n正文内容".encode("utf-16-le"))
    (doc,) = [d.document for d in docs(path)]
    assert doc.title == "标题" and "正文内容" in doc.text


def test_html_drops_scripts_navigation_and_chrome(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>居住证办理_江临市政府</title><script>var x=1;</script></head><body>"
        "<nav>首页 > 政务服务</nav><p>居住证申领需要身份证。</p><p>打印本页</p><p>关闭窗口</p>"
        "<table><tr><td>材料</td><td>身份证</td></tr></table></body></html>",
        encoding="utf-8",
    )
    (doc,) = [d.document for d in docs(path)]
    assert doc.title == "居住证办理"
    assert "居住证申领需要身份证。" in doc.text
    assert "材料 | 身份证" in doc.text
    for chrome in ("打印本页", "关闭窗口", "var x", "首页"):
        assert chrome not in doc.text


def test_docx_with_table(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("江临市居住证办理指南")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "材料名称", "份数"
    table.cell(1, 0).text, table.cell(1, 1).text = "居民身份证", "原件1份"
    path = tmp_path / "guide.docx"
    document.save(path)
    (doc,) = [d.document for d in docs(path)]
    assert "江临市居住证办理指南" in doc.text
    assert "居民身份证 | 原件1份" in doc.text


def test_pdf_text_layer(tmp_path: Path) -> None:
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    path = tmp_path / "notice.pdf"
    with PdfPages(path) as pdf:
        fig = Figure()
        fig.text(0.1, 0.5, "Residence permit notice 2024")
        pdf.savefig(fig)
    (doc,) = [d.document for d in docs(path)]
    assert "Residence permit notice 2024" in doc.text


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("broken.pdf", b"%PDF-1.4\n1 0 obj garbage", "corrupt PDF"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content"),
        ("empty.md", b"", "empty file"),
        ("bad.txt", "正文".encode() + b" \xff\xff\x80 tail", "not valid UTF-8"),
        ("bad.json", b"{not json", "invalid JSON"),
        ("x.xyz", b"hello", "unsupported file type"),
    ],
)
def test_bad_files_raise_load_error_with_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(LoadError, match=reason):
        list(load_path(path))


def test_jsonl_keeps_record_ids_and_reports_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    rows = [
        json.dumps(
            {"id": "law/a", "title": "甲条例", "collection": "law", "text": "第一条 甲。\n\n第二条 乙。"},
            ensure_ascii=False,
        ),
        "{broken",
        json.dumps({"id": "kb/1", "title": "问", "text": ""}),
        json.dumps(
            {"id": "kb/2", "title": "怎么办居住证", "collection": "bj_gov_kb", "text": "到派出所办理。"},
            ensure_ascii=False,
        ),
    ]
    path.write_text("\n".join(rows), encoding="utf-8")
    out = list(load_path(path, index_titles=False))
    loaded = [d.document for d in out if isinstance(d, LoadedDocument)]
    errors = [e for e in out if isinstance(e, RecordError)]
    assert [d.id for d in loaded] == ["law/a", "kb/2"]
    # The type comes from the text (articles) or the record; a collection name is not a dataset default.
    assert loaded[0].doc_type == "policy" and loaded[1].doc_type == "other"
    assert not loaded[1].index_title
    assert [e.where.rsplit(":", 1)[1] for e in errors] == ["2", "3"]


def test_csv_guide_catalogue(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.csv"
    path.write_text(
        "事项名称,事项编码,实施主体,区划,申请材料,事项别名\n"
        "居住证办理,T-9,江临市公安局,东湖区,居民身份证；住所证明,办居住证|居住证\n",
        encoding="utf-8",
    )
    (loaded,) = docs(path)
    assert loaded.item is not None
    assert loaded.item.code == "T-9"
    assert [m.name for m in loaded.item.materials] == ["居民身份证", "住所证明"]
    assert loaded.item.aliases == ("办居住证", "居住证")
    assert loaded.document.doc_type == "guide" and "【申请材料】" in loaded.document.text


def test_guide_missing_required_field_is_a_record_error(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    path.write_text(
        json.dumps([{"事项名称": "无编码事项", "事项编码": "", "实施主体": "某局"}], ensure_ascii=False),
        encoding="utf-8",
    )
    (error,) = list(load_path(path))
    assert isinstance(error, RecordError) and "事项编码" in error.reason
