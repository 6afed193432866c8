"""Sentence verification: a generated sentence may be shown only if its source states it.

A sentence is supported by a source when (1) every number it states (amounts, periods, dates,
article numbers, phone numbers) occurs in the source with the same unit, (2) every department,
office, place or document title it names occurs in the source, and (3) most of its character
bigrams occur in the source. Overlap alone is not enough: a sentence that adds one department to
a faithful paraphrase overlaps almost completely and is still wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from govqa import messages
from govqa.core.text import cn_to_int, normalise_dates
from govqa.core.vocab import CN_NUMERAL_CHARS, INTERROGATIVES, NO_EVIDENCE_CUES
from govqa.generation.context import bigrams, sentences

MARKER = re.compile(r"\[(\d{1,2})\]")
_SPLIT = re.compile(r"(?<=[。！？；\n])")
# Numbers and names carry the facts; overlap only keeps a sentence on its source's subject, and
# the small model paraphrases (18000元 "一年最多能提" for "每人每年提取总额不超过"), so it stays modest.
SUPPORT_THRESHOLD = 0.4
_UNITS = (
    # Chinese kept here: units, organisation suffixes and function words matched in answers and sources.
    "个月|个工作日|工作日|周岁|万元|日|天|年|月|岁|元|%|人|次|条|款|项|章|小时|分钟|倍|平方米|公里|份|页|户|号|号楼"
)
_CN_NUMBER = re.compile(rf"([{CN_NUMERAL_CHARS}]+)(?=(?:{_UNITS}))")
_DAY = re.compile(r"(\d)天")
_NUMBER = re.compile(rf"\d+(?:\.\d+)?(?:{_UNITS})?")
# Words that name an organisation, an office or a place; the words before them up to a function
# character form the name that must occur in the source.
_NAME_SUFFIX = re.compile(
    r"(?:人民政府|政府|委员会|办公室|管理中心|服务中心|中心|局|厅|委|办|处|科|所|站|院|支队|大队|"
    r"街道办事处|街道|社区|居委会|村委会|银行|公司|大厅|窗口|专区)"
)
_STOP = set('到在向由经去的和或者及与可以需要将把被从按于请为是了至并等、，。；：:（）()“”"《》 \n0123456789')
_TITLE = re.compile(r"《([^》]{2,60})》")
NO_EVIDENCE_PHRASES = (messages.NO_EVIDENCE, *NO_EVIDENCE_CUES)


def normalise_numbers(text: str) -> str:
    """Chinese numerals before a unit become digits (六个月 -> 6个月), 天 reads as 日 (60天 -> 60日)
    and dates read 2024年7月1日 however written, so both spellings compare equal."""

    def digits(m: re.Match[str]) -> str:
        value = cn_to_int(m[1])
        # 一 is left alone: 一年 and 一次 mostly mean "per year" and "once", not a stated figure.
        # Chinese kept here: numerals and the 日 of dates, compared in source text.
        return str(value) if value is not None and m[1] != "一" else m[0]

    return _DAY.sub(r"\1日", _CN_NUMBER.sub(digits, normalise_dates(text)))


def numbers_missing(sentence: str, source: str) -> list[str]:
    """Numbers (with their unit) stated in the sentence that the source does not state."""
    flat = normalise_numbers(source).replace(" ", "").replace(",", "")
    said = normalise_numbers(MARKER.sub("", sentence)).replace(" ", "").replace(",", "")
    return [n for n in _NUMBER.findall(said) if n not in flat]


def names(sentence: str) -> list[str]:
    """Organisation, office and place names a sentence states (at least two characters before the suffix)."""
    text = MARKER.sub("", sentence)
    out: list[str] = []
    for m in _NAME_SUFFIX.finditer(text):
        start = m.start()
        while start > 0 and text[start - 1] not in _STOP:
            start -= 1
        if m.start() - start >= 2:
            out.append(text[start : m.end()])
    out.extend(f"《{t}》" for t in _TITLE.findall(text))
    return out


def names_missing(sentence: str, source: str) -> list[str]:
    """Names in the sentence that the source does not contain."""
    flat = source.replace(" ", "")
    return [n for n in names(sentence) if n.replace(" ", "") not in flat and n.strip("《》") not in flat]


def overlap(sentence: str, source: str) -> float:
    """Share of the sentence's character bigrams that occur in the source (0..1)."""
    grams = bigrams(MARKER.sub("", sentence))
    if not grams:
        return 1.0
    return len(grams & bigrams(source)) / len(grams)


