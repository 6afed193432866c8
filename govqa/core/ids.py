"""Stable content-derived identifiers (sha256), so re-ingesting the same text is idempotent."""

from __future__ import annotations

import hashlib
import uuid

_NAMESPACE = uuid.UUID("6f1c2b1e-3c55-4d3b-9a43-6b0c3b7f4a10")


def content_hash(*parts: str) -> str:
    """Return the hex sha256 of the parts joined by a separator that cannot occur in text."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def chunk_id(doc_id: str, ordinal: int, text: str) -> str:
    """Chunk ids are deterministic uuids (Qdrant accepts uuids or integers as point ids)."""
    return str(uuid.uuid5(_NAMESPACE, f"{doc_id}\x00{ordinal}\x00{content_hash(text)}"))
