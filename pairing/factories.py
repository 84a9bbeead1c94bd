"""factory_boy factories for pairing profiles and pairings (tests and demo)."""

from datetime import date, timedelta

import factory

from schools.factories import SchoolFactory
from schools.models import School

from .models import HelperProfile, Need, NeedProfile, Strength


class RuralSchoolFactory(SchoolFactory):
    category = School.Category.VILLAGE
    urban_rural_code = School.UrbanRural.VILLAGE


class UrbanSchoolFactory(SchoolFactory):
    name = factory.Sequence(lambda n: f"城区实验学校{n}")
    category = School.Category.URBAN
    urban_rural_code = School.UrbanRural.MAIN_URBAN


class NeedProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedProfile
        django_get_or_create = ("school",)

    school = factory.SubFactory(RuralSchoolFactory)
    needs_on_site = False


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    profile = factory.SubFactory(NeedProfileFactory)
    subject_id = "math"
    stage_id = "primary"
    priority = 3


class HelperProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelperProfile

    school = factory.SubFactory(UrbanSchoolFactory)
    capacity = 2


class StrengthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strength

    profile = factory.SubFactory(HelperProfileFactory)
    subject_id = "math"
    stage_id = "primary"
    level = 4


def active_pairing(
    *,
    helper_school=None,
    helper_studio=None,
    helper_teacher=None,
    partner_schools=(),
    partner_teachers=(),
    mentors=(),
    start_date: date | None = None,
    approver=None,
):
    """An active pairing made through the services, begun 90 days ago unless
    ``start_date`` says otherwise."""
    from .models import Pairing
    from .services import pairing_approve, pairing_create

    if helper_studio is not None:
        kind = Pairing.Kind.STUDIO_SCHOOL
    elif helper_teacher is not None:
        kind = Pairing.Kind.TEACHER_TEACHER
    else:
        kind = Pairing.Kind.SCHOOL_SCHOOL
    from django.utils import timezone

    today = timezone.localdate()
    start = start_date or today - timedelta(days=90)
    pairing = pairing_create(
        kind=kind,
        start_date=start,
        helper_school=helper_school,
        helper_studio=helper_studio,
        helper_teacher=helper_teacher,
        partner_schools=list(partner_schools),
        partner_teachers=list(partner_teachers),
        mentors=list(mentors),
    )
    return pairing_approve(pairing=pairing, user=approver, today=max(start, today))
