"""Masking of personal numbers before a conversation or a piece of feedback is stored.

Citizens paste their 身份证号, mobile number or bank card into questions ("我的身份证号是…，
公积金怎么取"); the turn log and the feedback store keep what was said, so the numbers are masked
first, keeping a short prefix and suffix (110101********1234) so an operator can still tell two
conversations apart. The patterns are anchored on digit boundaries so that 文号 (〔2024〕3号),
dates, amounts, 12345 and landline hotlines (010-12345678) are left alone.
"""

from __future__ import annotations

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


def _digits(number: str) -> str:
    """A number written with group separators, run together."""
    return number.replace(" ", "").replace("-", "")
