"""The words of policy analysis: units of amounts and periods, body names, beneficiary nouns and type cues.

Clause typing and attribute extraction read policy text by these words; they live here once so the
rules, the extractor and the prompts agree. Pure Python: no engine is imported here.
"""

from __future__ import annotations

import re

from govqa.policy.types import ClauseType

# The article number at the head of a clause (第十二条　, 第十条之一　) and a 项 line's number (（一）).
ARTICLE_HEAD_RE = re.compile(r"^\s*第[^条\s]{1,8}条(?:之[^\s　]{1,3})?[\s　]*")
ITEM_RE = re.compile(r"^\s*[（(][一二三四五六七八九十\d]+[）)]")
ITEM_LINE_RE = re.compile(r"(?m)^\s*[（(][一二三四五六七八九十\d]+[）)].*$")
ITEM_MARK_RE = re.compile(r"[（(][一二三四五六七八九十\d]+[）)]")
# Where a list of 项 opens inside a sentence: a colon, then the first item's number.
LIST_OPEN_RE = re.compile(r"[：:]\s*(?=[（(][一二三四五六七八九十\d]+[）)])")

# Numbers as written in policy text: ASCII digits (18000, 7.5) or Chinese numerals (三十, 两).
CN_NUM = "零〇一二两三四五六七八九十百千"
NUM = rf"(?:\d+(?:\.\d+)?|[{CN_NUM}]+(?:点[{CN_NUM}]+)?)"

# Amounts: money with its unit, percentages, 百分之X, multiples and percentage points.
AMOUNT_RE = re.compile(
    rf"(?<![\d.第])(?:[百千万]分之[{CN_NUM}]+(?:点[{CN_NUM}]+)?"
    rf"|\d+(?:\.\d+)?\s*[%％‰]"
    rf"|{NUM}(?:万亿|亿|千万|百万|万|千)?元"
    rf"|{NUM}倍"
    rf"|{NUM}个百分点)"
)
# A cap: the amount an upper-bound word governs (不超过24000元, 最高50万元).
CAP_RE = re.compile(r"(?:不超过|不高于|最高(?:不超过)?|上限为?|至多|最多|封顶)")

# Periods and time limits (15个工作日, 3年, 6个月) and calendar dates (2024年7月1日, 9月1日).
_PERIOD_UNIT = r"(?:个工作日|个自然日|个工作周|工作日|自然日|个月|个季度|周年|年|日|天|周|小时)"
DATE_RE = re.compile(
    r"(?<!\d)(?:(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?至(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?|\d{4}年\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月(?:底|末)?|\d{1,2}月\d{1,2}日|\d{4}年(?:底|末)|\d{4}年(?=起|前|以前|之前))"
)
PERIOD_RE = re.compile(
    rf"(?<![\d.第上下本当次])(?:(?:\d+|[{CN_NUM}]+){_PERIOD_UNIT}(?![度级龄岁号条款项])|半(?:个月|年)(?![度级]))"
)
# A year written alone inside a title or a 文号 is not a deadline: these spans are masked first.
TITLE_RE = re.compile(r"《[^》]{1,80}》|[〔\[［(（]\d{4}[〕\]］)）]\s*第?\d{1,4}号")

# 文号 cited by a clause: issuer, bracketed year, number (江政发〔2019〕7号).
CITE_RE = re.compile(r"[\u4e00-\u9fa5]{1,12}[〔\[［][0-9]{4}[〕\]］]第?[0-9]{1,4}号")

