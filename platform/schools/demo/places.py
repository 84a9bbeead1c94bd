"""Plain data the demo roster is drawn from: places, schools, names, subjects.

中江县 (四川省德阳市) is the demo county of the seeds; its township names are
real. Other counties (for benchmark-sized rosters) use their real names and
division codes with generated township names. 成都市青羊区 is the helping side
named in the seeds, with real strong urban schools.
"""

from dataclasses import dataclass
from datetime import date

# Ages and years of teaching are computed against a fixed day, not today, so a
# seed gives the same roster in every year.
REFERENCE_DATE = date(2025, 9, 1)

PROVINCE = ("510000", "四川省")
CITIES = {
    "510100": "成都市",
    "510600": "德阳市",
    "510700": "绵阳市",
}


@dataclass(frozen=True)
class County:
    code: str
    name: str
    city: str
    # Division codes a resident ID number may carry by birth year, newest first:
    # (first year, code). python-stdnum (the project's ID validator) checks that
    # the code existed in the birth year, so teachers born before a county got
    # its present code carry the older one, as real cards do.
    id_areas: tuple[tuple[int, str], ...]
    centre: tuple[float, float]  # longitude, latitude of the county seat
    spread: float = 0.22  # degrees around the seat where townships lie
    townships: tuple[str, ...] = ()  # real names; generated when empty
    street_codes: bool = False  # urban districts have 街道 (0xx codes)

    @property
    def stem(self) -> str:
        """中江县 -> 中江, 北川羌族自治县 -> 北川 (for school names)."""
        for suffix in ("羌族自治县", "县", "市", "区"):
            if self.name.endswith(suffix):
                return self.name[: -len(suffix)]
        return self.name


# Towns (镇, codes 1xx) first, then townships (乡, codes 2xx). 凯江镇 is the
# county seat. 兴隆镇 and 辑庆镇 lead the county's curriculum-reform zone.
ZHONGJIANG_TOWNS = (
    "凯江镇", "兴隆镇", "辑庆镇", "南华镇", "龙台镇", "仓山镇", "永太镇", "广福镇",
    "集凤镇", "通济镇", "冯店镇", "黄鹿镇", "东北镇", "回龙镇", "富兴镇", "永安镇",
    "继光镇", "玉兴镇", "太安镇", "万福镇", "会龙镇", "普兴镇", "联合镇", "积金镇",
)  # fmt: skip
ZHONGJIANG_XIANG = (
    "石泉乡", "白果乡", "合兴乡", "永丰乡", "胖子店乡", "杰兴乡", "元兴乡", "瓦店乡",
)  # fmt: skip
# Large towns: central schools in the town centre (121), a complete middle school.
ZHONGJIANG_LARGE_TOWNS = ("南华镇", "龙台镇", "仓山镇")

DEMO_COUNTY = County(
    code="510623",
    name="中江县",
    city="510600",
    id_areas=((1983, "510623"), (0, "512834")),
    centre=(104.678, 31.033),
    spread=0.26,
    townships=tuple(ZHONGJIANG_TOWNS + ZHONGJIANG_XIANG),
)

HELPING_COUNTY = County(
    code="510105",
    name="青羊区",
    city="510100",
    id_areas=((1990, "510105"), (1983, "510103")),
    centre=(104.062, 30.674),
    spread=0.03,
    townships=(
        "少城街道",
        "草市街街道",
        "西御河街道",
        "府南街道",
        "光华街道",
        "金沙街道",
        "苏坡街道",
        "文家街道",
    ),
    street_codes=True,
)

# Further counties of 德阳市 and 绵阳市, in the order a large roster adds them.
EXTRA_COUNTIES = (  # code, name, city, ID-number codes by birth year, seat
    County(
        "510722", "三台县", "510700", ((1985, "510722"), (0, "512833")), (105.09, 31.09)
    ),
    County(
        "510723", "盐亭县", "510700", ((1985, "510723"), (0, "512837")), (105.39, 31.21)
    ),
    County(
        "510725", "梓潼县", "510700", ((1985, "510725"), (0, "512825")), (105.17, 31.64)
    ),
    County(
        "510681",
        "广汉市",
        "510600",
        ((1989, "510681"), (1983, "510624"), (0, "512724")),
        (104.28, 30.98),
    ),
    County(
        "510682",
        "什邡市",
        "510600",
        ((1995, "510682"), (1983, "510625"), (0, "512725")),
        (104.17, 31.13),
    ),
    County(
        "510683",
        "绵竹市",
        "510600",
        ((1996, "510683"), (1983, "510622"), (0, "512822")),
        (104.22, 31.34),
    ),
    County(
        "510781",
        "江油市",
        "510700",
        ((1989, "510781"), (1985, "510721"), (0, "512824")),
        (104.75, 31.78),
    ),
    County(
        "510726",
        "北川羌族自治县",
        "510700",
        ((1985, "510726"), (0, "512831")),
        (104.47, 31.62),
    ),
    County(
        "510727", "平武县", "510700", ((1985, "510727"), (0, "512830")), (104.53, 32.41)
    ),
    County(
        "510603",
        "旌阳区",
        "510600",
        ((1996, "510603"), (1984, "510602"), (1983, "510621"), (0, "512821")),
        (104.39, 31.13),
    ),
    County(
        "510703",
        "涪城区",
        "510700",
        ((1992, "510703"), (1985, "510702"), (0, "512801")),
        (104.74, 31.46),
    ),
    County(
        "510704",
        "游仙区",
        "510700",
        ((1992, "510704"), (1985, "510702"), (0, "512801")),
        (104.77, 31.47),
    ),
)

