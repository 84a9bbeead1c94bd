"""Demo pairings for ``manage.py seed_demo``: profiles, a matching run, active
pairings with targets and activities in the demo county (中江县 510623).

Runs after schools (the roster and studios), cms and courses. Rural schools
declare needs (mostly the 国培 shortage subjects); county-seat schools,
studios and 成都市青羊区 schools (a configured cross-region pair) offer
strengths. Two pairings are made by hand for the demo logins — demo_mentor's
studio with demo_teacher's village school, and a 青羊区 school with
demo_school's township school — then the bureau's matching run proposes the
rest, and most proposals are accepted. Idempotent: a county with a finished
matching run is left alone. Everything goes through the services.
"""

import random
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from schools.models import Region, School, Studio

from .models import ActivityType, CrossRegionLink, MatchingRun, Pairing, Target
from .rhythm import semester_of
from .selectors import helper_side_people, partner_side_people
from .services import (
    NeedSpec,
    StrengthSpec,
    TargetSpec,
    activity_record,
    helper_profile_save,
    matching_run_create,
    matching_run_execute,
    need_profile_save,
    pairing_agreement_generate,
    pairing_approve,
    pairing_create,
    proposal_accept,
    targets_replace,
)

COUNTY = "510623"  # 中江县
HELPING_DISTRICT = "510105"  # 成都市青羊区
CYCLE_START = date(2025, 9, 1)
SEED = 510623
ACCEPT_SHARE = 0.8  # of the run's proposals; the rest wait for review

# (subject code, weight): shortage subjects are what rural schools lack most.
NEED_WEIGHTS = {
    "primary": [
        ("music", 4), ("art", 4), ("pe", 3), ("english", 4), ("science", 3),
        ("practice", 1), ("math", 2), ("chinese", 2), ("it", 1), ("psychology", 1),
    ],
    "junior": [
        ("english", 4), ("physics", 2), ("chemistry", 2), ("music", 3), ("art", 3),
        ("pe", 2), ("math", 2), ("biology", 1), ("it", 1), ("psychology", 1),
    ],
    "preschool": [("preschool", 3), ("music", 1), ("art", 1)],
}  # fmt: skip
STRONG = {
    "primary": ["chinese", "math", "english", "science", "music", "art", "pe"],
    "junior": ["chinese", "math", "english", "physics", "chemistry", "biology"],
    "senior": ["chinese", "math", "english", "physics", "chemistry", "biology"],
    "preschool": ["preschool", "music", "art"],
}
DEVELOPMENT = (
    "课堂教学能力提升",
    "新课标解读与教学设计",
    "班级管理与家校沟通",
    "信息技术与学科教学融合",
    "校本教研组织",
)
ACTIVITY_TITLES = {
    ActivityType.SEND_TEACHING: "送教下乡：{need}示范教学",
    ActivityType.JOINT_RESEARCH: "联校教研：{need}同课异构",
    ActivityType.DEMO_LESSON: "{need}公开课观摩与评课",
    ActivityType.GUIDANCE: "教学视导：{need}课堂诊断",
    ActivityType.SHADOWING: "乡村教师到帮扶学校跟岗学习",
}
STAGE_OF_STUDIO = {"小学": "primary", "初中": "junior", "高中": "senior"}


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def seed(*, stdout=None) -> None:
    """Load the demo pairings (idempotent)."""
    county = Region.objects.filter(code=COUNTY).first()
    if county is None:
        _say(stdout, "结对演示：未找到中江县，跳过 / pairing demo: no 中江县, skipped.")
        return
    if MatchingRun.objects.filter(
        region=county, status=MatchingRun.Status.DONE
    ).exists():
        _say(stdout, "结对演示已存在 / pairing demo already there.")
        return
    rng = random.Random(SEED)
    with transaction.atomic():
        reviewer = _reviewer(county)
        _need_profiles(county, rng)
        _helper_profiles(county, rng)
        district = Region.objects.filter(code=HELPING_DISTRICT).first()
        if district is not None:
            CrossRegionLink.objects.get_or_create(
                helper_region=district,
                partner_region=county,
                defaults={"note": "成都市青羊区对口帮扶中江县"},
            )
        made = _demo_pairings(county, reviewer)
        run = matching_run_create(
            user=reviewer, region=county, cycle_start=CYCLE_START, run_now=False
        )
        run = matching_run_execute(run_id=run.pk)
        proposals = list(run.proposals.order_by("-score", "pk"))
        accepted = 0
        for proposal in proposals[: round(len(proposals) * ACCEPT_SHARE)]:
            proposal_accept(proposal=proposal, user=reviewer)
            accepted += 1
        activities = _activities(rng, made)
    _say(
        stdout,
        f"结对演示 / pairing demo: {run.summary.get('covered', 0)} proposals, "
        f"{accepted} accepted, {len(run.uncovered)} schools uncovered, "
        f"{activities} activities.",
    )


