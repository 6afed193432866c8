"""Loaders per format. Each turns one file into documents (a catalogue file may hold many)."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from govqa.core.errors import LoadError
from govqa.core.guide import render_guide
from govqa.core.ids import content_hash
from govqa.core.regions import canonical
from govqa.core.types import DocType, Document, LoadedDocument, RecordError
from govqa.core.vocab import ARTICLE_PREFIX, ARTICLE_SUFFIX, LIST_FIELDS, NUMERAL
from ingest.clean import clean_text
from ingest.encoding import decode
from ingest.facets import infer_facets, is_law_category
from ingest.guides import is_guide_record, parse_guide
from ingest.limits import DEFAULT_LIMITS, MIB, LoadLimits
from ingest.metadata import extract_policy_meta, parse_date

# What loading derives from a file beyond its cleaned text (header metadata, region and issuer facets).
# Part of every ledger entry: changing it makes the next ingest or reindex load every file again, so
# stored documents get the new metadata (their vectors come back from the embedding cache).
LOADER_VERSION = "facets-v1"
_HAN = re.compile(r"[\u4e00-\u9fff]")
_ARTICLE = re.compile(rf"^\s*{ARTICLE_PREFIX}{NUMERAL}{ARTICLE_SUFFIX}", re.M)
# A record's `collection` that is itself the name of a kind of document. Collections of other
# names get their type from the operator (`govqa ingest --collection-type NAME=TYPE`) or from the text.
_COLLECTION_TYPES: dict[str, DocType] = {
    "guides": "guide",
    "guide": "guide",
    "faq": "faq",
    "policies": "policy",
    "policy": "policy",
    "notices": "notice",
    "notice": "notice",
}
Output = Iterator[LoadedDocument | RecordError]


def too_large(size: int, limits: LoadLimits) -> str:
    """Why a file of `size` bytes is not read ("" when it may be)."""
    if size <= limits.max_file_bytes:
        return ""
    return (
        f"{size:,} bytes exceeds the {limits.max_file_bytes:,} byte file limit "
        "(GOVQA_INGEST__MAX_FILE_BYTES); split it first"
    )


def _read(path: Path, limits: LoadLimits) -> bytes:
    size = path.stat().st_size
    if size == 0:
        raise LoadError(f"{path}: empty file")
    if reason := too_large(size, limits):
        raise LoadError(f"{path}: {reason}")
    return path.read_bytes()


def _check_chars(count: int, name: str, limits: LoadLimits) -> None:
    if count > limits.max_document_chars:
        raise LoadError(
            f"{name}: {count:,} characters, more than the {limits.max_document_chars:,} one document may have "
            "(GOVQA_INGEST__MAX_DOCUMENT_CHARS); split it first"
        )


def _bounded(text: str, name: str, limits: LoadLimits) -> str:
    """`text`, or LoadError when it is longer than one document may be (checked before cleaning,
    whose cost grows with the length)."""
    _check_chars(len(text), name, limits)
    return text


def _title_of(text: str, fallback: str) -> str:
    for line in text.split("\n"):
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:120]
    return fallback


def text_document(
    text: str,
    *,
    doc_id: str,
    title: str = "",
    source_path: str = "",
    collection: str = "default",
    doc_type: DocType | None = None,
    url: str = "",
    published: str = "",
    index_title: bool = True,
    issuer: str = "",
    category: str = "",
) -> Document:
    """Build a cleaned Document from raw text, detecting policies and reading their metadata.

    `category` is the source's classification of the record (行政法规, 北京地方法规), read only for
    the region; the region and issuer facets fill what the header does not state.
    """
    cleaned = clean_text(text)
    if not cleaned:
        raise LoadError(f"{source_path or doc_id}: no text after cleaning")
    is_policy = len(_ARTICLE.findall(cleaned)) >= 2
    kind: DocType = doc_type or ("policy" if is_policy else "other")
    meta = extract_policy_meta(cleaned) if kind in ("policy", "notice") or is_policy else None
    title = title or _title_of(cleaned, doc_id)
    doc_number = meta.doc_number if meta else ""
    facets = infer_facets(title, cleaned, doc_number, (meta.issuer if meta else "") or issuer, category)
    return Document(
        id=doc_id,
        title=title,
        text=cleaned,
        content_hash=content_hash(cleaned),
        doc_type=kind,
        source_path=source_path,
        collection=collection,
        url=url,
        issuer=facets.issuer,
        doc_number=doc_number,
        region=canonical(meta.region if meta else "") or facets.region,
        published=(meta.published if meta else None) or parse_date(published),
        effective_from=meta.effective_from if meta else None,
        expires_at=meta.expires_at if meta else None,
        repealed_on=meta.repealed_on if meta else None,
        superseded_by=meta.superseded_by if meta else "",
        index_title=index_title,
    )


def guide_document(record: Mapping[str, Any], source_path: str, collection: str) -> LoadedDocument:
    """A structured guide record -> its rendered Document and its ServiceItem."""
    item = parse_guide(record)
    text = render_guide(item)
    doc = Document(
        id=item.code,
        title=item.name,
        text=text,
        content_hash=content_hash(text),
        doc_type="guide",
        source_path=source_path,
        collection=collection,
        issuer=item.department,
        region=item.region,
        published=parse_date(item.updated),
        item_code=item.code,
    )
    return LoadedDocument(doc, item)


_DOC_TYPES: tuple[DocType, ...] = ("guide", "policy", "faq", "notice", "other")


def doc_type_named(name: str) -> DocType:
    """The document type called `name` (for options such as --collection-type); ValueError otherwise."""
    for t in _DOC_TYPES:
        if t == name:
            return t
    raise ValueError(f"unknown document type {name!r}; choose from {', '.join(_DOC_TYPES)}")


def _record_type(record: Mapping[str, Any]) -> DocType | None:
    """A record's own `doc_type` ("faq" marks a knowledge-base entry whose title is its question)."""
    value = record.get("doc_type")
    return next((t for t in _DOC_TYPES if t == value), None)


