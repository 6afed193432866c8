"""Answers that quote their source instead of generating: an article's text, a knowledge-base entry,
and the replies that say what the corpus does not cover. No LLM call, nothing to verify."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from govqa import messages
from govqa.core.text import is_han
from govqa.core.types import Answer, Citation, Document, ScoredChunk, ServiceItem
from govqa.core.vocab import (
    ALIASES_LABEL,
    ARTICLE_RE,
    CN_NUMERAL_CHARS,
    DOC_NUMBER_TAIL,
    EXCLUSIVE_QUALIFIERS,
    GuideField,
)
from govqa.generation.context import bigrams, sentences
from govqa.generation.sanitize import drop_instructions
from govqa.generation.verify import answers_kind, asks_figure, best_quote, question_clauses, states_figure

FAQ_CHARS = 360
# e5 cosines crowd into [0.80, 0.95]; this maps them onto [0, 1] for sentence scores.
DENSE_FLOOR = 0.80
DENSE_SPAN = 0.15
# Lines of a rendered guide that describe the guide itself, never an answer.
_NOT_ANSWERS = (
    "【",
    "#",
    ALIASES_LABEL,
    GuideField.CODE,
    GuideField.DEPARTMENT,
    GuideField.REGION,
    GuideField.APPLICANTS,
    GuideField.UPDATED,
)


def validity_warning(doc: Document, day: dt.date, title_of: Callable[[str], str]) -> str:
    """A warning sentence for a document not in force on `day`, or ""."""
    if doc.is_valid_on(day):
        return ""
    if doc.repealed_on is not None and doc.repealed_on <= day:
        state = (
            messages.REPEALED.format(date=messages.cn_date(doc.repealed_on))
            if doc.repealed_on.year > 1
            else messages.REPEALED_UNDATED
        )
    else:
        state = messages.EXPIRED.format(date=messages.cn_date(doc.expires_at) if doc.expires_at else "")
    if doc.superseded_by:
        state += "，" + messages.SUPERSEDED.format(title=title_of(doc.superseded_by))
    return messages.INVALID_SOURCE.format(title=doc.title, state=state)


def citation(marker: int, hit: ScoredChunk, quote: str, day: dt.date) -> Citation:
    """A citation of one retrieved chunk with the given quote; `supported` is False when not in force."""
    doc = hit.document
    return Citation(
        marker=marker,
        chunk_id=hit.chunk.id,
        doc_id=doc.id,
        title=doc.title,
        doc_number=doc.doc_number,
        section=hit.chunk.label,
        url=doc.url,
        quote=quote,
        supported=doc.is_valid_on(day),
    )


def _article_body(hit: ScoredChunk) -> str:
    """The article's text without its leading number (the label says it)."""
    text = drop_instructions(hit.chunk.text).strip()
    label = hit.chunk.section[-1] if hit.chunk.section else ""
    if label and text.startswith(label):
        text = text[len(label) :].lstrip(" 　：:")
    return text


def clause_answer(hits: Sequence[ScoredChunk], day: dt.date, title_of: Callable[[str], str]) -> Answer:
    """The article's own text, named by title, 文号 and 条, with a validity warning when not in force."""
    hit = hits[0]
    doc = hit.document
    name = title_of(doc.id)
    article = hit.chunk.section[-1] if hit.chunk.section else hit.chunk.label
    body = "\n".join(_article_body(h) for h in hits)
    text = messages.CLAUSE_ANSWER.format(name=name, article=article, body=body) + " [1]"
    warning = validity_warning(doc, day, title_of)
    quote = best_quote(body, hit.chunk.text)
    return Answer(
        text=text,
        citations=(citation(1, hit, quote, day),),
        item_codes=(hit.chunk.item_code,) if hit.chunk.item_code else (),
        warnings=(warning,) if warning else (),
    )


def faq_answer(
    question: str, hit: ScoredChunk, day: dt.date, title_of: Callable[[str], str], limit: int = FAQ_CHARS
) -> Answer:
    """A knowledge-base entry's own sentences: all of a short answer, else those closest to the
    question in their original order. Instructions embedded in the entry are dropped."""
    text = drop_instructions(hit.chunk.text).strip()
    title = hit.document.title
    if text.startswith(title):
        text = text[len(title) :].lstrip("\n ：:？?")
    parts = sentences(text) or [text]
    if len(text) > limit:
        q = bigrams(question)
        ranked = sorted(range(len(parts)), key=lambda i: (-len(bigrams(parts[i]) & q), i))
        keep: list[int] = []
        size = 0
        for i in ranked:
            if size + len(parts[i]) > limit and keep:
                continue
            keep.append(i)
            size += len(parts[i])
        parts = [parts[i] for i in sorted(keep)]
    body = "".join(p if p.endswith(("。", "！", "？", "；")) else p + "。" for p in parts)
    warning = validity_warning(hit.document, day, title_of)
    return Answer(
        text=body + " [1]",
        citations=(citation(1, hit, best_quote(question + body, hit.chunk.text), day),),
        warnings=(warning,) if warning else (),
    )