# Government bodies and public institutions: an optional place, an optional domain, a body suffix.
_PLACE = r"(?<![本全])(?:江临市|[\u4e00-\u9fa5]{2}省|各区|各县|各级|区县|市|区|县|省|镇|乡|街道|国家|国务院)"
_DOMAIN = (
    r"(?:住房公积金管理|经济和信息化|人力资源和社会保障|人力资源社会保障|医疗保障事业管理|医疗保障|社会保险事业管理|"
    r"民政|教育|财政|公安|税务|市场监督管理|市场监管|自然资源和规划|自然资源|住房城乡建设|住房和城乡建设|不动产登记|"
    r"政务服务和数据管理|政务服务管理|政务服务|卫生健康|交通运输|生态环境|农业农村|商务|科学技术|科技|文化和旅游|"
    r"应急管理|审计|统计|司法行政|司法|退役军人事务|水务|城市管理|发展和改革|发展改革|经信|人社|医保|住建|"
    r"残疾人联合会|残联|工会|妇联|共青团|"
    r"金融监管|金融|外事|侨务|体育|粮食和物资储备|林业|水利|网信|数据|信访|档案|机关事务管理|国有资产监督管理|国资)"
)
_BODY = (
    r"(?:事业管理中心|服务中心|管理中心|中心|委员会|人民政府|行政部门|主管部门|部门|经办机构"
    r"|局|厅|委|办公室|办|署|总局)"
)
DEPARTMENT_RE = re.compile(
    rf"(?:{_PLACE}?{_DOMAIN}{_BODY}"
    rf"|(?:江临市|各区|[东西南北][\u4e00-\u9fa5]区|市|区|县|镇|乡|街道|当地|各级)?人民政府(?:办公室|办公厅)?"
    rf"|(?:公积金中心|医保经办机构|社保经办机构|公共就业服务机构|登记机构|不动产登记中心|便民服务中心|政务服务中心)"
    rf"|中国人民银行[\u4e00-\u9fa5]{{2,4}}分行"
    rf"|{_PLACE}?公安机关"
    rf"|[\u4e00-\u9fa5]{{2}}(?:居民|村民)委员会"
    rf"|(?:江临市|各区|市|区|县)财政)"
)
# A body named by its function or level: the suffix, then the words written before it are read back
# to the first stop (由|市和区、县、乡、镇人民政府, 的|社会保险经办机构, 到|区、县公安机关).
BODY_SUFFIX_RE = re.compile(
    r"(?:人民代表大会常务委员会|常务委员会|残疾人联合会|执法组织|人民政府|行政部门|主管部门|主管机关|行政机关|部门(?!预算)|机关(?!事务)|"
    r"经办机构|服务机构|监督机构|机构(?!投资|改革)|办事处|事业管理中心|服务中心|管理中心|就业服务中心|中心(?!城)|"
    r"管理委员会|仲裁委员会|委员会|人民法院|人民检察院|法院|国务院|办公室|办公厅|分行|局(?![面势部限])|厅|"
    r"(?:留检|管理|派出|检验)所|(?:公安|财政|教育|民政|商务|司法|交通运输|人力资源和社会保障|人力资源社会保障)部(?![门分])"
    r")"
)
# The list separator, brackets, and the characters of a bracketed list of places (县（市、区）).
LIST_SEP = "、"
# People named in a list before a body (工作人员、社会救助经办机构) are no function of it.
PEOPLE = "人员"
# Conjunctions that join two whole bodies (财政部门和审计机关); 市和区、县人民政府 is one name.
BODY_AND = re.compile(r"和|及其|以及|及|与|或者|或")
OPEN_BRACKETS, CLOSE_BRACKETS = "（(", "）)"
PLACE_LIST_CHARS = frozenset("市区县镇乡街道村、")
BODY_STOP = frozenset("，。；：（）()《》“”\"'的由向到对为将与或及并把被从是在其该此经凡但如至0123456789%％.")
BODY_LEFT_CUT = re.compile(
    r".*(?:按照|依照|根据|依据|通过|会同|征得|取得|设立|指定|委托|协助|配合|组织|报请|报送|报|提交|提请|持|"
    r"经|由|向|到|日|住所地|所在地|居住地|常住地|饲养地|登记地|批准|同意|授权|接受|拒不接受|"
    r"(?<![本全])市场(?!监督|监管)|负责|应当|可以|提供|简称|统称|称|告知|领取|使用|需要|送交|自(?![然治])|者|"
    r"(?<!当)地(?![方区])|以下|以(?![上下])|申请|拨打|登录|纳入|干扰|明确|符合|加强|推进|拒绝|引导|督促|协调|指导|"
    r"建立健全|牵头|且|他)"
)
# Level words a body's name may open with; a word written right before one that is no place is not
# part of the name (符合|县级以上人民政府, 纳入|国家安全机关).
BODY_LEVEL_START = re.compile(
    r"(?<=[^\W\d_])(?<![市省区县本全上方的])(?:国务院|国家|县级以上|设区的市|地方各级|各级|省级|市级|县级)"
)
# "设区的市" is one word: the 的 in it does not end the name before it (设区的市级劳动能力鉴定委员会).
BODY_JOINED_DE = "设区的"
# Words that only point at a body already named or leave it unnamed (其他有关部门, 上级行政机关).
# A body named with a generic one after it (食品药品监督管理部门等部门) is that body.
TRAILING_GENERIC_BODY = re.compile(r"(?<=部门|机关|机构)等(?:有关)?(?:部门|单位|机关|机构)$")
GENERIC_BODY_HEAD = re.compile(r"^(?:其他|其|他|各|有关|相关|上级|有权|政府|该|所属|前款所列|前两款所列)+")

