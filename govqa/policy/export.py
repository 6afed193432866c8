"""Plain JSON records of clause labels and found clauses, shared by the CLI and the API."""

from __future__ import annotations

from govqa.policy.service import FoundClause
from govqa.policy.types import ClauseAttributes, ClauseLabel

# The attributes of the labelled set (the guidelines' four keys); cap and cites are extra.
PUBLIC_KEYS = ("beneficiary", "amount", "deadline", "department")


def attributes_record(attrs: ClauseAttributes, keys: tuple[str, ...] = PUBLIC_KEYS) -> dict[str, list[str]]:
    """The attributes a clause states, each key only when it has values (verbatim, in text order)."""
    return {key: list(values) for key in keys if (values := getattr(attrs, key))}


def label_record(label: ClauseLabel) -> dict[str, object]:
    """{"article", "type", "attributes"} of one labelled clause."""
    return {"article": label.clause.article, "type": label.type, "attributes": attributes_record(label.attributes)}


def found_record(found: FoundClause) -> dict[str, object]:
    """A found clause with what cites it: document id, title, 文号, article and chunk id."""
    doc, label = found.document, found.label
    return {
        "doc_id": doc.id,
        "title": doc.title,
        "doc_number": doc.doc_number,
        "article": label.clause.article,
        "chunk_id": label.clause.chunk_id,
        "type": label.type,
        "attributes": attributes_record(label.attributes, (*PUBLIC_KEYS, "cap", "cites")),
        "conditions": list(found.conditions),
        "text": label.clause.text,
    }