# Morphemes for generated township and village names (永兴, 石桥, 青藕 ...).
PLACE_FIRST = (
    "永", "新", "红", "龙", "凤", "石", "白", "金", "青", "双", "三", "五", "太", "高",
    "长", "黄", "光", "和", "平", "安", "兴", "福", "柏", "桂", "松", "竹", "莲", "古",
    "大", "东", "西", "南", "北", "上", "下", "中", "马", "玉", "宝", "天", "清", "花",
    "桃", "梨", "杨", "柳", "鹤", "云",
)  # fmt: skip
PLACE_SECOND = (
    "兴", "安", "和", "平", "福", "桥", "河", "坝", "湾", "山", "庙", "坪", "岭", "垭",
    "林", "堰", "塘", "井", "泉", "华", "光", "丰", "合", "寺", "台", "观", "岩", "池",
    "沟", "水", "阁", "藕", "场", "庄", "滩", "桠", "梁", "院", "包", "嘴",
)  # fmt: skip

URBAN_STREETS = (
    "大北街", "南街", "东街", "西街", "北塔路", "凯江路", "玉江路", "桂花街", "回龙路",
    "春晖路", "迎宾大道", "中兴路", "文庙街", "学府路",
)  # fmt: skip
CHENGDU_STREETS = (
    "西马棚街", "文庙前街", "宁夏街", "西大街", "草堂路", "金沙遗址路", "清江中路",
    "光华大道", "琴台路", "将军街",
)  # fmt: skip


@dataclass(frozen=True)
class NamedSchool:
    name: str
    stages: str  # 、-separated, as the roster writes it
    urban_rural: str
    weight: float  # expected teachers, before scaling to the roster's total
    township: int = 0  # index into the county's townships
    special: bool = False  # special-education school


# The county seat's schools, most important first: a small roster keeps the head.
ZHONGJIANG_URBAN = (
    NamedSchool("中江县实验小学", "小学", "111", 160),
    NamedSchool("中江县实验中学", "初中", "111", 200),
    NamedSchool("中江中学", "高中", "111", 320),
    NamedSchool("中江县凯江中学", "初中、高中", "111", 180),
    NamedSchool("中江县城北小学", "小学", "111", 120),
    NamedSchool("中江县城东小学", "小学", "111", 110),
    NamedSchool("中江县清凉学校", "小学、初中", "112", 90),
    NamedSchool("中江县城北中学", "初中", "112", 110),
    NamedSchool("中江县城南小学", "小学", "112", 95),
    NamedSchool("中江县职业中专学校", "中职", "111", 140),
    NamedSchool("中江县特殊教育学校", "小学、初中", "112", 30, special=True),
    NamedSchool("中江县实验幼儿园", "学前", "111", 45),
    NamedSchool("中江县城南幼儿园", "学前", "112", 30),
)

# The helping side: strong urban schools of 成都市青羊区 (seeds: 青羊区, 泡桐树小学).
HELPING_SCHOOLS = (
    NamedSchool("成都市泡桐树小学", "小学", "111", 130, township=0),
    NamedSchool("成都市石室中学", "初中、高中", "111", 200, township=1),
    NamedSchool("成都市树德中学", "初中、高中", "111", 200, township=2),
    NamedSchool("成都市实验小学", "小学", "111", 110, township=0),
    NamedSchool("成都市草堂小学", "小学", "111", 100, township=4),
    NamedSchool("成都市金沙小学", "小学", "111", 90, township=5),
)


def generic_urban(county: County) -> tuple[NamedSchool, ...]:
    """Seat schools of a county without a hand-written list."""
    stem = county.stem
    c = county.name
    return (
        NamedSchool(f"{c}实验小学", "小学", "111", 150),
        NamedSchool(f"{c}实验中学", "初中", "111", 180),
        NamedSchool(f"{stem}中学", "高中", "111", 280),
        NamedSchool(f"{c}第一小学", "小学", "111", 120),
        NamedSchool(f"{c}第二中学", "初中、高中", "111", 160),
        NamedSchool(f"{c}第二小学", "小学", "112", 100),
        NamedSchool(f"{c}第三中学", "初中", "112", 100),
        NamedSchool(f"{c}职业中学", "中职", "111", 120),
        NamedSchool(f"{c}特殊教育学校", "小学、初中", "112", 25, special=True),
        NamedSchool(f"{c}实验幼儿园", "学前", "111", 40),
    )


# --- People -------------------------------------------------------------------