# Endings that name no government body or public institution (a hospital, a bank, a residents' committee).
NOT_BODY_ENDINGS = (
    "医疗机构",
    "医药机构",
    "金融机构",
    "培训机构",
    "中介机构",
    "评估机构",
    "检测机构",
    "社区服务机构",
    "民委员会",
    "业主委员会",
    "服务窗口",
    "诊疗机构",
    "卫生服务机构",
    "担保机构",
    "配置机构",
    "商业保险机构",
    "介绍机构",
    "拍卖机构",
    "回收机构",
    "认证机构",
    "商业银行",
)

# Short names a clause gives a body: （以下简称市经信局）, （以下统称医保经办机构）.
ALIAS_RE = re.compile(r"[（(]以下(?:简|统)?称(?:为)?([^）)]{2,16})[）)]")
# Generic words that name no body on their own (有关部门 names nobody).
GENERIC_BODIES = frozenset(
    (
        "有关部门",
        "相关部门",
        "主管部门",
        "行政机关",
        "部门",
        "人民政府",
        "行政部门",
        "政府",
        "国家机关",
        "有关机关",
        "机关",
        "机构",
        "实施部门",
        "中心",
        "委员会",
        "局",
        "办公室",
        "主管机关",
        "有关主管部门",
        "其他有关部门",
        "有关行政部门",
        "行政主管部门",
    )
)

