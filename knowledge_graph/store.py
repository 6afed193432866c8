"""Persistence (node-link JSON, atomic write) and the queries the rest of the system uses."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path

import networkx as nx

from govqa.core.errors import IndexMismatchError
from knowledge_graph import schema as s

GRAPH_FORMAT = "govqa-graph-v1"


def _as_list(value: object) -> list[object]:
    """A list-valued node attribute (a list once read back from JSON, a tuple or list when built)."""
    return list(value) if isinstance(value, list | tuple) else []


def save_graph(g: nx.MultiDiGraph[str], path: Path) -> None:
    """Write the graph as node-link JSON through a temporary file."""
    data = {"format": GRAPH_FORMAT, "graph": nx.node_link_data(g, edges="edges")}
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def load_graph(path: Path) -> nx.MultiDiGraph[str]:
    """Read a graph written by save_graph; an empty graph when the file does not exist.

    A file of another format is refused rather than half-read (IndexMismatchError).
    """
    if not path.is_file():
        return nx.MultiDiGraph()
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != GRAPH_FORMAT:
        raise IndexMismatchError(
            f"{path} is in format {data.get('format')!r}, this version reads {GRAPH_FORMAT}: run `govqa reindex`"
        )
    g = nx.node_link_graph(data["graph"], directed=True, multigraph=True, edges="edges")
    if not isinstance(g, nx.MultiDiGraph):  # directed=True, multigraph=True: the stubs only say Graph
        raise TypeError(f"{path} did not load as a directed multigraph")
    return g


class ServiceGraph:
    """Read-side queries over the service-item graph."""

    def __init__(self, g: nx.MultiDiGraph[str], unset_labels: Mapping[str, str] | None = None) -> None:
        self.g = g
        # The option shown for items that leave a slot unset (e.g. 一般情形), by slot; citizen-facing
        # wording, so given by the caller from govqa.messages (this package imports only govqa.core).
        self._unset = dict(unset_labels or {})

    def item_codes(self) -> list[str]:
        """All item codes."""
        return sorted(d["code"] for _, d in self.g.nodes(data=True) if d.get("kind") == s.ITEM)

    def item_node(self, code: str) -> dict[str, object]:
        """Attributes of an item node ({} when unknown)."""
        return dict(self.g.nodes.get(s.node_id(s.ITEM, code), {}))

    def item_label(self, code: str) -> str:
        """The item's display name (its code when unknown)."""
        return str(self.item_node(code).get("label", code))

    def export(self, out: Path, fmt: str) -> None:
        """Write the whole graph as GraphML or node-link JSON (for Gephi, yEd or scripts)."""
        from knowledge_graph.views import export

        export(self.g, out, fmt)

    def draw(self, code: str, out: Path) -> bool:
        """Draw an item's neighbourhood as a PNG; False when no CJK font was found. KeyError if unknown."""
        from knowledge_graph.views import draw

        return draw(self.g, code, out)

    def siblings(self, code: str) -> list[str]:
        """Codes of the near-twin items under the same 主项 (including `code`)."""
        iid = s.node_id(s.ITEM, code)
        groups = [u for u, _, k in self.g.in_edges(iid, keys=True) if k == s.HAS_SCENARIO]
        return sorted(
            self.g.nodes[v]["code"]
            for grp in groups
            for _, v, k in self.g.out_edges(grp, keys=True)
            if k == s.HAS_SCENARIO
        )

    def clauses_of(self, code: str) -> list[dict[str, object]]:
        """Clause (or policy) nodes an item is BASED_ON."""
        iid = s.node_id(s.ITEM, code)
        if iid not in self.g:
            return []
        return [dict(self.g.nodes[v], id=v) for _, v, k in self.g.out_edges(iid, keys=True) if k == s.BASED_ON]

    def clause_chunk_ids(self, code: str) -> list[str]:
        """Chunk ids of the clauses behind an item (the graph leg's policy evidence)."""
        return [str(cid) for node in self.clauses_of(code) for cid in _as_list(node.get("chunk_ids"))]

    def items_based_on(self, policy_doc_id: str) -> list[str]:
        """Codes of items whose legal basis lies in a policy."""
        pid = s.node_id(s.POLICY, policy_doc_id)
        clauses = {u for u, _, k in self.g.in_edges(pid, keys=True) if k == s.PART_OF} | {pid}
        return sorted(
            {self.g.nodes[u]["code"] for c in clauses for u, _, k in self.g.in_edges(c, keys=True) if k == s.BASED_ON}
        )

    def superseded_at(self, day: str) -> list[tuple[str, str]]:
        """(policy doc id, successor doc id or "") of policies repealed or expired on or before `day` (ISO date)."""
        out = []
        for node, data in self.g.nodes(data=True):
            if data.get("kind") != s.POLICY:
                continue
            ended = [d for d in (data.get("repealed_on"), data.get("expires_at")) if d]
            if ended and min(ended) <= day:
                successors = [
                    self.g.nodes[v]["doc_id"] for _, v, k in self.g.out_edges(node, keys=True) if k == s.SUPERSEDED_BY
                ]
                out.append((str(data["doc_id"]), successors[0] if successors else ""))
        return sorted(out)

    def distinguishing(self, codes: list[str]) -> list[tuple[str, dict[str, list[str]]]]:
        """Attributes whose values differ across the candidates, most useful first:
        [(slot, {option value: [codes]})]. Slots: scenario, applicant, district."""
        getters: dict[str, Callable[[dict[str, object]], list[object]]] = {
            "scenario": lambda d: [d.get("scenario") or self._unset.get("scenario", "")],
            "applicant": lambda d: _as_list(d.get("applicant_types")) or [self._unset.get("applicant", "")],
            "district": lambda d: [d.get("region") or self._unset.get("district", "")],
        }
        out: list[tuple[str, dict[str, list[str]]]] = []
        for slot, get in getters.items():
            options: dict[str, list[str]] = {}
            for code in sorted(codes):  # options in catalogue order, not in score order
                for value in get(self.item_node(code)):
                    options.setdefault(str(value), []).append(code)
            # Useful only if some option narrows the set.
            if len(options) > 1 and any(len(v) < len(codes) for v in options.values()):
                out.append((slot, options))
        # Best split first; on a tie the question easiest to answer (个人/单位, then district) first.
        priority = {"applicant": 0, "district": 1, "scenario": 2}
        out.sort(key=lambda entry: (max(len(v) for v in entry[1].values()), priority[entry[0]]))
        return out

    def stats(self) -> dict[str, int]:
        """Node counts per kind and the edge count."""
        counts: dict[str, int] = {}
        for _, d in self.g.nodes(data=True):
            counts[d.get("kind", "?")] = counts.get(d.get("kind", "?"), 0) + 1
        counts["edges"] = self.g.number_of_edges()
        return counts
