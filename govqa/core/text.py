"""Text helpers shared by ingest and retrieval: normalisation and Chinese numerals."""

from __future__ import annotations

import re
import unicodedata

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
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
    digits = "零一二三四五六七八九"
    parts: list[str] = []
    zero_pending = False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = value // unit_value % 10
        if d == 0:
            zero_pending = bool(parts)
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        parts.append(digits[d] + unit)
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text
