"""Topic brief: the key clauses of the policies in force on a topic, quoted sentence by sentence.

Extractive by design, so every sentence is verbatim from the clause it cites:

1. The topic's words (the index tokenizer's tokens, single characters left out) are weighted by
   how rare they are among the policies (idf over title + text), so 专精特新 counts for more than
   企业. Words that ask for a kind of clause (资金, 补贴, 条件, 申报, 部门…, `SECTION_CUES`)
   choose the sections instead. A clause is on the topic when the words found in it or in its
   document's title carry at least `min_coverage` of the weight (or it holds the whole topic).
2. The clauses on the topic of four kinds (申报条件; 支持措施; 申报程序, 时限 and 申请材料; 责任部门)
   are cut into sentences at 。；and line breaks, and each is kept when it carries that kind's fact:
   every condition, a support measure's amount, a step's period or date, a department's name (a
   clause with none of them gives its opening sentence, a materials clause nothing); in a document
   whose title is not on the topic, also when it names the topic.
3. Sentences already quoted (the same content, or nearly, bigram similarity ≥ `duplicate_similarity`,
   with the same numbers) are left out; each section takes whole clauses, the most relevant first,
   until it holds `section_budget` sentences, and lists them in reading order.
4. Every sentence is checked with the answers' verification (`generation.verify.supports`) against
   its clause, at its offset; one that fails is dropped and counted.

Documents on the topic that are not in force on the day are never quoted: they are listed apart
with their state (repealed, expired, not yet effective).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from govqa import messages
from govqa.core.errors import InvalidInputError
from govqa.core.text import fold_query
from govqa.core.types import Document
from govqa.generation.verify import supports
from govqa.policy.attributes import extract_attributes
from govqa.policy.brief_types import (
    BriefSection,
    BriefSentence,
    PolicyBrief,
    SectionKey,
    SetAside,
    TopicBrief,
)
from govqa.policy.diff import body_offset, similarity
from govqa.policy.types import Clause, ClauseLabel, ClauseType

SECTIONS: tuple[tuple[SectionKey, tuple[ClauseType, ...]], ...] = (
    ("conditions", ("申报条件",)),
    ("support", ("支持措施",)),
    # A materials clause gives only its sentences that state when or where to apply.
    ("procedure", ("申报程序", "时限", "申请材料")),
    ("departments", ("责任部门",)),
)
BRIEF_TYPES: frozenset[str] = frozenset(kind for _, kinds in SECTIONS for kind in kinds)
PROCEDURE_TYPES: tuple[ClauseType, ...] = ("申报程序", "时限")

_PIECE = re.compile(r"[^。；;\n]+[。；;]?")
_CONTENT = re.compile(r"[\w%]")
_WORD = re.compile(r"[^\W_]")
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_NUMBERS = re.compile(r"\d+(?:\.\d+)?")
_ITEM = re.compile(r"[（(][一二三四五六七八九十\d]+[）)]")
MIN_SENTENCE_CHARS = 6


@dataclass(frozen=True, slots=True)
class BriefConfig:
    """How much a brief holds and what counts as on the topic."""

    min_coverage: float = 0.7
    section_budget: int = 16
    max_policies: int = 10
    duplicate_similarity: float = 0.9
    max_topic_chars: int = 50

    def __post_init__(self) -> None:
        if not 0 < self.min_coverage <= 1:
            raise ValueError(f"min_coverage must be in (0, 1]; got {self.min_coverage}")
        if self.section_budget < 1 or self.max_policies < 1:
            raise ValueError(
                f"section_budget and max_policies must be at least 1; got {self.section_budget}, {self.max_policies}"
            )


# Chinese kept here: words of a topic that ask for one kind of clause rather than name a subject
# (专精特新 资金支持 asks for the support measures of the 专精特新 policies).
SECTION_CUES: dict[SectionKey, tuple[str, ...]] = {
    "conditions": ("条件", "资格", "门槛"),
    "support": ("资金", "支持", "扶持", "补贴", "补助", "奖励", "奖补", "贴息", "优惠", "待遇"),
    "procedure": ("申报", "申请", "程序", "流程", "时限", "期限", "办理"),
    "departments": ("部门", "职责", "负责"),
}


@dataclass(frozen=True, slots=True)
class TopicQuery:
    """A topic read against the policies: its subject words with their weights, the whole topic
    as written, and the sections it asks for (all when it names none)."""

    topic: str
    weights: Mapping[str, float]
    phrase: str
    sections: tuple[SectionKey, ...]

    @property
    def terms(self) -> tuple[str, ...]:
        """The subject words, in the topic's order."""
        return tuple(self.weights)

    def coverage(self, text: str) -> float:
        """The share of the words' weight found in `text` (folded; 1.0 when it holds the whole topic)."""
        text = fold_query(text)
        if self.phrase and self.phrase in text:
            return 1.0
        total = sum(self.weights.values())
        return sum(w for t, w in self.weights.items() if t in text) / total if total else 0.0