def _reviewer(county: Region):
    User = get_user_model()
    return (
        User.objects.filter(username="demo_reviewer").first()
        or User.objects.filter(region=county, groups__name="bureau_reviewer").first()
    )


def _in(region: Region):
    return School.objects.filter(region__path__startswith=region.path)


def _stages(school: School) -> list[str]:
    return [s.code for s in school.stages.all()] or ["primary"]


def _need_profiles(county: Region, rng: random.Random) -> None:
    rural = _in(county).filter(urban_rural_code__startswith="2").order_by("code")
    for school in rural.prefetch_related("stages"):
        if rng.random() < 0.08:
            continue  # a few schools have not declared yet: shown as uncovered
        needs: dict[tuple[str, str], NeedSpec] = {}
        stages = [s for s in _stages(school) if s in NEED_WEIGHTS]
        for _ in range(rng.randint(1, 3)):
            stage = rng.choice(stages or ["primary"])
            subjects, weights = zip(*NEED_WEIGHTS[stage], strict=True)
            subject = rng.choices(subjects, weights=weights)[0]
            needs[(subject, stage)] = NeedSpec(
                subject,
                stage,
                priority=rng.choice((3, 4, 4, 5, 5)),
                kind="no_teacher" if rng.random() < 0.5 else "weak",
            )
        remote = school.category in ("village", "teaching_point")
        need_profile_save(
            school=school,
            user=None,
            needs=list(needs.values()),
            connectivity=rng.choice(
                ("weak", "broadband", "broadband", "classroom")
                if not remote
                else ("none", "weak", "broadband")
            ),
            live_classrooms=rng.randint(0, 2) if remote else rng.randint(1, 4),
            needs_on_site=rng.random() < (0.7 if remote else 0.4),
            development_needs="、".join(rng.sample(DEVELOPMENT, 2)),
        )


def _strengths(rng, stages, count, low=3):
    out = {}
    for stage in stages:
        subjects = STRONG.get(stage, STRONG["primary"])
        for subject in rng.sample(subjects, min(count, len(subjects))):
            out[(subject, stage)] = StrengthSpec(subject, stage, rng.randint(low, 5))
    return list(out.values())


def _helper_profiles(county: Region, rng: random.Random) -> None:
    for school in (
        _in(county)
        .filter(urban_rural_code__startswith="1")
        .prefetch_related("stages")
        .order_by("code")
    ):
        urban = school.category == "urban"
        helper_profile_save(
            user=None,
            school=school,
            capacity=rng.randint(5, 8) if urban else 3,
            travels=True,
            max_travel_km=60 if urban else 40,
            description="城区优质学校，开展送教下乡、跟岗学习和联校教研。",
            strengths=_strengths(rng, _stages(school), 5 if urban else 4),
        )
    district = Region.objects.filter(code=HELPING_DISTRICT).first()
    if district is not None:
        for school in _in(district).prefetch_related("stages").order_by("code"):
            helper_profile_save(
                user=None,
                school=school,
                capacity=rng.randint(6, 8),
                travels=True,
                max_travel_km=None,
                clear_travel_limit=True,
                description="成都市青羊区优质学校，跨区域对口帮扶，同步课堂与送教结合。",
                strengths=_strengths(rng, _stages(school), 6, low=4),
            )
    for studio in Studio.objects.filter(
        is_active=True, host_school__region__path__startswith=county.path
    ).prefetch_related("subjects"):
        stage = next(
            (code for word, code in STAGE_OF_STUDIO.items() if word in studio.name),
            None,
        )
        stages = [stage] if stage else ["primary", "junior"]
        helper_profile_save(
            user=None,
            studio=studio,
            capacity=4,
            travels=True,
            max_travel_km=50,
            description=studio.description[:200],
            strengths=[
                StrengthSpec(subject.code, s, 5)
                for subject in studio.subjects.all()
                for s in stages
            ],
        )
    mentor = get_user_model().objects.filter(username="demo_mentor").first()
    if mentor is not None:
        helper_profile_save(
            user=None,
            mentor=mentor,
            capacity=3,
            travels=True,
            max_travel_km=40,
            description="小学数学课堂教学与教研指导。",
            strengths=[StrengthSpec("math", "primary", 5)],
        )