def loosely_contains(term: str, text: str, slack: int = 3) -> bool:
    """True when the term's characters occur in order in the text within len(term)+slack characters
    (失业金 in 失业保险金, 租房 in 租赁住房)."""
    if term in text:
        return True
    start = text.find(term[0]) if term else -1
    while start != -1:
        pos, ok = start, True
        for ch in term[1:]:
            pos = text.find(ch, pos + 1, start + len(term) + slack)
            if pos == -1:
                ok = False
                break
        if ok:
            return True
        start = text.find(term[0], start + 1)
    return False


def supports(sentence: str, source: str, subjects: Sequence[str] = ()) -> bool:
    """True when the source states everything the sentence says (see the module docstring).

    `subjects` are the question's words: those the sentence repeats must be in the source too, so a
    source's rule is not attributed to the question's topic (公租房申请 "需要通过…核验" taken from
    a 公积金 clause about something else).
    """
    return (
        not numbers_missing(sentence, source)
        and not names_missing(sentence, source)
        and overlap(sentence, source) >= SUPPORT_THRESHOLD
        and all(loosely_contains(t, source) for t in subjects if t in sentence)
    )


def is_no_evidence(sentence: str) -> bool:
    """The model saying it found nothing ("资料未提及…")."""
    return any(p in sentence for p in NO_EVIDENCE_PHRASES)


def is_connective(sentence: str) -> bool:
    """Too short to state a fact ("具体如下：", "根据资料[1]，"): kept only between facts."""
    return len(bigrams(MARKER.sub("", sentence))) < 4


@dataclass(frozen=True, slots=True)
class Verdict:
    """One answer sentence and the source that supports it (0 when none does)."""

    text: str
    source: int

    @property
    def supported(self) -> bool:
        """True when some source supports the sentence."""
        return self.source > 0


def verify_sentence(sentence: str, sources: Mapping[int, str], subjects: Sequence[str] = ()) -> Verdict:
    """The cited source if it supports the sentence, else any source that does, else 0."""
    cited = [int(m) for m in MARKER.findall(sentence) if int(m) in sources]
    for n in dict.fromkeys(cited + sorted(sources, key=lambda n: -overlap(sentence, sources[n]))):
        if supports(sentence, sources[n], subjects):
            return Verdict(sentence, n)
    return Verdict(sentence, 0)


def split_sentences(text: str) -> list[str]:
    """Answer text cut after Chinese sentence ends and line breaks, empty pieces dropped."""
    return [s.strip() for s in _SPLIT.split(text) if s.strip()]


def best_quote(claim: str, source: str, limit: int = 120) -> str:
    """The source sentence that best supports `claim`, never a heading ("申请材料：") when a sentence exists."""
    parts = [p for p in sentences(source) if not _is_heading(p)] or sentences(source) or [source]
    grams = bigrams(MARKER.sub("", claim))
    best = max(parts, key=lambda p: (len(bigrams(p) & grams), -abs(len(p) - 40)))
    return best[:limit]


def _is_heading(piece: str) -> bool:
    text = piece.strip()
    return len(text) <= 8 or text.endswith(("：", ":")) or text.startswith("#")


