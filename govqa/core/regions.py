"""Gazetteer of Chinese administrative regions: the canonical names documents and questions are filtered by.

Holds the 34 provincial-level units with their short forms and 文号 abbreviations, every
prefecture-level unit with its province, the districts of the two municipalities the bundled
corpora come from (Beijing, Guangzhou), and the lookups built on them: `region_named`, `level_of`
and `regions_in` (the regions a question names). A data module: the Chinese literals are the
vocabulary itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NATIONAL = "全国"

LEVEL_NATIONAL = "国家"
LEVEL_PROVINCE = "省级"
LEVEL_CITY = "市级"
LEVEL_COUNTY = "区县级"
LEVELS = (LEVEL_NATIONAL, LEVEL_PROVINCE, LEVEL_CITY, LEVEL_COUNTY)


@dataclass(frozen=True, slots=True)
class Region:
    """One administrative unit: its canonical (full) name, its level and the canonical name of its parent."""

    name: str
    level: str
    parent: str


# (full name, short form, 文号 abbreviations). An abbreviation is listed only when a 文号 starting
# with it names the province alone: 宁 (南京 uses 宁政发 too), 青 (青岛) and 苏 (苏州's 苏府) are not.
_PROVINCES: tuple[tuple[str, str, str], ...] = (
    ("北京市", "北京", "京"),
    ("天津市", "天津", "津"),
    ("上海市", "上海", "沪"),
    ("重庆市", "重庆", "渝"),
    ("河北省", "河北", "冀"),
    ("山西省", "山西", "晋"),
    ("内蒙古自治区", "内蒙古", "蒙"),
    ("辽宁省", "辽宁", "辽"),
    ("吉林省", "吉林", "吉"),
    ("黑龙江省", "黑龙江", "黑"),
    ("江苏省", "江苏", ""),
    ("浙江省", "浙江", "浙"),
    ("安徽省", "安徽", "皖"),
    ("福建省", "福建", "闽"),
    ("江西省", "江西", "赣"),
    ("山东省", "山东", "鲁"),
    ("河南省", "河南", "豫"),
    ("湖北省", "湖北", "鄂"),
    ("湖南省", "湖南", "湘"),
    ("广东省", "广东", "粤"),
    ("广西壮族自治区", "广西", "桂"),
    ("海南省", "海南", "琼"),
    ("四川省", "四川", "川蜀"),
    ("贵州省", "贵州", "黔贵"),
    ("云南省", "云南", "滇云"),
    ("西藏自治区", "西藏", "藏"),
    ("陕西省", "陕西", "陕秦"),
    ("甘肃省", "甘肃", "甘陇"),
    ("青海省", "青海", ""),
    ("宁夏回族自治区", "宁夏", ""),
    ("新疆维吾尔自治区", "新疆", "新"),
    ("香港特别行政区", "香港", ""),
    ("澳门特别行政区", "澳门", ""),
    ("台湾省", "台湾", ""),
)

# Prefecture-level units (and the few cities a province administers directly) per province.
_CITIES: dict[str, str] = {
    "河北省": "石家庄市 唐山市 秦皇岛市 邯郸市 邢台市 保定市 张家口市 承德市 沧州市 廊坊市 衡水市",
    "山西省": "太原市 大同市 阳泉市 长治市 晋城市 朔州市 晋中市 运城市 忻州市 临汾市 吕梁市",
    "内蒙古自治区": "呼和浩特市 包头市 乌海市 赤峰市 通辽市 鄂尔多斯市 呼伦贝尔市 巴彦淖尔市 乌兰察布市 "
    "兴安盟 锡林郭勒盟 阿拉善盟",
    "辽宁省": "沈阳市 大连市 鞍山市 抚顺市 本溪市 丹东市 锦州市 营口市 阜新市 辽阳市 盘锦市 铁岭市 朝阳市 葫芦岛市",
    "吉林省": "长春市 吉林市 四平市 辽源市 通化市 白山市 松原市 白城市 延边朝鲜族自治州",
    "黑龙江省": "哈尔滨市 齐齐哈尔市 鸡西市 鹤岗市 双鸭山市 大庆市 伊春市 佳木斯市 七台河市 牡丹江市 黑河市 "
    "绥化市 大兴安岭地区",
    "江苏省": "南京市 无锡市 徐州市 常州市 苏州市 南通市 连云港市 淮安市 盐城市 扬州市 镇江市 泰州市 宿迁市",
    "浙江省": "杭州市 宁波市 温州市 嘉兴市 湖州市 绍兴市 金华市 衢州市 舟山市 台州市 丽水市",
    "安徽省": "合肥市 芜湖市 蚌埠市 淮南市 马鞍山市 淮北市 铜陵市 安庆市 黄山市 滁州市 阜阳市 宿州市 六安市 "
    "亳州市 池州市 宣城市",
    "福建省": "福州市 厦门市 莆田市 三明市 泉州市 漳州市 南平市 龙岩市 宁德市",
    "江西省": "南昌市 景德镇市 萍乡市 九江市 新余市 鹰潭市 赣州市 吉安市 宜春市 抚州市 上饶市",
    "山东省": "济南市 青岛市 淄博市 枣庄市 东营市 烟台市 潍坊市 济宁市 泰安市 威海市 日照市 临沂市 德州市 "
    "聊城市 滨州市 菏泽市",
    "河南省": "郑州市 开封市 洛阳市 平顶山市 安阳市 鹤壁市 新乡市 焦作市 濮阳市 许昌市 漯河市 三门峡市 南阳市 "
    "商丘市 信阳市 周口市 驻马店市 济源市",
    "湖北省": "武汉市 黄石市 十堰市 宜昌市 襄阳市 鄂州市 荆门市 孝感市 荆州市 黄冈市 咸宁市 随州市 "
    "恩施土家族苗族自治州 仙桃市 潜江市 天门市",
    "湖南省": "长沙市 株洲市 湘潭市 衡阳市 邵阳市 岳阳市 常德市 张家界市 益阳市 郴州市 永州市 怀化市 娄底市 "
    "湘西土家族苗族自治州",
    "广东省": "广州市 韶关市 深圳市 珠海市 汕头市 佛山市 江门市 湛江市 茂名市 肇庆市 惠州市 梅州市 汕尾市 "
    "河源市 阳江市 清远市 东莞市 中山市 潮州市 揭阳市 云浮市",
    "广西壮族自治区": "南宁市 柳州市 桂林市 梧州市 北海市 防城港市 钦州市 贵港市 玉林市 百色市 贺州市 河池市 "
    "来宾市 崇左市",
    "海南省": "海口市 三亚市 三沙市 儋州市",
    "四川省": "成都市 自贡市 攀枝花市 泸州市 德阳市 绵阳市 广元市 遂宁市 内江市 乐山市 南充市 眉山市 宜宾市 "
    "广安市 达州市 雅安市 巴中市 资阳市 阿坝藏族羌族自治州 甘孜藏族自治州 凉山彝族自治州",
    "贵州省": "贵阳市 六盘水市 遵义市 安顺市 毕节市 铜仁市 黔西南布依族苗族自治州 黔东南苗族侗族自治州 "
    "黔南布依族苗族自治州",
    "云南省": "昆明市 曲靖市 玉溪市 保山市 昭通市 丽江市 普洱市 临沧市 楚雄彝族自治州 红河哈尼族彝族自治州 "
    "文山壮族苗族自治州 西双版纳傣族自治州 大理白族自治州 德宏傣族景颇族自治州 怒江傈僳族自治州 迪庆藏族自治州",
    "西藏自治区": "拉萨市 日喀则市 昌都市 林芝市 山南市 那曲市 阿里地区",
    "陕西省": "西安市 铜川市 宝鸡市 咸阳市 渭南市 延安市 汉中市 榆林市 安康市 商洛市",
    "甘肃省": "兰州市 嘉峪关市 金昌市 白银市 天水市 武威市 张掖市 平凉市 酒泉市 庆阳市 定西市 陇南市 "
    "临夏回族自治州 甘南藏族自治州",
    "青海省": "西宁市 海东市 海北藏族自治州 黄南藏族自治州 海南藏族自治州 果洛藏族自治州 玉树藏族自治州 "
    "海西蒙古族藏族自治州",
    "宁夏回族自治区": "银川市 石嘴山市 吴忠市 固原市 中卫市",
    "新疆维吾尔自治区": "乌鲁木齐市 克拉玛依市 吐鲁番市 哈密市 昌吉回族自治州 博尔塔拉蒙古自治州 "
    "巴音郭楞蒙古自治州 阿克苏地区 克孜勒苏柯尔克孜自治州 喀什地区 和田地区 伊犁哈萨克自治州 塔城地区 阿勒泰地区",
    "台湾省": "台北市 新北市 桃园市 台中市 台南市 高雄市 基隆市 新竹市 嘉义市",
}

# Districts of the municipalities the bundled corpora cover. A district's canonical name carries
# its city (广州市天河区): district names repeat across the country.
_DISTRICTS: dict[str, str] = {
    "北京市": "东城区 西城区 朝阳区 海淀区 丰台区 石景山区 门头沟区 房山区 通州区 顺义区 昌平区 大兴区 怀柔区 "
    "平谷区 密云区 延庆区",
    "广州市": "越秀区 海珠区 荔湾区 天河区 白云区 黄埔区 番禺区 花都区 南沙区 从化区 增城区",
}
# District names another city also has (长春市朝阳区, 南通市通州区, 贵阳市白云区): only ever read after their city.
_SHARED_DISTRICTS = frozenset({"朝阳区", "通州区", "白云区"})

# City short forms a question may use alone: capitals, sub-provincial cities, the cities of the
# bundled corpora and other large cities whose short form is not also an everyday word (开封 "unseal",
# 安康, 日照, 白银, 三明, 中山 … are left out; their full names with 市 still match).
_QUESTION_CITY_SHORTS = frozenset(
    "石家庄 太原 呼和浩特 沈阳 长春 哈尔滨 南京 杭州 合肥 福州 南昌 济南 郑州 武汉 长沙 广州 南宁 海口 成都 贵阳 "
    "昆明 拉萨 西安 兰州 西宁 银川 乌鲁木齐 大连 青岛 宁波 厦门 深圳 威海 滨州 潍坊 烟台 聊城 德州 信阳 商丘 "
    "安阳 洛阳 漯河 许昌 驻马店 绍兴 衢州 云浮 苏州 无锡 常州 徐州 南通 扬州 温州 嘉兴 湖州 台州 佛山 东莞 珠海 "
    "汕头 惠州 湛江 唐山 秦皇岛 邯郸 廊坊 沧州 淄博 临沂 济宁 菏泽 枣庄 桂林 柳州 三亚 遵义 绵阳 宜宾 泸州 南充 "
    "宜昌 襄阳 株洲 湘潭 衡阳 岳阳 赣州 九江 泉州 漳州 芜湖 蚌埠 鄂尔多斯 齐齐哈尔 牡丹江 连云港 盐城 镇江".split()
)

# Ways a question says "the national rule" (国家 alone also means "the state", as in 国家工作人员).
_NATIONAL_WORDS = r"全国|中华人民共和国|国务院|中央|国家(?=规定|层面|级|法律|法规|政策|标准|统一|有关规定|出台|颁布)"
# A place name followed by these is a street, a road or a company, not the place (广州北京路).
_NOT_PLACE_AFTER = r"(?!路|街|大街|大道|东路|西路|南路|北路)"


def _build() -> tuple[dict[str, Region], dict[str, str], dict[str, str]]:
    regions = {NATIONAL: Region(NATIONAL, LEVEL_NATIONAL, "")}
    shorts: dict[str, str] = {}
    abbreviations: dict[str, str] = {}
    for full, short, abbrs in _PROVINCES:
        regions[full] = Region(full, LEVEL_PROVINCE, NATIONAL)
        shorts[short] = full
        abbreviations.update(dict.fromkeys(abbrs, full))
    for province, cities in _CITIES.items():
        for city in cities.split():
            regions[city] = Region(city, LEVEL_CITY, province)
    for city, districts in _DISTRICTS.items():
        for district in districts.split():
            regions[city + district] = Region(city + district, LEVEL_COUNTY, city)
    abbreviations.update({"穗": "广州市", "深": "深圳市"})
    return regions, shorts, abbreviations


_REGIONS, _PROVINCE_SHORTS, ABBREVIATIONS = _build()


def region_named(name: str) -> Region | None:
    """The gazetteer entry of a canonical name or a short form (北京 → 北京市); None when unknown."""
    return _REGIONS.get(name) or _REGIONS.get(_PROVINCE_SHORTS.get(name, "")) or _REGIONS.get(name + "市")


def canonical(name: str) -> str:
    """The canonical name of a region written any known way (北京 → 北京市); other names unchanged."""
    region = region_named(name.strip())
    return region.name if region is not None else name.strip()


def level_of(region_name: str) -> str:
    """The level of a region (one of LEVELS); a district outside the gazetteer is 区县级; "" when unknown."""
    region = region_named(region_name)
    if region is not None:
        return region.level
    if region_name.endswith(("区", "县")) and len(region_name) >= 3:
        return LEVEL_COUNTY
    return ""


def province_of(region_name: str) -> str:
    """The provincial-level unit a region lies in (itself for a province); "" for 全国 and unknown names."""
    region = region_named(region_name)
    while region is not None and region.level not in (LEVEL_PROVINCE, LEVEL_NATIONAL):
        region = _REGIONS.get(region.parent)
    return region.name if region is not None and region.level == LEVEL_PROVINCE else ""


def full_names() -> tuple[str, ...]:
    """Every canonical name but 全国, longest first (for building patterns that prefer the longest name)."""
    return tuple(sorted((n for n in _REGIONS if n != NATIONAL), key=len, reverse=True))


def province_shorts() -> dict[str, str]:
    """Short form → full name of each provincial-level unit (北京 → 北京市)."""
    return dict(_PROVINCE_SHORTS)


def city_districts() -> dict[str, str]:
    """Listed district name → its canonical name, for districts no other city shares (天河区 → 广州市天河区)."""
    return {d: city + d for city, names in _DISTRICTS.items() for d in names.split() if d not in _SHARED_DISTRICTS}


def _question_surfaces() -> dict[str, str]:
    surfaces = {name: name for name in full_names()}
    surfaces.update(_PROVINCE_SHORTS)
    surfaces.update(city_districts())
    for name in _REGIONS:
        if name.endswith("市") and name[:-1] in _QUESTION_CITY_SHORTS:
            surfaces.setdefault(name[:-1], name)
    return surfaces


_SURFACES = _question_surfaces()
_QUESTION_RE = re.compile(
    rf"(?P<national>{_NATIONAL_WORDS})|(?P<place>"
    + "|".join(re.escape(s) for s in sorted(_SURFACES, key=len, reverse=True))
    + rf"){_NOT_PLACE_AFTER}"
)


def regions_in(text: str) -> tuple[str, ...]:
    """Canonical names of the regions a question names, in the order named, each once.

    Leftmost-longest matching without overlaps (内蒙古自治区 is one region, 浙江西部 is 浙江).
    Single-character abbreviations are never read here: they are too common as ordinary characters.
    """
    found: list[str] = []
    for match in _QUESTION_RE.finditer(text):
        name = NATIONAL if match["national"] else _SURFACES[match["place"]]
        if name not in found:
            found.append(name)
    return tuple(found)
