"""Which of several near-twin items a text describes, in the citizen's own words.

"退休了公积金能全部取出来吗" names no option of "您要办理的是哪种情形" (离休、退休 is the option
text), yet it states the situation; "公积金怎么取" states none. The test is what the text says
beyond what all the candidates share: the words left after removing the candidates' common
vocabulary (公积金, 提取), the procedural words and the interrogatives. Nothing left means nothing
stated, so the question must be asked. Otherwise a word that only some candidates' own texts
contain (辞职 in the aliases of the 离职 item) narrows to those; failing that, the meaning of what is
left, compared with each candidate's situation text by the embedder, picks a winner when its
margin is clear ("在外面租的房子" is closest to 租赁住房). When neither decides, the clauses that
state rather than ask are compared with each candidate's own sentences, those the candidates do
not all share (its 办理情形, aliases and 申请条件): "身份证上的名字改了" is closest to 公民姓名变更…需要
换发 of the 换领 item, though it shares no word with it. A negated text (我不上班了) is not read this
way: the embedder does not see the negation, so the text is as close to what it denies as to what
it states.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from govqa.core.protocols import Embedder
from govqa.core.text import is_han
from govqa.core.types import ServiceItem
from govqa.core.vocab import (
    APPLICANT_WORDS,
    GLUED_MODALS,
    INTERROGATIVES,
    NEGATION_PREFIXES,
    NEGATIONS,
    NON_ANSWERS,
    QUESTION_WORDS,
    SITUATION_WORDS,
    STOPWORDS,
)
from govqa.dialogue.coverage import COMMON_FREQUENCY, PROCEDURAL, Tagger

# Chinese kept here: the punctuation between the clauses of a message.
_CLAUSE_BREAK = re.compile(r"[，,。.；;！!？?\s]+")


@dataclass(frozen=True, slots=True)
class SituationConfig:
    """Thresholds, chosen on the committed dialogue set."""

    # e5 cosine of the stated words to the winner's situation text over the runner-up's. Situations
    # stated in other words score 0.015-0.04 apart; an unstated one (房子 for 存量房/新建商品房) 0.00.
    margin: float = 0.012
    # The same margin for the whole text against each candidate's own sentences (best sentence per
    # candidate). Stated situations score 0.02-0.03 apart; a text stating none 0.00-0.01.
    sentence_margin: float = 0.015
    # A negated reply (没工作了) is as close to what it denies as to what it states: the options
    # this near the closest one are what it is about.
    negated_band: float = 0.04


def situation_text(item: ServiceItem) -> str:
    """What an item's guide says about whom and which situation it is for (compared by meaning)."""
    return " ".join((naming_text(item), *item.conditions))


def naming_text(item: ServiceItem) -> str:
    """The item's situation, names, aliases and applicant words: where a word of the text is looked
    up. The 申请条件 are left out here, because their long sentences contain everyday words (提出,
    准备) by chance."""
    applicants = " ".join(w for a in item.applicant_types for w in APPLICANT_WORDS.get(a, ()))
    return " ".join((item.scenario, item.name, *item.aliases, applicants))


class SituationMatcher:
    """Narrows candidate items by the situation a text states (see the module docstring)."""

    def __init__(self, tagger: Tagger, embedder: Embedder | None, config: SituationConfig = SituationConfig()) -> None:
        self._tagger = tagger
        self._embedder = embedder
        self._config = config

    def stated_words(self, text: str, profiles: Sequence[str], names: Sequence[str] = ()) -> list[str]:
        """The words of `text` that say something the candidates do not all share; a word right after
        a negation (没买房) is not a situation the text states. A procedural word counts only when
        it is part of one of the candidates' `names`."""
        out = []
        negated = False
        for word, _flag in self._tagger.tagged(text):
            word = word.strip()
            after_negation, negated = negated, word in NEGATIONS
            if not word or not any(is_han(c) for c in word) or after_negation:
                continue
            if len(word) == 2 and word[0] in GLUED_MODALS and self._tagger.general_frequency(word) < 10:
                # jieba glues a modal to the next character of a rare pair (能补, 刚办, 没上): the
                # character is the word, unless the modal negates it.
                if word[0] in NEGATIONS:
                    continue
                word = word[1:]
            if word in STOPWORDS or word in QUESTION_WORDS or word in NON_ANSWERS:
                continue
            if word in PROCEDURAL and not any(word in n for n in names):
                continue  # 申领 of 居住证申领 tells twins apart; 材料, 办理 never do
            if all(word in p for p in profiles):
                continue
            out.append(word)
        return out

    def narrow(self, text: str, items: Sequence[ServiceItem]) -> list[str]:
        """The codes of the items `text` is consistent with: one when it decides, all when it states
        nothing that tells them apart."""
        codes = [i.code for i in items]
        if len(items) < 2:
            return codes
        profiles = [situation_text(i) for i in items]
        words = self.stated_words(text, profiles, [i.name for i in items])
        if not words:
            return codes
        chosen = _by_alias(text, items) or _lexical(words, items, [naming_text(i) for i in items])
        if chosen and len(chosen) < len(codes):
            if len(chosen) == 1:
                return chosen
            # 买 of "全款买了套二手房" leaves 购房 and 还贷: the rest of the words may decide.
            keep = [k for k, c in enumerate(codes) if c in chosen]
            codes, profiles = [codes[k] for k in keep], [profiles[k] for k in keep]
        # Meaning is read from specific words only: everyday ones (准备, 的话, 交) carry none, and
        # the embedder ranks the candidates by noise when given nothing else.
        specific = [w for w in words if self._tagger.general_frequency(w) < COMMON_FREQUENCY]
        narrowed = self._by_meaning("".join(specific), codes, profiles) if specific else codes
        stated = statements(text)
        if len(narrowed) > 1 and len(codes) == len(items) and stated and not self.negated(stated):
            # Everyday words can state a situation too (名字改了, 拿了快一年了): what the text states,
            # not what it asks (在哪办, 要准备什么), read against each candidate's own sentences.
            return self._by_sentences(stated, [i for i in items if i.code in narrowed])
        return narrowed

    def near_options(self, scored: Sequence[tuple[str, float]]) -> list[str]:
        """The options, ranked by cosine to a reply (best first), within the negated-reply band of
        the closest one."""
        if not scored:
            return []
        return [o for o, cos in scored if cos >= scored[0][1] - self._config.negated_band]

    def negated(self, text: str) -> bool:
        """The text denies something (没工作了, 我不上班了, 不是买房)."""
        words = [word.strip() for word, _flag in self._tagger.tagged(text)]
        # jieba glues a negation to the next character of a rare pair (没改), as in stated_words.
        glued = [w for w in words if len(w) == 2 and w[0] in NEGATIONS and self._tagger.general_frequency(w) < 10]
        return bool(glued) or any(w in NEGATIONS or w in NEGATION_PREFIXES for w in words)

    def _by_sentences(self, text: str, items: Sequence[ServiceItem]) -> list[str]:
        codes = [i.code for i in items]
        own = own_sentences(items)
        if self._embedder is None or len(items) < 2 or not all(own):
            return codes
        query = self._embedder.embed_query(text)
        best = np.array([float(np.max(self._embedder.embed_documents(s) @ query)) for s in own])
        order = np.argsort(-best)
        if float(best[order[0]] - best[order[1]]) >= self._config.sentence_margin:
            return [codes[int(order[0])]]
        return codes

    def _by_meaning(self, stated: str, codes: list[str], profiles: list[str]) -> list[str]:
        if self._embedder is None:
            return codes
        cos = self._embedder.embed_documents(profiles) @ self._embedder.embed_query(stated)
        order = np.argsort(-cos)
        if float(cos[order[0]] - cos[order[1]]) >= self._config.margin:
            return [codes[int(order[0])]]
        return codes