# Common surnames, most frequent first, with rough weights (Sichuan leans to
# 王 李 张 刘 陈 杨 黄 罗 ...).
SURNAMES = (
    ("王", 70), ("李", 70), ("张", 65), ("刘", 60), ("陈", 58), ("杨", 45),
    ("黄", 30), ("罗", 28), ("赵", 25), ("吴", 22), ("周", 22), ("徐", 18),
    ("何", 18), ("胡", 18), ("谢", 16), ("曾", 16), ("邓", 16), ("唐", 15),
    ("彭", 15), ("肖", 14), ("朱", 14), ("冯", 13), ("马", 13), ("孙", 13),
    ("郭", 12), ("林", 11), ("高", 11), ("蒋", 11), ("余", 10), ("袁", 10),
    ("田", 9), ("廖", 9), ("曹", 8), ("向", 8), ("钟", 8), ("杜", 8),
    ("魏", 7), ("苏", 7), ("任", 7), ("付", 7), ("代", 6), ("雷", 6),
    ("郑", 6), ("梁", 6), ("宋", 6), ("韩", 5), ("程", 5), ("蔡", 5),
    ("谭", 5), ("姚", 5), ("汪", 4), ("熊", 4), ("严", 4), ("龚", 4),
    ("邹", 4), ("夏", 4), ("侯", 3), ("于", 3), ("石", 3), ("江", 3),
    ("贺", 3), ("龙", 3), ("母", 2), ("敬", 2), ("鄢", 2), ("阳", 2),
)  # fmt: skip

GIVEN_MALE = (
    "伟", "强", "军", "勇", "杰", "涛", "斌", "波", "辉", "刚", "明", "华", "平", "建",
    "国", "东", "林", "峰", "磊", "鹏", "超", "浩", "宇", "俊", "飞", "亮", "成", "志",
    "文", "兵", "洪", "海", "宏", "毅", "健", "锋", "涛", "坤", "川", "江", "松", "祥",
    "德", "永",
)  # fmt: skip
GIVEN_FEMALE = (
    "芳", "丽", "敏", "静", "娟", "燕", "霞", "琴", "英", "艳", "玲", "红", "梅", "莉",
    "萍", "洁", "婷", "雪", "倩", "佳", "琳", "秀", "兰", "蓉", "颖", "慧", "欣", "瑶",
    "娜", "晓", "春", "丹", "月", "霞", "凤", "菊", "琼", "莹", "露", "薇", "悦", "璐",
    "冰", "怡",
)  # fmt: skip
# Two-character given names start with one of these about half the time.
GIVEN_PREFIX = (
    "小", "晓", "建", "国", "志", "永", "明", "文", "春", "海", "雪", "秀", "丽", "德",
    "玉", "思", "子", "雨", "欣", "俊",
)  # fmt: skip

# --- Teaching -----------------------------------------------------------------

# Subject weights by stage (Chinese names as schools.Subject.name_zh).
SUBJECT_WEIGHTS = {
    "学前": (("学前教育", 1),),
    "小学": (
        ("语文", 28), ("数学", 24), ("英语", 8), ("科学", 5), ("体育", 7),
        ("音乐", 5), ("美术", 5), ("道德与法治", 6), ("信息技术", 3),
        ("综合实践", 2), ("心理健康", 1),
    ),
    "初中": (
        ("语文", 15), ("数学", 15), ("英语", 14), ("物理", 7), ("化学", 5),
        ("生物", 5), ("历史", 6), ("地理", 5), ("道德与法治", 7), ("体育", 7),
        ("音乐", 3), ("美术", 3), ("信息技术", 3), ("心理健康", 1),
        ("综合实践", 1),
    ),
    "高中": (
        ("语文", 14), ("数学", 14), ("英语", 14), ("物理", 9), ("化学", 8),
        ("生物", 7), ("历史", 6), ("地理", 6), ("思想政治", 7), ("体育", 6),
        ("音乐", 2), ("美术", 2), ("信息技术", 3), ("心理健康", 2),
    ),
    "中职": (
        ("语文", 12), ("数学", 12), ("英语", 10), ("信息技术", 20),
        ("思想政治", 8), ("体育", 8), ("美术", 6), ("音乐", 4),
    ),
}  # fmt: skip
# 国培's shortage subjects (体、音、美、英语、科学、综合实践): village schools
# and teaching points have few teachers of them.
SHORTAGE = frozenset({"英语", "科学", "体育", "音乐", "美术", "综合实践"})
# What a village teacher teaches beside the main subject (包班).
SECOND_SUBJECTS = ("道德与法治", "科学", "音乐", "美术", "体育", "综合实践")

TITLES = ("正高级教师", "高级教师", "一级教师", "二级教师", "三级教师", "未定级")
TITLE_RANK = {t: len(TITLES) - i for i, t in enumerate(TITLES)}


# Famous-teacher studios of the demo county, by (stage, subject); the first is
# led by the demo mentor.
STUDIO_SUBJECTS = (
    ("小学", "数学"),
    ("小学", "语文"),
    ("初中", "英语"),
    ("初中", "数学"),
    ("小学", "英语"),
    ("初中", "语文"),
    ("初中", "物理"),
    ("小学", "科学"),
    ("小学", "音乐"),
    ("小学", "美术"),
    ("小学", "体育"),
    ("高中", "化学"),
)
