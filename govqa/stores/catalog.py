"""The SQLite catalog of one index generation: documents, chunks, tokens, items and the ledger."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from govqa.core.types import Chunk, Document, Material, ServiceItem

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (id TEXT PRIMARY KEY, source_path TEXT, content_hash TEXT, body TEXT);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source_path);
CREATE INDEX IF NOT EXISTS documents_hash ON documents(content_hash);
CREATE TABLE IF NOT EXISTS chunks (id TEXT PRIMARY KEY, doc_id TEXT, ordinal INTEGER, body TEXT, tokens TEXT);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS items (code TEXT PRIMARY KEY, doc_id TEXT, body TEXT);
CREATE TABLE IF NOT EXISTS ledger (path TEXT PRIMARY KEY, file_hash TEXT, doc_ids TEXT, ingested_at TEXT);
CREATE TABLE IF NOT EXISTS aliases (doc_id TEXT PRIMARY KEY, canonical_id TEXT, source_path TEXT);
CREATE TABLE IF NOT EXISTS signatures (doc_id TEXT PRIMARY KEY, sig BLOB);
CREATE TABLE IF NOT EXISTS bands (band TEXT, doc_id TEXT);
CREATE INDEX IF NOT EXISTS bands_band ON bands(band);
CREATE INDEX IF NOT EXISTS bands_doc ON bands(doc_id);
"""