# Beneficiaries: a head noun, with the modifiers written right before it (专精特新中小企业, 缴存职工).
BENEFICIARY_HEADS = (
    "公民",
    "举报人",
    "所有人",
    "抵押权人",
    "质权人",
    "持卡人",
    "受益人",
    "船员",
    "社会团体",
    "社会组织",
    "市场主体",
    "救助对象",
    "驾驶人",
    "养犬人",
    "受让人",
    "受托人",
    "持证人",
    "持有人",
    "承租人",
    "纳税人",
    "被保险人",
    "未成年人",
    "患者",
    "家庭成员",
    "工人",
    "遗属",
    "公众",
    "中小企业",
    "小微企业",
    "企业",
    "用人单位",
    "单位",
    "职工",
    "灵活就业人员",
    "就业人员",
    "从业人员",
    "参保人员",
    "人员",
    "个体工商户",
    "劳动者",
    "毕业生",
    "学生",
    "居民",
    "家庭",
    "儿童",
    "新生儿",
    "老年人",
    "残疾人",
    "人才",
    "继承人",
    "受遗赠人",
    "申请人",
    "投保人",
    "农民工",
    "退役军人",
    "创业者",
    "个人",
)
# Characters a beneficiary's modifiers never contain: punctuation and function words end them.
BENEFICIARY_STOP = frozenset(
    "，。；：、,;:（）()《》\"'的对由为向和及与或者是有应当可以给予按照依照并将该此各凡但如等从被把上下列了条款项之0123456789"
)
# Words that end a beneficiary's modifiers when read right to left (申请认定|专精特新中小企业).
BENEFICIARY_LEFT_CUT = (
    r".*(?:周岁(?:以[上下])?|申请|认定为|认定(?!申请)|提取|录用|招用|吸纳|办理|支持|鼓励|引导|参加|给予|包括|属于|获得|帮助|"
    r"缴纳|持有|设立|成立|组织|发生|实行|实施|通过|视为|符合|具备|提供|享受|分为|对于|凡是|所称|负责|保障(?!卡|金|家庭|边缘)|"
    r"抽取|比例|形式|选拔|大赛|到|做好|吸引更多|吸引|统称|简称|其他|其|通知|无需|待|造成|不超过|发放|确认|告知|持|使用|需要|提交|年度|在(?![职校编])|经(?![营办济])|促进|加强|考虑|代缴|支付|安排|建立|进行|包含|开办|称|面向|针对|降低|征得|(?:本市|全市|本区|全国|国家)(?!户籍|级)|前|凡|其中|以及|或|及|为|对)"
)
# The word that, written right before a head, makes the applying party's name (申请企业).
APPLYING = "申请"
# Determiners that say which of them, not who they are (同一企业 is 企业, 每家企业 too).
BENEFICIARY_DETERMINER = re.compile(r"(?:同一|每家|每个|每名|每户|每位|每|任何|上述|该|原|所有|全部|全体|相关|各类)")
# Words after a head noun that make it a modifier of something else (职工基本养老保险, 中小企业划型).
BENEFICIARY_NOT_BEFORE = re.compile(
    r"(?:基本|身份证|委员会|信息|缴费|中的|人均|住房公积金|政策|工作|标准|划型|名录|名单|账户|队伍|发展|培育|梯度|认定管理|缴存比例|缴费比例|认定|证|保障金|事业|权益|利益|工作|供养(?!人员)|财产|收入|经济|承受|实际|生活|无障碍|工伤|劳动报酬|(?:月|年)?平均|工资|分类)"
)
# Pronouns and generic words that count only when a clause names nobody else.
GENERIC_BENEFICIARIES = frozenset(("申请人", "个人", "单位", "人员", "企业", "本人", "本单位"))
QUOTE_OPEN, QUOTE_CLOSE = "“", "”"
# Fixed modifiers joined to their head by 的 (共同生活的家庭成员 is one legal term).
JOINED_MODIFIERS = ("共同生活的",)
# A party written before 的 describes what follows (残疾人的用人单位): it counts only when nothing else does.
OF = "的"
# A body's own staff are no beneficiary (社会保险行政部门工作人员).
STAFF = "工作人员"
# A list lead-in that announces parties (下列人员可以申请…：): its items name who the clause is for.
PARTY_LIST_LEAD = re.compile(r"下列(?:人员|对象|单位|企业|家庭|组织)[^：:。]{0,30}[：:]")
# In a support clause, the party who pays or provides (由用人单位支付, 企事业单位应当…) or is the other
# side (与用人单位发生争议) receives nothing: the words written right before or after its name.
SUPPORT_TYPE: ClauseType = "支持措施"
GIVER_BEFORE = ("由", "与")
GIVER_AFTER = ("应当", "负责")
# Clause types whose beneficiaries are labelled (the guidelines' list).
BENEFICIARY_TYPES: frozenset[ClauseType] = frozenset(
    ("适用范围", "申报条件", "支持措施", "申报程序", "申请材料", "时限")
)

# The type of a clause no cue describes (purpose, basis, principles and the rest).
FALLBACK_TYPE: ClauseType = "其他"

# A condition: a phrase ending in 的 before a comma (有下列情形之一的，…), from the last clause break.
CONDITION_RE = re.compile(r"(?:^|(?<=[。；，：\n]))([^。；，：\n]{2,60}?的)(?=[，：])")
MIN_CONDITION_CHARS = 4