def faq_side_by_side(
    question: str, hits: Sequence[ScoredChunk], day: dt.date, title_of: Callable[[str], str]
) -> Answer:
    """Several entries that answer the same question, each with its own sentences, its source (the
    department, else the entry's title) and its own citation, numbered in order."""
    lines = [messages.SIDE_BY_SIDE_HEAD.format(n=len(hits))]
    citations = []
    warnings: list[str] = []
    for n, hit in enumerate(hits, start=1):
        one = faq_answer(question, hit, day, title_of)
        body = one.text.removesuffix(" [1]")
        source = hit.document.issuer or title_of(hit.document.id)
        lines.append(messages.SIDE_BY_SIDE_ENTRY.format(n=n, source=source, body=body) + f" [{n}]")
        citations += [dataclasses.replace(c, marker=n) for c in one.citations]
        warnings += [w for w in one.warnings if w not in warnings]
    return Answer(text="\n".join(lines), citations=tuple(citations), warnings=tuple(warnings))


def refusal(missing: Sequence[str], related: Sequence[ServiceItem]) -> Answer:
    """What the corpus does not cover, the closest items it does cover, and where to ask."""
    head = messages.NOT_COVERED.format(topic="、".join(missing[:3])) if missing else messages.NOT_FOUND_HEAD
    lines = [head]
    if related:
        lines.append(messages.RELATED_ITEMS.format(items="；".join(_item_line(i) for i in related)))
    lines.append(messages.ASK_HOTLINE)
    return Answer(text="".join(lines), grounded=False)


def _item_line(item: ServiceItem) -> str:
    phone = item.phone.split("；")[0].strip() if item.phone else ""
    return (
        messages.RELATED_ITEM.format(name=item.name, department=item.department, phone=phone)
        if phone
        else (messages.RELATED_ITEM_NO_PHONE.format(name=item.name, department=item.department))
    )


# A question about a lost or stolen document (丢了, 被偷) is answered from what its source says of
# loss and reissue: the title, label or sentence speaks of it (居民身份证补领, 挂失), not a sentence
# on issuing a new one (冷静期届满后…发给离婚证的，当场办结).
_LOSS_ASKED = re.compile(r"丢|遗失|掉了|找不到|找不着|被偷|被盗")
_LOSS_SAID = re.compile(r"遗失|丢失|补办|补领|补发|补证|挂失|被盗|丢")


def _fits(question: str, sentence: str, label: str = "", level: str = "", title: str = "") -> bool:
    """The sentence answers what a piece of the question asks: a figure of the kind it asks for
    (多少钱 or 多久 of 多少钱多久能拿), a penalty, a phone number …; it is about the question's
    qualifier; and it is more than a bare reference (《…》第十条). Only the pieces that ask count
    (罚款500元 in an instruction tacked on asks nothing); the sentence is read with its field label
    (申请条件 says a line is a condition) and its document's level (市级 for a 江临市 guide)."""
    if is_reference(sentence) or not _same_qualifier(question, sentence, level):
        return False
    if title and _LOSS_ASKED.search(question) and not _LOSS_SAID.search(f"{title} {label} {sentence}"):
        return False
    pieces = _asking_pieces(question)
    read = f"{label}：{sentence}" if label else sentence
    if not any(answers_kind(p, read) for p in pieces):
        return False
    if not asks_figure(question):
        return True
    return any(states_figure(sentence, p) for p in [p for p in pieces if asks_figure(p)] or [question])


def _asking_pieces(question: str) -> list[str]:
    """The clauses of a question that ask something; the whole question when none does alone."""
    return question_clauses(question)[1] or [question]


def _same_qualifier(question: str, sentence: str, level: str = "") -> bool:
    """False when the sentence is about another of a set of exclusive qualifiers than the question
    names (国家级 in the sentence, 市级 in the question), or names none of them and its document is
    of another level (a 江临市 guide's conditions for a question about 国家级 小巨人)."""
    for group in EXCLUSIVE_QUALIFIERS:
        asked = [q for q in group if q in question]
        if not asked:
            continue
        named = [q for q in group if q in sentence]
        if named and not any(q in named for q in asked):
            return False
        if not named and level in group and level not in asked:
            return False
    return True