def topic_terms(topic: str, tokenize: Callable[[str], Sequence[str]]) -> tuple[str, ...]:
    """The topic's words to look for: its tokens of two characters or more, in order, each once
    (the whole topic when it has none)."""
    words = [t for t in tokenize(topic) if len(t) >= 2]
    return tuple(dict.fromkeys(words)) or (fold_query(topic).replace(" ", ""),)


def split_cues(terms: Sequence[str]) -> tuple[tuple[str, ...], tuple[SectionKey, ...]]:
    """The subject words and the sections the other words ask for; when every word is a cue they
    are the subject (补贴 alone is a topic) and every section is asked for."""
    asked = [key for key, _ in SECTIONS if any(t in SECTION_CUES[key] for t in terms)]
    subject = tuple(t for t in terms if not any(t in cues for cues in SECTION_CUES.values()))
    if not subject or not asked:
        return tuple(terms), tuple(key for key, _ in SECTIONS)
    return subject, tuple(asked)


def term_weights(terms: Sequence[str], texts: Sequence[str]) -> dict[str, float]:
    """Each term's idf over `texts` (folded): ln((n + 1) / (df + 0.5)), floored at a small weight
    so a topic whose words are everywhere still has some."""
    n = len(texts)
    return {t: max(math.log((n + 1) / (sum(t in x for x in texts) + 0.5)), 0.05) for t in terms}


def _pieces(clause: Clause) -> Iterable[tuple[int, str]]:
    """(offset, sentence) of the clause's body, cut at 。；and line breaks, stripped."""
    for m in _PIECE.finditer(clause.text, body_offset(clause.text)):
        raw = m.group()
        text = raw.strip()
        if len(_CONTENT.findall(text)) >= MIN_SENTENCE_CHARS:
            yield m.start() + (len(raw) - len(raw.lstrip())), text


def _carries_fact(kind: ClauseType, text: str) -> tuple[bool, tuple[str, ...]]:
    """Whether a sentence of a clause of `kind` states that kind's fact, and its figures."""
    a = extract_attributes(text, kind)
    figures = tuple(dict.fromkeys((*a.amount, *a.cap, *a.deadline)))
    if kind == "支持措施":
        return bool(a.amount or a.cap), figures
    if kind in ("申报程序", "时限", "申请材料"):
        return bool(a.deadline), figures
    if kind == "责任部门":
        return bool(a.department), figures
    return True, figures


def fact_sentences(
    label: ClauseLabel, on_topic: Callable[[str], bool] | None = None, kind: ClauseType | None = None
) -> list[BriefSentence]:
    """The clause's sentences that carry its type's fact (its opening sentence when none does; a
    materials clause nothing). With `on_topic` (a document not about the topic as a whole) the
    sentences on the topic are kept too, with the opening sentence when they are list items.
    With `kind` (another type than the clause's), only the sentences that carry that type's fact."""
    clause = label.clause
    pieces: list[tuple[BriefSentence, bool]] = []
    for start, text in _pieces(clause):
        keep, figures = _carries_fact(kind or label.type, text)
        pieces.append((BriefSentence(text, clause.article, clause.chunk_id, kind or label.type, start, figures), keep))
    if not pieces:
        return []
    if kind is not None:
        return [p for p, keep in pieces if keep]
    found = [p for p, keep in pieces if keep]
    if on_topic is not None:
        topical = [p for p, _ in pieces if on_topic(p.text)]
        if topical and topical[0] is not pieces[0][0] and _ITEM.match(topical[0].text):
            topical.insert(0, pieces[0][0])
        return [p for p, _ in pieces if p in topical or p in found]
    if found or label.type == "申请材料":
        return found
    return [pieces[0][0]]


def verified(sentence: BriefSentence, clause: Clause, terms: Sequence[str]) -> bool:
    """The sentence is its clause's text at its offset and the answers' verification accepts it."""
    at = sentence.start
    return clause.text[at : at + len(sentence.text)] == sentence.text and supports(sentence.text, clause.text, terms)


class _Quoted:
    """The sentences quoted so far in a brief, to leave out repeats: the same content, or nearly the
    same with the same numbers (5个工作日 in one policy and 3个工作日 in another are both quoted)."""

    def __init__(self, threshold: float) -> None:
        self._threshold = threshold
        self._seen: list[tuple[str, list[str]]] = []

    def repeats(self, text: str) -> bool:
        key, numbers = "".join(_CONTENT.findall(text)), _NUMBERS.findall(text)
        if any(key == k or (n == numbers and similarity(key, k) >= self._threshold) for k, n in self._seen):
            return True
        self._seen.append((key, numbers))
        return False


@dataclass(frozen=True, slots=True)
class OnTopic:
    """A clause on the topic: its place in the document and how much of the topic it holds."""

    order: int
    label: ClauseLabel
    relevance: float