# The head of a party's name: who receives support, meets conditions or must act (not a body).
PARTY_HEAD = (
    r"(?:人员|职工|工人|员工|劳动者|创业者|老年人|残疾人|未成年人|患者|(?:持卡|持证|举报|申请|所有|继承|受益|投保|承租|驾驶)人"
    r"|家庭|成员|企业|单位|组织|主体|对象|公众|群众|公民|居民|儿童|学生|遗属|个人|个体工商户|农户)"
)
# The verbs that hand something to a party (提供, 给予, 发放); 给予 a sanction (处分, 警告) is not support.
_GIVE = (
    r"(?:提供|给予(?!(?:行政|纪律)?处分|警告|处罚)|发放|发给|支付|免收|免除|免费|减免|代缴|资助|补助|帮助|扶持|支持"
    r"|照顾|救助)"
)
# A deadline for an action (自受理之日起15个工作日内, 在三十日内): what the guidelines call a 时限.
_WITHIN = rf"{NUM}(?:个)?(?:工作日|自然日|日|天|周|个月|年)(?:内|以内)"
_DOC = r"本(?:办法|规定|条例|细则|通知|意见|方案|制度|措施)"

# What a sanction takes away (收回补贴, 取消其享受优惠的资格): its words are no support cue.
SANCTION_OBJECT_RE = re.compile(
    r"(?:收回|追回|退回|追缴|取消|撤销|停止|暂停)[^。，；]{0,12}?(?:补贴|补助|奖励|奖金|资金|资格|待遇|优惠|救助)"
)
# Cues read over a sentence's whole lead-in, conditions included: a list of cases or parties that
# may apply (有下列情形之一的，可以申请…；下列人员可以申请…) lists eligibility, whatever it grants.
LEAD_CUES: dict[ClauseType, tuple[tuple[str, float], ...]] = {
    "申报条件": (
        (
            r"下列(?:情形|条件|情况|人员|对象|家庭|单位|企业)(?:之一)?的?[，,]?[^。：:]{0,24}?"
            r"(?:可以|方可|可)(?:向[^。，；：:]{1,20})?(?:申请|提取|享受|领取|申领|认定)",
            4.0,
        ),
    ),
}

# The title of the chapter (or 节) an article is in, when it names one type (第七章 法律责任): it counts
# as one more sentence's vote. A title that joins two subjects (法律责任和附则, 奖励与处罚) names none.
HEADING_TYPES: tuple[tuple[re.Pattern[str], ClauseType], ...] = ((re.compile(r"法律责任|罚则"), "罚则"),)
HEADING_JOINS = re.compile(r"[和与及、]")

