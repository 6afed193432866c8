"""Build the graph from service items and policy documents; deterministic for the same input."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx

from govqa.core.protocols import DocumentCatalog
from govqa.core.text import article_label_number
from govqa.core.types import Chunk, Document, ServiceItem
from govqa.core.vocab import ARTICLE_PREFIX, ARTICLE_SUFFIX
from knowledge_graph import schema as s


def _clause_key(doc_id: str, article: str) -> str:
    return f"{doc_id}#{ARTICLE_PREFIX}{article_label_number(article)}{ARTICLE_SUFFIX}"


def build_graph(
    items: Sequence[ServiceItem], policies: Iterable[tuple[Document, Sequence[Chunk]]]
) -> nx.MultiDiGraph[str]:
    """Items with their departments, districts, materials, objects, channels and legal basis;
    policies with their clauses and supersession links."""
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    titles: dict[str, str] = {}
    # Current versions first, so a title shared with a repealed predecessor resolves to the one in force.
    policy_list = sorted(policies, key=lambda dc: (dc[0].repealed_on is not None, dc[0].id))
    for doc, chunks in policy_list:
        pid = s.node_id(s.POLICY, doc.id)
        g.add_node(
            pid,
            kind=s.POLICY,
            label=doc.title,
            doc_id=doc.id,
            doc_number=doc.doc_number,
            repealed_on=doc.repealed_on.isoformat() if doc.repealed_on else "",
            expires_at=doc.expires_at.isoformat() if doc.expires_at else "",
        )
        titles.setdefault(s.title_key(doc.title), doc.id)
        for chunk in chunks:
            article = chunk.section[-1] if chunk.section else ""
            if article_label_number(article) is not None:
                cid = s.node_id(s.CLAUSE, _clause_key(doc.id, article))
                if cid not in g:
                    g.add_node(
                        cid,
                        kind=s.CLAUSE,
                        label=f"{doc.title}{article}",
                        doc_id=doc.id,
                        article=article,
                        chunk_ids=[chunk.id],
                        clause_type=chunk.clause_type,  # the rules' type at ingest ("" before it existed)
                    )
                    g.add_edge(cid, pid, key=s.PART_OF, kind=s.PART_OF)
                else:
                    g.nodes[cid]["chunk_ids"].append(chunk.id)
    for doc, _ in policy_list:
        if doc.superseded_by and s.node_id(s.POLICY, doc.superseded_by) in g:
            g.add_edge(
                s.node_id(s.POLICY, doc.id),
                s.node_id(s.POLICY, doc.superseded_by),
                key=s.SUPERSEDED_BY,
                kind=s.SUPERSEDED_BY,
            )
    for item in items:
        _add_item(g, item, titles)
    return g


def graph_of_catalog(catalog: DocumentCatalog) -> nx.MultiDiGraph[str]:
    """The service graph of everything a catalog holds: its items and the clauses of its policies."""
    policies = [(d, catalog.chunks_of(d.id)) for d in catalog.documents() if d.doc_type == "policy"]
    return build_graph(catalog.items(), policies)


def _link(g: nx.MultiDiGraph[str], src: str, kind: str, key: str, edge: str, **attrs: object) -> None:
    dst = s.node_id(kind, key)
    if dst not in g:
        g.add_node(dst, kind=kind, label=key)
    g.add_edge(src, dst, key=edge, kind=edge, **attrs)


def _add_item(g: nx.MultiDiGraph[str], item: ServiceItem, titles: dict[str, str]) -> None:
    iid = s.node_id(s.ITEM, item.code)
    g.add_node(
        iid,
        kind=s.ITEM,
        label=item.name,
        code=item.code,
        scenario=item.scenario,
        region=item.region,
        department=item.department,
        applicant_types=list(item.applicant_types),
        aliases=list(item.aliases),
        doc_id=item.source_doc,
    )
    group = s.base_name(item.name)
    gid = s.node_id(s.GROUP, group)
    if gid not in g:
        g.add_node(gid, kind=s.GROUP, label=group)
    g.add_edge(gid, iid, key=s.HAS_SCENARIO, kind=s.HAS_SCENARIO)
    _link(g, iid, s.DEPARTMENT, item.department, s.IMPLEMENTED_BY)
    if item.region:
        _link(g, iid, s.DISTRICT, item.region, s.AVAILABLE_IN)
    for material in item.materials:
        _link(g, iid, s.MATERIAL, material.name, s.REQUIRES, copies=material.copies)
    for obj in item.applicant_types:
        _link(g, iid, s.SERVICE_OBJECT, obj, s.SERVES)
    for channel in item.channels:
        _link(g, iid, s.CHANNEL, channel, s.OFFERED_VIA)
    for basis in item.legal_basis:
        for title, article in s.parse_basis(basis):
            doc_id = titles.get(s.title_key(title))
            if doc_id is None:
                g.nodes[iid].setdefault("unresolved_basis", []).append(basis)
                continue
            target = s.node_id(s.CLAUSE, _clause_key(doc_id, article)) if article else s.node_id(s.POLICY, doc_id)
            if target in g:
                g.add_edge(iid, target, key=s.BASED_ON, kind=s.BASED_ON, text=basis)
            else:
                g.nodes[iid].setdefault("unresolved_basis", []).append(basis)
