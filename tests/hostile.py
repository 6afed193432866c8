"""Hostile and good source files, generated on the fly (no binary is committed).

Each builder returns bytes; `hostile_cases()` names every hostile file with what the loader must
say about it, `good_files()` the files of the same batch that must be indexed.
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from dataclasses import dataclass

# Common characters to make distinct record texts (near-duplicates would be folded into aliases).
_HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理世车"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def han_text(seed: int, n: int = 60) -> str:
    """`n` pseudo-random common Chinese characters, the same for the same seed."""
    rng = random.Random(seed)
    return "".join(rng.choice(_HAN) for _ in range(n))


def pdf_bytes(lines: list[str]) -> bytes:
    """A one-page PDF with a Helvetica text layer holding `lines` (ASCII)."""
    ops = " ".join(f"({line}) Tj 0 -16 Td" for line in lines)
    content = f"BT /F1 12 Tf 72 720 Td {ops} ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


GOOD_PDF_LINES = ["Riverside bicycle parking rules", "Article 1 Bicycles park inside the marked bays.",
                  "Article 2 Bays near schools are cleared every evening."]  # fmt: skip


def encrypted_pdf() -> bytes:
    """The good PDF encrypted with a user password (RC4, which pypdf writes without extra packages)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(GOOD_PDF_LINES))))
    writer.encrypt("citizen-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(paragraphs: list[str]) -> bytes:
    """A minimal Word file: content types and a body with one paragraph per string."""
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("word/document.xml", xml)
    return out.getvalue()


def zip_bomb_docx(unpacked: int = 256 << 20) -> bytes:
    """A .docx whose body unpacks to `unpacked` bytes (spaces inside a paragraph) from a few hundred KB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f'<w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>'.encode())
            block = b" " * (1 << 20)
            for _ in range(unpacked >> 20):
                part.write(block)
            part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return out.getvalue()


def entity_docx() -> bytes:
    """A .docx whose body defines nested XML entities (the billion-laughs expansion)."""
    defs = '<!ENTITY a "ha">' + "".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi")
    )
    xml = f'<?xml version="1.0"?><!DOCTYPE w:document [{defs}]><w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("word/document.xml", xml)
    return out.getvalue()


def jsonl_with_one_broken_line(lines: int = 10_000, broken_at: int = 5_000) -> bytes:
    """`lines` distinct knowledge-base records, one of which (1-based `broken_at`) is cut short."""
    rows = []
    for i in range(1, lines + 1):
        record = {"id": f"kb-{i}", "title": f"问题{i}{han_text(i, 8)}", "text": han_text(10**6 + i), "doc_type": "faq"}
        row = json.dumps(record, ensure_ascii=False)
        rows.append(row[: len(row) // 2] if i == broken_at else row)
    return ("\n".join(rows) + "\n").encode("utf-8")


@dataclass(frozen=True, slots=True)
class Case:
    """A hostile file and the words its report reason must contain."""

    name: str
    data: bytes
    reason: str


def hostile_cases() -> list[Case]:
    """Every hostile file; each must fail with `reason` in its report (no crash, no hang)."""
    good_pdf = pdf_bytes(GOOD_PDF_LINES)
    good_docx = docx_bytes(["江临市电动自行车登记指南", "申请人携带购车发票和身份证到登记点办理。"])
    deep = 100_000
    return [
        Case("truncated-half.pdf", good_pdf[: len(good_pdf) // 2], "PDF"),
        Case("truncated-header.pdf", good_pdf[:40], "PDF"),
        Case("encrypted.pdf", encrypted_pdf(), "encrypted PDF"),
        Case("bomb.docx", zip_bomb_docx(), "GOVQA_INGEST__MAX_DOCX_XML_BYTES"),
        Case("bomb-ratio.docx", zip_bomb_docx(32 << 20), "GOVQA_INGEST__MAX_DOCX_RATIO"),
        Case("truncated.docx", good_docx[: len(good_docx) // 2], "not a valid .docx"),
        Case("entities.docx", entity_docx(), "entities"),
        Case("not-a-zip.docx", b"PK\x03\x04" + b"\x00garbage" * 100, "not a valid .docx"),
        Case("deep.html", ("<div>" * deep + "深" + "</div>" * deep).encode(), "GOVQA_INGEST__MAX_HTML_DEPTH"),
        Case("deep.json", ("[" * deep + "]" * deep).encode(), "nested too deeply"),
        Case("one-line-50mb.txt", b"x" * (50 * 10**6), "GOVQA_INGEST__MAX_DOCUMENT_CHARS"),
        Case("invalid-utf8-gbk.txt", "办事指南".encode("gbk") + b"\xff\x80\xfe" + "正文".encode(), "not valid UTF-8"),
        Case("bad-bom.txt", b"\xff\xfe" + b"\x00\xd8", "byte-order mark"),
        Case("nul-bytes.md", b"# title\x00\x00\x00binary\x00", "binary content"),
        Case("huge-field.csv", b"id,title,text\n1,t," + b"y" * 200_000 + b"\n", "unreadable CSV"),
        Case("empty.txt", b"", "empty file"),
        Case("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary content"),
    ]


def good_files() -> dict[str, bytes]:
    """Files of the same batch that must be indexed (and what they are about)."""
    return {
        "parking.pdf": pdf_bytes(GOOD_PDF_LINES),
        "bike-guide.docx": docx_bytes(["江临市电动自行车登记指南", "申请人携带购车发票和身份证到登记点办理。"]),
        "notice.html": "<html><head><title>停车通知</title></head><body><p>滨江路停车场周末免费开放。</p></body></html>".encode(),
        "policy-gbk.txt": "江临市垃圾分类管理办法\n\n第一条 为规范垃圾分类，制定本办法。\n第二条 本办法自公布之日起施行。".encode(
            "gbk"
        ),
        "late-nul.md": ("# 夜市管理规定\n\n" + "夜市摊位应当保持整洁。" * 500 + "\x00尾部").encode(),
    }