# Type cues: a sentence gets a score for each type whose cue it contains; the strongest wins.
TYPE_CUES: dict[ClauseType, tuple[tuple[str, float], ...]] = {
    "适用范围": (
        # The whole document applies (适用本办法), not one of its articles (适用本条例第十一条规定).
        (r"适用本(?:办法|规定|条例|细则|通知|意见|方案|制度)(?!第)", 3.0),
        (r"本(?:办法|规定|条例|细则|方案)适用于", 3.0),
        (r"(?:不适用|参照执行)", 1.5),
        (rf"(?:依照|按照|参照){_DOC}(?:的有关规定)?执行", 3.0),
    ),
    "定义": (
        # A sentence that opens by naming the term it defines is a definition whatever it goes on to say.
        (r"^[^，。]{0,6}本(?:办法|规定|条例|细则|方案|条|措施|章)?所称[^，。]{1,30}[，,]?(?:是指|指|包括)", 8.0),
        (r"本(?:办法|规定|条例|细则|方案|条|措施|章)?所称[^，。]{1,30}[，,]?(?:是指|指|包括)", 3.0),
        (r"^[^，。；]{2,20}包括[：:]", 2.0),
        (r"(?:是指|系指)", 1.5),
        (r"以下(?:简|统)称", 0.3),
    ),
    "申报条件": (
        (r"(?:应当|须|需)(?:同时)?(?:具备|符合|满足)(?:以下|下列)", 3.0),
        (r"(?:具备|符合|满足)(?:以下|下列)(?:条件|情形)", 2.5),
        (r"(?:申请|申报|认定)[^。]{0,20}(?:条件|资格)", 1.5),
        (r"不予(?:认定|受理|批准|支持|登记|办理|奖励|救助|重复奖励)", 1.5),
        (r"下列情形之一的[^。]{0,20}(?:不予|不得|不能|停止|不享受)", 3.0),
        (r"视为[^。]{0,12}(?:满足|符合)", 1.5),
        (r"不得申请|停止(?:领取|享受|发放|救助|支付)|不(?:再)?享受", 2.5),
        (r"(?:可以|方可)申请", 1.2),
        (r"有下列情形之一的", 0.8),
        (r"(?:以上|不低于|达到|满)[^。]{0,8}[的；;]", 0.4),
    ),
    "支持措施": (
        (r"给予[^。]{0,30}(?:补贴|奖励|补助|资助|贴息|支持|优惠|减免|扶持)", 3.0),
        (r"(?:补贴|奖励|补助|资助|贴息|津贴|抚恤|救助)", 1.2),
        (r"可以提取|提取[^。]{0,10}(?:余额|额度)", 2.0),
        (r"可以申[请领][^。，；]{0,10}(?:提取|补贴|补助|返还|奖励|津贴|救助)", 2.0),
        (r"(?<!停止)(?<!不)享受[^。]{0,20}(?:待遇|政策|优惠|服务)", 2.0),
        (rf"(?:为|对|向)[^。，；]{{0,30}}?{PARTY_HEAD}[^。；]{{0,60}}?{_GIVE}", 3.0),
        (rf"{_GIVE}给[^。，；]{{0,15}}?{PARTY_HEAD}|(?:支持|扶持|鼓励|帮助)[^。，；]{{0,12}}?{PARTY_HEAD}", 2.5),
        (r"给予(?!(?:行政|纪律)?处分|警告|处罚)", 1.5),
        (r"(?<![不止])享受", 1.0),
        (r"可以(?:持|凭)", 1.5),
        (r"提供[^。]{0,30}(?:服务|帮助|便利|援助|救助)", 1.5),
        (r"领取[^。]{0,12}(?:金|待遇|补贴)的期限", 2.5),
        # A grant forbidden (不得减免) is none.
        (r"(?<!不得)(?<!不予)(?<!不)(?:减免|免收|免费|免征|优先|鼓励|支持)", 0.8),
        (r"(?:最高|不超过)[^。]{0,8}(?:元|%)", 1.0),
        (r"(?:支付|报销|发放|发给|计发)", 1.2),
        (r"贷款", 0.6),
    ),
    "申报程序": (
        (r"(?:受理|审核|审查|初审|复审|评审|核查|公示|备案|办结|送达|复核|登记|审批|核发)", 1.5),
        (r"予以(?:确认|批准|登记)|书面告知|说明理由|通报", 1.5),
        (r"(?:通过|登录)[^。]{0,30}(?:平台|窗口|App|网站|大厅|公众号|热线|小程序)", 1.5),
        (r"(?:向|到|在)[^。]{0,20}(?:申请|提出申请|办理)", 1.2),
        # Handing in what the clause lists (向…提交规定的材料) is about the materials, not the steps.
        (r"向[^。，；]{1,30}(?:提出|申领|提交|报送)(?![^。，；]{0,8}(?:材料|证明|资料|证件))", 2.0),
        (r"(?:办理|申请|申报)(?:登记|手续|流程)?", 0.5),
        (r"(?:提出|提交)申请", 1.2),
        (r"(?:一次办理|即时办结|全程网办|一网通办|一窗)", 1.2),
        (r"(?:确定|发文)[^。]{0,10}(?:认定|名单)", 1.2),
        # Ending a case's procedure is a step of the procedure.
        (r"(?:终止|中止)[^。，；]{0,8}程序", 2.0),
    ),
    "申请材料": (
        (r"(?:提交|提供|携带|出具|报送)(?:以下|下列)(?:材料|资料|证明|文件)", 3.5),
        (r"(?:应当|须|需要?)(?:提交|提供|携带|出具)", 2.0),
        (r"(?:身份证|证明|证件|申请书|申请表|承诺书|复印件|报告|执照|合同|凭证)", 0.6),
        (r"免于提交|无需提交|不再提交", 1.0),
        (r"提交[^。]{0,15}(?:材料|证明|凭证|资料|证件)", 2.0),
    ),
    "时限": (
        (_WITHIN, 4.0),
        (r"有效期(?:为|是|分为)?(?:\d+|[零〇一二两三四五六七八九十百]+)(?:个)?(?:年|月)", 2.5),
        (r"(?:期限|时限|期满|届满|逾期)", 0.8),
        # How long a period may run (可以延长领取期限, 缓缴期限最长不超过六个月).
        (r"(?:延长|延期)[^。，；]{0,10}期限|期限[^。，；]{0,10}(?:延长|最长)", 2.0),
    ),
    "责任部门": (
        (r"负责(?:本|全|辖区|组织|实施|指导|统筹|监督|管理|协调|审核|做好|拟订|编制|解释)", 2.5),
        (r"(?<!直接)负责[\u4e00-\u9fa5]", 2.5),
        (r"由[^。，；]{2,30}(?:部门|机关|人民政府|机构|委员会|局)(?:会同[^。，；]{1,20})?(?:确定|制定|规定|公布)", 2.0),
        (r"本(?:办法|规定|细则|方案|条例)由[^。]{1,30}(?:负责)?解释", 4.0),
        (r"(?:主管(?!人员)|承办|牵头|配合|协同)", 2.0),
        (r"监督检查|实施监督|进行监督|接受[^。]{0,6}监督", 2.0),
        (r"按照各自职责|各司其职|职责分工|履行下列职责", 2.5),
        (r"会同|设立[^。]{0,10}(?:所|中心|机构)", 1.5),
        (r"^[^，。；]{0,40}(?:局|部门|人民政府|机关|机构|中心|委员会|办事处)[^，。；]{0,12}?(?:应当|负责|设立)", 2.0),
        (r"(?:应当|要)(?:加强|做好|建立|健全|落实|完善)", 1.2),
        (r"做好[^。]{0,30}工作|加强对[^。]{0,30}(?:监督|管理|指导)", 1.5),
        (r"(?:决策机构|管理机构|经办机构|监督检查)", 1.0),
    ),
    "罚则": (
        # 追究 as a verb; 责任追究制度 is a duty to set one up.
        (r"(?:责令|罚款|没收|吊销|处分|追回|退回|失信|追究(?!制度|机制)|拘留|违法所得)", 3.0),
        (r"(?:取消|撤销)[^。]{0,8}(?:资格|认定|称号)", 2.0),
        (r"(?:骗取|虚假|冒领|套取|违反本)", 1.2),
        # A sentence that opens with the breach (违反本条例规定，…) states its consequence.
        (r"^违反本(?:办法|规定|条例|细则)[^。，；]{0,20}规定", 4.0),
        (r"直接负责的主管人员", 3.0),
        (r"(?:依法(?:予以)?处理|依照[^。]{0,30}(?:处理|处罚))", 1.2),
        # A period that bars a new application (3年内不得再次申请) is part of the sanction, not a 时限.
        (r"不得再次申[请领]|(?:内|以内)不(?:得|予)", 5.0),
        (r"收回[^。]{0,6}(?:补贴|资金|奖励|奖金)", 3.0),
        (r"(?:伪造|变造|欺骗|骗取|冒领)[^。]{0,30}的", 2.5),
        (r"记入[^。，；]{0,12}信用", 3.0),
    ),
    "施行与废止": (
        (r"自[^。]{0,20}(?:起施行|施行|起实施|起执行|实施)", 3.5),
        (r"(?:同时废止|予以废止|废止|停止执行|不再执行)", 3.0),
        (r"有效期至", 2.0),
        (r"(?:施行|实施)(?:前|后|之日)", 0.8),
    ),
    "其他": (
        (r"为了|为(?:进一步|加快|深入|规范|加强|促进|推动|保障|切实)", 1.5),
        (r"(?:根据|依据)[^。]{0,60}(?:制定本|结合)", 3.0),
        (r"制定本(?:办法|规定|细则|方案|条例|意见)", 2.5),
        (r"(?:遵循|坚持)[^。]{0,20}原则|原则", 1.5),
        (r"不得挪作他用|属于[^。]{0,10}所有", 1.0),
    ),
}
