"""Generated teachers: names, phones, ID numbers, subjects, titles, honours.

Plain data and a seeded ``random.Random``; every phone and ID number a
:class:`People` hands out is unique and valid.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from stdnum.cn import ric

from .places import (
    DEMO_COUNTY,
    EXTRA_COUNTIES,
    GIVEN_FEMALE,
    GIVEN_MALE,
    GIVEN_PREFIX,
    REFERENCE_DATE,
    SECOND_SUBJECTS,
    SHORTAGE,
    SUBJECT_WEIGHTS,
    SURNAMES,
    TITLE_RANK,
    County,
)

PHONE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150",
    "151", "152", "153", "155", "156", "157", "158", "159", "173", "177", "178",
    "180", "181", "182", "183", "184", "185", "186", "187", "188", "189", "191",
    "198", "199",
)  # fmt: skip
# 1390000xxxx is kept for the demo logins.
RESERVED_PHONE_PREFIX = "1390000"
REMOTE = ("village", "point")  # village schools and teaching points


@dataclass(frozen=True)
class DemoPerson:
    """A roster teacher who is also a demo login (see schools.demo.seeding)."""

    username: str
    name: str
    phone: str
    birth: date
    order: str  # the ID number's 3-digit order code: odd for men, even for women
    subjects: str
    stage: str
    title: str
    years: int
    honours: str = ""
    roles: str = ""

    @property
    def email(self) -> str:
        return f"{self.username}@example.cn"

    def row(self, school_code: str) -> dict:
        return {
            "name": self.name,
            "phone": self.phone,
            "id_number": id_number(DEMO_COUNTY, self.birth, self.order),
            "email": self.email,
            "school_code": school_code,
            "subjects": self.subjects.split("、"),
            "stages": [self.stage],
            "title": self.title,
            "honours": self.honours.split("、") if self.honours else [],
            "years_of_teaching": self.years,
            "roles": self.roles.split("、"),
        }


DEMO_TEACHER = DemoPerson(
    "demo_teacher", "王小丽", "13900000001", date(1997, 3, 12), "046",
    "数学、科学", "小学", "二级教师", 5, roles="乡村教师",
)  # fmt: skip
DEMO_MENTOR = DemoPerson(
    "demo_mentor", "陈建华", "13900000002", date(1978, 10, 8), "031",
    "数学", "小学", "高级教师", 24, honours="名师、学科带头人", roles="导师",
)  # fmt: skip
DEMO_SCHOOL_ADMIN = DemoPerson(
    "demo_school", "刘志强", "13900000003", date(1974, 5, 20), "017",
    "语文", "小学", "高级教师", 30, honours="骨干教师", roles="乡村教师、学校管理员",
)  # fmt: skip
DEMO_PEOPLE = (DEMO_TEACHER, DEMO_MENTOR, DEMO_SCHOOL_ADMIN)


def id_number(county: County, birth: date, order: str) -> str:
    """A resident ID number that validates: area code valid in the birth year,
    birth date, order code and the ISO 7064 MOD 11-2 check digit."""
    areas = (*county.id_areas, *DEMO_COUNTY.id_areas)
    area = next(code for since, code in areas if birth.year >= since)
    body = f"{area}{birth:%Y%m%d}{order}"
    return body + ric.calc_check_digit(body + "0")


class People:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.phones: set[str] = {p.phone for p in DEMO_PEOPLE}
        self.ids: set[str] = {p.row("")["id_number"] for p in DEMO_PEOPLE}
        self.emails: set[str] = set()
        self.surnames = [s for s, _ in SURNAMES]
        self.surname_weights = _cumulative([w for _, w in SURNAMES])

    def teacher(self, *, county: County, kind: str, stages: list[str], special: bool):
        """One teacher of a school of ``kind`` (urban, central, village ...)."""
        rng = self.rng
        stage = _pick_stage(rng, stages)
        remote = kind in REMOTE
        female_share = {"学前": 0.97, "小学": 0.72, "初中": 0.55}.get(stage, 0.45)
        female = rng.random() < female_share - (0.15 if remote else 0)
        young = rng.random() < (0.3 if remote else 0.4)
        age = rng.randint(22, 34) if young else rng.randint(35, 59)
        if female and age > 55:
            age = rng.randint(35, 55)
        birth = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - age - 1)
        birth += timedelta(days=rng.randint(1, 364))
        start = rng.randint(18, 21) if age >= 45 else rng.randint(21, 24)
        years = max(0, age - start)
        title = _title(rng, years, urban=kind in ("urban", "helping"))
        subjects = self.subjects(kind, stage, special)
        honours = _honours(rng, years, title, kind)
        phone = self.phone()
        return {
            "name": self.name(female),
            "phone": phone,
            "id_number": self.id_number(county, birth, female),
            "email": self.email(phone),
            "school_code": "",
            "subjects": subjects,
            "stages": [stage],
            "title": title,
            "honours": honours,
            "years_of_teaching": years,
            "roles": [],
        }

    def name(self, female: bool) -> str:
        rng = self.rng
        surname = rng.choices(self.surnames, cum_weights=self.surname_weights)[0]
        pool = GIVEN_FEMALE if female else GIVEN_MALE
        if rng.random() < 0.3:
            return surname + rng.choice(pool)
        if rng.random() < 0.5:
            return surname + rng.choice(GIVEN_PREFIX) + rng.choice(pool)
        return surname + rng.choice(pool) + rng.choice(pool)

    def phone(self) -> str:
        rng = self.rng
        while True:
            phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if phone not in self.phones and not phone.startswith(RESERVED_PHONE_PREFIX):
                self.phones.add(phone)
                return phone

    def id_number(self, county: County, birth: date, female: bool) -> str:
        rng = self.rng
        if rng.random() < 0.15:  # born in another county
            county = rng.choice((DEMO_COUNTY, *EXTRA_COUNTIES[:6]))
        while True:
            order = rng.randrange(500) * 2 + (0 if female else 1)
            number = id_number(county, birth, f"{order:03d}")
            if number not in self.ids:
                self.ids.add(number)
                return number

    def email(self, phone: str) -> str:
        """Mostly empty, as in real rosters; otherwise a QQ or 163 address."""
        rng = self.rng
        if rng.random() >= 0.06:
            return ""
        if rng.random() < 0.6:
            while True:
                address = f"{rng.randrange(10**8, 3 * 10**9)}@qq.com"
                if address not in self.emails:
                    self.emails.add(address)
                    return address
        return f"{phone}@163.com"

    def subjects(self, kind: str, stage: str, special: bool) -> list[str]:
        rng = self.rng
        if special and rng.random() < 0.7:
            return ["特殊教育"]
        choices = SUBJECT_WEIGHTS[stage]
        if kind == "point":  # one or two teachers teach everything
            main = rng.choice(("语文", "数学"))
        else:
            scarce = 0.25 if kind in REMOTE else 1
            weights = [w * (scarce if s in SHORTAGE else 1) for s, w in choices]
            main = rng.choices([s for s, _ in choices], weights=weights)[0]
        subjects = [main]
        if stage in ("小学", "初中"):
            # Small schools' teachers teach several subjects (包班).
            extra = {"point": 1.0, "village": 0.6, "central": 0.25}.get(kind, 0.08)
            while rng.random() < extra and len(subjects) < 3:
                second = rng.choice(SECOND_SUBJECTS)
                if second not in subjects:
                    subjects.append(second)
                extra /= 3
        return subjects


def _cumulative(weights):
    total, result = 0, []
    for w in weights:
        total += w
        result.append(total)
    return result


def _pick_stage(rng: random.Random, stages: list[str]) -> str:
    if len(stages) == 1:
        return stages[0]
    weights = {"学前": 1, "小学": 4, "初中": 3, "高中": 3, "中职": 3}
    return rng.choices(stages, weights=[weights[s] for s in stages])[0]


def _title(rng: random.Random, years: int, *, urban: bool) -> str:
    """职称 by years of teaching; urban schools have more senior teachers."""
    r = rng.random()
    bump = 0.1 if urban else 0.0
    if years < 1:
        return "未定级"
    if years < 3:
        return "未定级" if r < 0.35 else ("三级教师" if r > 0.97 else "二级教师")
    if years < 8:
        return "二级教师" if r < 0.65 - bump else "一级教师"
    if years < 15:
        if r < 0.05 + bump:
            return "高级教师"
        return "二级教师" if r > 0.78 else "一级教师"
    if years < 25:
        if r < 0.22 + bump:
            return "高级教师"
        return "二级教师" if r > 0.93 else "一级教师"
    if r < 0.006:
        return "正高级教师"
    return "高级教师" if r < 0.38 + bump else "一级教师"


def _honours(rng: random.Random, years: int, title: str, kind: str) -> list[str]:
    """About one teacher in ten holds an honour, mostly 骨干教师."""
    if years < 5:
        return []
    odds = {"urban": 0.12, "helping": 0.2, "village": 0.04, "point": 0.03}
    chance = odds.get(kind, 0.08)
    senior = TITLE_RANK[title] >= TITLE_RANK["高级教师"]
    if senior:
        chance *= 1.4
    if rng.random() >= chance:
        return []
    r = rng.random()
    if senior and years >= 20 and r < 0.04:
        return ["特级教师"]
    if years >= 12 and r < 0.16:
        return ["学科带头人"]
    if r < 0.32:
        return ["教学能手"]
    return ["骨干教师"]
