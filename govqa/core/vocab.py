"""The domain vocabulary: guide fields, portal headings, question cues, numerals and legal references.

These words are the system's domain model (the 办事指南 schema and how citizens and portals phrase
things), so each lives here once and every module that reads or writes them imports it. Nothing
here is shown to a citizen on its own; sentences the service says live in `govqa.messages`.
Pure Python: no engine (jieba, qdrant, networkx) may be imported here.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Slot(StrEnum):
    """What a clarifying question asks about (stored with a pending question in the session)."""

    SCENARIO = "scenario"
    APPLICANT = "applicant"
    DISTRICT = "district"
    ITEM = "item"
    REGION = "region"  # whose rule: a city, a province or the nation (全国)
    DEPARTMENT = "department"  # which department's answer, when knowledge-base entries disagree


class LegName(StrEnum):
    """The retrieval legs fused by the hybrid retriever (and the reranker that may follow)."""

    DENSE = "dense"
    BM25 = "bm25"
    GRAPH = "graph"
    EXACT = "exact"
    RERANK = "rerank"


class GuideField(StrEnum):
    """Fields of a structured service guide; the value is the JSON key and the rendered 【heading】."""

    NAME = "事项名称"
    CODE = "事项编码"
    DEPARTMENT = "实施主体"
    REGION = "区划"
    ALIASES = "事项别名"
    APPLICANTS = "服务对象"
    SCENARIO = "办理情形"
    CONDITIONS = "申请条件"
    MATERIALS = "申请材料"
    STEPS = "办理流程"
    CHANNELS = "办理渠道"
    LOCATIONS = "办理地点"
    HOURS = "办理时间"
    TIME_LIMIT = "承诺时限"
    LEGAL_TIME_LIMIT = "法定时限"
    FEE = "收费标准"
    LEGAL_BASIS = "设定依据"
    PHONE = "咨询电话"
    UPDATED = "更新日期"


class MaterialKey(StrEnum):
    """Keys of one entry of a guide's 申请材料 list."""

    NAME = "名称"
    COPIES = "份数"
    NOTE = "说明"


# Label of the aliases on a rendered guide's summary line (the JSON key is GuideField.ALIASES).
ALIASES_LABEL = "别名"
# Guide fields whose CSV cells hold a list (split on ；or |).
LIST_FIELDS = (
    GuideField.ALIASES,
    GuideField.APPLICANTS,
    GuideField.CONDITIONS,
    GuideField.MATERIALS,
    GuideField.STEPS,
    GuideField.LOCATIONS,
    GuideField.CHANNELS,
    GuideField.LEGAL_BASIS,
)

# Section headings of semi-structured portal pages -> the guide field they hold.
PORTAL_HEADINGS: dict[str, GuideField] = {
    "办理对象": GuideField.APPLICANTS,
    "服务对象": GuideField.APPLICANTS,
    "适用对象": GuideField.APPLICANTS,
    "受理条件": GuideField.CONDITIONS,
    "申请条件": GuideField.CONDITIONS,
    "办理条件": GuideField.CONDITIONS,
    "申请材料": GuideField.MATERIALS,
    "所需材料": GuideField.MATERIALS,
    "办理材料": GuideField.MATERIALS,
    "提交材料": GuideField.MATERIALS,
    "办理流程": GuideField.STEPS,
    "办理程序": GuideField.STEPS,
    "办事流程": GuideField.STEPS,
    "申领流程": GuideField.STEPS,
    "办理地点": GuideField.LOCATIONS,
    "受理地点": GuideField.LOCATIONS,
    "办理时间": GuideField.HOURS,
    "承诺时限": GuideField.TIME_LIMIT,
    "办理时限": GuideField.TIME_LIMIT,
    "办结时限": GuideField.TIME_LIMIT,
    "收费标准": GuideField.FEE,
    "是否收费": GuideField.FEE,
    "设定依据": GuideField.LEGAL_BASIS,
    "政策依据": GuideField.LEGAL_BASIS,
    "咨询电话": GuideField.PHONE,
    "咨询方式": GuideField.PHONE,
    "实施主体": GuideField.DEPARTMENT,
    "办理部门": GuideField.DEPARTMENT,
}

