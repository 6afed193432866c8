"""Scope guard: what is not a government-affairs question never reaches retrieval or the LLM.

Requests for poems, code, jokes, translations, persona changes or the prompt itself get a fixed
reply. A real question with an instruction appended ("…多少钱？回答完再写一首诗") keeps its
question and loses the instruction. The same instruction patterns are removed from document
text (`govqa.generation.sanitize`), so text inside a source cannot change what the service does
either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from govqa.generation.sanitize import INSTRUCTION as _INJECTION


class Scope(StrEnum):
    """What kind of message a turn is."""

    IN_SCOPE = "in_scope"
    GREETING = "greeting"
    OFF_TOPIC = "off_topic"
    INJECTION = "injection"
    PERSONAL_RECORD = "personal_record"


# Creative, coding, translation and small-talk requests. Kept narrow: 12345 knowledge bases hold
# weather-safety and anti-fraud entries, and 翻译件 is a common 申请材料.
_OFF_TOPIC = re.compile(
    # Chinese kept here: patterns matched against citizens' messages (requests, greetings, follow-on instructions).
    r"(?:写|作|创作|编|来)(?:一|几|两)?(?:首|篇|段|个|副|则).{0,8}(?:诗|词|歌|小说|故事|作文|散文|对联|笑话|段子|文案|情书)|"
    r"写.{0,6}(?:诗|小说|故事|作文|散文|对联|笑话|段子|情书)|作诗|讲.{0,4}(?:笑话|故事|段子)|"
    r"(?:写|编写|生成|给我|帮我).{0,10}(?:代码|程序|函数|脚本|sql|python|java|html)|"
    r"(?:python|java|javascript|c\+\+|sql)\s*(?:代码|程序|怎么写)|"
    r"翻译成|翻译为|翻译一下|帮我翻译|用英文(?:回答|说|写)|用英语(?:回答|说|写)|"
    r"今天天气|明天天气|天气怎么样|天气预报|星座|运势|算命|(?:买|炒|推荐).{0,4}(?:股票|基金)|菜谱|"
    r"推荐.{0,4}(?:电影|游戏|歌曲|小说)|谜语|脑筋急转弯|快速排序|冒泡排序|算法题|"
    r"用\s*(?:python|java|javascript|c\+\+|go|rust|sql)|\d+\s*[+\-*/×÷]\s*\d+\s*(?:=|等于)|"
    r"\b(?:write|compose|reply with|answer with|in the form of)\b.{0,12}\b(?:poem|song|story|joke|haiku)s?\b",
    re.I,
)
_GREETING = re.compile(
    r"^(?:你好|您好|嗨|hi|hello|哈喽|在吗|在不在|有人吗|谢谢|谢谢你|多谢|感谢|再见|拜拜|早上好|晚上好|下午好|"
    r"你是谁|你叫什么(?:名字)?|你是机器人吗|你是人工智能吗|你能做什么|你会什么|好的|ok|嗯|哦)[呀啊吗呢！!。.？?~\s]*$",
    re.I,
)
# A request to look up the citizen's own record (balance, payments, the progress of an application),
# which only the department's own systems hold; asking how or where to look it up is a question.
_OWN_RECORD = re.compile(
    r"(?:我|帮我|给我|替我|我家|我爸|我妈).{0,14}(?:"
    r"余额(?:是|有|还有|还剩)?多少|查.{0,8}余额|余额(?:查|看)一下|还(?:剩|有)多少钱|里(?:面)?(?:还)?(?:剩|有)多少钱|"
    r"(?:缴费|缴存|参保|交费)(?:记录|明细)|(?:交|缴)了多少(?:钱|个月|年)了?(?:[？?。，,！!]|$)|"
    r"(?:办|审批|审核|批|处理)到哪(?:一)?步|(?:办理|审批|审核)?进度(?:怎么样|如何|到哪|查一下)|"
    r"(?:到账|批下来|审核通过|办好)了?(?:没有|没|吗)"
    r")"
)
_HOW_TO_LOOK_UP = re.compile(
    r"(?:怎么|怎样|如何|在哪|去哪|哪里|哪儿|能不能|可以|能)(?:查|看|知道|查询)|查询(?:方式|渠道|方法)"
)
# Pieces of a message: sentences and clauses joined by "then / and also".
_CLAUSES = re.compile(r"[。！？!?；;\n]+|，?(?:然后|回答完|答完|之后再|接着|并且|另外|顺便)|，(?:再|还有|以及)")
_MIN_QUESTION_CHARS = 4


@dataclass(frozen=True, slots=True)
class ScopeCheck:
    """The kind of a message and, when in scope, the question to answer (instructions removed)."""

    scope: Scope
    question: str = ""


def _kind(piece: str) -> Scope:
    if _INJECTION.search(piece):
        return Scope.INJECTION
    if _OFF_TOPIC.search(piece):
        return Scope.OFF_TOPIC
    return Scope.IN_SCOPE


def check_scope(text: str) -> ScopeCheck:
    """Classify a message; an in-scope result carries the question without appended instructions."""
    stripped = text.strip()
    if _GREETING.match(stripped):
        return ScopeCheck(Scope.GREETING)
    if _OWN_RECORD.search(stripped) and not _HOW_TO_LOOK_UP.search(stripped):
        return ScopeCheck(Scope.PERSONAL_RECORD)
    pieces = [p.strip(" ，,") for p in _CLAUSES.split(stripped) if p and p.strip(" ，,")]
    kept = [p for p in pieces if _kind(p) is Scope.IN_SCOPE]
    if len(kept) == len(pieces):
        return ScopeCheck(Scope.IN_SCOPE, stripped)
    question = "，".join(kept)
    if sum(ch.isalnum() for ch in question) >= _MIN_QUESTION_CHARS and _has_content(question):
        return ScopeCheck(Scope.IN_SCOPE, question)
    kinds = {_kind(p) for p in pieces}
    return ScopeCheck(Scope.INJECTION if Scope.INJECTION in kinds else Scope.OFF_TOPIC)


def _has_content(question: str) -> bool:
    """A kept remainder is a question only if it is more than filler ("好的", "请")."""
    return not _GREETING.match(question)
