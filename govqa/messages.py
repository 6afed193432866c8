"""Every Chinese sentence the service says on its own (prompts live in generation/prompts.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from govqa.core.types import Document

# What a model is told to say, and the fake generator says, when the sources do not answer.
NO_EVIDENCE = "资料未提及"
NOT_FOUND = "抱歉，现有资料中没有找到与您问题直接相关的内容。建议拨打12345政务服务便民热线咨询，或换个说法再问一次。"
NOT_INDEXED = "知识库尚未导入任何文件，请管理员先运行 `govqa ingest` 导入资料。"
EMPTY_QUESTION = "问题不能为空，请输入您想咨询的内容。"
TOO_LONG = "问题过长（{n}字），请控制在{limit}字以内。"
UNSUPPORTED_NOTE = "（以上部分内容未能在引用资料中核实，请以原文为准。）"
INVALID_SOURCE = "注意：《{title}》{state}，相关内容仅供参考，请以现行规定为准。"
REPEALED = "已于{date}废止"
EXPIRED = "已于{date}到期失效"
SUPERSEDED = "已被{title}替代"
CLARIFY_SCENARIO = "您要办理的是哪种情形？"
CLARIFY_APPLICANT = "请问您是以个人还是单位（法人）身份办理？"
CLARIFY_DISTRICT = "请问您要在哪个区办理？"
CLARIFY_ITEM = "您想咨询的是以下哪一项？"
CLARIFY_REGION = "相关规定各地不同，请问您想了解哪里的规定？"
CLARIFY_DEPARTMENT = "不同部门对这个问题的答复不同，请问您想了解哪个部门的答复？"
# A best-effort answer after the topic's clarifying questions went unanswered.
ASSUMED = "（以下按“{choice}”为您解答；如果情况不同，请告诉我具体情形。）"
# Knowledge-base entries that answer the same question, shown side by side.
SIDE_BY_SIDE_HEAD = "关于这个问题，知识库中有{n}条答复，供您参考："
SIDE_BY_SIDE_ENTRY = "{n}. {source}：{body}"
VALIDITY_REPEALED = "已废止（自{date}起）"
VALIDITY_SUCCESSOR = "，现行规定见{title}"
VALIDITY_EXPIRED = "有效期至{date}，已到期失效"
VALIDITY_SINCE = "自{date}起施行，"
VALIDITY_CURRENT = "现行有效"
VALIDITY_UNTIL = "，有效期至{date}"
VALIDITY_PREFER_CURRENT = "办理业务请以现行有效的规定为准。"
REPEALED_UNDATED = "已废止"
FIELD_ANSWER_HEAD = "【{name}】（{department}）"
FIELD_ANSWER_BLOCK = "{field}：\n{lines}"
CLAUSE_ANSWER = "{name}{article}规定：\n{body}"
NOT_FOUND_HEAD = "抱歉，现有资料中没有找到能够回答这个问题的内容。"
NOT_COVERED = "抱歉，现有资料中没有关于“{topic}”的内容，无法为您准确解答。"
RELATED_ITEMS = "您可以参考以下相关事项：{items}。"
RELATED_ITEM = "{name}（{department}，咨询电话{phone}）"
RELATED_ITEM_NO_PHONE = "{name}（{department}）"
ASK_HOTLINE = "如需进一步咨询，请拨打12345政务服务便民热线。"
GREETING = "您好，我是政务服务问答助手，可以为您解答办事指南、政策文件等政务问题。请问您想咨询什么事项？"
OFF_TOPIC_REPLY = (
    "抱歉，我只能解答政务服务相关的问题（如办事材料、流程、时限、政策条款等），请问您有什么需要咨询的事项吗？"
)
INJECTION_REPLY = (
    "抱歉，我无法更改服务规则，也不能提供内部设定。我可以为您解答政务服务相关的问题，请问您想咨询什么事项？"
)
# A chat question asking for a list of measures, answered from the topic brief.
LISTED_HEAD = "现行有效的政策中，{n}份文件有相关规定，摘录原文{m}句如下："
LISTED_MORE = "（以上为部分条款，完整内容请查看所引文件。）"
PERSONAL_RECORD_REPLY = (
    "账户余额、缴费记录、办理进度等是您本人的信息，本服务不连接各部门的业务系统，无法替您查询。"
    "请本人通过相关部门的官方App、网上服务大厅或办事窗口查询，也可以拨打12345政务服务便民热线。"
    "如需了解查询渠道，可以问我“怎么查询公积金余额”这样的问题。"
)

# Options of a clarifying question for a candidate that states no value for the attribute asked about.
OPTION_GENERAL_SCENARIO = "一般情形"
OPTION_ANY_APPLICANT = "不限"
OPTION_WHOLE_CITY = "全市"
# By clarifying slot: the option for service items that leave the slot unset.
UNSET_OPTION_LABELS = {
    "scenario": OPTION_GENERAL_SCENARIO,
    "applicant": OPTION_ANY_APPLICANT,
    "district": OPTION_WHOLE_CITY,
}
# The read API (clause search, document view, service items): a wrong id or filter, in both languages.
DOCUMENT_NOT_FOUND = "未找到文件“{id}”，请检查文件编号（document not found: {id}）。"
ITEM_NOT_FOUND = "未找到事项“{code}”，请检查事项编码（service item not found: {code}）。"
BAD_DATE = "日期“{value}”格式不正确，应为 YYYY-MM-DD（invalid date {value}: use YYYY-MM-DD）。"
# Terminal chat: the heading of the source list and the input prompt.
SOURCES_HEADING = "来源："
CHAT_PROMPT = "问> "


def display_name(doc: Document) -> str:
    """How answers name a document: 《title》 with its 文号 in brackets when it has one."""
    return f"《{doc.title}》" + (f"（{doc.doc_number}）" if doc.doc_number else "")


# A curated answer's citation: the operator's standard answer, with its entry id and last-edited day.
CURATED_TITLE = "人工审核标准答复（编号{id}，{date}更新）"
# Admin API errors (operators read them; English follows for integrators).
ADMIN_NOT_CONFIGURED = "管理接口未启用：请设置 GOVQA_ADMIN_API_KEY。Admin API not configured: set GOVQA_ADMIN_API_KEY."
ADMIN_NO_KEY = "需要管理密钥：请以 Authorization: Bearer <密钥> 发送。Admin key required: Authorization: Bearer <key>."
ADMIN_BAD_KEY = "管理密钥不正确。Wrong admin key."
NO_SUCH_TURN = "找不到该会话或该轮回答。No such session or answer turn."
# The API edge: requests turned away before any answer is attempted.
BUSY = "当前咨询人数较多，请约{seconds}秒后再试。"
INVALID_REQUEST = "请求格式有误"
NO_USER_MESSAGE = "对话中没有用户提问，请输入您想咨询的内容。"
UNKNOWN_MODEL = "没有名为“{model}”的模型，可用模型：{available}。"
NOT_FOUND_PATH = "请求的地址不存在"
METHOD_NOT_ALLOWED = "该地址不支持此请求方法"
INTERNAL_ERROR = "服务内部错误，请稍后再试或拨打12345政务服务便民热线。"
BODY_TOO_LARGE = "请求内容过大，请精简后再试。"
RATE_LIMITED = "您的请求过于频繁，请约{seconds}秒后再试。"
# Chat clients (the OpenAI-compatible API): how to answer a clarifying question.
CLARIFY_HINT = "请回复序号或选项内容。"
MODEL_UNAVAILABLE = "模型暂不可用"
INDEX_MISMATCH = "索引与当前模型配置不一致"

# Policy analysis (clause types and attributes): a wrong document, type or date, in both languages.
CLAUSE_TYPE_UNKNOWN = "条文类型“{value}”不存在，可选：{types}（unknown clause type {value}）。"
# Policy comparison and draft review (civil servants; English follows for integrators).
POLICY_NOT_FOUND = (
    "未找到文件“{ref}”，请使用文件编号、文号或标题（no document matches {ref}: give an id, 文号 or title）。"
)
POLICY_AMBIGUOUS = "“{ref}”对应多份文件：{choices}，请改用文件编号（{ref} names several documents: give an id）。"
POLICY_NO_VERSION = (
    "《{title}》没有记录替代它的新版或被它替代的旧版，请同时给出要对比的两份文件"
    "（{id} has no recorded successor or predecessor: give both documents）。"
)
POLICY_NO_CLAUSES = "《{title}》没有可对比的条款（{id} has no clauses to compare）。"
DRAFT_EMPTY = "草案内容为空，请粘贴草案文本或上传 .md/.txt/.docx 文件（the draft is empty）。"
DRAFT_TOO_LONG = "草案过长（{n}字），请控制在{limit}字以内（the draft has {n} characters; the limit is {limit}）。"
DRAFT_TOO_MANY_CLAUSES = (
    "草案条款过多（{n}条），请控制在{limit}条以内（the draft has {n} clauses; the limit is {limit}）。"
)
DRAFT_BAD_FILE = (
    "草案文件“{name}”格式不支持，请使用 .md、.txt 或 .docx（unsupported draft file {name}: use .md, .txt or .docx）。"
)
# A draft without 第X条 articles is reviewed paragraph by paragraph, each named like this.
DRAFT_PARAGRAPH = "第{n}段"
DRAFT_BAD_TEXT = (
    "草案含有无法识别的字符，请检查文本编码后重新提交（the draft holds characters that are not valid Unicode text）。"
)
# Topic brief (civil servants; English follows for integrators where it is an error or says why nothing is shown).
BRIEF_HEAD = "关于“{topic}”，{day}现行有效的政策文件{n}份，摘录{m}句，每句均引自原文条款。"
BRIEF_EMPTY = (
    "{day}现行有效的政策文件中没有找到关于“{topic}”的条款，可换个说法或缩短主题词再试"
    "（no policy in force on {day} addresses “{topic}”）。"
)
BRIEF_SET_ASIDE = "以下文件涉及该主题，但在{day}已不再有效（或尚未施行），未纳入简报："
BRIEF_NO_TOPIC = "请输入主题词，如：专精特新（the topic is empty）。"
BRIEF_TOPIC_TOO_LONG = (
    "主题词过长（{n}字），请控制在{limit}字以内（the topic has {n} characters; the limit is {limit}）。"
)
# The brief's sections, by key, and how a document not in force is described.
BRIEF_SECTIONS = {
    "conditions": "申报条件",
    "support": "支持措施",
    "procedure": "申报程序和时限",
    "departments": "责任部门",
}
BRIEF_STANDING = {"repealed": "已废止", "expired": "已失效", "not_yet_effective": "尚未施行"}


def cn_date(day: dt.date) -> str:
    """A date as citizens read it in a sentence: 2024年7月1日."""
    return f"{day.year}年{day.month}月{day.day}日"
