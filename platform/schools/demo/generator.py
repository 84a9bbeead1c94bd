"""A realistic county roster as plain rows, deterministic for a seed.

``build_roster`` returns the rows of the three sheets of a roster (keyed by the
canonical field names of :mod:`schools.roster.columns`) plus the studios the
seeder creates. Nothing here touches the database, so it runs anywhere and
fast.

The default size is 中江县 itself (about 250 schools, 5,000 teachers; the
seeds count 5,769 full-time teachers) with its helping side in 成都市青羊区.
Larger rosters add real counties of 德阳市 and 绵阳市, about 250 schools each.
"""

import random
from dataclasses import dataclass, field

from .people import (
    DEMO_MENTOR,
    DEMO_PEOPLE,
    DEMO_SCHOOL_ADMIN,
    DEMO_TEACHER,
    REMOTE,
    People,
)
from .places import (
    CHENGDU_STREETS,
    CITIES,
    DEMO_COUNTY,
    EXTRA_COUNTIES,
    HELPING_COUNTY,
    HELPING_SCHOOLS,
    PLACE_FIRST,
    PLACE_SECOND,
    PROVINCE,
    TITLE_RANK,
    URBAN_STREETS,
    ZHONGJIANG_LARGE_TOWNS,
    ZHONGJIANG_URBAN,
    County,
    NamedSchool,
    generic_urban,
)
from .studios import plan_studios

MIN_SCHOOLS = 3
TOO_SMALL = "A demo roster needs at least 3 schools and one teacher per school."
SCHOOLS_PER_COUNTY = 250  # larger rosters add counties of about this size

# Kinds of school the generator makes, with the roster's 学校类别 and students
# per teacher.
KINDS = {
    "urban": ("城区学校", 17),
    "helping": ("城区学校", 17),
    "central": ("乡镇学校", 15),  # 中心小学 / 中心学校 of a township
    "complete": ("乡镇学校", 13),  # a large town's complete middle school
    "junior": ("乡镇学校", 12),  # 初级中学
    "kg": ("乡镇学校", 14),  # 中心幼儿园
    "village": ("村小", 9),
    "point": ("教学点", 7),
}


@dataclass
class _Township:
    code: str
    name: str
    lon: float
    lat: float
    large: bool = False
    villages: set = field(default_factory=set)


@dataclass
class _School:
    code: str
    spec: NamedSchool
    kind: str
    county: County
    town: _Township
    address: str
    lon: float
    lat: float
    weight: float
    jitter: float  # students per teacher, relative to the usual
    weak: bool = False
    teachers: list[dict] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def stages(self) -> list[str]:
        return self.spec.stages.split("、")

    @property
    def rural(self) -> bool:
        return self.spec.urban_rural.startswith("2")

    def row(self) -> dict:
        category, ratio = KINDS[self.kind]
        n = len(self.teachers)
        ratio *= 0.3 if self.spec.special else 1
        return {
            "code": self.code,
            "name": self.name,
            "region_code": self.town.code,
            "category": category,
            "urban_rural_code": self.spec.urban_rural,
            "stages": self.spec.stages,
            "is_weak": "是" if self.weak else "否",
            "student_count": max(3, round(n * ratio * self.jitter)),
            "teacher_count": n,
            "address": self.address,
            "longitude": self.lon,
            "latitude": self.lat,
        }