def record_document(
    record: Mapping[str, Any], where: str, collection: str, index_titles: bool, limits: LoadLimits = DEFAULT_LIMITS
) -> LoadedDocument:
    """A document-dump record ({id, title, text, collection?, url?, date?}) -> Document."""
    if is_guide_record(record):
        return guide_document(record, where, collection)
    text = record.get("text") or record.get("content") or ""
    if not isinstance(text, str) or not text.strip():
        raise LoadError("record has no text/content field")
    _bounded(text, "record", limits)
    rec_collection = str(record.get("collection") or collection)
    category = str(record.get("category") or "")
    doc_id = str(record.get("id") or content_hash(text)[:16])
    doc = text_document(
        text,
        doc_id=doc_id,
        title=str(record.get("title") or ""),
        source_path=where,
        collection=rec_collection,
        doc_type=_record_type(record) or _COLLECTION_TYPES.get(rec_collection),
        url=str(record.get("url") or ""),
        published=str(record.get("date") or ""),
        index_title=index_titles,
        issuer=str(record.get("issuer") or "") or _department(category),
        category=category,
    )
    return LoadedDocument(doc)


def _department(category: str) -> str:
    """A record category that names its issuing department (医保局 in a knowledge base), else "".

    Law collections classify by kind of law (行政法规, 北京地方法规) and scraped pages by source type
    (local_policy_or_guide, unknown): neither is who issued the document.
    """
    if is_law_category(category) or not _HAN.search(category):
        return ""
    return category


class _HTMLText(HTMLParser):
    _SKIP = frozenset({"script", "style", "nav", "header", "footer", "noscript", "iframe", "form"})
    _BLOCK = frozenset(
        {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table", "title"}
    )
    # Elements that never hold others, or that pages leave open (the next one closes them): they
    # do not count towards the nesting depth, so sloppy real pages stay far below the limit.
    _FLAT = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
        | {"p", "li", "dt", "dd", "tr", "td", "th", "option"}
    )

    def __init__(self, max_depth: int) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False
        self._depth = 0
        self._max_depth = max_depth

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self._FLAT:
            # The parser itself is iterative; the limit is there so a page of 100,000 nested
            # elements is named as what it is instead of being indexed as a wall of blank lines.
            self._depth += 1
            if self._depth > self._max_depth:
                raise LoadError(f"HTML nested more than {self._max_depth} elements deep (GOVQA_INGEST__MAX_HTML_DEPTH)")
        if tag in self._SKIP:
            self._skip += 1
        if tag == "title":
            self._in_title = True
        if tag in self._BLOCK:
            self.parts.append("\n")
        if tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag not in self._FLAT and self._depth:
            self._depth -= 1
        if tag in self._SKIP and self._skip:
            self._skip -= 1
        if tag == "title":
            self._in_title = False
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data.strip()
        elif not self._skip:
            self.parts.append(data)


def load_text(path: Path, collection: str, index_titles: bool, limits: LoadLimits = DEFAULT_LIMITS) -> Output:
    """Plain text and Markdown, any supported encoding."""
    text = _bounded(decode(_read(path, limits), str(path)), str(path), limits)
    yield LoadedDocument(
        text_document(text, doc_id=path.stem, source_path=str(path), collection=collection, index_title=index_titles)
    )


