"""Exact references in a question: a policy title plus an article (住房公积金管理条例第二十四条)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from govqa.core.text import cn_to_int
from govqa.core.types import Document
from govqa.core.vocab import ARTICLE_PREFIX, ARTICLE_RE, DOC_NUMBER_RE, POLICY_CUES, doc_number_text
from knowledge_graph.schema import title_key


def doc_number_key(text: str) -> str:
    """Canonical form of a 文号 (京政发[2024]3号, 京政发〔2024〕第3号 -> 京政发〔2024〕3号)."""
    m = DOC_NUMBER_RE.search(text)
    return doc_number_text(m[1], m[2], m[3]) if m else ""


def is_policy_question(question: str) -> bool:
    """True when the question asks what a rule says (which article, which regulation)."""
    return bool(POLICY_CUES.search(question))


class TitleIndex:
    """Finds the policy whose (shortened) title is named in a question."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self._titles: list[tuple[str, str]] = []
        self._numbers: dict[str, list[str]] = {}
        for doc in documents:
            if doc.doc_number and (key := doc_number_key(doc.doc_number)):
                self._numbers.setdefault(key, []).append(doc.id)
            if doc.doc_type == "policy" and doc.title:
                key = title_key(doc.title)
                if len(key) >= 2:
                    self._titles.append((key, doc.id))
        # Longest first, so 住房公积金管理条例实施细则 wins over 住房公积金管理条例.
        self._titles.sort(key=lambda kv: -len(kv[0]))

    def find(self, question: str) -> list[str]:
        """Ids of policies named in the question by 文号 or by title (longest title first)."""
        for m in DOC_NUMBER_RE.finditer(question):
            # The issuer abbreviation may be preceded by other words: try its suffixes.
            for start in range(len(m[1])):
                found = self._numbers.get(doc_number_text(m[1][start:], m[2], m[3]))
                if found:
                    return list(found)
        q = title_key(question)
        hits: list[str] = []
        matched_len = 0
        for key, doc_id in self._titles:
            if len(key) < matched_len:
                break
            # Short titles (刑法, 商标法) count only where they name a law: before 第…条 or inside 《》.
            # 《》 are the title marks of Chinese text, so they stay literal here.
            if key in q and (len(key) >= 4 or f"{key}{ARTICLE_PREFIX}" in q or f"《{key}》" in q):
                hits.append(doc_id)
                matched_len = len(key)
        return hits

    def find_fuzzy(self, question: str, threshold: float = 0.6) -> list[str]:
        """Policies whose title's character bigrams mostly occur in the question (abbreviated
        titles such as 公积金提取管理办法), or most of whose characters it says in order once the
        leading place name is dropped (公积金提取办法); all versions sharing the best title."""
        q = {a + b for a, b in itertools.pairwise(question)}
        best, ids = 0.0, []
        for key, doc_id in self._titles:
            grams = {a + b for a, b in itertools.pairwise(key)}
            score = len(grams & q) / len(grams) if grams else 0.0
            if score >= _PREFILTER_SHARE:
                score = max(score, _said_in_order(key, question))
            if score > best + 1e-9:
                best, ids = score, [doc_id]
            elif abs(score - best) <= 1e-9:
                ids.append(doc_id)
        return ids if best >= threshold else []


# A title sharing fewer of its character pairs with the question is not compared character by character.
_PREFILTER_SHARE = 0.3
# The place a title starts with (江临市, 北京市, 浙江省), which a citizen naming the rule leaves out.
_LEADING_PLACE = re.compile(r"^[\u4e00-\u9fa5]{2,6}?(?:自治区|省|市|区|县)")


def _said_in_order(key: str, question: str) -> float:
    """Share of the title's characters, without its leading place name, that the question says in
    the same order (住房公积金提取管理办法 in 公积金提取办法: 7 of 11). The title's last two characters
    (办法, 条例, 措施) must be among them: a topic named without the kind of document names no rule."""
    title = _LEADING_PLACE.sub("", key)
    if len(title) < 4 or title[-2:] not in question:
        return 0.0
    # Longest common subsequence, one row at a time.
    row = [0] * (len(question) + 1)
    for c in title:
        prev = 0
        for j, d in enumerate(question, 1):
            prev, row[j] = row[j], prev + 1 if c == d else max(row[j], row[j - 1])
    return row[-1] / len(title)


def article_number(question: str) -> int | None:
    """The article number named in a question (第二十四条 -> 24), if any."""
    m = ARTICLE_RE.search(question)
    return cn_to_int(m[1]) if m else None
