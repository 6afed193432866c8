"""Document facets inferred at ingest: the region a document applies to, its level and its issuer.

Only what a document states is used (its title, collection category, 文号, issuer, the head of
its text); when none of them names a place the facets stay empty rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from govqa.core.regions import (
    ABBREVIATIONS,
    LEVEL_CITY,
    NATIONAL,
    city_districts,
    full_names,
    level_of,
    province_shorts,
    region_named,
)

# Chinese kept here: the range of Han characters, for character classes of the patterns below.
_CJK = "\u4e00-\u9fff"
# Chinese kept here: the categories of national law (LawRefBook's folders), matched against record categories.
NATIONAL_CATEGORIES = frozenset(
    "行政法规 部门规章 宪法 行政法 经济法 民法商法 社会法 刑法 诉讼与非诉讼程序法 宪法相关法 民法典".split()
)
# Chinese kept here: the suffix of LawRefBook's local-law categories (北京地方法规), read from source records.
_LOCAL_CATEGORY = re.compile(rf"^([{_CJK}]{{2,8}}?)地方法规$")
# Chinese kept here: the prefix of every national law's full title.
_PRC = "中华人民共和国"
# Chinese kept here: title openings that are not part of the name (（转载）, 【人社】, 2026年, 关于) and are skipped.
_TITLE_NOISE = re.compile(r"^(?:[（(【\[][^）)】\]]{1,8}[）)】\]]|\d{4}年度?|关于|[\s，,、：:！!])+")
# Chinese kept here: a generic place name — 2–4 characters and 市/区/县 — with what shows it is not
# one: a stem ending in a non-place word (城市, 社区, 开发区, 生态涵养区 …) or a suffix that begins
# another word (市场, 市政, 区域, 县级 …).
_GENERIC_PLACE = re.compile(rf"^([{_CJK}]{{2,4}}?)([市区县])(?!场|政|容|民|级|域|辖|长|委|属)")
_NOT_A_PLACE_STEM = re.compile(
    r"(?:城|社|园|景|矿|林|灾|疫|校|学|港|特|的|本|全|各|设区|开发|示范|保护|涵养|功能|试验|实验|自贸|保税|风景"
    r"|名胜|旅游|工业|产业|核心|中心|自治|民族|地|乡|农村|城乡|本辖|超|都|街|小)$"
)
# Chinese kept here: issuing bodies as a text names them, national and local.
_BODY = (
    r"人民代表大会常务委员会|人民代表大会|人民政府(?:办公厅|办公室)?"
    rf"|[{_CJK}]{{1,14}}?(?:委员会|局|厅|委|办公室|中心)"
)
# Chinese kept here: a national body in the act of issuing (第七届全国人民代表大会常务委员会第十一次会议通过,
# 国务院令第746号公布, 公安部令第78号发布, a text opening with 国务院办公厅), not a reference to it.
_NATIONAL_ISSUE = re.compile(
    rf"第[一二三四五六七八九十]+届(全国人民代表大会(?:常务委员会)?)"
    rf"|(?:{_PRC})?(国务院|[{_CJK}]{{2,10}}?部)令第\d+号(?:公布|发布)"
    rf"|^\s*(?:{_PRC})?(国务院(?:办公厅)?|全国人民代表大会(?:常务委员会)?)"
)
# Chinese kept here: national issuers a title opens with (国务院办公厅关于…, 人力资源社会保障部关于…).
_NATIONAL_TITLE = re.compile(
    rf"^(?:国务院|全国人民代表大会|中共中央|国家[{_CJK}]{{1,8}}?(?:局|委员会)(?=关于|令|公告)"
    rf"|[{_CJK}]{{1,8}}?部(?=关于|令|公告|办公厅))"
)
# Chinese kept here: what follows a body that issues the text (…令, …关于, 第…次会议通过, …公布, …发布).
_ISSUING = re.compile(r"\s*(?:令|关于|第|公布|发布|印发|公告|通告|通知|文件|\s*$|\n)")
# Chinese kept here: a body on a line of its own, after at most a date (2026-04-20 广州市天河区教育局).
_LINE_START = re.compile(r"(?:^|\n)[\s\d年月日.\-:：]*$")
# Chinese kept here: what follows an issuer a title opens with (关于…, 等4部门…, a space before a co-issuer).
_AFTER_TITLE_BODY = re.compile(r"关于|等\d*个?部门|等|\s|印发")
# Chinese kept here: national 文号 prefixes (国发, 国办发, 国函, 国令, 国务院令, ministry orders 部令).
_NATIONAL_NUMBER = re.compile(rf"^(?:国[发办函令]|国务院令|[{_CJK}]{{1,10}}部(?:令|发|函))")
# Chinese kept here: a 文号's issuer part before its 〔year〕 bracket (京政发〔2020〕3号).
_NUMBER_HEAD = re.compile(rf"^([{_CJK}]{{1,8}})\s*[〔\[(（]\s*\d{{4}}")
# Chinese kept here: citations (《…》) name other documents' issuers, not this one's.
_CITATION = re.compile(r"《[^》]{0,80}》")
_TEXT_HEAD = 500


@dataclass(frozen=True, slots=True)
class Facets:
    """Where a document applies (canonical region), at which level, and who issued it; "" when unknown."""

    region: str = ""
    level: str = ""
    issuer: str = ""


_LISTED_DISTRICTS = city_districts()
_SHORTS = sorted(province_shorts().items(), key=lambda kv: -len(kv[0]))  # 内蒙古 before any 2-character form
_PLACE = re.compile("|".join(re.escape(n) for n in full_names()))  # longest first: 广州市天河区 before 广州市
# Chinese kept here: the session number between a congress and its standing committee (第十五届).
_SESSION = re.compile(r"第[一二三四五六七八九十]+届")
_BODY_AT = re.compile(rf"(?:{_BODY})")


def is_law_category(category: str) -> bool:
    """True for a collection category that names a kind of law (行政法规, 北京地方法规), not a department."""
    return category in NATIONAL_CATEGORIES or _LOCAL_CATEGORY.match(category) is not None


def _generic(text: str) -> str:
    """`XX市`/`XX区`/`XX县` at the start of `text` when it reads as a place name, else "".

    A stem that holds a known name further in (举报北京市, 受理天河区) is a phrase about that place."""
    match = _GENERIC_PLACE.match(text)
    if match is None or _NOT_A_PLACE_STEM.search(match[1]):
        return ""
    inner = match[0][1:]
    if _PLACE.search(inner) or any(s in inner for s, _ in _SHORTS) or any(d in inner for d in _LISTED_DISTRICTS):
        return ""
    return match[0]


def _named_place(text: str) -> str:
    """The most specific region `text` starts with: a gazetteer unit, a listed or generic district after
    its city, a province's short form, a listed district alone, or a generic place; "" when none."""
    if match := _PLACE.match(text):
        unit = match[0]
        rest = text[len(unit) :]
        if level_of(unit) == LEVEL_CITY:
            listed = next((d for d, full in _LISTED_DISTRICTS.items() if full == unit + d and rest.startswith(d)), "")
            return unit + (listed or _generic(rest))
        return unit
    for short, full in _SHORTS:
        if text.startswith(short):
            return full
    for district, canonical in _LISTED_DISTRICTS.items():
        if text.startswith(district):
            return canonical
    return _generic(text)


