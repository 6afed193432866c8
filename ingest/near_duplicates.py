"""Near-duplicate documents (the same notice under two URLs, a reissue with a changed footer):
MinHash signatures over character 5-grams with LSH banding, so each new document is compared only
with the few stored documents that share a band."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from govqa.core.types import Document

PERMUTATIONS = 64
BANDS = 16  # 16 bands x 4 rows: pairs above ~0.8 Jaccard almost always share a band
SHINGLE = 5
THRESHOLD = 0.9
_PRIME = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20240101)
_A = _rng.integers(1, (1 << 61) - 1, PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, (1 << 61) - 1, PERMUTATIONS, dtype=np.uint64)


def signature(text: str) -> np.ndarray:
    """MinHash signature (PERMUTATIONS uint64 values) of the text's character shingles."""
    compact = "".join(text.split())
    grams = {compact[i : i + SHINGLE] for i in range(max(1, len(compact) - SHINGLE + 1))}
    hashes = np.array(
        [int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little") >> 3 for g in grams],
        dtype=np.uint64,
    )
    # (a*x + b) mod p with uint64 wrap-around is a standard, cheap universal-hash approximation.
    return ((np.outer(hashes, _A) + _B) % _PRIME).min(axis=0)


def band_keys(sig: np.ndarray) -> list[str]:
    """One key per LSH band."""
    rows = PERMUTATIONS // BANDS
    return [
        f"{b}:{hashlib.blake2b(sig[b * rows : (b + 1) * rows].tobytes(), digest_size=8).hexdigest()}"
        for b in range(BANDS)
    ]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(a == b))


@dataclass(frozen=True, slots=True)
class Versioning:
    """What tells two similar documents apart as versions rather than duplicates."""

    doc_number: str
    published: str

    @classmethod
    def of(cls, doc: Document) -> Versioning:
        """Version markers of a document."""
        return cls(doc.doc_number, doc.published.isoformat() if doc.published else "")

    def distinct_from(self, other: Versioning) -> bool:
        """True when both carry a 文号 or date and they differ: an amendment, not a duplicate."""
        return (bool(self.doc_number and other.doc_number) and self.doc_number != other.doc_number) or (
            bool(self.published and other.published) and self.published != other.published
        )
