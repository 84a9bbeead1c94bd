"""The demo county's studios (名师工作室 / 名校长工作室), planned on roster rows.

A famous-teacher studio is led by an experienced teacher of its subject at a
county-seat or township school and gathers 5–12 teachers of that subject,
mostly from rural schools; a famous-principal studio is led by a county-seat
principal and gathers rural principals. Leaders get the 名师 / 名校长 honour.
"""

import random
from datetime import date

from .people import DEMO_MENTOR, DEMO_SCHOOL_ADMIN, DEMO_TEACHER, REMOTE
from .places import DEMO_COUNTY, STUDIO_SUBJECTS, TITLE_RANK

# A studio with fewer members is not worth showing (except the demo mentor's).
MIN_MEMBERS = 3


def plan_studios(rng: random.Random, teachers: list[tuple]) -> list[dict]:
    """Studios over ``(teacher row, school kind, rural, school stages)`` tuples.

    Marks leaders in the rows (honour, 导师 role, at least 高级教师) and returns
    plain studio specs naming people by phone and the host by school code.
    """
    used: set[str] = set()
    studios = []

    def pick(candidates, k, first=()):
        chosen = [t for t in first if t["phone"] not in used]
        pool = [t for t in candidates if t["phone"] not in used and t not in chosen]
        chosen += rng.sample(pool, min(len(pool), max(0, k - len(chosen))))
        used.update(t["phone"] for t in chosen)
        return chosen

    def by_phone(phone):
        return [t for t, *_ in teachers if t["phone"] == phone]

    for n, (stage, subject) in enumerate(STUDIO_SUBJECTS):
        if n == 0:
            leader = by_phone(DEMO_MENTOR.phone)[0]
        else:
            candidates = [
                t
                for t, kind, _rural, _stages in teachers
                if kind not in REMOTE
                and t["stages"] == [stage]
                and t["subjects"][0] == subject
                and t["years_of_teaching"] >= 10
                and "学校管理员" not in t["roles"]
                and t["phone"] not in used
            ]
            if not candidates:
                continue
            candidates.sort(
                key=lambda t: (-TITLE_RANK[t["title"]], -t["years_of_teaching"])
            )
            leader = rng.choice(candidates[:5])
        peers = [
            (t, rural)
            for t, _kind, rural, _stages in teachers
            if t["stages"] == [stage] and subject in t["subjects"] and t is not leader
        ]
        k = rng.randint(5, 12)
        first = by_phone(DEMO_TEACHER.phone) if n == 0 else []
        used.add(leader["phone"])
        members = pick([t for t, rural in peers if rural], k - k // 3, first)
        members += pick([t for t, rural in peers if not rural], k - len(members))
        if n and len(members) < MIN_MEMBERS:
            continue
        _make_leader(leader, "名师")
        studios.append(
            _studio(
                rng,
                name=f"{DEMO_COUNTY.name}{stage}{subject}名师工作室",
                kind="teacher",
                leader=leader,
                members=members,
                subjects=[subject],
                description=f"由{leader['name']}领衔，聚焦{stage}{subject}课堂教学，"
                "通过送教下乡、同步课堂和联校教研带动乡村教师专业成长。",
            )
        )

    heads = [
        (t, kind, rural, stages)
        for t, kind, rural, stages in teachers
        if "学校管理员" in t["roles"] and t["phone"] not in used
    ]
    for stage in ("小学", "初中"):
        leaders = [
            t
            for t, kind, _rural, stages in heads
            if kind == "urban" and stage in stages and t["phone"] not in used
        ]
        if not leaders:
            continue
        leader = leaders[0]
        rural_heads = [t for t, _k, rural, stages in heads if rural and stage in stages]
        first = [t for t in rural_heads if t["phone"] == DEMO_SCHOOL_ADMIN.phone]
        used.add(leader["phone"])
        members = pick(rural_heads, rng.randint(5, 10), first)
        if len(members) < MIN_MEMBERS:
            continue
        _make_leader(leader, "名校长")
        studios.append(
            _studio(
                rng,
                name=f"{DEMO_COUNTY.name}{leader['name']}名校长工作室",
                kind="principal",
                leader=leader,
                members=members,
                subjects=["学校管理"],
                description=f"由{leader['name']}校长领衔，开展{stage}学校管理论坛、"
                "跟岗学习和教学视导，帮助乡村学校校长提升治校能力。",
            )
        )
    return studios


def _make_leader(teacher: dict, honour: str) -> None:
    if honour not in teacher["honours"]:
        teacher["honours"].insert(0, honour)
    if len(teacher["honours"]) == 1:
        teacher["honours"].append("骨干教师")
    if TITLE_RANK[teacher["title"]] < TITLE_RANK["高级教师"]:
        teacher["title"] = "高级教师"
    if honour == "名师" and "导师" not in teacher["roles"]:
        teacher["roles"].append("导师")


def _studio(rng, *, name, kind, leader, members, subjects, description) -> dict:
    return {
        "name": name,
        "kind": kind,
        "leader_phone": leader["phone"],
        "member_phones": [m["phone"] for m in members],
        "subjects": subjects,
        "host_school_code": leader["school_code"],
        "description": description,
        "founded_on": date(rng.randint(2016, 2023), rng.choice((3, 9)), 1),
    }