# Question keywords -> the guide fields they ask for, in the order a field answer gives them.
INTENT_KEYWORDS: tuple[tuple[tuple[str, ...], tuple[GuideField, ...]], ...] = (
    (("材料", "证件", "带什么", "准备什么", "要带", "证明"), (GuideField.MATERIALS,)),
    (("条件", "资格", "能不能", "可以办", "符合"), (GuideField.CONDITIONS,)),
    (
        (
            "流程",
            "步骤",
            "程序",
            "手续",
            "怎么办",
            "如何办",
            "怎么申请",
            "如何申请",
            "怎么取",
            "怎么提取",
            "怎么弄",
            "怎么补",
            "如何补",
            "怎么换",
            "如何换",
            "怎么领",
            "如何领",
            "怎么登记",
            "怎么注册",
        ),
        (GuideField.STEPS, GuideField.MATERIALS),
    ),
    (
        ("多久", "多长时间", "几天", "时限", "时间多长", "办结", "办下来", "办好", "办完", "下证", "出证"),
        (GuideField.TIME_LIMIT, GuideField.LEGAL_TIME_LIMIT),
    ),
    (
        ("收费", "费用", "多少钱", "要钱", "交钱", "花钱", "付费", "给钱", "免费", "收钱", "收不收", "工本费"),
        (GuideField.FEE,),
    ),
    (("哪里", "哪儿", "地点", "地址", "窗口", "在哪", "去哪", "到哪"), (GuideField.LOCATIONS, GuideField.HOURS)),
    (("上班时间", "几点", "办理时间", "工作时间"), (GuideField.HOURS,)),
    (("电话", "咨询", "热线", "联系"), (GuideField.PHONE,)),
    (("依据", "哪条规定", "法规", "根据什么"), (GuideField.LEGAL_BASIS,)),
    (("网上", "线上", "网办", "渠道", "方式"), (GuideField.CHANNELS,)),
)
# What is left of a field question once the item and the field keyword are taken out: filler.
FIELD_QUESTION_FILLER = re.compile(
    r"[的了吗呢啊吧呀么，。？！、\s?!,.]|请问|我想|我要|想要|需要|要|什么|哪些|怎么|如何|办理|申请|一下|是|有|多少|"
    r"可以|能|去|在|带|孩子|小孩|我家|家里|本人|自己|那|大概|一般|大约|才能|得"
)

# The two applicant types (服务对象) and the words that name each: in a portal's 服务对象 text and in
# a citizen's reply to "个人还是单位". 职工 is an individual (缴存职工); 员工 reads as the employer's
# side ("公司给员工办").
PERSON, ORGANISATION = "个人", "法人"
APPLICANT_WORDS: dict[str, tuple[str, ...]] = {
    PERSON: (
        "个人",
        "居民",
        "公民",
        "参保人",
        "职工",
        "自然人",
        "群众",
        "自己",
        "本人",
        "我",
        "自由职业",
        "灵活就业",
    ),
    ORGANISATION: ("法人", "单位", "企业", "公司", "机构", "组织", "员工"),
}

# Chinese numerals: each digit and unit character with its value (零 and 〇 are both zero, 两 is 2).
CN_DIGIT_VALUES = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_UNIT_VALUES = {"十": 10, "百": 100, "千": 1000}
CN_DIGITS_WRITTEN = "零一二三四五六七八九"  # the digit each value 0..9 is written with
CN_NUMERAL_CHARS = "".join(CN_DIGIT_VALUES) + "".join(CN_UNIT_VALUES)
# A number as written in legal text: Chinese numerals or ASCII digits (第十二条, 第12条).
NUMERAL = rf"[{CN_NUMERAL_CHARS}\d]+"
ARTICLE_PREFIX, ARTICLE_SUFFIX = "第", "条"
# 第X条 with the numeral as group 1.
ARTICLE_RE = re.compile(rf"{ARTICLE_PREFIX}({NUMERAL}){ARTICLE_SUFFIX}")
# Levels of a legal text above the article, outermost first.
SECTION_LEVELS = ("编", "章", "节")
# Chunk labels of a policy's header block (文号, 发布机关, …) and of a heading's own text.
HEADER_LABEL, HEADING_LABEL = "文件信息", "(标题)"
# Units a reference to a part of a law can end with (第3款, 第二章).
REFERENCE_UNITS = ("条", "款", "项", "章", "节", "编")

