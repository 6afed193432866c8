"""Coverage: the thing a question asks about must be present in the evidence before anything is said.

A question about 护照 retrieves the 港澳通行证 guide, because it is the nearest thing the corpus
has; an LLM given that guide writes a passport procedure. The check here takes the question's
specific nouns (护照, 养犬, 新能源汽车: words that are rare in general language and are not the
procedural vocabulary every question shares) and requires each to occur in the evidence. A word
of three or more characters also counts as present when the evidence has it with one character
changed (身分证 for 身份证).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Protocol

from govqa.core.text import abbreviated_in, is_han
from govqa.core.vocab import GLUED_MODALS, NEGATIONS, PARTICLE_CHARS, SERVICE_NOUN_ENDINGS

# Noun-like jieba flags: nouns, proper nouns, place and organisation names, verbal nouns, English.
_NOUN_FLAGS = ("n", "nz", "ns", "nt", "nr", "nrt", "nrfg", "ng", "vn", "eng", "x")
# Above this count in jieba's general dictionary a word is everyday language (孩子, 企业, 条件),
# which questions use loosely; below it a word names a specific thing.
COMMON_FREQUENCY = 5000
# The procedural vocabulary of service questions: present in most questions, never a topic.
PROCEDURAL = frozenset(
    # Chinese kept here: lexicons matched against questions (procedural words, particles, admin prefixes).
    "办理 登记 申请 申领 补办 补领 换领 办 材料 流程 手续 条件 资格 时间 时限 期限 地点 地址 电话 费用 收费 "
    "政策 规定 文件 情况 问题 业务 事项 部门 窗口 需要 要求 标准 多少 多少钱 多久 多长 多长时间 多大 几天 "
    "哪里 哪些 什么 怎么 如何 是否 "
    "现在 今年 明年 时候 以后 之后 本市 全市 我市 市民 个人 单位 人员 本人 家里 一下 东西 证明 证件 方式 "
    "办法 具体 相关 有关 咨询 注意 服务 政务 网上 线上 线下 平台 官网 结果 进度 最高 最低 额度 金额 比例 "
    "程序 步骤 渠道 地方 老人 小孩 孩子 朋友 家人 父母 市里 区里 当地 本地 外地 "
    "爸爸 妈妈 爸妈 爷爷 奶奶 外公 外婆 老公 老婆 儿子 女儿 宝宝 家属 亲戚".split()
)
# jieba glues a modal verb or an adverb to the next character in unknown or near-unknown words
# (能贷, 要交, 刚办):
# not a noun.
_MODALS = tuple(GLUED_MODALS)
_ADMIN_PREFIX = set("市区县省镇乡")


class Tagger(Protocol):
    """What coverage needs of the tokenizer."""

    def tagged(self, text: str) -> list[tuple[str, str]]:
        """(word, part-of-speech flag) pairs."""

    def general_frequency(self, word: str) -> int:
        """The word's count in a general-language dictionary."""


# Verbs of saying: the noun just before one is who said something (同事说, 听朋友讲), not a topic.
_SAYING = ("说", "讲", "告诉", "提到", "介绍")
# Units jieba glues to the next character in unknown pairs (按多少天算 -> 天算): no noun.
_UNIT_CHARS = frozenset("天日月年周次个元岁份件")


