"""How much one source file may make a loader read, unpack or nest before it is rejected.

A file past a limit fails with a reason naming the limit and its setting; the other files of the
run are indexed as usual. The defaults sit well above real sources (the largest document of the
development corpus has 75,273 characters; real Word files unpack at 3-20 times their compressed
size; saved portal pages nest about 40 elements deep) and far below what exhausts memory or time.
"""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1 << 20


@dataclass(frozen=True, slots=True)
class LoadLimits:
    """Bounds every loader checks before doing the expensive part of its work."""

    max_file_bytes: int = 64 * MIB
    max_document_chars: int = 1_000_000
    max_docx_xml_bytes: int = 64 * MIB
    max_docx_ratio: float = 100.0
    max_html_depth: int = 1000
    max_pdf_pages: int = 2000

    def __post_init__(self) -> None:
        for name in ("max_file_bytes", "max_document_chars", "max_docx_xml_bytes", "max_html_depth", "max_pdf_pages"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.max_docx_ratio < 1:
            raise ValueError(f"max_docx_ratio must be at least 1, got {self.max_docx_ratio}")


DEFAULT_LIMITS = LoadLimits()