# 文号 (document number) such as 京政发〔2024〕3号: issuer, year, number; brackets may be 〔〕[]［］()（）
# and 第 before the number is optional. Groups: 1 issuer, 2 year, 3 number.
DOC_NUMBER_TAIL = r"[〔\[［(（]\s*(\d{4})\s*[〕\]］)）]\s*第?\s*(\d{1,4})\s*号"
DOC_NUMBER_RE = re.compile(r"([\u4e00-\u9fa5]{1,12})" + DOC_NUMBER_TAIL)


def doc_number_text(issuer: str, year: str, number: str) -> str:
    """The canonical spelling of a 文号: 京政发〔2024〕3号 (〔2024〕3号 without an issuer)."""
    return f"{issuer}〔{year}〕{number}号"


# Replies that answer a clarifying question without choosing ("不知道", "都行"): the question is asked
# again, or, once a topic has had its questions, the best guess is answered with what it assumed.
NON_ANSWERS = frozenset(
    "不知道 不清楚 不确定 不晓得 不懂 不明白 没想好 都行 都可以 随便 无所谓 都不是 不是 不知 啥意思 什么意思 "
    "看不懂 你说呢 哪个都行 都有可能 不好说 说不清 没懂 不懂啊 嗯 嗯嗯 哦 啊 好的 好 行 可以".split()
)
# Words by which a reply to "which region's rule" picks the national one (国家的规定, 中央的).
NATIONAL_REPLY_WORDS = ("国家", "全国", "中央", "国务院")
# Phrases by which a question asks for the national rule (国家对骨灰处理有什么规定).
NATIONAL_PHRASES = ("国家对", "国家的", "按国家", "国家层面", "全国性", "全国统一")
# What makes a message a question rather than a statement ("租房了想取公积金吗" against "在家待业").
INTERROGATIVES = tuple(
    "? ？ 吗 呢 怎么 怎样 什么 啥 多少 多久 哪 几 如何 是否 能不能 咋 要不要 有没有 是不是 能否 可否 可不可以 "
    "需不需要 用不用 行不行".split()
)
# Modal and adverb characters jieba glues to the next character in rare pairs (能补, 刚办, 没上).
GLUED_MODALS = "能要可想会该刚才就都还也已再又没不"
# Everyday words for a situation and how a guide's 办理情形 writes it (丢了 -> 遗失补发, 坏了 ->
# 损坏换领, 找不着了 -> 遗失).
SITUATION_WORDS: dict[str, tuple[str, ...]] = {
    "丢": ("失",),
    "掉": ("失",),
    "坏": ("损",),
    "破": ("损",),
    "找不着": ("遗失", "丢失"),
    "偷": ("失",),
    "盗": ("失",),
    "抢": ("失",),
}
# Particles and function characters: words of their own, never a mistyped character of a name.
PARTICLE_CHARS = frozenset("的地得了着过吗呢吧啊呀么是在和与及或也都就还把被给对向从让")
# Words that negate the next one ("没买房": not a purchase).
NEGATIONS = frozenset("没 没有 不 不是 未 非 无 别".split())
# What comes right before a negated option ("不在东湖区", "不是个人").
NEGATION_PREFIXES = ("不在", "不是", "不住", "没在", "不属于", "除了", "非")
# Interrogatives and fillers that say how a question is asked, never what about.
QUESTION_WORDS = frozenset(
    "怎么办 怎么弄 怎么搞 怎么整 咋办 咋弄 咋整 咋搞 如何办 怎样 怎么样 咋样 啥 咋 弄 搞 整 "
    "能不能 可不可以 行不行 有没有 是不是 要不要 呢 吗 吧 啊 呀 了 的 想 要 能 会 可以".split()
)