def topic_terms(question: str, tagger: Tagger) -> list[str]:
    """The question's specific nouns, in order, without repeats."""
    out: list[str] = []
    tagged = tagger.tagged(question)
    for n, (word, flag) in enumerate(tagged):
        if n + 1 < len(tagged) and tagged[n + 1][0].startswith(_SAYING):
            continue  # 听同事说…: the speaker of hearsay
        word = word.strip()
        if len(word) >= 3 and word[0] in _ADMIN_PREFIX and tagger.general_frequency(word) == 0:
            word = word[1:]  # jieba glues 市/区 of "江临市养犬" to the next word
        if len(word) < 2 or word in PROCEDURAL or not any(is_han(c) or c.isalpha() for c in word):
            continue
        # A number is never a topic: a 身份证号 or phone number typed into a question names no service.
        if not flag.startswith(_NOUN_FLAGS) or any(c.isdigit() for c in word):
            continue
        frequency = tagger.general_frequency(word)
        if frequency >= COMMON_FREQUENCY or (frequency < 10 and len(word) == 2 and word.startswith(_MODALS)):
            continue
        glued = word[-1] in PARTICLE_CHARS or word[0] in _UNIT_CHARS
        if frequency == 0 and len(word) == 2 and glued and not word.endswith(SERVICE_NOUN_ENDINGS):
            continue  # two characters glued by jieba's unknown-word model (失业金是 -> 金是, 天算)
        if word not in out:
            out.append(word)
    return out


def _near(term: str, text: str) -> bool:
    """True when text holds the term with at most one character replaced (terms of 3+ characters)."""
    if len(term) < 3:
        return False
    n = len(term)
    for i in range(n):
        left, right = term[:i], term[i + 1 :]
        start = text.find(left) if left else 0
        while start != -1:
            j = start + len(left)
            if j < len(text) and text.startswith(right, j + 1):
                return True
            start = text.find(left, start + 1) if left else -1
    return False


def missing_terms(question: str, evidence: Iterable[str], tagger: Tagger, corpus: str = "") -> list[str]:
    """The question's specific nouns that neither the evidence nor, when given, the whole corpus contains.

    A word the corpus has somewhere (户口, 年龄) is usually a side word the evidence paraphrases;
    a word the corpus never uses (护照, 宅基地) names a topic it does not cover. A word the evidence
    has as the abbreviation of a longer one (国标 of 国家标准) is present.
    """
    terms = topic_terms(question, tagger)
    if not terms:
        return []
    text = "\n".join(evidence).lower()
    # One character off is a typo only for a word the dictionary does not know (公鸡金): a word in
    # its own right (离婚证) is not the one it resembles (结婚证). A word whose last character only
    # adds to a longer start the evidence has (身份证号, 电动车 beside 电动自行车) is about it.
    missing = [
        t
        for t in terms
        if t.lower() not in text
        and not (tagger.general_frequency(t) == 0 and _near(t.lower(), text))
        and not (len(t) >= 3 and t[:-1].lower() in text)
    ]
    if any(2 <= len(t) <= 4 for t in missing):
        # Only a whole word of the evidence is read as the long form (国家标准 for 国标), so that
        # characters of neighbouring words (保护好照片) never spell a missing term. The evidence is
        # tagged only when a missing term is short enough to be an abbreviation.
        words = {w for w, _flag in tagger.tagged(text) if len(w) > 2}
        missing = [t for t in missing if not any(abbreviated_in(t, w) and w[0] == t[0] for w in words)]
    if not corpus:
        return missing
    return [t for t in missing if t.lower() not in corpus]


def subject_term(question: str, tagger: Tagger) -> str:
    """The question's first specific noun that is not a place name: what it is about (身份证 of
    身份证芯片磨坏了), or "" when it has none."""
    tagged = tagger.tagged(question)
    places = {w for w, flag in tagged if flag.startswith("ns")}
    # What the question denies (买房 of 没买房一直租房) is not what it is about.
    denied = {w for (before, _), (w, _) in itertools.pairwise(tagged) if before in NEGATIONS}
    return next((t for t in topic_terms(question, tagger) if t not in places and t not in denied), "")


def only_side_words(question: str, missing: Sequence[str], subject_text: str, tagger: Tagger) -> bool:
    """True when the corpus-absent words of a question are the citizen's description of a case
    (芯片, 单子) rather than its subject: none of them names a service, document or benefit, and
    the question's subject is named in `subject_text` (the best source's title, the item's names)."""
    if not missing or any(t.endswith(SERVICE_NOUN_ENDINGS) for t in missing):
        return False
    subject = subject_term(question, tagger)
    return bool(subject) and subject not in missing and subject.lower() in subject_text.lower()
