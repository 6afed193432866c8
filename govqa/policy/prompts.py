"""The prompt the local LLM types a clause with: the eleven types defined, then the clause, quoted.

The instruction block comes first and never changes, so llama.cpp evaluates it once and reuses it for
every clause; the clause follows fenced as quoted data. The reply is scored, not generated: each type
name is rated as the continuation of `TYPE_REPLY_PREFIX`.
"""

from __future__ import annotations

# Bump when the prompt changes: cached LLM types are keyed by it.
PROMPT_VERSION = "clause-type-v1"
MAX_CLAUSE_CHARS = 400

TYPE_SYSTEM = "你是政府政策文件的分析助手，判断一条条文的主要用途属于哪一类。"

TYPE_GUIDE = """条文类型（只选一类，按条文多数句子的主要用途判断）：
适用范围：本办法适用于谁或什么事项（本办法适用于…；…的，适用本办法）。
定义：解释术语（本办法所称…，是指…）。
申报条件：申请、享受或者被认定须满足的条件（应当具备下列条件；符合下列情形之一的，可以申请）。
支持措施：给予的支持：补贴、奖励、可以领取或提取的金额、优惠待遇、提供的服务。
申报程序：怎样申请、受理、审核、公示、认定、复核，以及到哪里、通过什么渠道办理。
申请材料：应当提交或者提供的材料、证件。
时限：主要内容是某个决定、资格或者步骤的期限或有效期（自受理之日起15个工作日内…；有效期为3年）。
责任部门：规定机关、部门的职责（X局负责…；各区人民政府应当…；本办法由X负责解释）。
罚则：处罚和责任（责令改正、罚款、追回资金、取消资格、纳入失信记录、依法追究责任）。
施行与废止：本文件何时施行、有效期多久、废止什么。
其他：目的和依据（为了…，根据…，制定本办法）、原则，以及不属于以上任何一类的内容。"""

TYPE_REPLY_PREFIX = "类型："


def type_prompt(clause_text: str) -> str:
    """The user turn: the fixed guide, then the clause (cut to MAX_CLAUSE_CHARS) between fences."""
    text = clause_text.strip()
    if len(text) > MAX_CLAUSE_CHARS:
        text = text[:MAX_CLAUSE_CHARS] + "…"
    return f"{TYPE_GUIDE}\n\n条文：\n<<<\n{text}\n>>>\n这一条属于哪一类？只回答类型名称。"
