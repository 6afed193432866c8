"""Export and pictures of the graph: GraphML / node-link JSON, and an item's neighbourhood as PNG."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from knowledge_graph import schema as s

_CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Source Han Sans SC",
    "AR PL UMing CN",
)
_COLOURS = {
    s.ITEM: "#c62828",
    s.GROUP: "#ef9a9a",
    s.DEPARTMENT: "#1565c0",
    s.DISTRICT: "#2e7d32",
    s.MATERIAL: "#f9a825",
    s.SERVICE_OBJECT: "#6a1b9a",
    s.CHANNEL: "#00838f",
    s.POLICY: "#4e342e",
    s.CLAUSE: "#8d6e63",
}


def export(g: nx.MultiDiGraph[str], path: Path, fmt: str) -> None:
    """Write the graph as GraphML (list attributes joined with '|') or node-link JSON."""
    if fmt == "json":
        path.write_text(json.dumps(nx.node_link_data(g, edges="edges"), ensure_ascii=False, indent=1), encoding="utf-8")
        return
    if fmt != "graphml":
        raise ValueError(f"unknown format {fmt!r}; use graphml or json")
    flat: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node, data in g.nodes(data=True):
        flat.add_node(node, **{k: "|".join(map(str, v)) if isinstance(v, list) else v for k, v in data.items()})
    for u, v, key, data in g.edges(keys=True, data=True):
        flat.add_edge(u, v, key=key, **{k: str(x) for k, x in data.items()})
    nx.write_graphml(flat, path)


def neighbourhood(g: nx.MultiDiGraph[str], code: str) -> nx.MultiDiGraph[str]:
    """The item with its own edges, its group's near-twins, and the policies of its clauses."""
    iid = s.node_id(s.ITEM, code)
    if iid not in g:
        raise KeyError(code)
    sub: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    keep = [(u, v, k) for u, v, k in g.out_edges(iid, keys=True)] + [
        (u, v, k) for u, v, k in g.in_edges(iid, keys=True)
    ]
    for u, _, k in g.in_edges(iid, keys=True):
        if k == s.HAS_SCENARIO:
            keep += [(u, v, kk) for _, v, kk in g.out_edges(u, keys=True)]
    for _, v, k in g.out_edges(iid, keys=True):
        if k == s.BASED_ON:
            keep += [(v, p, kk) for _, p, kk in g.out_edges(v, keys=True)]
    for u, v, k in keep:
        sub.add_node(u, **g.nodes[u])
        sub.add_node(v, **g.nodes[v])
        sub.add_edge(u, v, key=k, kind=k)
    return sub


def draw(g: nx.MultiDiGraph[str], code: str, out: Path) -> bool:
    """Draw an item's neighbourhood to PNG; returns False when no CJK font was found (ids used as labels)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    sub = neighbourhood(g, code)
    installed = {f.name for f in font_manager.fontManager.ttflist}
    font = next((f for f in _CJK_FONTS if f in installed), None)
    if font:
        plt.rcParams["font.sans-serif"] = [font]
    labels = {
        n: (d.get("label", n) if font else n.split(":", 1)[0] + ("\n" + d["code"] if d.get("code") else ""))
        for n, d in sub.nodes(data=True)
    }
    pos = nx.spring_layout(sub, seed=7, k=1.2)
    fig, ax = plt.subplots(figsize=(12, 9))
    colours = [_COLOURS.get(d.get("kind", ""), "#9e9e9e") for _, d in sub.nodes(data=True)]
    nx.draw_networkx_nodes(sub, pos, node_color=colours, node_size=500, ax=ax)
    nx.draw_networkx_edges(sub, pos, ax=ax, arrows=True, alpha=0.5)
    nx.draw_networkx_labels(sub, pos, labels=labels, font_size=8, ax=ax)
    edge_labels = {(u, v): k for u, v, k in sub.edges(keys=True)}
    nx.draw_networkx_edge_labels(sub, pos, edge_labels=edge_labels, font_size=6, ax=ax)
    ax.set_title(code)
    ax.axis("off")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return font is not None