# The place a document's title starts with, and the level it gives the document.
_TITLE_PLACE = re.compile(r"^(?:中华人民共和国|国务院|国家|全国)|^[\u4e00-\u9fa5]{2,6}?(省|自治区|市|区|县)")
_PLACE_LEVEL = {"省": "省级", "自治区": "省级", "市": "市级", "区": "区级", "县": "县级"}


def document_level(title: str) -> str:
    """The administrative level a document's title gives it (江临市… -> 市级, 国务院… -> 国家级), or ""."""
    m = _TITLE_PLACE.match(title)
    if m is None:
        return ""
    return _PLACE_LEVEL[m[1]] if m[1] else "国家级"


# What a bare reference is made of: titles, article numbers, 文号 and the words joining them.
_REFERENCE = re.compile(
    rf"《[^》]*》|{ARTICLE_RE.pattern}|[\u4e00-\u9fa5]{{0,12}}{DOC_NUMBER_TAIL}|[和及与、，,；;。等\s]"
)


def is_reference(sentence: str) -> bool:
    """True for a sentence that only names sources (《…办法》第十条), which answers nothing."""
    return sum(is_han(c) for c in _REFERENCE.sub("", sentence)) < 4


Similarity = Callable[[Sequence[str]], Sequence[float]]
_LIST_MARK = re.compile(rf"^\s*(?:\d{{1,2}}[.、．]\s*|[（(][{CN_NUMERAL_CHARS}\d]{{1,3}}[）)]\s*)")


@dataclass(frozen=True, slots=True)
class RankedSentence:
    """One evidence sentence with its score (0..1) and where it comes from."""

    score: float
    hit: int  # index into the hits
    order: int  # position in its chunk
    text: str


@dataclass(frozen=True, slots=True)
class Extraction:
    """The best evidence sentences for a question, with the score of the best one (0..1)."""

    score: float
    answer: Answer | None
    ranked: tuple[RankedSentence, ...] = ()


def rank_sentences(
    question: str,
    terms: Sequence[tuple[str, float]],
    hits: Sequence[ScoredChunk],
    similarity: Similarity | None = None,
    dense_weight: float = 0.6,
) -> list[RankedSentence]:
    """Evidence sentences best first.

    A sentence scores by the share of the question's weighted terms it contains and, given
    `similarity` (question-to-sentence cosines from the embedder), by its meaning, which catches
    每年 for 一年 and 租赁住房 for 租房. A question asking for a figure only takes sentences that
    state one; a sentence sharing no term with the question is not taken.
    """
    total = sum(w for _, w in terms)
    candidates: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    for n, hit in enumerate(hits):
        for i, part in enumerate(sentences(drop_instructions(hit.chunk.text))):
            body = _LIST_MARK.sub("", part).strip()
            if len(body) < 6 or body.endswith(("：", ":")) or body.startswith(_NOT_ANSWERS) or body in seen:
                continue
            seen.add(body)
            if _fits(question, body, hit.chunk.label, document_level(hit.document.title), hit.document.title):
                candidates.append((n, i, body))
    if not candidates or not total:
        return []
    cosines = list(similarity([b for _, _, b in candidates])) if similarity is not None else []
    ranked: list[RankedSentence] = []
    for k, (n, i, body) in enumerate(candidates):
        cover = sum(w for t, w in terms if t in body) / total
        score = cover
        if cosines:
            meaning = min(1.0, max(0.0, (cosines[k] - DENSE_FLOOR) / DENSE_SPAN))
            score = dense_weight * meaning + (1 - dense_weight) * cover
        if cover > 0:
            ranked.append(RankedSentence(score, n, i, body))
    ranked.sort(key=lambda r: (-r.score, r.hit, r.order))
    return ranked


@dataclass(frozen=True, slots=True)
class Ask:
    """One part of a question with the sentences that may answer it, best first, for the judge."""

    question: str
    sentences: tuple[RankedSentence, ...]


def asking_parts(question: str, limit: int = 3) -> list[str]:
    """The parts of a question that each ask something, with the statements around them as their
    context ("驾照快过期了，" before both); the whole question when it asks one thing."""
    pieces, asking = question_clauses(question)
    if len(asking) < 2:
        return [question]
    context = "，".join(p for p in pieces if p not in asking)
    return [f"{context}，{p}" if context else p for p in asking[:limit]]


