"""factory_boy factories for programmes (tests and demo data)."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from .models import (
    Course,
    Lesson,
    Level,
    Mode,
    Module,
    Programme,
    ProgrammeQuota,
    QuizQuestion,
)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """An open county programme by default (enrolment open now)."""

    class Meta:
        model = Programme
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"教师培训项目{n}")
    level = Level.COUNTY
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    organiser = "县教师发展中心"
    region = factory.SubFactory("schools.factories.RegionFactory")
    credit_hours = Decimal("24")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda p: p.starts_on + timedelta(days=5))
    enrol_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=3))
    enrol_closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    seats = 50
    mode = Mode.ON_SITE

    @factory.post_generation
    def subjects(self, create, extracted, **kwargs):
        if create and extracted:
            self.subjects.set(extracted)

    @factory.post_generation
    def stages(self, create, extracted, **kwargs):
        if create and extracted:
            self.stages.set(extracted)

    @factory.post_generation
    def school_categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.school_categories.set(extracted)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.roles.set(extracted)


class ProgrammeQuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeQuota

    programme = factory.SubFactory(ProgrammeFactory)
    school = factory.SubFactory("schools.factories.SchoolFactory")
    seats = 5


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"课程{n}")
    credit_hours = Decimal("12")

    @factory.post_generation
    def mentors(self, create, extracted, **kwargs):
        if create and extracted:
            self.mentors.set(extracted)


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"第{n}单元")
    order = factory.Sequence(lambda n: n)


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    module = factory.SubFactory(ModuleFactory)
    title = factory.Sequence(lambda n: f"第{n}课")
    kind = Lesson.Kind.TEXT
    order = factory.Sequence(lambda n: n)
    body = "<p>阅读材料</p>"


class QuizQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuizQuestion

    lesson = factory.SubFactory(LessonFactory, kind=Lesson.Kind.QUIZ)
    text = "新课标强调的核心素养是什么？"
    options = "*核心素养\n应试技巧\n题海战术"
    points = 1


def window(kind: str, now=None) -> dict:
    """Enrolment window fields putting a programme in status ``kind``."""
    now = now or timezone.now()
    day = timedelta(days=1)
    opens, closes = {
        "upcoming": (now + 5 * day, now + 20 * day),
        "open": (now - 5 * day, now + 20 * day),
        "closed": (now - 20 * day, now - 5 * day),
    }[kind]
    return {"enrol_opens_at": opens, "enrol_closes_at": closes}


__all__ = [
    "CourseFactory",
    "LessonFactory",
    "ModuleFactory",
    "ProgrammeFactory",
    "ProgrammeQuotaFactory",
    "QuizQuestionFactory",
    "window",
]
