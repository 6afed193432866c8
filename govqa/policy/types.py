"""Frozen data of policy analysis: a clause of a policy, its type and the attributes read from it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

# Chinese kept here: the clause types are the names users filter by and the JSON output carries.
ClauseType = Literal[
    "适用范围",
    "定义",
    "申报条件",
    "支持措施",
    "申报程序",
    "申请材料",
    "时限",
    "责任部门",
    "罚则",
    "施行与废止",
    "其他",
]
CLAUSE_TYPES: tuple[ClauseType, ...] = get_args(ClauseType)

LabelSource = Literal["rules", "llm"]


@dataclass(frozen=True, slots=True)
class ClauseAttributes:
    """What a clause states, each value verbatim from its text, in text order, without repeats.

    `beneficiary`: who receives the support or must meet the conditions (缴存职工, 专精特新中小企业);
    `amount`: money amounts, ratios and multiples with their unit (18000元, 50%);
    `cap`: the amounts stated as an upper bound (不超过24000元 gives 24000元);
    `deadline`: periods, time limits and dates (2年, 15个工作日, 2024年7月1日);
    `department`: the government bodies named (公积金中心, 市经信局);
    `cites`: the 文号 of other documents the clause cites (江政发〔2019〕7号).
    """

    beneficiary: tuple[str, ...] = ()
    amount: tuple[str, ...] = ()
    cap: tuple[str, ...] = ()
    deadline: tuple[str, ...] = ()
    department: tuple[str, ...] = ()
    cites: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Clause:
    """One 条 of a policy: where it is and its whole text."""

    doc_id: str
    article: str  # e.g. 第十二条
    text: str
    chunk_id: str = ""
    section: tuple[str, ...] = ()
    headings: tuple[str, ...] = ()  # titles of the 编/章/节 in `section` (法律责任), outermost first


@dataclass(frozen=True, slots=True)
class ClauseLabel:
    """A clause's type and attributes, and whether rules or the LLM decided the type."""

    clause: Clause
    type: ClauseType
    attributes: ClauseAttributes
    source: LabelSource = "rules"
