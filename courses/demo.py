# ruff: noqa: E501  (tables of Chinese demo text read better unwrapped)
"""Demo training for ``manage.py seed_demo``: courses, enrolments, the ledger.

Runs after the demo county (中江县 510623) and cms's demo programmes exist.
Through the services, as a bureau and its teachers would:

- the county's summer rotation (全员轮训) admits at once and gets two online
  courses (reading, a document, a quiz; reading, an assignment graded by the
  demo mentor, a live lesson that pairing schedules);
- the rural English class asks school, then bureau approval: a dozen
  teachers apply, some approved by their school (the bureau's queue), some
  admitted and recorded as completed (certificates);
- demo_teacher studies: one course done, one under way, an application
  waiting, a certificate from a school-based programme;
- every teacher of the county gets outside hours (as if imported from the
  national platform) for last year and this one, so the coverage report
  shows real shares.

Idempotent: a county that already has the demo courses is left alone.
"""

import random
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from schools.models import Region

from .models import (
    ApprovalChain,
    Course,
    Enrolment,
    LedgerEntry,
    LedgerImport,
    Lesson,
    Level,
    Mode,
    Module,
    Programme,
    QuizQuestion,
)
from .services import (
    assignment_submit,
    enrolment_apply,
    enrolment_approve,
    enrolment_complete,
    lesson_mark_done,
    programme_create,
    quiz_submit,
)

COUNTY_CODE = "510623"
ROTATION = "中江县2025年中小学教师全员轮训（暑期）"
ENGLISH = "中江县乡村英语教师口语与课堂教学提升班"
MARKER = "师德师风与依法执教"
OUTSIDE_FILE = "国家智慧教育平台学时导出（演示）.xlsx"

ETHICS_TEXT = """
<h3>学习要点</h3>
<ul>
<li>爱国守法、爱岗敬业、关爱学生、教书育人、为人师表、终身学习。</li>
<li>新时代中小学教师职业行为十项准则：坚定政治方向、自觉爱国守法、传播优秀文化、潜心教书育人、关心爱护学生、加强安全防范、坚持言行雅正、秉持公平诚信、坚守廉洁自律、规范从教行为。</li>
</ul>
<p>请结合本校实际，思考一个你在班级管理中遇到的师德情境，并在下一课的测验后与同事讨论。</p>
"""
CLASSROOM_TEXT = """
<h3>新课标下的课堂</h3>
<p>义务教育课程方案（2022年版）强调核心素养导向、大单元教学和学习任务群。本课时介绍如何把一个单元的目标拆成可观察的学习表现。</p>
"""
ASSIGNMENT_TEXT = """
<p>请提交一份本学期你任教学科的<strong>单元整体教学设计</strong>（含单元目标、课时安排和一个评价任务），可以是文字，也可以上传文档或照片。导师批改通过后本课完成。</p>
"""


def seed(*, stdout) -> None:
    county = Region.objects.filter(code=COUNTY_CODE).first()
    rotation = Programme.objects.filter(title=ROTATION).first()
    if county is None or rotation is None:
        stdout.write(
            "培训 / training: 演示县或演示项目不存在，跳过 / no demo county or programmes, skipped."
        )
        return
    if Course.objects.filter(title=MARKER).exists():
        stdout.write("培训 / training: 已存在，跳过 / already there, skipped.")
        return
    User = get_user_model()
    people = {u.username: u for u in User.objects.filter(username__startswith="demo_")}
    teacher = people.get("demo_teacher")
    mentor = people.get("demo_mentor")
    admin = people.get("demo_admin")
    reviewer = people.get("demo_reviewer")
    rng = random.Random(2025)
    with transaction.atomic():
        courses = _rotation_courses(rotation, mentor)
        english = Programme.objects.filter(title=ENGLISH).first()
        if english is not None:
            english.approval_chain = ApprovalChain.SCHOOL_BUREAU
            english.save(update_fields=["approval_chain"])
        rotation.approval_chain = ApprovalChain.NONE
        rotation.save(update_fields=["approval_chain"])
        if teacher is not None:
            _demo_teacher_studies(teacher, rotation, courses, mentor, county)
        if english is not None and admin is not None:
            _english_applications(english, county, admin, rng)
        lines = _outside_hours(county, reviewer, rng)
    stdout.write(
        f"培训 / training: {Course.objects.count()} 门课程 courses, "
        f"{Enrolment.objects.count()} 份报名 enrolments, "
        f"{LedgerEntry.objects.count()} 条台账 ledger lines ({lines} 校外 outside)."
    )