# Words too common to help the lexical leg.
STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 或 等 吗 呢 啊 吧 呀 么 怎么 怎样 如何 什么 哪些 哪个 哪里 请问 我 我的 你 你们 您 "
    "这个 那个 一下 可以 能否 能 要 想 有 没有 是否 还 都 就 也 对 把 被 为 从 到 之 其 该 此 个".split()
)
# Words that mark a question about the text of a rule rather than about doing something.
POLICY_CUES = re.compile(
    rf"哪一?条|{ARTICLE_PREFIX}{NUMERAL}{ARTICLE_SUFFIX}|条例|办法|规定|政策文件|文件|依据|细则|〔\d{{4}}〕"
)
# Words that ask whether a policy is still in force.
VALIDITY_CUES = re.compile(
    r"现在还能|还有效|是否有效|有效吗|有效期|失效|废止|作废|还能用|现行|过期|还适用|还在用|还(?:在)?执行|被替代|现在还是按|"
    r"还管用|还算数|还作数|(?:被|用)?(?:哪个|什么)(?:文件|规定|办法)?(?:代替|取代|替代|替换)"
)
# Nouns that name a service, a document or a benefit (护照, 狗证, 宅基地, 医保卡 …end in these): a
# question about one the corpus never mentions asks about something it does not cover, while a
# missing word of any other shape (芯片, 单子) is usually the citizen's own description of a case
# the corpus does cover.
SERVICE_NOUN_ENDINGS = (
    "证",
    "照",
    "卡",
    "牌",
    "本",
    "险",
    "金",
    "费",
    "贴",
    "助",
    "登记",
    "许可",
    "备案",
    "资格",
    "户口",
    "落户",
    "手续",
    "签注",
    "审批",
    "地",
    "房",
    "税",
)
# A "how long" question about the handling itself (多久能办好, 几天到账) is answered by the guide's
# time limit; one about a waiting, notice or validity period (等多久才能取, 提前多久, 能用多久,
# 冷静期) is not, and is answered from the sentence that states that period.
PROCESSING_CUES = re.compile(
    r"办好|办完|办下来|办结|批下来|审批|审核|到账|出结果|出证|下证|制证|拿到证|办理时限|承诺时限|补好"
)
OTHER_PERIOD_CUES = re.compile(
    r"才能|提前|能用|管多久|有效|冷静期|最晚|最早|之内|以内|内要|满多久|等多久|过多久|之前|以后|之后"
)
# Qualifiers that exclude each other: a sentence about 国家级 enterprises does not answer a question
# about 市级 ones.
EXCLUSIVE_QUALIFIERS = (("国家级", "省级", "市级", "区级", "县级"),)
# Question phrasing around an item's name, dropped before the name is matched (longest first).
QUERY_NOISE = (
    "怎么办理",
    "怎么办",
    "怎么",
    "如何办理",
    "如何",
    "需要什么材料",
    "需要哪些材料",
    "要什么材料",
    "什么材料",
    "在哪里办",
    "在哪办",
    "去哪里",
    "去哪",
    "多久",
    "多长时间",
    "请问",
    "我想",
    "我要",
    "想要",
    "办理",
    "申请",
    "吗",
    "呢",
)
# A model's ways of saying the sources do not answer (besides messages.NO_EVIDENCE itself).
NO_EVIDENCE_CUES = ("未提及", "没有提及", "无法回答", "没有相关", "未找到", "不清楚")
# Everyone's name for the national level in a law's title, dropped when titles are compared.
NATIONAL_PREFIX = "中华人民共和国"
# How a clause grants or denies (draft review: a draft that denies what a rule in force grants
# contradicts it). 不得超过/不超过 state a cap, not a denial.
PROHIBITIVE_RE = re.compile(r"不得(?!超过|低于|少于|高于)|不予|禁止|不能|不可以|不准")
PERMISSIVE_RE = re.compile(r"可以|准予|有权")
# A calendar date: another document's effective date differing from a draft's is no conflict.
CALENDAR_DATE_RE = re.compile(r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{4}-\d{1,2}-\d{1,2}")
# Where the condition of a clause ends (……的，可以……): what comes before is who and when.
CONDITION_END = "的，"
