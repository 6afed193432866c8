"""Attributes of a clause read by rules: amounts, caps, periods and dates, bodies, beneficiaries, 文号.

Every value is a verbatim span of the clause text (per the clause labelling guidelines: the
shortest span that still carries the meaning, no leading 不超过 or trailing 以内), in text order and
each value once. Pure functions over one clause's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from govqa.policy import vocab
from govqa.policy.types import ClauseAttributes, ClauseType

_Span = tuple[int, int]
_HEADS = re.compile("|".join(sorted(map(re.escape, vocab.BENEFICIARY_HEADS), key=len, reverse=True)))
_LEFT_CUT = re.compile(vocab.BENEFICIARY_LEFT_CUT)
# The same words one at a time, matched in the whole text so a lookahead sees the head (保障|家庭成员).
_CUT_WORD = re.compile(vocab.BENEFICIARY_LEFT_CUT.removeprefix(".*"))
_MAX_MODIFIER = 14
_MAX_SHARED = 4
_MAX_BODY = 64
_BODY_CUT = vocab.BODY_LEFT_CUT
_ENDS_AS_BODY = re.compile(rf"(?:{vocab.BODY_SUFFIX_RE.pattern})$")


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    """Values in first-seen order, each once."""
    return tuple(dict.fromkeys(v for v in values if v))


def _masked(text: str) -> str:
    """The text with titles (《…》) and 文号 years blanked, so a year inside them reads as no date."""
    return vocab.TITLE_RE.sub(lambda m: " " * len(m[0]), text)


def _amount_spans(text: str) -> list[_Span]:
    return [m.span() for m in vocab.AMOUNT_RE.finditer(_masked(text))]


def _caps(text: str, spans: list[_Span]) -> Iterator[str]:
    """The amounts an upper-bound word governs (不超过24000元, 最高不超过50万元, 最高为5万元)."""
    for start, end in spans:
        before = text[max(0, start - 8) : start]
        if re.search(rf"{vocab.CAP_RE.pattern}[^，。；;、\d]{{0,4}}$", before):
            yield text[start:end]


def _deadline_spans(text: str) -> list[_Span]:
    """Dates first, then the periods that are not part of a date (2022年9月1日 holds no period)."""
    masked = _masked(text)
    dates = [m.span() for m in vocab.DATE_RE.finditer(masked)]
    taken = [False] * len(text)
    for a, b in dates:
        taken[a:b] = [True] * (b - a)
    periods = [m.span() for m in vocab.PERIOD_RE.finditer(masked) if not any(taken[m.start() : m.end()])]
    return sorted(dates + periods)


def _body_start(text: str, start: int) -> int:
    """Where the name ending at a body suffix at `start` begins, read back to the first stop."""
    left = start
    while left > 0 and start - left < _MAX_BODY:
        if text[left - 1] in vocab.CLOSE_BRACKETS and (opened := _short_bracket(text, left - 1)) >= 0:
            left = opened  # 县（市、区）人民政府: a bracket of places belongs to the name
            continue
        if _body_stops(text[left - 1]):
            break
        left -= 1
    if text.endswith(vocab.BODY_JOINED_DE, 0, left) and text.startswith("市", left):
        left -= len(vocab.BODY_JOINED_DE)
    prefix = text[left:start]
    if cut := _BODY_CUT.match(prefix):
        left += cut.end()
        prefix = text[left:start]
    if level := vocab.BODY_LEVEL_START.search(prefix):
        left += level.start()
        prefix = text[left:start]
    # Two whole bodies joined by a conjunction are two names (财政部门和审计机关); a conjunction right
    # before the suffix leaves the suffix a name of its own (机动车和|国务院).
    for conj in reversed(list(vocab.BODY_AND.finditer(prefix))):
        if _ENDS_AS_BODY.search(prefix[: conj.start()]) or conj.end() == len(prefix):
            left += conj.end()
            prefix = text[left:start]
            break
    while prefix.startswith(vocab.LIST_SEP):
        left += 1
        prefix = prefix[1:]
    # A list of whole bodies (甲局、乙局) is several names; a list of functions sharing one suffix
    # (公安、卫生等行政部门, 市和区、县人民政府) is one.
    parts = prefix.split(vocab.LIST_SEP)
    for i in range(len(parts) - 1, 0, -1):
        # A part that is a whole body, or people (工作人员), is no function sharing the suffix.
        if _ENDS_AS_BODY.search(parts[i - 1]) or parts[i - 1].endswith(vocab.PEOPLE):
            left += len(vocab.LIST_SEP.join(parts[:i])) + 1
            break
    return left


def _short_bracket(text: str, close: int) -> int:
    """The index of the bracket opening the short list of places that closes at `close`, or -1."""
    opened = max(text.rfind(b, max(0, close - 6), close) for b in vocab.OPEN_BRACKETS)
    inside = text[opened + 1 : close] if opened >= 0 else ""
    return opened if inside and all(ch in vocab.PLACE_LIST_CHARS for ch in inside) else -1


def _body_stops(char: str) -> bool:
    return char.isspace() or char in vocab.BODY_STOP


def _without_trailing_generic(text: str, start: int, end: int) -> int:
    """Where a name ends without the generic body written after it (食品药品监督管理部门|等部门)."""
    tail = vocab.TRAILING_GENERIC_BODY.search(text, start, end)
    return tail.start() if tail else end


def _department_spans(text: str) -> list[_Span]:
    """Named bodies, and the short names the clause gives them (以下简称市经信局)."""
    masked = _masked(text)
    found = [m.span() for m in vocab.DEPARTMENT_RE.finditer(masked)]
    found += [(_body_start(masked, m.start()), m.end()) for m in vocab.BODY_SUFFIX_RE.finditer(masked)]
    found = [(a, b) for a, b in found if b > a]
    found = [(a, _without_trailing_generic(masked, a, b)) for a, b in found]
    # A name inside a longer one is part of it (国务院 in 国务院劳动保障行政部门).
    spans = sorted(
        {
            (a, b)
            for a, b in found
            if not any((c, d) != (a, b) and c <= a and b <= d for c, d in found)
            and not _generic(masked[a:b])
            and not masked[a:b].endswith(vocab.NOT_BODY_ENDINGS)
        }
    )
    known = {masked[a:b] for a, b in spans}
    for m in vocab.ALIAS_RE.finditer(masked):
        # An alias names a body when the words it abbreviates end right before it and are a body.
        if any(b == m.start() for _, b in spans) and m[1] not in known:
            spans.append((m.start(1), m.end(1)))
            known.add(m[1])
    # Later mentions of a name with no suffix of its own (公积金中心, 市财政 after their first mention).
    for name in list(known):
        for hit in re.finditer(re.escape(name), masked):
            if not any(a <= hit.start() < b for a, b in spans):
                spans.append(hit.span())
    return sorted(spans)


def _generic(name: str) -> bool:
    """Whether a name only points at a body (有关部门, 其他有关部门, 上级行政机关) instead of naming one."""
    return name in vocab.GENERIC_BODIES or vocab.GENERIC_BODY_HEAD.sub("", name) in vocab.GENERIC_BODIES


def _is_word_char(text: str, at: int) -> bool:
    return at < len(text) and "\u4e00" <= text[at] <= "\u9fff"


def _stops(char: str) -> bool:
    return char.isspace() or char in vocab.BENEFICIARY_STOP


def _item_spans(text: str) -> list[_Span]:
    """The 项 lines of a clause ((一)…): the parties they name are conditions' details, not who
    the clause is for (有下列情形之一的：（一）失业前用人单位…)."""
    return [m.span() for m in vocab.ITEM_LINE_RE.finditer(text)]


def _beneficiary_candidates(text: str, blocked: list[_Span]) -> Iterator[tuple[int, str, bool]]:
    """Head nouns with the modifiers written right before them, outside any named body or list item,
    each with whether it stands as a name of its own (not after a determiner such as 同一 or 每家)."""
    for m in _HEADS.finditer(text):
        start, end = m.span()
        if any(a <= start < b or a < end <= b for a, b in blocked):
            continue
        # A head right before another head or a word it modifies is part of something else
        # (残疾人|家庭学生, 特困人员|供养, 职工|工伤).
        if vocab.BENEFICIARY_NOT_BEFORE.match(text, end) or _HEADS.match(text, end):
            continue
        left = start
        while left > start - _MAX_MODIFIER and left > 0 and not _stops(text[left - 1]):
            left -= 1
        # Modifiers never reach into a body's name (社会保险行政部门|工作人员).
        left = max([left] + [b for a, b in blocked if a < start and left < b <= start])
        prefix = text[left:start]
        # An unbalanced quote means the name starts after it (国家级专精特新“小巨人”企业 is balanced).
        if prefix.count(vocab.QUOTE_OPEN) != prefix.count(vocab.QUOTE_CLOSE):
            cut_at = max(prefix.rfind(vocab.QUOTE_OPEN), prefix.rfind(vocab.QUOTE_CLOSE)) + 1
            left += cut_at
            prefix = prefix[cut_at:]
        if (cut_end := _last_cut(text, left, start)) > left:
            # 申请 right before the head is part of the name (申请企业, 申请家庭, 申请人).
            keep = cut_end == start and prefix.endswith(vocab.APPLYING)
            left = cut_end - (len(vocab.APPLYING) if keep else 0)
        own = not (text.startswith(vocab.OF, end) and _is_word_char(text, end + 1))
        # A determiner may open with a character that ends modifiers (各|类企业 is 各类 企业).
        det = vocab.BENEFICIARY_DETERMINER.match(text, left, start)
        if det is None and left > 0 and (straddling := vocab.BENEFICIARY_DETERMINER.match(text, left - 1, start)):
            det = straddling if straddling.end() > left else None
        if det is not None:
            left, own = det.end(), False
        left = _shared_head_start(text, left)
        if left == start and (joined := next((j for j in vocab.JOINED_MODIFIERS if text.endswith(j, 0, left)), "")):
            left -= len(joined)
        yield left, text[left:end], own


def _last_cut(text: str, left: int, start: int) -> int:
    """The end of the last word in text[left:start] that ends a name's modifiers, or `left`."""
    end = left
    at = left
    while (m := _CUT_WORD.search(text, at)) is not None and m.end() <= start:
        end, at = m.end(), m.start() + 1
    return end