class _Builder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.people = People(self.rng)
        self.regions: list[dict] = []
        self.schools: list[_School] = []
        self.seq: dict[str, int] = {}

    # --- regions ---------------------------------------------------------------

    def region(self, code: str, name: str, level: str, parent: str = "") -> None:
        self.regions.append(
            {"code": code, "name": name, "level": level, "parent_code": parent}
        )

    def townships(self, county: County, count: int) -> list[_Township]:
        rng = self.rng
        names = list(county.townships)
        if not names:
            names = [f"{county.stem}城关镇"]
            while len(names) < count:
                name = rng.choice(PLACE_FIRST) + rng.choice(PLACE_SECOND) + "镇"
                if name not in names:
                    names.append(name)
        result = []
        # Statistics codes: 街道 0xx, 镇 1xx, 乡 2xx.
        used = {"0": 0, "1": 99, "2": 199}
        for i, name in enumerate(names):
            kind = "0" if county.street_codes else ("2" if name.endswith("乡") else "1")
            used[kind] += 1
            code = f"{county.code}{used[kind]:03d}"
            lon, lat = county.centre
            if i:
                lon += rng.uniform(-county.spread, county.spread)
                lat += rng.uniform(-county.spread, county.spread)
            if county is DEMO_COUNTY:
                large = name in ZHONGJIANG_LARGE_TOWNS
            else:
                large = 1 <= i <= 3
            result.append(_Township(code, name, lon, lat, large))
            self.region(code, name, "乡镇", county.code)
        return result

    def village(self, town: _Township) -> str:
        rng = self.rng
        for _ in range(1000):
            name = rng.choice(PLACE_FIRST) + rng.choice(PLACE_SECOND) + "村"
            if name not in town.villages:
                town.villages.add(name)
                return name
        name = f"第{len(town.villages) + 1}村"  # more schools than names
        town.villages.add(name)
        return name

    # --- schools ---------------------------------------------------------------

    def school(
        self,
        county: County,
        index: int,
        town: _Township,
        spec: NamedSchool,
        kind: str,
        village: str = "",
    ) -> _School:
        rng = self.rng
        seq = self.seq[county.code] = self.seq.get(county.code, 0) + 1
        prefix = f"{CITIES[county.city]}{county.name}{town.name}"
        if kind == "helping":
            address = f"{CITIES[county.city]}{county.name}"
            address += f"{rng.choice(CHENGDU_STREETS)}{rng.randint(1, 150)}号"
        elif kind == "urban":
            address = f"{prefix}{rng.choice(URBAN_STREETS)}{rng.randint(1, 300)}号"
        elif village:
            address = f"{prefix}{village}{rng.randint(1, 12)}组"
        else:
            address = f"{prefix}场镇正街{rng.randint(1, 200)}号"
        school = _School(
            # 学校标识码: 2, the province, a county index, a sequence: 10 digits.
            code=f"2{county.code[:2]}{index:03d}{seq:04d}",
            spec=spec,
            kind=kind,
            county=county,
            town=town,
            address=address,
            lon=round(town.lon + rng.uniform(-0.012, 0.012), 6),
            lat=round(town.lat + rng.uniform(-0.012, 0.012), 6),
            weight=spec.weight * rng.uniform(0.8, 1.2),
            jitter=rng.uniform(0.85, 1.15),
        )
        if school.rural:  # about 30 % of rural schools are weak
            school.weak = rng.random() < (0.36 if kind in REMOTE else 0.18)
        self.schools.append(school)
        return school

    def county(self, county: County, index: int, quota: int) -> None:
        """``quota`` schools: seat schools, township schools, village schools."""
        rng = self.rng
        self.region(county.code, county.name, "县", county.city)
        n_towns = len(county.townships) or max(8, min(30, quota // 8)) + 1
        seat, *rural_towns = self.townships(county, n_towns)
        c = county.name

        urban = ZHONGJIANG_URBAN if county is DEMO_COUNTY else generic_urban(county)
        n_urban = max(1, min(len(urban), round(quota * 0.053)))
        rest = quota - n_urban
        n_central = min(len(rural_towns), max(1, round(rest * 0.15)))
        large = sum(t.large for t in rural_towns[:n_central])
        # complete middle schools, junior middle schools, kindergartens
        extras = [
            min(large, round(n_central * 0.1)),
            round(n_central * 0.55),
            round(n_central * 0.25),
        ]
        while n_central + sum(extras) > rest - 1 and any(extras):
            extras[max(i for i, n in enumerate(extras) if n)] -= 1
        n_central = max(0, min(n_central, rest - 1))
        n_complete, n_junior, n_kg = extras
        left = rest - n_central - sum(extras)
        n_point = round(left * 0.3)

        for spec in urban[:n_urban]:
            self.school(county, index, seat, spec, "urban")
        centrals = rural_towns[:n_central]
        complete = [t for t in centrals if t.large][:n_complete]
        juniors = [t for t in centrals if t not in complete][:n_junior]
        central_names = {}
        for i, town in enumerate(centrals):
            code = "121" if town.large else "210"
            nine_year = town not in complete and town not in juniors and i % 2
            name = f"{c}{town.name}{'中心学校' if nine_year else '中心小学'}"
            stages = "小学、初中" if nine_year else "小学"
            weight = 75 if town.large else (60 if nine_year else 50)
            spec = NamedSchool(name, stages, code, weight)
            self.school(county, index, town, spec, "central")
            central_names[town.code] = name
        for town in complete:
            spec = NamedSchool(f"{c}{town.name[:-1]}中学", "初中、高中", "121", 110)
            self.school(county, index, town, spec, "complete")
        for town in juniors:
            code = "121" if town.large else "210"
            spec = NamedSchool(f"{c}{town.name}初级中学", "初中", code, 55)
            self.school(county, index, town, spec, "junior")
        for town in centrals[:n_kg]:
            code = "121" if town.large else "210"
            spec = NamedSchool(f"{c}{town.name}中心幼儿园", "学前", code, 12)
            self.school(county, index, town, spec, "kg")

        hosts = centrals or [seat]
        weights = [1.5 if t.large else 1.0 for t in hosts]
        for i in range(left):
            town = rng.choices(hosts, weights=weights)[0]
            village = self.village(town)
            if i < n_point:  # a teaching point belongs to its central school
                owner = central_names.get(town.code, f"{c}{town.name}中心小学")
                stages = "学前、小学" if rng.random() < 0.4 else "小学"
                spec = NamedSchool(f"{owner}{village}教学点", stages, "220", 2.5)
                self.school(county, index, town, spec, "point", village)
            else:
                stages = "学前、小学" if rng.random() < 0.2 else "小学"
                spec = NamedSchool(f"{c}{town.name}{village}小学", stages, "220", 9)
                self.school(county, index, town, spec, "village", village)

    def helping_side(self, count: int) -> None:
        county = HELPING_COUNTY
        self.region(county.city, CITIES[county.city], "市", PROVINCE[0])
        self.region(county.code, county.name, "县", county.city)
        towns = self.townships(county, len(county.townships))
        for spec in HELPING_SCHOOLS[:count]:
            self.school(county, 99, towns[spec.township], spec, "helping")

    # --- teachers --------------------------------------------------------------

    def allocate(self, total: int) -> list[int]:
        """Teachers per school: one each, the rest in proportion to weight."""
        n = len(self.schools)
        counts = [1] * n
        whole = sum(s.weight for s in self.schools)
        shares = [s.weight * (total - n) / whole for s in self.schools]
        for i, share in enumerate(shares):
            counts[i] += int(share)
        by_fraction = sorted(range(n), key=lambda i: (-(shares[i] % 1), i))
        for i in by_fraction[: total - sum(counts)]:
            counts[i] += 1
        return counts

    def staff(self, school: _School, count: int) -> None:
        """Teachers of one school; the most senior heads it (学校管理员)."""
        school.teachers = [
            self.people.teacher(
                county=school.county,
                kind=school.kind,
                stages=school.stages,
                special=school.spec.special,
            )
            for _ in range(count)
        ]
        for t in school.teachers:
            t["school_code"] = school.code
        if count >= 3 and school.kind != "point":
            head = max(
                school.teachers,
                key=lambda t: (TITLE_RANK[t["title"]], t["years_of_teaching"]),
            )
            head["roles"] = ["学校管理员"]
        senior = TITLE_RANK["高级教师"]
        for t in school.teachers:
            leading = bool({"学科带头人", "特级教师", "名师"} & set(t["honours"]))
            if school.kind == "helping":
                leading = leading or TITLE_RANK[t["title"]] >= senior
            elif school.kind == "urban":
                leading = leading or bool(t["honours"])
            if leading:
                t["roles"].append("导师")
            # An explicit role replaces the import's default (乡村教师 at a
            # rural school), so rural heads and mentors keep it explicitly.
            if school.rural and t["roles"]:
                t["roles"].insert(0, "乡村教师")

    def place_demo_people(self) -> None:
        """Put the demo logins into fitting schools of the demo county."""
        demo = [s for s in self.schools if s.county is DEMO_COUNTY]

        def first(*tests) -> _School:
            for test in tests:
                for school in demo:
                    if test(school):
                        return school
            return demo[0]

        places = {
            DEMO_MENTOR: first(
                lambda s: s.name == "中江县实验小学",
                lambda s: s.kind == "urban" and "小学" in s.stages,
            ),
            DEMO_SCHOOL_ADMIN: first(
                lambda s: s.kind == "central" and s.town.name == "兴隆镇",
                lambda s: s.kind == "central",
            ),
            DEMO_TEACHER: first(
                lambda s: s.kind == "village" and s.town.name == "兴隆镇",
                lambda s: s.kind == "village",
                lambda s: s.rural,
            ),
        }
        demo_phones = {p.phone for p in DEMO_PEOPLE}
        for person, school in places.items():
            free = [
                i
                for i, t in enumerate(school.teachers)
                if t["phone"] not in demo_phones
            ]
            # Replace an ordinary teacher, keeping the head and the mentors.
            slot = next((i for i in free if not school.teachers[i]["roles"]), free[0])
            row = person.row(school.code)
            if "学校管理员" in row["roles"]:
                for t in school.teachers:
                    t["roles"] = [r for r in t["roles"] if r != "学校管理员"]
                    if t["roles"] == ["乡村教师"]:
                        t["roles"] = []
            school.teachers[slot] = row

    def build(self, schools: int, teachers: int) -> dict:
        if schools < MIN_SCHOOLS or teachers < schools:
            raise ValueError(TOO_SMALL)
        n_help = 0 if schools < 12 else (3 if schools < 60 else len(HELPING_SCHOOLS))
        rest = schools - n_help
        counties = [DEMO_COUNTY]
        if rest > SCHOOLS_PER_COUNTY * 1.3:
            n = min(1 + len(EXTRA_COUNTIES), round(rest / SCHOOLS_PER_COUNTY))
            counties += EXTRA_COUNTIES[: n - 1]
        self.region(*PROVINCE, "省")
        for city in sorted({c.city for c in counties}):
            self.region(city, CITIES[city], "市", PROVINCE[0])
        base, extra = divmod(rest, len(counties))
        for i, county in enumerate(counties):
            self.county(county, i + 1, base + (1 if i < extra else 0))
        if n_help:
            self.helping_side(n_help)

        counts = self.allocate(teachers)
        for school, count in zip(self.schools, counts, strict=True):
            self.staff(school, count)
        self.place_demo_people()
        demo = [
            (t, s.kind, s.rural, s.stages)
            for s in self.schools
            if s.county is DEMO_COUNTY
            for t in s.teachers
        ]
        studios = plan_studios(self.rng, demo)
        return {
            "regions": self.regions,
            "schools": [s.row() for s in self.schools],
            "teachers": [_teacher_row(t) for s in self.schools for t in s.teachers],
            "studios": studios,
        }


def _teacher_row(t: dict) -> dict:
    return {
        **t,
        "subjects": "、".join(t["subjects"]),
        "stages": "、".join(t["stages"]),
        "honours": "、".join(t["honours"]),
        "roles": "、".join(t["roles"]),
    }


def build_roster(*, schools: int = 250, teachers: int = 5000, seed: int = 0) -> dict:
    """A demo roster: ``{"regions", "schools", "teachers", "studios"}`` rows.

    The first three are roster rows keyed by :mod:`schools.roster.columns`
    field names (cells as a spreadsheet holds them: lists ``、``-separated);
    ``studios`` are the studios the seeder creates, naming people by phone and
    host schools by code. Exactly ``schools`` schools and ``teachers`` teachers;
    the same seed gives the same roster.
    """
    return _Builder(seed).build(schools, teachers)