def _category_region(category: str) -> str:
    if category in NATIONAL_CATEGORIES:
        return NATIONAL
    match = _LOCAL_CATEGORY.match(category)
    found = region_named(match[1]) if match is not None else None
    return found.name if found is not None else ""


def _number_region(doc_number: str) -> str:
    number = doc_number.strip()
    if _NATIONAL_NUMBER.match(number):
        return NATIONAL
    head = _NUMBER_HEAD.match(number)
    return ABBREVIATIONS.get(head[1][0], "") if head is not None else ""


@dataclass(frozen=True, slots=True)
class _Body:
    """An issuing body named in a text: where it starts and ends, its region and its full name."""

    start: int
    end: int
    region: str
    name: str
    issuing: bool = True  # stated as the issuer (…令, …关于, …会议通过, a line of its own), not mentioned


def _local_body(text: str, only_at_start: bool = False) -> _Body | None:
    """The first place in `text` directly followed by an issuing body (广州市天河区教育局)."""
    for match in _PLACE.finditer(text):
        if only_at_start and match.start() > 0:
            break
        place = _named_place(text[match.start() :])
        at = match.start() + len(place)
        if session := _SESSION.match(text, at):
            at = session.end()
        if body := _BODY_AT.match(text, at):
            issuing = _ISSUING.match(text, body.end()) is not None or _LINE_START.search(text[: match.start()])
            return _Body(match.start(), body.end(), place, place + body[0], bool(issuing))
    return None


def _head_body(text: str) -> _Body | None:
    """The first issuing body the head of `text` names outside citations: a local body, or a national
    one in an issuing statement (a congress session, a 国务院令) — a mere mention of 国务院 is a reference."""
    head = _CITATION.sub("", text[:_TEXT_HEAD])
    local = _local_body(head)
    national = _NATIONAL_ISSUE.search(head)
    if national is not None and (local is None or national.start() < local.start):
        return _Body(national.start(), national.end(), NATIONAL, next(g for g in national.groups() if g))
    return local


def _title_issuer(title: str) -> _Body | None:
    """The body a title opens with when the title reads "<body>关于…" or "<body>等N部门…"."""
    body = _local_body(title, only_at_start=True)
    return body if body is not None and _AFTER_TITLE_BODY.match(title, body.end) else None


def _title_region(title: str) -> str:
    if _NATIONAL_TITLE.match(title):
        return NATIONAL
    return _named_place(title)


def _stated_region(issuer: str) -> str:
    """The gazetteer region an issuer's name starts with (北京市经济和信息化局 → 北京市), else ""."""
    place = _named_place(issuer)
    return place if region_named(place) is not None else ""


def infer_facets(title: str, text: str, doc_number: str = "", issuer: str = "", category: str = "") -> Facets:
    """Region, level and issuer of a document from what it states, first source that knows winning.

    Region: a national-law category or a 中华人民共和国 title (a law of the whole country, even one
    about a region), then the place the title starts with (the most specific unit it names; 国务院… is
    national), a local-law category (北京地方法规 → 北京市), the 文号 (京政发 → 北京市, 国发 → 全国),
    a stated issuer that names its place, and the first issuing body in the head of the text.
    Issuer: the given one, else the body the title opens with, else that issuing body when the text
    states it issues the text (not a body it merely mentions).
    """
    bare_title = _TITLE_NOISE.sub("", title)
    head = _head_body(text)
    if category in NATIONAL_CATEGORIES or bare_title.startswith(_PRC):
        region = NATIONAL
    else:
        region = (
            _title_region(bare_title)
            or _category_region(category)
            or _number_region(doc_number)
            or _stated_region(issuer)
            or (head.region if head is not None else "")
        )
    opener = _title_issuer(bare_title)
    found = opener or (head if head is not None and head.issuing else None)
    return Facets(
        region=region, level=level_of(region) if region else "", issuer=issuer or (found.name if found else "")
    )
