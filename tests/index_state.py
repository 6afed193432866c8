"""Everything a published index holds, read back store by store, so two builds can be compared whole.

`IndexState.of(view, folder)` reads the catalog tables (as multisets: a duplicated row shows),
the Qdrant points with their vectors, the BM25 index the reader built, and graph.json;
`problems()` lists what is inconsistent inside one index (duplicates, stores that disagree,
a graph that is not the one the catalog gives).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from govqa.core.view import IndexView
from knowledge_graph.build import graph_of_catalog

# Every table of the catalog, with the columns that must match between two builds of the same files
# (ledger.ingested_at is a timestamp, so it is left out).
TABLES = {
    "documents": "id, source_path, content_hash, body",
    "chunks": "id, doc_id, ordinal, body, tokens",
    "items": "code, doc_id, body",
    "ledger": "path, file_hash, doc_ids",
    "aliases": "doc_id, canonical_id, source_path",
    "signatures": "doc_id, sig",
    "bands": "band, doc_id",
}


def _graph_key(g: nx.MultiDiGraph[str]) -> str:
    data = nx.node_link_data(g, edges="edges")
    nodes = sorted(json.dumps(n, ensure_ascii=False, sort_keys=True) for n in data["nodes"])
    edges = sorted(json.dumps(e, ensure_ascii=False, sort_keys=True) for e in data["edges"])
    return json.dumps([nodes, edges], ensure_ascii=False)


@dataclass(frozen=True)
class IndexState:
    """One published index, store by store."""

    tables: dict[str, tuple[tuple[object, ...], ...]]
    qdrant_ids: tuple[str, ...]
    qdrant_count: int
    vectors: dict[str, tuple[float, ...]]
    bm25_ids: tuple[str, ...]
    graph: str
    graph_of_catalog: str

    @classmethod
    def of(cls, view: IndexView, folder: Path) -> IndexState:
        """Read the view the service answers from, and the generation's files."""
        with sqlite3.connect(f"file:{folder / 'catalog.sqlite'}?mode=ro", uri=True) as db:
            tables = {
                name: tuple(sorted(db.execute(f"SELECT {cols} FROM {name}").fetchall(), key=repr))
                for name, cols in TABLES.items()
            }
        points = list(view.vectors.points())  # type: ignore[attr-defined]
        stored = json.loads((folder / "graph.json").read_text(encoding="utf-8"))
        graph = nx.node_link_graph(stored["graph"], edges="edges", multigraph=True, directed=True)
        return cls(
            tables=tables,
            qdrant_ids=tuple(sorted(cid for cid, _ in points)),
            qdrant_count=view.vectors.count(),
            vectors={cid: tuple(round(x, 5) for x in vec) for cid, vec in points},
            bm25_ids=tuple(sorted(view.lexical.scores([])[0])),  # type: ignore[attr-defined]
            graph=_graph_key(graph),
            graph_of_catalog=_graph_key(graph_of_catalog(view.catalog)),
        )

    @property
    def chunk_ids(self) -> tuple[str, ...]:
        """Chunk ids of the catalog, sorted (duplicates kept)."""
        return tuple(sorted(str(row[0]) for row in self.tables["chunks"]))

    def problems(self) -> list[str]:
        """What is inconsistent inside this index; empty when every store agrees."""
        out = []
        chunks = self.chunk_ids
        for name, ids in (("catalog", chunks), ("qdrant", self.qdrant_ids), ("bm25", self.bm25_ids)):
            dupes = [i for i, n in Counter(ids).items() if n > 1]
            if dupes:
                out.append(f"{name}: {len(dupes)} duplicated chunk ids, e.g. {dupes[0]}")
        for name, rows in self.tables.items():
            dupes = [r for r, n in Counter(rows).items() if n > 1]
            if dupes:
                out.append(f"catalog.{name}: {len(dupes)} duplicated rows")
        if self.qdrant_count != len(self.qdrant_ids):
            out.append(f"qdrant count {self.qdrant_count} != {len(self.qdrant_ids)} points scrolled")
        if set(self.qdrant_ids) != set(chunks):
            out.append(f"qdrant and catalog differ by {len(set(self.qdrant_ids) ^ set(chunks))} chunk ids")
        if set(self.bm25_ids) != set(chunks):
            out.append(f"bm25 and catalog differ by {len(set(self.bm25_ids) ^ set(chunks))} chunk ids")
        if self.graph != self.graph_of_catalog:
            out.append("graph.json is not the graph of the catalog")
        return out

    def differences(self, other: IndexState) -> list[str]:
        """Stores in which this index differs from `other` (empty: the same index)."""
        out = [f"catalog.{n}" for n in TABLES if self.tables[n] != other.tables[n]]
        if self.qdrant_ids != other.qdrant_ids:
            out.append("qdrant ids")
        elif self.vectors != other.vectors:
            out.append("qdrant vectors")
        if self.bm25_ids != other.bm25_ids:
            out.append("bm25 ids")
        if self.graph != other.graph:
            out.append("graph")
        return out


def cache_hashes(path: Path) -> dict[str, bytes]:
    """The vector cache's rows (text hash -> vector bytes); empty when it does not exist yet."""
    if not path.exists():
        return {}
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        ok = db.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise AssertionError(f"vector cache {path} is damaged: {ok}")
        return dict(db.execute("SELECT hash, vec FROM vectors"))