def _demo_pairings(county: Region, reviewer) -> list[Pairing]:
    """The two pairings the demo logins open: made before the run, which then
    keeps them (active pairings are never broken inside their cycle)."""
    User = get_user_model()
    made = []
    mentor = User.objects.filter(username="demo_mentor").first()
    teacher = User.objects.filter(username="demo_teacher").first()
    if mentor is not None and teacher is not None and teacher.school_id:
        studio = Studio.objects.filter(leader=mentor).first()
        pairing = pairing_create(
            kind=Pairing.Kind.STUDIO_SCHOOL if studio else Pairing.Kind.TEACHER_TEACHER,
            start_date=CYCLE_START,
            helper_studio=studio,
            helper_teacher=None if studio else mentor,
            partner_schools=[teacher.school] if studio else [],
            partner_teachers=[] if studio else [teacher],
            mentors=[mentor],
            user=reviewer,
            notes="县名师工作室结对兴隆镇村小，送教与同步课堂结合。",
        )
        made.append(pairing)
    admin = User.objects.filter(username="demo_school").first()
    district = Region.objects.filter(code=HELPING_DISTRICT).first()
    helper = (
        _in(district).filter(name="成都市泡桐树小学").first()
        or _in(district).order_by("code").first()
        if district
        else None
    )
    if admin is not None and admin.school_id and helper is not None:
        lead = User.objects.filter(school=helper, is_active=True).order_by("pk")
        pairing = pairing_create(
            kind=Pairing.Kind.SCHOOL_SCHOOL,
            start_date=CYCLE_START,
            helper_school=helper,
            partner_schools=[admin.school],
            mentors=list(lead[:2]),
            user=reviewer,
            notes="成都市青羊区与中江县跨区域结对。",
        )
        made.append(pairing)
    for pairing in made:
        pairing_approve(pairing=pairing, user=reviewer)
        pairing.refresh_from_db()
        helpers = list(helper_side_people(pairing)[:1]) + list(pairing.mentors.all())
        partners = list(partner_side_people(pairing)[:1])
        end = pairing.end_date
        targets_replace(
            pairing=pairing,
            user=None,
            targets=[
                TargetSpec(
                    "送教下乡（每学期不少于2次）",
                    12,
                    end,
                    activity_type=ActivityType.SEND_TEACHING,
                    responsible=helpers[-1] if helpers else None,
                ),
                TargetSpec(
                    "联校教研活动",
                    6,
                    end,
                    activity_type=ActivityType.JOINT_RESEARCH,
                    responsible=helpers[0] if helpers else None,
                ),
                TargetSpec(
                    "乡村教师参与培训",
                    60,
                    end,
                    unit=Target.Unit.PERSON_TIMES,
                    activity_type=ActivityType.DEMO_LESSON,
                    responsible=partners[0] if partners else None,
                ),
                TargetSpec(
                    "培养校级骨干教师",
                    3,
                    end,
                    unit=Target.Unit.ITEMS,
                    reported=1,
                    responsible=partners[0] if partners else None,
                ),
            ],
        )
        pairing_agreement_generate(pairing=pairing)
    return made


def _photo(rng: random.Random) -> SimpleUploadedFile:
    from PIL import Image

    colour = tuple(rng.randint(90, 220) for _ in range(3))
    buffer = BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, "JPEG", quality=70)
    return SimpleUploadedFile("活动照片.jpg", buffer.getvalue(), "image/jpeg")


def _activities(rng: random.Random, demo: list[Pairing]) -> int:
    """Activities since the cycle began; a quarter of the pairings none this
    semester (the coverage report flags them), the demo ones on purpose."""
    today = timezone.localdate()
    count = 0
    pairings = Pairing.objects.filter(status=Pairing.Status.ACTIVE).order_by("pk")
    for pairing in pairings:
        is_demo = pairing in demo
        helpers = list(helper_side_people(pairing)[:3])
        partners = list(partner_side_people(pairing)[:6])
        school = pairing.partner_schools.first()
        if not partners:
            continue
        span = (today - pairing.start_date).days
        quiet = rng.random() < 0.25 if not is_demo else pairing.pk == demo[-1].pk
        semester_start = _semester_start(today)
        last = semester_start - timedelta(days=1) if quiet else today
        n = rng.randint(2, 6) if not is_demo else 6
        need = _need_label(pairing)
        for i in range(n):
            day = pairing.start_date + timedelta(days=rng.randint(10, max(11, span)))
            day = min(day, last)
            if not quiet and i == 0:
                day = max(semester_start, today - timedelta(days=rng.randint(1, 20)))
            kinds = list(ACTIVITY_TITLES)
            kind = kinds[i % len(kinds)] if is_demo else rng.choice(kinds)
            activity_record(
                pairing=pairing,
                user=None,
                type=kind,
                title=ACTIVITY_TITLES[kind].format(need=need),
                date=day,
                hours=Decimal(rng.choice(("2", "3", "4", "6"))),
                location=school.name if school else "",
                summary="围绕受援学校需求开展，课后进行了评课交流和教学反思。",
                other_participants=rng.randint(0, 45),
                helper_participants=helpers[:2],
                partner_participants=rng.sample(partners, min(len(partners), 3)),
                files=[_photo(rng)] if is_demo and i < 2 else [],
            )
            count += 1
    return count


def _semester_start(today: date) -> date:
    return semester_of(today).start


def _need_label(pairing: Pairing) -> str:
    target = pairing.targets.first()
    if target is not None and "：" in target.indicator:
        return target.indicator.split("：")[0]
    return "课堂教学"
