"""Exact references in a question: a policy title plus an article (住房公积金管理条例第二十四条)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from govqa.core.text import cn_to_int
from govqa.core.types import Document
from knowledge_graph.schema import title_key

_ARTICLE = re.compile(r"第([零〇一二三四五六七八九十百千两\d]+)条")


class TitleIndex:
    """Finds the policy whose (shortened) title is named in a question."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self._titles: list[tuple[str, str]] = []
        for doc in documents:
            if doc.doc_type == "policy" and doc.title:
                key = title_key(doc.title)
                if len(key) >= 4:
                    self._titles.append((key, doc.id))
        # Longest first, so 住房公积金管理条例实施细则 wins over 住房公积金管理条例.
        self._titles.sort(key=lambda kv: -len(kv[0]))

    def find(self, question: str) -> list[str]:
        """Ids of policies whose title appears in the question, longest title first."""
        q = title_key(question)
        hits: list[str] = []
        matched_len = 0
        for key, doc_id in self._titles:
            if len(key) < matched_len:
                break
            if key in q:
                hits.append(doc_id)
                matched_len = len(key)
        return hits


def article_number(question: str) -> int | None:
    """The article number named in a question (第二十四条 -> 24), if any."""
    m = _ARTICLE.search(question)
    return cn_to_int(m[1]) if m else None