def _shared_head_start(text: str, left: int) -> int:
    """Where a name starts when short words before it share its head (退休、退职人员): a part
    before the separator with no head of its own belongs to the name."""
    at = left
    while at > 1 and text[at - 1] == vocab.LIST_SEP:
        part_start = at - 1
        while part_start > 0 and at - 1 - part_start < _MAX_SHARED and not _stops(text[part_start - 1]):
            part_start -= 1
        part = text[part_start : at - 1]
        whole = any(m.end() == at - 1 for m in _HEADS.finditer(text, max(0, at - 1 - _MAX_MODIFIER), at - 1))
        if not part or whole or _HEADS.search(part) or _LEFT_CUT.match(part) or _ENDS_AS_BODY.search(part):
            break
        at = part_start
    return at


def _listed_parties(text: str) -> bool:
    """Whether the clause's list announces parties (下列人员可以申请…：), so its items name them."""
    return vocab.PARTY_LIST_LEAD.search(text) is not None


def _gives(text: str, left: int, end: int) -> bool:
    """Whether the party at text[left:end] pays, provides or is the other side (由用人单位支付,
    与用人单位发生争议, 企事业单位应当…提供) rather than receives."""
    return text.endswith(vocab.GIVER_BEFORE, 0, left) or text.startswith(vocab.GIVER_AFTER, end)