def load_html(path: Path, collection: str, index_titles: bool, limits: LoadLimits = DEFAULT_LIMITS) -> Output:
    """HTML pages saved from portals: scripts, navigation and chrome dropped."""
    parser = _HTMLText(limits.max_html_depth)
    try:
        parser.feed(decode(_read(path, limits), str(path)))
    except LoadError as exc:
        raise LoadError(f"{path}: {exc}") from exc
    text = _bounded("".join(parser.parts), str(path), limits)
    yield LoadedDocument(
        text_document(
            text,
            doc_id=path.stem,
            title=parser.title.split("_")[0].strip(),
            source_path=str(path),
            collection=collection,
            index_title=index_titles,
        )
    )


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_BODY = "word/document.xml"


def _docx_xml(data: bytes, name: str, limits: LoadLimits) -> bytes:
    """The body part of a .docx, its unpacked size and packing ratio checked before it is inflated."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo(_DOCX_BODY)
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > limits.max_docx_xml_bytes:
                raise LoadError(
                    f"{name}: the document body unpacks to {info.file_size:,} bytes, more than "
                    f"{limits.max_docx_xml_bytes:,} (GOVQA_INGEST__MAX_DOCX_XML_BYTES)"
                )
            if info.file_size > MIB and ratio > limits.max_docx_ratio:
                raise LoadError(
                    f"{name}: the document body unpacks {ratio:,.0f} times its packed size, more than "
                    f"{limits.max_docx_ratio:g} (GOVQA_INGEST__MAX_DOCX_RATIO): a zip bomb, not a Word file"
                )
            # The declared size is what zipfile stops at (a lying header fails its CRC check);
            # reading one byte past the limit bounds memory whatever the header says.
            with archive.open(info) as part:
                xml = part.read(limits.max_docx_xml_bytes + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, NotImplementedError, EOFError, OSError) as exc:
        raise LoadError(f"{name}: not a valid .docx (Word 2007+) file: {exc}") from exc
    if len(xml) > limits.max_docx_xml_bytes:
        raise LoadError(f"{name}: the document body unpacks past {limits.max_docx_xml_bytes:,} bytes")
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml[:4096]:
        # Word never writes a DTD; entity definitions are how an XML file expands without bound.
        raise LoadError(f"{name}: the document body declares XML entities, which Word files never do")
    return xml


def _docx_text(data: bytes, name: str, limits: LoadLimits = DEFAULT_LIMITS) -> str:
    xml = _docx_xml(data, name, limits)
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise LoadError(f"{name}: the document body is not well-formed XML ({exc})") from exc
    body = root.find(f"{_W}body")
    lines: list[str] = []
    for block in body if body is not None else ():
        if block.tag == f"{_W}p":
            lines.append("".join(t.text or "" for t in block.iter(f"{_W}t")))
        elif block.tag == f"{_W}tbl":
            for row in block.iter(f"{_W}tr"):
                cells = ["".join(t.text or "" for t in cell.iter(f"{_W}t")) for cell in row.iter(f"{_W}tc")]
                lines.append(" | ".join(c.strip() for c in cells))
    return "\n".join(lines)


def load_docx(path: Path, collection: str, index_titles: bool, limits: LoadLimits = DEFAULT_LIMITS) -> Output:
    """Word documents, paragraphs and tables in reading order."""
    text = _bounded(_docx_text(_read(path, limits), str(path), limits), str(path), limits)
    yield LoadedDocument(
        text_document(text, doc_id=path.stem, source_path=str(path), collection=collection, index_title=index_titles)
    )


def _pdf_text(data: bytes, name: str, limits: LoadLimits) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise LoadError(f"{name}: encrypted PDF; save an unencrypted copy")
        pages = len(reader.pages)
        if pages > limits.max_pdf_pages:
            raise LoadError(
                f"{name}: {pages:,} pages, more than {limits.max_pdf_pages:,} (GOVQA_INGEST__MAX_PDF_PAGES)"
            )
        texts: list[str] = []
        size = 0
        for page in reader.pages:
            texts.append(page.extract_text() or "")
            size += len(texts[-1])
            _check_chars(size, name, limits)  # stop extracting as soon as the text is too long
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        # A damaged file makes pypdf fail in many ways; each is this file's fault, named in the report.
        raise LoadError(f"{name}: corrupt PDF ({type(exc).__name__}: {exc})") from exc
    return "\n".join(texts)


def load_pdf(path: Path, collection: str, index_titles: bool, limits: LoadLimits = DEFAULT_LIMITS) -> Output:
    """PDF text layer (scanned PDFs without one are reported, not silently empty)."""
    text = _pdf_text(_read(path, limits), str(path), limits)
    if not text.strip():
        raise LoadError(f"{path}: PDF has no text layer (scanned image?); OCR it first")
    yield LoadedDocument(
        text_document(text, doc_id=path.stem, source_path=str(path), collection=collection, index_title=index_titles)
    )


# What a malformed record makes the record readers raise; it fails that record only.
_RECORD_ERRORS = (LoadError, ValueError, TypeError, KeyError, AttributeError)


def _records(items: Iterable[tuple[str, Any]], collection: str, index_titles: bool, limits: LoadLimits) -> Output:
    for where, record in items:
        if isinstance(record, RecordError):
            yield record
            continue
        if not isinstance(record, Mapping):
            yield RecordError(where, "record is not a JSON object")
            continue
        try:
            yield record_document(record, where, collection, index_titles, limits)
        except _RECORD_ERRORS as exc:
            yield RecordError(where, str(exc) if isinstance(exc, LoadError) else f"{type(exc).__name__}: {exc}")


def load_json(path: Path, collection: str, index_titles: bool, limits: LoadLimits = DEFAULT_LIMITS) -> Output:
    """One guide, a list of guides or document records, or {"items"|"records"|"documents": [...]}."""
    try:
        data = json.loads(decode(_read(path, limits), str(path)))
    except json.JSONDecodeError as exc:
        raise LoadError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from exc
    except RecursionError as exc:
        raise LoadError(f"{path}: JSON nested too deeply to read") from exc
    if isinstance(data, Mapping):
        for key in ("items", "records", "documents"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
        else:
            data = [data]
    if not isinstance(data, list):
        raise LoadError(f"{path}: expected a JSON object or list of objects")
    yield from _records(((f"{path}#{i}", r) for i, r in enumerate(data)), collection, index_titles, limits)


def _jsonl_rows(path: Path, limits: LoadLimits) -> Iterator[tuple[str, Any]]:
    text = decode(_read(path, limits), str(path))
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            yield where, json.loads(line)
        except json.JSONDecodeError as exc:
            yield where, RecordError(where, f"invalid JSON: {exc.msg}")
        except RecursionError:
            yield where, RecordError(where, "JSON nested too deeply to read")


def load_jsonl(path: Path, collection: str, index_titles: bool, limits: LoadLimits = DEFAULT_LIMITS) -> Output:
    """JSON Lines: one guide or document record per line; a bad line is reported, not fatal."""
    yield from _records(_jsonl_rows(path, limits), collection, index_titles, limits)


_LIST_SPLIT = re.compile(r"[;；|\n]+")


def load_csv(path: Path, collection: str, index_titles: bool, limits: LoadLimits = DEFAULT_LIMITS) -> Output:
    """CSV catalogues: guide columns (事项名称, 事项编码, …; list cells split on ；or |) or id,title,text."""
    reader = csv.DictReader(io.StringIO(decode(_read(path, limits), str(path))))
    rows = []
    try:
        for i, row in enumerate(reader, 2):
            record: dict[str, Any] = {k.strip(): (v or "").strip() for k, v in row.items() if isinstance(k, str)}
            if is_guide_record(record):
                for key in LIST_FIELDS:
                    if key in record:
                        record[key] = [p.strip() for p in _LIST_SPLIT.split(record[key]) if p.strip()]
            rows.append((f"{path}:{i}", record))
    except csv.Error as exc:
        raise LoadError(f"{path}: unreadable CSV at line {reader.line_num}: {exc}") from exc
    yield from _records(rows, collection, index_titles, limits)


LoaderFn = Callable[[Path, str, bool, LoadLimits], Output]
LOADERS: dict[str, LoaderFn] = {
    ".txt": load_text,
    ".md": load_text,
    ".markdown": load_text,
    ".html": load_html,
    ".htm": load_html,
    ".docx": load_docx,
    ".pdf": load_pdf,
    ".json": load_json,
    ".jsonl": load_jsonl,
    ".csv": load_csv,
}


def load_path(
    path: Path, collection: str = "default", index_titles: bool = True, limits: LoadLimits = DEFAULT_LIMITS
) -> Output:
    """Dispatch on the suffix; LoadError for unsupported types and unreadable files."""
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise LoadError(
            f"{path}: unsupported file type {path.suffix or '(none)'}; supported: {', '.join(sorted(LOADERS))}"
        )
    return _guarded(path, loader(path, collection, index_titles, limits))


def _guarded(path: Path, loaded: Output) -> Output:
    """The loader's output; a parser failing in a way no loader foresaw fails this file, not the run."""
    try:
        yield from loaded
    except (LoadError, OSError):
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, MemoryError) as exc:
        raise LoadError(f"{path}: could not be parsed ({type(exc).__name__}: {exc})") from exc