# Questions that ask for a figure are not answered by a sentence without one, and the kind of figure
# must match: "每个月发多少" wants an amount, not the 12个月 a neighbouring clause states.
_ASKS_FIGURE = re.compile(
    # Chinese kept here: question cues for figures and the units that answer them, matched in text.
    r"多少|多久|多长|多大|几天|几个|几年|几岁|几月|几号|几点|几次|几份|比例|金额|额度|时限|期限|标准是|什么时候|何时|哪天|年龄|"
    r"要钱|花钱|收钱|收费吗|收不收|免费吗|要不要钱"
)
_FIGURE = re.compile(
    rf"\d|[{CN_NUMERAL_CHARS}半]+(?:个|日|天|年|月|周|岁|元|倍|成)|"
    r"当场|即时|当日|免费|不收费|免收|免于收取|不收取"
)
_FIGURE_KINDS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    # A time of day is a clock time: 冷静期30日 or 3个工作日 says nothing of when a window closes.
    (re.compile(r"几点"), re.compile(rf"\d{{1,2}}\s*[:：]\s*\d{{2}}|[\d{CN_NUMERAL_CHARS}]{{1,3}}[点时](?!间|限)")),
    (re.compile(r"几岁|多少岁|多大|年龄"), re.compile(r"岁")),
    (re.compile(r"几次|多少次|几份|多少份"), re.compile(r"次|份")),
    (
        re.compile(r"多久|多长|几天|多少天|几个月|多少个月|几年|多少年|期限|时限|什么时候|何时|哪天|几号|几月"),
        # A period or a date has a number before its unit: 工作日 9:00-12:00 (office hours) is none.
        re.compile(rf"[\d{CN_NUMERAL_CHARS}半两][个多]?\s*(?:工作日|日|天|周(?!岁)|月|年|小时)|当场|即时|当日|届满"),
    ),
    # A rate is a percentage: 按照国家规定的利率计息 states no rate, whatever date it gives.
    (re.compile(r"利率|费率|百分之几|比率|几个点"), re.compile(r"%|百分之|‰")),
    # Money the citizen receives (补贴, 奖励, 报销): 不收费 says what they pay, not what they get.
    (
        re.compile(r"(?:补贴|补助|津贴|奖励|奖金|返还|报销|发|领|返|给)(?:多少|几)|能(?:领|拿|报|返)多少"),
        # An amount that is paid out, not one the citizen pays (个人缴费标准…1000元, 工本费20元).
        re.compile(
            r"^(?=.*(?:元|%|倍))(?:(?=.*(?:补贴|补助|津贴|奖励|奖金|发放|给予|返还|报销|支付|领取|计发|发给|增发))|"
            r"(?!.*(?:缴费|缴纳|缴存|收取|工本费|收费|档次)))"
        ),
    ),
    (
        re.compile(
            r"多少钱|费用|收费|工本费|发多少|交多少|补贴多少|奖励多少|多少元|金额|额度|比例|标准|要钱|花钱|收钱|免费"
        ),
        re.compile(r"元|%|免费|不收费|标准"),
    ),
)


# Questions whose answer is of a kind no figure names: a sentence without the kind's words does
# not answer them (申请：通过网上平台办理 is no penalty, 窗口地址 no phone number).
_ANSWER_KINDS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (
        re.compile(r"怎么罚|罚多少|罚款|处罚|法律责任"),
        re.compile(r"罚|责令|追回|追缴|取消|追究|处分|拘留"),
    ),
    (re.compile(r"电话|热线|打哪个|打什么号"), re.compile(r"\d{5,}|12345")),
    # How long a document stays valid: a sentence about when it is issued (3个工作日内制发) is no answer.
    # It states a period or an end (有效期为6个月, 30日内有效, 长期有效, 有效期至…), not 有效期满前3个月
    # (when to renew) or 在有效期内 (a condition).
    (
        re.compile(r"能用多久|能用几|管多久|管几年|有效期.{0,2}(?:多|几)|有效(?:多久|几)|几年有效|用多长时间"),
        re.compile(rf"有效期(?:为|是|：|:)?\s*[\d{CN_NUMERAL_CHARS}两半]|长期有效|[日天月年]内有效|有效期至"),
    ),
    (
        re.compile(r"什么条件|哪些条件|要满足|需要满足|符合什么|条件是|资格"),
        re.compile(r"条件|符合|满足|具备|应当|须|不低于|不超过|不少于|以上|以下|年满|达到|未|无|已|持有"),
    ),
)


def answers_kind(question: str, sentence: str) -> bool:
    """False when the question asks for a kind of answer (a penalty, a phone number) that the
    sentence does not give."""
    return all(need.search(sentence) for cue, need in _ANSWER_KINDS if cue.search(question))


def asks_figure(question: str) -> bool:
    """True when the question asks for an amount, a period, a ratio or a count."""
    return bool(_ASKS_FIGURE.search(question))


def states_figure(sentence: str, question: str = "") -> bool:
    """True when the sentence states a figure, of the kind `question` asks for when it names one."""
    if not _FIGURE.search(sentence):
        return False
    for cue, unit in _FIGURE_KINDS:
        if question and cue.search(question):
            return bool(unit.search(sentence))
    return True


# A question in several parts ("提前多久可以去换，工本费多少") is split where its clauses end.
_PART_END = re.compile(r"[，,；;？?。！!]")


def question_clauses(question: str) -> tuple[list[str], list[str]]:
    """The clauses of a question, and those of them that ask something (the others state the
    citizen's situation: "驾照快过期了")."""
    pieces = [p.strip() for p in _PART_END.split(question) if p.strip()]
    return pieces, [p for p in pieces if asks_figure(p) or any(w in p for w in INTERROGATIVES)]