def statements(text: str) -> str:
    """The clauses of `text` that state rather than ask ("身份证上的名字改了" of
    "身份证上的名字改了，证件要换吗"), joined; "" when every clause asks."""
    clauses = _CLAUSE_BREAK.split(text)
    return "，".join(c.strip() for c in clauses if c.strip() and not any(w in c for w in INTERROGATIVES))


def own_sentences(items: Sequence[ServiceItem]) -> list[list[str]]:
    """Per item, its 办理情形, aliases and 申请条件 except those every item has word for word."""
    per = [[t for t in (i.scenario, *i.aliases, *i.conditions) if t] for i in items]
    shared = set.intersection(*(set(p) for p in per)) if per else set()
    return [[t for t in p if t not in shared] for p in per]


def _lexical(words: Sequence[str], items: Sequence[ServiceItem], profiles: Sequence[str]) -> list[str]:
    """Candidates whose own texts contain every distinguishing word of the text.

    A word of two or more characters is looked up in the naming text; a single character (丢 of
    身份证丢了) only in the item's 办理情形 and name, where one character is not noise. Words that
    point to different candidates (租房 and 买房 in one question) keep all they point to."""
    keep: set[str] | None = None
    # Specific words first: a procedural word of the names (单位 of 与单位终止劳动关系) only narrows
    # what they chose, it never adds a candidate beside 退休 of "单位给办了退休".
    for word in sorted(words, key=lambda w: w in PROCEDURAL):
        # A situation word inside a longer one (偷 of jieba's 偷偷) is read too.
        inside = (s for c in word if c != word for s in SITUATION_WORDS.get(c, ()))
        spellings = (word, *SITUATION_WORDS.get(word, ()), *inside)
        if len(word) >= 2:
            hits = {i.code for i, p in zip(items, profiles) for w in spellings if w in p}
        else:
            hits = {i.code for i in items for w in spellings if w in i.scenario or w in _qualifier(i.name)}
        if not hits or len(hits) == len(items):
            continue
        if keep is None:
            keep = hits
        elif word in PROCEDURAL:
            keep = (keep & hits) or keep
        else:
            keep = (keep & hits) or (keep | hits)
    return [i.code for i in items if keep is not None and i.code in keep]


def _by_alias(text: str, items: Sequence[ServiceItem]) -> list[str]:
    """The candidates one of whose aliases the text says in its own part (年审 of 居住证年审, in
    "需要去年审吗", which jieba cuts 去年 / 审吗): what an alias adds to the name all candidates
    share, at least two characters, found in the text."""
    shared = _shared_prefix([i.name for i in items])
    hits = []
    for item in items:
        others = [f"{o.name} {' '.join(o.aliases)}" for o in items if o is not item]
        for alias in item.aliases:
            own = alias.replace(shared, "") if shared else ""
            if len(own) >= 2 and own in text and not any(own in other for other in others):
                hits.append(item.code)
                break
    return hits if 0 < len(hits) < len(items) else []


def _shared_prefix(names: Sequence[str]) -> str:
    """The longest start all names share (居住证 of 居住证签注 and 居住证申领)."""
    first = min(names, key=len) if names else ""
    n = 0
    while n < len(first) and all(name[n] == first[n] for name in names):
        n += 1
    return first[:n]


def _qualifier(name: str) -> str:
    """The bracketed part of an item name, 住房公积金提取（租赁住房） -> 租赁住房."""
    # Chinese kept here: the full-width brackets item names use for their situation.
    start = name.find("（")
    return name[start + 1 : name.rfind("）")] if start >= 0 else ""