class TopicBriefer:
    """Builds topic briefs from the policies given to it (pure: no index, no model)."""

    def __init__(self, tokenize: Callable[[str], Sequence[str]], config: BriefConfig = BriefConfig()) -> None:
        self._tokenize = tokenize
        self._config = config

    def check(self, topic: str) -> str:
        """The topic without control characters and outer spaces, or InvalidInputError when it is
        empty, has no letter, digit or Han character, or is too long."""
        text = _CONTROL.sub("", topic).strip()
        if not _WORD.search(text):
            raise InvalidInputError(messages.BRIEF_NO_TOPIC)
        if len(text) > self._config.max_topic_chars:
            raise InvalidInputError(
                messages.BRIEF_TOPIC_TOO_LONG.format(n=len(text), limit=self._config.max_topic_chars)
            )
        return text

    def query(self, topic: str, documents: Sequence[Document]) -> TopicQuery:
        """The topic's subject words weighted over `documents` and the sections it asks for."""
        subject, sections = split_cues(topic_terms(topic, self._tokenize))
        texts = [fold_query(f"{d.title}\n{d.text}") for d in documents]
        phrase = fold_query(topic).replace(" ", "")
        return TopicQuery(topic, term_weights(subject, texts), phrase, sections)

    def on_topic(
        self, query: TopicQuery, documents: Sequence[Document], clauses_of: Callable[[Document], Sequence[Clause]]
    ) -> dict[Document, list[tuple[int, Clause, float]]]:
        """Per document, its clauses on the topic as (reading order, clause, relevance); clauses
        are read only of the documents whose whole text is on the topic."""
        least = self._config.min_coverage
        out: dict[Document, list[tuple[int, Clause, float]]] = {}
        for doc in documents:
            # A clause holds no more of the words than its whole document does.
            if query.coverage(f"{doc.title}\n{doc.text}") < least:
                continue
            hits = [
                (i, c, r)
                for i, c in enumerate(clauses_of(doc))
                if (r := query.coverage(f"{doc.title}\n{c.text}")) >= least
            ]
            if hits:
                out[doc] = hits
        return out

    def brief(
        self,
        query: TopicQuery,
        day: dt.date,
        labelled: Mapping[Document, Sequence[OnTopic]],
        set_aside: Sequence[SetAside] = (),
    ) -> TopicBrief:
        """The brief over the labelled clauses on the topic of the policies in force: documents
        whose title is on the topic first, then by relevance and by how many clauses are on it."""
        quoted = _Quoted(self._config.duplicate_similarity)
        least = self._config.min_coverage

        def rank(item: tuple[Document, Sequence[OnTopic]]) -> tuple[float, float, int, str, str]:
            doc, found = item
            return (-query.coverage(doc.title), -max(c.relevance for c in found), -len(found), doc.title, doc.id)

        out: list[PolicyBrief] = []
        dropped = 0
        for doc, found in sorted(labelled.items(), key=rank):
            titled = query.coverage(doc.title) >= least
            on_topic = None if titled else (lambda text: query.coverage(text) >= least)
            sections: list[BriefSection] = []
            for key in query.sections:
                section, failed = self._section(key, found, query.terms, quoted, on_topic)
                dropped += failed
                if section is not None:
                    sections.append(section)
            if sections:
                out.append(PolicyBrief(doc, max(c.relevance for c in found), tuple(sections)))
            if len(out) == self._config.max_policies:
                break
        return TopicBrief(query.topic, day, query.terms, tuple(out), tuple(set_aside), dropped)

    def _section(
        self,
        key: SectionKey,
        found: Sequence[OnTopic],
        terms: Sequence[str],
        quoted: _Quoted,
        on_topic: Callable[[str], bool] | None,
    ) -> tuple[BriefSection | None, int]:
        """A section from the clauses of its types, the most relevant first, whole clauses until the
        budget is reached; and how many sentences failed verification."""
        kinds = dict(SECTIONS)[key]
        # A clause typed as a procedure often states amounts in its items (未提供租赁合同的，每人每年不超过
        # 18000元): the support section takes those sentences of it too, and only those.
        also = PROCEDURE_TYPES if key == "support" else ()
        chosen: list[tuple[int, BriefSentence]] = []
        dropped = 0
        ranked = sorted((c for c in found if c.label.type in (*kinds, *also)), key=lambda c: (-c.relevance, c.order))
        for cand in ranked:
            if len(chosen) >= self._config.section_budget:
                break
            kind = kinds[0] if cand.label.type not in kinds else None
            for sentence in fact_sentences(cand.label, on_topic, kind):
                if not verified(sentence, cand.label.clause, terms):
                    dropped += 1
                elif not quoted.repeats(sentence.text):
                    chosen.append((cand.order, sentence))
        if not chosen:
            return None, dropped
        chosen.sort(key=lambda p: (p[0], p[1].start))
        return BriefSection(key, tuple(s for _, s in chosen)), dropped


__all__ = [
    "BRIEF_TYPES",
    "SECTIONS",
    "BriefConfig",
    "OnTopic",
    "TopicBriefer",
    "TopicQuery",
    "fact_sentences",
    "topic_terms",
    "verified",
]
