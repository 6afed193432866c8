"""Masking of personal numbers before a conversation or a piece of feedback is stored.

Citizens paste their 身份证号, mobile number or bank card into questions ("我的身份证号是…，
公积金怎么取"); the turn log and the feedback store keep what was said, so the numbers are masked
first, keeping a short prefix and suffix (110101********1234) so an operator can still tell two
conversations apart. The patterns are anchored on digit boundaries so that 文号 (〔2024〕3号),
dates, amounts, 12345 and landline hotlines (010-12345678) are left alone.
"""

from __future__ import annotations

import hashlib
import re

# An 18-digit resident ID: region (6), birth date (8, 1900-2099), sequence (3), check digit or X.
_ID18 = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
# The older 15-digit ID: region (6), two-digit birth year and date (6), sequence (3).
_ID15 = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9A-Za-z])")
# A bank card: 16-19 digits, run together or in groups of four separated by spaces or hyphens.
_CARD = re.compile(r"(?<![\d-])(?:\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?)(?![\d-])")
# A mainland mobile number, optionally after +86, run together or written 3-4-4.
_MOBILE = re.compile(r"(?<![\d-])(?:\+?86[ -]?)?1[3-9]\d(?:\d{8}|[ -]\d{4}[ -]\d{4})(?![\d-])")


def _keep(digits: str, head: int, tail: int) -> str:
    """`digits` with everything but its first `head` and last `tail` characters starred."""
    return digits[:head] + "*" * (len(digits) - head - tail) + digits[-tail:]


def mask_personal(text: str) -> str:
    """`text` with 身份证号, bank card and mobile numbers masked, keeping a short prefix and suffix.

    IDs are tried first (an 18-digit ID would otherwise read as a card), then cards, then mobiles.
    """
    text = _ID18.sub(lambda m: _keep(m[0], 6, 4), text)
    text = _ID15.sub(lambda m: _keep(m[0], 6, 3), text)
    text = _CARD.sub(lambda m: _keep(_digits(m[0]), 4, 4), text)
    # The mobile's first three digits (and a +86) are kept: the last eight are personal.
    return _MOBILE.sub(lambda m: _keep(_digits(m[0]), len(_digits(m[0])) - 8, 4), text)


# Chinese kept here: the "number" suffix of a label written before a personal number (身份证号是…,
# 卡号：…); the label without it (身份证, 卡) still says what the citizen holds.
_LABEL_SUFFIX = re.compile(r"(?:号码|号)?(?:是|为|[:：])?\s*$")


def without_personal(text: str) -> str:
    """`text` with 身份证号, bank card and mobile numbers removed, with the 号/号码 of the label
    before them: 我的身份证号110101…，居住证怎么办 reads 我的身份证，居住证怎么办."""
    for pattern in (_ID18, _ID15, _CARD, _MOBILE):
        parts: list[str] = []
        last = 0
        for match in pattern.finditer(text):
            parts.append(_LABEL_SUFFIX.sub("", text[last : match.start()]))
            last = match.end()
        text = "".join(parts) + text[last:]
    return text


def _digits(number: str) -> str:
    """A number written with group separators, run together."""
    return number.replace(" ", "").replace("-", "")


def pseudonymous_id(session_id: str) -> str:
    """A session id as the stores keep it: itself, or a hash of it when it carries a personal number
    (a client may use the citizen's mobile as the id). The same id always maps to the same key, so
    every store finds what another stored under it."""
    if mask_personal(session_id) == session_id:
        return session_id
    return "p-" + hashlib.sha256(session_id.encode("utf-8")).hexdigest()[:40]
