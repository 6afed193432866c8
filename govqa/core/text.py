"""Text helpers shared by ingest and retrieval: normalisation and Chinese numerals."""

from __future__ import annotations

import re
import unicodedata

from govqa.core.vocab import ARTICLE_RE, CN_DIGIT_VALUES, CN_DIGITS_WRITTEN, CN_UNIT_VALUES

_DIGITS = CN_DIGIT_VALUES
_UNITS = CN_UNIT_VALUES
_UNIT_CHARS = sorted(CN_UNIT_VALUES.items(), key=lambda kv: -kv[1])
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalise(text: str) -> str:
    """Full-width ASCII to half-width, unify spaces and line ends; keeps Chinese punctuation.

    NFKC would also turn 〔 〕 and Chinese commas into ASCII, which breaks 文号 like 京政发〔2024〕3号,
    so only the full-width ASCII block (U+FF01..U+FF5E) is folded.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    lines = [_SPACES.sub(" ", line).strip() for line in "".join(out).split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def fold_query(text: str) -> str:
    """Normalise a user question for matching: NFKC, lower-case, collapse whitespace."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def cn_to_int(numeral: str) -> int | None:
    """Convert a Chinese numeral such as 二十四 or 一百零三 (or ASCII digits) to int; None if invalid."""
    if numeral.isdigit():
        return int(numeral)
    total, current = 0, 0
    for ch in numeral:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def int_to_cn(value: int) -> str:
    """Convert 1..9999 to the Chinese numeral used in article labels (24 -> 二十四)."""
    if value <= 0:
        raise ValueError(f"article numbers start at 1, got {value}")
    digits = CN_DIGITS_WRITTEN
    parts: list[str] = []
    zero_pending = False
    for unit, unit_value in (*_UNIT_CHARS, ("", 1)):
        d = value // unit_value % 10
        if d == 0:
            zero_pending = bool(parts)
            continue
        if zero_pending:
            parts.append(digits[0])
            zero_pending = False
        parts.append(digits[d] + unit)
    text = "".join(parts)
    # 10..19 are written 十, 十一, … without the leading 一.
    return text[1:] if text.startswith(digits[1] + _UNIT_CHARS[-1][0]) else text


def article_label_number(label: str) -> int | None:
    """The number of an article label (第二十四条 -> 24); None when the label is not an article."""
    m = ARTICLE_RE.fullmatch(label)
    return cn_to_int(m[1]) if m else None


def is_han(c: str) -> bool:
    """Whether a character is a CJK unified ideograph."""
    # Chinese kept here: the CJK code-point range, not wording.
    return "\u4e00" <= c <= "\u9fff"


# A date written 2024-07-01, 2024/7/1, 2024.07.01 or 2024年07月01日.
_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?:日|号)?(?!\d)")


def normalise_dates(text: str) -> str:
    """Every full date in one spelling, 2024年7月1日, so that 2024-07-01 in a document's header and
    2024年7月1日 in a sentence compare equal."""
    return _DATE.sub(lambda m: f"{int(m[1])}年{int(m[2])}月{int(m[3])}日", text)


def abbreviated_in(term: str, text: str) -> bool:
    """True when `text` holds the term as the abbreviation of a longer word: the term's Chinese
    characters in order, the first and last in place, with at most two characters between each
    pair and at least one in all (国标 in 国家标准, 医保 in 医疗保险, 电动车 in 电动自行车)."""
    if not 2 <= len(term) <= 4 or not all(is_han(c) for c in term):
        return False
    gap = "[\u4e00-\u9fa5]{0,2}"
    return any(len(m[0]) > len(term) for m in re.finditer(gap.join(re.escape(c) for c in term), text))