def _beneficiaries(text: str, departments: list[_Span], support: bool = False) -> tuple[str, ...]:
    """The persons or organisations a clause names as receiving support or meeting its conditions.

    A shorter name counts where it stands on its own (职工 as well as 工伤职工), not where it is part
    of a longer one or follows a determiner (同一企业 after 专精特新中小企业); generic words (申请人,
    个人) count only when the clause names nobody else. In a `support` clause a party named only as
    the one who pays or provides is left out (the guidelines label who receives the support).
    """
    blocked = departments + ([] if _listed_parties(text) else _item_spans(text)) + _aliased(text)
    candidates = [c for c in sorted(_beneficiary_candidates(_masked(text), blocked)) if not c[1].endswith(vocab.STAFF)]
    if support:
        receiving = {value for left, value, _ in candidates if not _gives(text, left, left + len(value))}
        candidates = [c for c in candidates if c[1] in receiving]
    found = _unique(value for _, value, _ in candidates)
    named = [v for v in found if v not in vocab.GENERIC_BENEFICIARIES]
    if not named:
        return found[:1]
    standalone = {value for _, value, own in candidates if own}
    kept = [v for v in named if v in standalone or not any(v != o and v in o for o in named)]
    # A party written only before 的 (残疾人的用人单位) describes another; it is kept when alone.
    return tuple(v for v in kept if v in standalone) or tuple(kept)


def _aliased(text: str) -> list[_Span]:
    """The words a clause abbreviates right after (在本市缴存住房公积金的职工（以下简称缴存职工）):
    the short name is the party's name, so the words it stands for are left out."""
    spans = []
    for m in vocab.ALIAS_RE.finditer(text):
        start = m.start()
        while start > 0 and not _stops(text[start - 1]):
            start -= 1
        spans.append((start, m.start()))
    return spans


def conditions(text: str) -> tuple[str, ...]:
    """The conditions a clause states: its "…的，" phrases (符合下列条件的, 正常经营6个月以上的), verbatim."""
    body = vocab.ARTICLE_HEAD_RE.sub("", text, count=1)
    found = (m[1].strip() for m in vocab.CONDITION_RE.finditer(body))
    return _unique(c for c in found if len(c) >= vocab.MIN_CONDITION_CHARS)


def extract_attributes(text: str, clause_type: ClauseType | None = None) -> ClauseAttributes:
    """The attributes `text` states, verbatim; beneficiaries only for the types that have them
    (all types when `clause_type` is None)."""
    amount_spans = _amount_spans(text)
    department_spans = _department_spans(text)
    keep_beneficiary = clause_type is None or clause_type in vocab.BENEFICIARY_TYPES
    return ClauseAttributes(
        beneficiary=_beneficiaries(text, department_spans, clause_type == vocab.SUPPORT_TYPE)
        if keep_beneficiary
        else (),
        amount=_unique(text[a:b] for a, b in amount_spans),
        cap=_unique(_caps(text, amount_spans)),
        deadline=_unique(text[a:b] for a, b in _deadline_spans(text)),
        department=_unique(text[a:b] for a, b in department_spans),
        cites=_unique(m[0] for m in vocab.CITE_RE.finditer(text)),
    )
