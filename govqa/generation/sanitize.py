"""Instructions addressed to the model, in a question or inside a document, recognised and removed.

Document text is data: a sentence in a source that tells the reader to ignore its rules or to
reply with fixed words is dropped before the text is quoted to the LLM or to the citizen.
"""

from __future__ import annotations

import re

# Attempts to change the rules, the persona or to read the prompt. "忘记公积金密码" is a real
# question, so forgetting or ignoring counts only when its object is the rules themselves.
INSTRUCTION = re.compile(
    # Chinese kept here: injection patterns matched against source text and questions.
    r"(?:忽略|无视|忘记|忘掉|不要遵守|不用遵守|不必遵守|绕过|跳过).{0,12}(?:指令|规则|提示|设定|要求|限制|约束|身份|以上|之前|前面)|"
    r"越狱|jailbreak|\bdan\b|开发者模式|系统提示|提示词|system\s*prompt|\bprompt\b|"
    r"你的(?:指令|设定|规则|初始|系统)|以上(?:指令|规则)|"
    r"扮演|假装你|假设你是|角色扮演|从现在(?:起|开始)[，,]?你|你现在是|你不再是|"
    r"(?:你|助手|模型|机器人).{0,4}不受.{0,6}限制|复述.{0,6}(?:指令|提示|设定)|输出.{0,6}(?:指令|提示|设定)|"
    r"(?:原样|原文|逐字|一字不差地?)(?:输出|复述|打印|发给|告诉)|(?:收到的|给你的|你看到的)(?:资料|提示|指令|设定)|"
    r"系统指令|(?:AI|人工智能)\s*(?:助手|模型|客服)[，,：:\s]{0,2}(?:请|注意|须|必须)|"
    # The same in English, which sources and questions carry too ("ignore all previous instructions").
    r"\b(?:ignore|disregard|forget|override|bypass)\b[^.。]{0,40}?\b(?:instructions?|rules?|prompts?|guidelines)\b|"
    r"\byou are now\b|\bfrom now on,? you\b|\bpretend (?:to be|you)\b|\brole-?play\b|\bact as (?:a|an|my)\b|"
    r"\bnote to the (?:ai|assistant|model)\b|\bwithout (?:any )?restrictions\b|"
    r"\b(?:answer|reply|respond)\b[^.。]{0,30}?\bin english\b",
    re.I,
)
# In documents, also replies dictated to the reader ("直接回复…").
_DOC_INSTRUCTION = re.compile(INSTRUCTION.pattern + r"|(?:直接|只|仅)(?:回复|回答|输出)[“\"「]", re.I)
_SOURCE_SENTENCE = re.compile(r"[^。！？；\n]*[。！？；\n]?")


_BRACKETED = re.compile(r"[（(【\[][^（）()【】\[\]]{0,200}[）)】\]]")


def drop_instructions(text: str) -> str:
    """Document text without the sentences (or bracketed asides) that try to instruct the reader."""
    if not _DOC_INSTRUCTION.search(text):
        return text
    text = _BRACKETED.sub(lambda m: "" if _DOC_INSTRUCTION.search(m[0]) else m[0], text)
    parts = [p for p in _SOURCE_SENTENCE.findall(text) if p]
    return "".join(p for p in parts if not _DOC_INSTRUCTION.search(p)).strip()


def has_instructions(text: str) -> bool:
    """True when document text contains an instruction addressed to the reader."""
    return bool(_DOC_INSTRUCTION.search(text))
