"""Prompts for the local LLM: short, one question, numbered sources, cite with [n].

Measured with the bundled 1.5B model: a longer structured prompt made answers worse, so this stays short.
"""

from __future__ import annotations

from collections.abc import Sequence

SYSTEM = (
    "你是政务服务问答助手。只能根据给出的资料回答，不得编造。"
    "每句话末尾用[编号]标注依据的资料，例如[1]。资料中没有的内容，回答“资料未提及”。"
    "回答使用简体中文，简洁准确，不超过200字。"
)


def user_prompt(question: str, sources: Sequence[tuple[int, str, str]]) -> str:
    """`sources` are (number, heading, text) triples."""
    blocks = "\n\n".join(f"[{n}] {heading}\n{text}" for n, heading, text in sources)
    return f"资料：\n{blocks}\n\n问题：{question}\n请根据资料回答，并用[编号]标注出处。"