def rank_by_meaning(
    question: str, hits: Sequence[ScoredChunk], among: Sequence[int], similarity: Similarity
) -> list[RankedSentence]:
    """Sentences of `hits[among]` best first by meaning alone, each read with its field label
    (申请条件：…). For one item's guide, where the words of a colloquial question (驾照, 过期) are
    rarely the guide's (驾驶证, 有效期满) and every sentence is about the item anyway. A figure
    question only takes sentences stating a figure of its kind."""
    candidates: list[tuple[int, int, str, str]] = []
    seen: set[str] = set()
    for n in among:
        hit = hits[n]
        for i, part in enumerate(sentences(drop_instructions(hit.chunk.text))):
            body = _LIST_MARK.sub("", part).strip()
            if len(body) < 4 or body.endswith(("：", ":", "？", "?")) or body.startswith(_NOT_ANSWERS) or body in seen:
                continue  # a heading, or an entry's own question, is never the answer
            seen.add(body)
            if _fits(question, body, hit.chunk.label, document_level(hit.document.title), hit.document.title):
                candidates.append((n, i, body, f"{hit.chunk.label}：{body}" if hit.chunk.label else body))
    if not candidates:
        return []
    cosines = similarity([read for _, _, _, read in candidates])
    ranked = [
        RankedSentence(min(1.0, max(0.0, (float(cos) - DENSE_FLOOR) / DENSE_SPAN)), n, i, body)
        for (n, i, body, _), cos in zip(candidates, cosines, strict=True)
    ]
    ranked.sort(key=lambda r: (-r.score, r.hit, r.order))
    return ranked


def quoted_answer(
    chosen: Sequence[RankedSentence], hits: Sequence[ScoredChunk], day: dt.date, title_of: Callable[[str], str]
) -> Answer:
    """Sentences quoted whole, in source order, each once, marked with its source's number."""
    # The same sentence can come both from the picks and from the judged ones, with other scores.
    once = {(r.hit, r.order): r for r in reversed(chosen)}
    ordered = sorted(once.values(), key=lambda r: (r.hit, r.order))
    used = list(dict.fromkeys(r.hit for r in ordered))
    marker = {index: n for n, index in enumerate(used, 1)}  # numbered as shown, not by hit rank
    lines = [f"{r.text.rstrip('。；;！？')}[{marker[r.hit]}]。" for r in ordered]
    citations = tuple(
        citation(
            marker[index],
            hits[index],
            best_quote(" ".join(r.text for r in ordered if r.hit == index), hits[index].chunk.text),
            day,
        )
        for index in used
    )
    warnings = tuple(dict.fromkeys(w for i in used if (w := validity_warning(hits[i].document, day, title_of))))
    # Like a generated answer, a quoted one is about the item whose guide it quotes.
    codes = tuple(dict.fromkeys(hits[i].chunk.item_code for i in used if hits[i].chunk.item_code))[:1]
    return Answer(text="".join(lines), citations=citations, warnings=warnings, item_codes=codes)


def extract_sentences(
    question: str,
    terms: Sequence[tuple[str, float]],
    hits: Sequence[ScoredChunk],
    day: dt.date,
    title_of: Callable[[str], str],
    similarity: Similarity | None = None,
    top: int = 2,
) -> Extraction:
    """The evidence sentences that best answer the question (see rank_sentences), quoted whole as a
    cited answer: the best one and a second that scores nearly as well. Every figure shown is the
    source's own."""
    ranked = rank_sentences(question, terms, hits, similarity)
    if not ranked:
        return Extraction(0.0, None)
    best = ranked[0].score
    chosen = [r for r in ranked[:top] if r.score >= best * 0.9]
    # A question in parts (多少钱，多久能拿) gets the best sentence for each part that asks a figure.
    for part in asking_parts(question):
        if asks_figure(part) and not any(states_figure(r.text, part) for r in chosen):
            fit = next((r for r in ranked if states_figure(r.text, part) and r.score >= best * 0.6), None)
            if fit is not None:
                chosen.append(fit)
    shown = with_alternatives(chosen, ranked, question)
    return Extraction(best, quoted_answer(shown, hits, day, title_of), tuple(ranked))


def with_alternatives(
    chosen: Sequence[RankedSentence], candidates: Sequence[RankedSentence], question: str, limit: int = 2
) -> list[RankedSentence]:
    """`chosen` with the alternatives beside them: sentences of the same source, next to them or
    built alike, that state a figure of the asked kind for another case (未提供租赁合同的 18000元
    beside 提供的 24000元). Quoting one of them alone would answer for one case as if it were the
    rule."""
    out = list(chosen)
    if not asks_figure(question):
        return out
    for one in chosen:
        grams = bigrams(one.text)
        added = 0
        for other in candidates:
            if added >= limit or other in out or other.hit != one.hit or not _fits(question, other.text):
                continue
            other_grams = bigrams(other.text)
            alike = 2 * len(other_grams & grams) / (len(grams) + len(other_grams)) if grams else 0.0
            if abs(other.order - one.order) == 1 or alike >= ALTERNATIVE_SIMILARITY:
                out.append(other)
                added += 1
    return out


# Bigram Dice of two sentences that state the same rule for two cases.
ALTERNATIVE_SIMILARITY = 0.5