def _lesson(module, title, kind, order, **fields) -> Lesson:
    lesson = Lesson(module=module, title=title, kind=kind, order=order, **fields)
    lesson.full_clean()
    lesson.save()
    return lesson


def _document_pdf(title: str, lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from .pdf import _font

    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    font = _font()
    canvas.setFont(font, 18)
    canvas.drawString(60, 780, title)
    canvas.setFont(font, 12)
    for i, line in enumerate(lines):
        canvas.drawString(60, 740 - 22 * i, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _rotation_courses(programme: Programme, mentor) -> list[Course]:
    today = timezone.localdate()
    ethics = Course.objects.create(
        programme=programme,
        title=MARKER,
        summary="新时代中小学教师职业行为准则与典型案例。",
        credit_hours=Decimal("12"),
        deadline=today + timedelta(days=30),
        order=1,
        min_quiz_score=60,
    )
    m1 = Module.objects.create(course=ethics, title="第一单元 职业行为准则", order=1)
    _lesson(m1, "准则解读", Lesson.Kind.TEXT, 1, body=ETHICS_TEXT)
    document = _lesson(
        m1,
        "典型案例汇编",
        Lesson.Kind.DOCUMENT,
        2,
        body="<p>阅读后点击“我已学完本课”。</p>",
    )
    document.media.save(
        "cases.pdf",
        ContentFile(
            _document_pdf(
                "师德典型案例汇编（演示）",
                [
                    "案例一：乡村教师坚守教学点二十年，送教上门不漏一生。",
                    "案例二：家校沟通中的言行雅正与公平诚信。",
                    "案例三：课后服务中的安全防范与规范从教。",
                ],
            )
        ),
    )
    quiz = _lesson(m1, "单元测验", Lesson.Kind.QUIZ, 3, pass_score=60)
    for order, (text, options) in enumerate(
        [
            (
                "新时代中小学教师职业行为十项准则第一条是什么？",
                "*坚定政治方向\n加强安全防范\n坚守廉洁自律",
            ),
            (
                "下列哪些属于教师职业道德规范的内容？（多选）",
                "*爱岗敬业\n*关爱学生\n有偿补课",
            ),
            ("发现学生安全隐患时，教师应当：", "等家长处理\n*及时制止并报告\n视而不见"),
        ],
        start=1,
    ):
        QuizQuestion.objects.create(
            lesson=quiz, text=text, options=options, order=order
        )

    classroom = Course.objects.create(
        programme=programme,
        title="新课标下的课堂教学",
        summary="核心素养导向的单元整体教学设计。",
        credit_hours=Decimal("12"),
        deadline=today + timedelta(days=45),
        order=2,
        min_live_attendance=1,
    )
    if mentor is not None:
        classroom.mentors.add(mentor)
    m2 = Module.objects.create(course=classroom, title="第一单元 大单元教学", order=1)
    _lesson(m2, "从课标到单元目标", Lesson.Kind.TEXT, 1, body=CLASSROOM_TEXT)
    _lesson(m2, "单元整体教学设计作业", Lesson.Kind.ASSIGNMENT, 2, body=ASSIGNMENT_TEXT)
    _lesson(
        m2,
        "同步课堂：名师示范课",
        Lesson.Kind.LIVE,
        3,
        body="<p>城区名师执教，乡村课堂同步收看。</p>",
    )
    return [ethics, classroom]


def _demo_teacher_studies(teacher, rotation, courses, mentor, county) -> None:
    ethics, classroom = courses
    enrolment_apply(teacher=teacher, programme=rotation)
    for lesson in Lesson.objects.filter(module__course=ethics).order_by("order"):
        if lesson.kind == Lesson.Kind.QUIZ:
            q = list(lesson.questions.order_by("order"))
            quiz_submit(
                lesson=lesson,
                teacher=teacher,
                answers={q[0].pk: [0], q[1].pk: [0, 1], q[2].pk: [1]},
            )
        else:
            lesson_mark_done(lesson=lesson, teacher=teacher)
    first = Lesson.objects.filter(module__course=classroom).order_by("order").first()
    lesson_mark_done(lesson=first, teacher=teacher)
    assignment = Lesson.objects.get(
        module__course=classroom, kind=Lesson.Kind.ASSIGNMENT
    )
    assignment_submit(
        lesson=assignment,
        teacher=teacher,
        text="《分数的初步认识》单元：目标—能用分数表示整体的一部分；四课时；评价任务：折纸表示几分之一。",
    )
    # A school-based programme already finished, for a certificate.
    school = teacher.school
    if school is None:
        return
    now = timezone.now()
    today = timezone.localdate()
    past = programme_create(
        user=None,
        title=f"{school.name}2025年春季校本研修：作业设计",
        level=Level.SCHOOL,
        year=today.year,
        organiser=school.name,
        region=school.region
        if school.region.level < Region.Level.TOWNSHIP
        else school.region.parent,
        school=school,
        credit_hours=Decimal("16"),
        starts_on=today - timedelta(days=60),
        ends_on=today - timedelta(days=30),
        enrol_opens_at=now - timedelta(days=70),
        enrol_closes_at=now + timedelta(days=1),
        seats=40,
        mode=Mode.ON_SITE,
        location=school.name,
        summary="“双减”背景下的分层作业设计，每月一次集体研修。",
    )
    past.approval_chain = ApprovalChain.NONE
    past.save(update_fields=["approval_chain"])
    enrolment = enrolment_apply(teacher=teacher, programme=past)
    bureau = get_user_model().objects.filter(username="demo_admin").first()
    if bureau is not None:
        enrolment_complete(enrolment=enrolment, user=bureau)


def _english_applications(english, county, admin, rng) -> None:
    from .eligibility import ineligibility
    from .selectors import programme_audience, viewer_profile

    User = get_user_model()
    audience = programme_audience(
        Programme.objects.select_related("region").get(pk=english.pk),
        quota_school_ids=list(english.quotas.values_list("school_id", flat=True)),
        has_quotas=english.quotas.exists(),
    )
    candidates = (
        User.objects.filter(
            school__region__path__startswith=county.path,
            subjects__code="english",
            is_active=True,
        )
        .exclude(username__startswith="demo_")
        .order_by("pk")[:200]
    )
    applied = []
    for person in candidates:
        profile = viewer_profile(person)
        if profile is None or ineligibility(audience, profile) is not None:
            continue
        applied.append(enrolment_apply(teacher=person, programme=english))
        if len(applied) == 14:
            break
    for i, enrolment in enumerate(applied):
        if i % 3 == 2:
            continue  # still awaiting the school
        enrolment_approve(enrolment=enrolment, user=admin)  # the school's step
        if i < 6:
            enrolment_approve(enrolment=enrolment, user=admin)  # the bureau's
            if i < 3:
                enrolment.refresh_from_db()
                enrolment_complete(enrolment=enrolment, user=admin)


def _outside_hours(county, reviewer, rng) -> int:
    """Hours from outside the platform, last year and this year, per teacher."""
    if LedgerImport.objects.filter(filename=OUTSIDE_FILE).exists():
        return 0
    User = get_user_model()
    today = timezone.localdate()
    ids = list(
        User.objects.filter(
            school__region__path__startswith=county.path, is_active=True
        ).values_list("pk", flat=True)
    )
    batch = LedgerImport.objects.create(filename=OUTSIDE_FILE, created_by=reviewer)
    titles = [
        (Level.NATIONAL, "国家智慧教育平台寒假教师研修"),
        (Level.NATIONAL, "国家智慧教育平台暑期教师研修"),
        (Level.PROVINCIAL, "四川省中小学教师信息技术应用能力提升工程2.0"),
        (Level.MUNICIPAL, "德阳市学科教研活动"),
        (Level.SCHOOL, "校本研修：集体备课"),
        (Level.SCHOOL, "校本研修：听评课"),
    ]
    entries = []
    now = timezone.now()
    for pk in ids:
        for year in (today.year - 1, today.year):
            last_day = today if year == today.year else date(year, 12, 31)
            span = (last_day - date(year, 1, 1)).days or 1
            # Most teachers reach the year's 72 hours; some are behind.
            count = rng.choices((1, 2, 3, 4, 5, 6), weights=(8, 10, 14, 22, 26, 20))[0]
            for n in range(count):
                level, title = titles[rng.randrange(len(titles))]
                day = date(year, 1, 1) + timedelta(days=rng.randrange(span))
                entries.append(
                    LedgerEntry(
                        teacher_id=pk,
                        source=LedgerEntry.Source.OUTSIDE,
                        level=level,
                        title=title,
                        hours=Decimal(rng.choice((6, 8, 12, 16, 20, 24))),
                        date=day,
                        ref=f"demo:{year}:{pk}:{n}",
                        verified_by=reviewer,
                        verified_at=now,
                        batch=batch,
                    )
                )
    LedgerEntry.objects.bulk_create(entries, batch_size=5000)
    batch.imported = len(entries)
    batch.save(update_fields=["imported"])
    return len(entries)


__all__ = ["seed"]