def _encode(obj: Any) -> str:
    def default(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        raise TypeError(type(value))

    return json.dumps(dataclasses.asdict(obj), ensure_ascii=False, default=default)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def decode_document(body: str) -> Document:
    """Inverse of the stored JSON form of a Document."""
    data = json.loads(body)
    for key in ("published", "effective_from", "expires_at", "repealed_on"):
        data[key] = _date(data.get(key))
    return Document(**data)


def decode_chunk(body: str) -> Chunk:
    """Inverse of the stored JSON form of a Chunk."""
    data = json.loads(body)
    data["section"] = tuple(data["section"])
    return Chunk(**data)


def decode_item(body: str) -> ServiceItem:
    """Inverse of the stored JSON form of a ServiceItem."""
    data = json.loads(body)
    data["materials"] = tuple(Material(**m) for m in data["materials"])
    for key, value in data.items():
        if isinstance(value, list):
            data[key] = tuple(value)
    return ServiceItem(**data)


class Catalog:
    """Documents, chunks (with their lexical tokens), service items and the ingest ledger."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Commit and close."""
        self._db.commit()
        self._db.close()

    def commit(self) -> None:
        """Make the writes so far durable."""
        self._db.commit()

    # documents and chunks
    def put_document(self, doc: Document, chunks: Sequence[Chunk], tokens: Sequence[Sequence[str]]) -> None:
        """Store a document with its chunks, replacing any previous version of the same id."""
        self.delete_document(doc.id)
        self._db.execute(
            "INSERT INTO documents VALUES (?,?,?,?)", (doc.id, doc.source_path, doc.content_hash, _encode(doc))
        )
        self._db.executemany(
            "INSERT INTO chunks VALUES (?,?,?,?,?)",
            [(c.id, c.doc_id, c.ordinal, _encode(c), " ".join(t)) for c, t in zip(chunks, tokens)],
        )

    def put_tokens(self, tokens: dict[str, Sequence[str]]) -> None:
        """Replace the lexical tokens of stored chunks (after the tokenizer changed)."""
        self._db.executemany("UPDATE chunks SET tokens=? WHERE id=?", [(" ".join(t), cid) for cid, t in tokens.items()])

    def delete_document(self, doc_id: str) -> list[str]:
        """Remove a document and its chunks and item; return the removed chunk ids."""
        ids = [r[0] for r in self._db.execute("SELECT id FROM chunks WHERE doc_id=?", (doc_id,))]
        self._db.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
        self._db.execute("DELETE FROM documents WHERE id=?", (doc_id,))
        self._db.execute("DELETE FROM items WHERE doc_id=?", (doc_id,))
        self._db.execute("DELETE FROM aliases WHERE doc_id=? OR canonical_id=?", (doc_id, doc_id))
        self._db.execute("DELETE FROM signatures WHERE doc_id=?", (doc_id,))
        self._db.execute("DELETE FROM bands WHERE doc_id=?", (doc_id,))
        return ids

    def document(self, doc_id: str) -> Document | None:
        """One document by id."""
        row = self._db.execute("SELECT body FROM documents WHERE id=?", (doc_id,)).fetchone()
        return decode_document(row[0]) if row else None

    def document_hash(self, doc_id: str) -> str | None:
        """The stored content hash of a document, without decoding it."""
        row = self._db.execute("SELECT content_hash FROM documents WHERE id=?", (doc_id,)).fetchone()
        return row[0] if row else None

    def documents(self) -> Iterator[Document]:
        """All documents."""
        for (body,) in self._db.execute("SELECT body FROM documents"):
            yield decode_document(body)

    def document_by_hash(self, content_hash: str) -> str | None:
        """Id of a stored document with exactly this text, if any."""
        row = self._db.execute("SELECT id FROM documents WHERE content_hash=?", (content_hash,)).fetchone()
        return row[0] if row else None

    def chunks(self, ids: Iterable[str]) -> dict[str, Chunk]:
        """Chunks by id (missing ids are absent from the result)."""
        ids = list(ids)
        out: dict[str, Chunk] = {}
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            marks = ",".join("?" * len(part))
            for cid, body in self._db.execute(f"SELECT id, body FROM chunks WHERE id IN ({marks})", part):
                out[cid] = decode_chunk(body)
        return out

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """A document's chunks in order."""
        rows = self._db.execute("SELECT body FROM chunks WHERE doc_id=? ORDER BY ordinal", (doc_id,))
        return [decode_chunk(body) for (body,) in rows]

    def clause_types(self) -> dict[str, str]:
        """Chunk id -> the clause type stored on it, for the chunks of typed policy articles."""
        rows = self._db.execute(
            "SELECT id, json_extract(body, '$.clause_type') FROM chunks WHERE json_extract(body, '$.clause_type') <> ''"
        )
        return {cid: str(kind) for cid, kind in rows}

    def all_tokens(self) -> Iterator[tuple[str, str, list[str]]]:
        """(chunk_id, doc_id, tokens) of every chunk, for building the lexical index."""
        for cid, doc_id, tokens in self._db.execute("SELECT id, doc_id, tokens FROM chunks"):
            yield cid, doc_id, tokens.split(" ") if tokens else []

    def counts(self) -> dict[str, int]:
        """Numbers of documents, chunks, items and aliases."""
        return {
            name: self._db.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
            for name in ("documents", "chunks", "items", "aliases")
        }

    # items
    def put_item(self, item: ServiceItem, doc_id: str) -> None:
        """Store a service item parsed from a guide."""
        self._db.execute("INSERT OR REPLACE INTO items VALUES (?,?,?)", (item.code, doc_id, _encode(item)))

    def items(self) -> list[ServiceItem]:
        """All service items, ordered by code."""
        return [decode_item(b) for (b,) in self._db.execute("SELECT body FROM items ORDER BY code")]

    # near-duplicates
    def put_alias(self, doc_id: str, canonical_id: str, source_path: str) -> None:
        """Record that `doc_id` has the same text as `canonical_id` and was not indexed again."""
        self._db.execute("INSERT OR REPLACE INTO aliases VALUES (?,?,?)", (doc_id, canonical_id, source_path))

    def aliases(self) -> dict[str, str]:
        """Every alias id with its canonical document id."""
        return dict(self._db.execute("SELECT doc_id, canonical_id FROM aliases").fetchall())

    def alias_of(self, doc_id: str) -> str | None:
        """The canonical id of an alias, if `doc_id` is one."""
        row = self._db.execute("SELECT canonical_id FROM aliases WHERE doc_id=?", (doc_id,)).fetchone()
        return row[0] if row else None

    # near-duplicate signatures
    def put_signature(self, doc_id: str, sig: bytes, bands: Sequence[str]) -> None:
        """Store a document's MinHash signature and its LSH band keys."""
        self._db.execute("INSERT OR REPLACE INTO signatures VALUES (?,?)", (doc_id, sig))
        self._db.execute("DELETE FROM bands WHERE doc_id=?", (doc_id,))
        self._db.executemany("INSERT INTO bands VALUES (?,?)", [(b, doc_id) for b in bands])

    def similar_candidates(self, bands: Sequence[str]) -> dict[str, bytes]:
        """Signatures of documents sharing at least one band."""
        marks = ",".join("?" * len(bands))
        rows = self._db.execute(
            "SELECT DISTINCT s.doc_id, s.sig FROM bands b JOIN signatures s ON s.doc_id = b.doc_id "
            f"WHERE b.band IN ({marks})",
            list(bands),
        )
        return dict(rows.fetchall())

    # ledger
    def ledger_hash(self, path: str) -> str | None:
        """The file hash recorded for a source path, or None."""
        row = self._db.execute("SELECT file_hash FROM ledger WHERE path=?", (path,)).fetchone()
        return row[0] if row else None

    def ledger_docs(self, path: str) -> list[str]:
        """Document ids that came from a source path."""
        row = self._db.execute("SELECT doc_ids FROM ledger WHERE path=?", (path,)).fetchone()
        return json.loads(row[0]) if row else []

    def ledger_paths(self) -> list[str]:
        """Every source path in the ledger."""
        return [r[0] for r in self._db.execute("SELECT path FROM ledger ORDER BY path")]

    def set_ledger(self, path: str, file_hash: str, doc_ids: Sequence[str]) -> None:
        """Record what a source path produced."""
        self._db.execute(
            "INSERT OR REPLACE INTO ledger VALUES (?,?,?,?)",
            (
                path,
                file_hash,
                json.dumps(list(doc_ids), ensure_ascii=False),
                dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            ),
        )

    def drop_ledger(self, path: str) -> None:
        """Forget a source path."""
        self._db.execute("DELETE FROM ledger WHERE path=?", (path,))

    def last_ingest(self) -> str | None:
        """Time of the most recent ledger write."""
        row = self._db.execute("SELECT MAX(ingested_at) FROM ledger").fetchone()
        return row[0] if row else None
