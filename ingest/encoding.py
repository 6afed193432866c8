"""Decode bytes of unknown encoding (UTF-8, UTF-16 with BOM, GBK/GB18030) and reject binaries."""

from __future__ import annotations

from govqa.core.errors import LoadError

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def looks_binary(data: bytes) -> bool:
    """True for data with NUL bytes or many control characters (images, archives renamed .txt)."""
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return bool(sample) and controls / len(sample) > 0.05


def decode(data: bytes, name: str = "") -> str:
    """Return the text of `data`, trying BOMs, then UTF-8, then GB18030 (a superset of GBK)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise LoadError(f"{name}: starts with a {codec} byte-order mark but does not decode: {exc}") from exc
    if looks_binary(data):
        raise LoadError(f"{name}: binary content, not text (wrong file extension?)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise LoadError(f"{name}: not valid UTF-8, UTF-16 or GB18030 text ({exc.reason} at byte {exc.start})") from exc
