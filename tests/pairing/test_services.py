"""Pairing rules: kinds, one live pairing per pair, capacity, status, history,
targets, the activity log and what it will credit."""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.roles import Role
from pairing import services
from pairing.factories import HelperProfileFactory, active_pairing
from pairing.models import (
    Activity,
    ActivityType,
    Notification,
    Pairing,
    Target,
    cycle_end,
)
from pairing.services import (
    ACTIVITY_DATE_OUTSIDE,
    ALREADY_PAIRED,
    END_REASON_REQUIRED,
    HELPER_FULL,
    KIND_MISMATCH,
    NOT_ON_PARTNER_SIDE,
    TargetSpec,
)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def messages(exc) -> str:
    return " ".join(exc.value.messages)


def test_cycle_is_three_years_by_default():
    assert cycle_end(date(2025, 9, 1)) == date(2028, 8, 31)
    assert cycle_end(date(2024, 2, 29)) == date(2027, 2, 27)


def test_create_checks_kind_against_sides(city_school, rural, rural_teacher):
    with pytest.raises(ValidationError) as exc:
        services.pairing_create(
            kind=Pairing.Kind.TEACHER_TEACHER,
            start_date=date(2025, 9, 1),
            helper_school=city_school,
            partner_schools=[rural],
        )
    assert str(KIND_MISMATCH) in messages(exc)
    pairing = services.pairing_create(
        kind=Pairing.Kind.SCHOOL_SCHOOL,
        start_date=date(2025, 9, 1),
        helper_school=city_school,
        partner_schools=[rural],
    )
    assert pairing.status == Pairing.Status.PROPOSED
    assert pairing.mode == Pairing.Mode.ONE_ONE
    assert pairing.end_date == date(2028, 8, 31)
    assert not pairing.cross_region
    assert [e.status_to for e in pairing.events.all()] == ["proposed"]


def test_no_second_live_pairing_for_the_same_pair(pairing, city_school, rural):
    with pytest.raises(ValidationError) as exc:
        services.pairing_create(
            kind=Pairing.Kind.SCHOOL_SCHOOL,
            start_date=date(2026, 9, 1),
            helper_school=city_school,
            partner_schools=[rural],
        )
    assert str(
        ALREADY_PAIRED % {"helper": city_school.name, "partner": rural.name}
    ) in (messages(exc))
    # Once it has ended, the pair may be paired again (history is kept).
    services.pairing_end(pairing=pairing, reason="学校撤并")
    again = services.pairing_create(
        kind=Pairing.Kind.SCHOOL_SCHOOL,
        start_date=date(2026, 9, 1),
        helper_school=city_school,
        partner_schools=[rural],
    )
    assert again.pk != pairing.pk
    assert Pairing.objects.filter(status=Pairing.Status.ENDED).count() == 1


def test_database_refuses_inconsistent_rows(city_school):
    with pytest.raises(IntegrityError), transaction.atomic():
        Pairing.objects.create(
            kind=Pairing.Kind.SCHOOL_SCHOOL,
            mode="1+1",
            helper_school=city_school,
            start_date=date(2025, 9, 1),
            end_date=date(2025, 8, 1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Pairing.objects.create(
            kind=Pairing.Kind.SCHOOL_SCHOOL,
            mode="1+1",
            start_date=date(2025, 9, 1),
            end_date=date(2028, 8, 31),
        )


def test_approve_activates_on_start_and_notifies_both_sides(
    city_school, rural, mentor, rural_admin, reviewer
):
    start = timezone.localdate() - timedelta(days=1)
    pairing = services.pairing_create(
        kind=Pairing.Kind.SCHOOL_SCHOOL,
        start_date=start,
        helper_school=city_school,
        partner_schools=[rural],
        mentors=[mentor],
    )
    services.pairing_approve(pairing=pairing, user=reviewer)
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ACTIVE
    assert pairing.approved_by == reviewer
    assert [e.status_to for e in pairing.events.all()] == [
        "proposed",
        "approved",
        "active",
    ]
    told = set(
        Notification.objects.filter(pairing=pairing).values_list("user", flat=True)
    )
    assert told == {mentor.pk, rural_admin.pk}


def test_future_pairing_waits_then_advances_and_ends(city_school, rural):
    today = timezone.localdate()
    pairing = services.pairing_create(
        kind=Pairing.Kind.SCHOOL_SCHOOL,
        start_date=today + timedelta(days=10),
        helper_school=city_school,
        partner_schools=[rural],
    )
    services.pairing_approve(pairing=pairing, user=None)
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.APPROVED
    assert services.pairings_advance(today=today + timedelta(days=10)) == {
        "started": 1,
        "ended": 0,
    }
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ACTIVE
    after = pairing.end_date + timedelta(days=1)
    assert services.pairings_advance(today=after) == {"started": 0, "ended": 1}
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ENDED
    assert pairing.ended_on == pairing.end_date


def test_ending_early_needs_a_reason(pairing):
    with pytest.raises(ValidationError) as exc:
        services.pairing_end(pairing=pairing)
    assert str(END_REASON_REQUIRED) in messages(exc)
    with pytest.raises(ValidationError):
        services.pairing_approve(pairing=pairing, user=None)  # already active


def test_capacity_is_respected(city_school, rural, rural2):
    HelperProfileFactory(school=city_school, capacity=1)
    active_pairing(helper_school=city_school, partner_schools=[rural])
    second = services.pairing_create(
        kind=Pairing.Kind.SCHOOL_SCHOOL,
        start_date=date(2025, 9, 1),
        helper_school=city_school,
        partner_schools=[rural2],
    )
    with pytest.raises(ValidationError) as exc:
        services.pairing_approve(pairing=second, user=None)
    assert str(HELPER_FULL % {"helper": city_school.name, "capacity": 1}) in messages(
        exc
    )


def test_cross_region_flag(city_school, other_county):
    from pairing.factories import RuralSchoolFactory

    far = RuralSchoolFactory(
        code="6107270001", name="略阳县麻柳铺小学", region=other_county
    )
    pairing = services.pairing_create(
        kind=Pairing.Kind.SCHOOL_SCHOOL,
        start_date=date(2025, 9, 1),
        helper_school=city_school,
        partner_schools=[far],
    )
    assert pairing.cross_region


# --- Targets ----------------------------------------------------------------------


def test_targets_replace_checks_people_and_dates(pairing, mentor, rural_admin):
    due = pairing.start_date + timedelta(days=300)
    saved = services.targets_replace(
        pairing=pairing,
        user=mentor,
        targets=[
            TargetSpec(
                "送教下乡",
                6,
                due,
                activity_type=ActivityType.SEND_TEACHING,
                responsible=mentor,
            ),
            TargetSpec(
                "骨干教师培养",
                2,
                due,
                unit=Target.Unit.ITEMS,
                reported=1,
                responsible=rural_admin,
            ),
        ],
    )
    assert [t.indicator for t in saved] == ["送教下乡", "骨干教师培养"]
    outsider = UserFactory(roles=[Role.MENTOR])
    with pytest.raises(ValidationError):
        services.targets_replace(
            pairing=pairing,
            user=mentor,
            targets=[TargetSpec("x", 1, due, responsible=outsider)],
        )
    with pytest.raises(ValidationError):
        services.targets_replace(
            pairing=pairing,
            user=mentor,
            targets=[TargetSpec("x", 1, pairing.end_date + timedelta(days=1))],
        )
    # Rows left out are removed; kept rows are updated in place.
    first = saved[0]
    services.targets_replace(
        pairing=pairing,
        user=mentor,
        targets=[TargetSpec("送教下乡（每学期）", 8, due, id=first.pk)],
    )
    assert list(pairing.targets.values_list("pk", "quantity")) == [(first.pk, 8)]


def test_outsider_cannot_change_targets(pairing):
    with pytest.raises(PermissionDenied):
        services.targets_replace(
            pairing=pairing, user=UserFactory(roles=[Role.MENTOR]), targets=[]
        )


# --- Activities -------------------------------------------------------------------


def record(pairing, user, **kwargs):
    values = {
        "pairing": pairing,
        "user": user,
        "type": ActivityType.SEND_TEACHING,
        "title": "数学送教下乡",
        "date": timezone.localdate() - timedelta(days=3),
        "hours": Decimal("3.0"),
    }
    values.update(kwargs)
    return services.activity_record(**values)


def test_activity_records_hours_per_rural_teacher(pairing, mentor, rural_teacher):
    activity = record(
        pairing,
        mentor,
        helper_participants=[mentor],
        partner_participants=[rural_teacher],
        files=[SimpleUploadedFile("课堂.png", PNG, content_type="image/png")],
    )
    assert activity.evidence.get().kind == "photo"
    entries = services.activity_ledger_entries(activity=activity)
    assert [(e.teacher_id, e.hours, e.source) for e in entries] == [
        (rural_teacher.pk, Decimal("3.0"), f"pairing.activity:{activity.pk}")
    ]


def test_activity_credits_rural_participants_ledgers_once(
    pairing, mentor, rural_teacher
):
    from courses.models import LedgerEntry
    from courses.selectors import hours_by_year

    activity = record(
        pairing,
        mentor,
        helper_participants=[mentor],
        partner_participants=[rural_teacher],
        hours=Decimal("3"),
    )
    lines = LedgerEntry.objects.filter(source=LedgerEntry.Source.PAIRING)
    assert [(line.teacher_id, line.hours, line.level) for line in lines.all()] == [
        (rural_teacher.pk, Decimal("3.0"), "county")
    ]
    # The mentor (helping side) earns nothing; crediting again adds nothing.
    assert services.activity_credit(activity=activity) == 1
    assert lines.count() == 1
    assert sum(hours_by_year(teacher=rural_teacher).values()) == Decimal("3.0")

    services.activity_delete(activity=activity, user=mentor)
    assert not lines.exists()


def test_activity_refuses_people_of_other_sides(pairing, mentor, city_school):
    stranger = UserFactory(real_name="外校教师", roles=[Role.RURAL_TEACHER])
    with pytest.raises(ValidationError) as exc:
        record(pairing, mentor, partner_participants=[stranger])
    assert str(NOT_ON_PARTNER_SIDE % {"name": "外校教师"}) in messages(exc)
    assert not Activity.objects.exists()


def test_activity_date_inside_cycle_and_not_future(pairing, mentor, rural_teacher):
    for day in (
        pairing.start_date - timedelta(days=1),
        timezone.localdate() + timedelta(days=1),
    ):
        with pytest.raises(ValidationError) as exc:
            record(pairing, mentor, date=day, partner_participants=[rural_teacher])
        assert str(ACTIVITY_DATE_OUTSIDE) in messages(exc)


def test_activity_only_by_the_pairings_people(pairing, rural_teacher, other_mentor):
    with pytest.raises(PermissionDenied):
        record(pairing, other_mentor, partner_participants=[rural_teacher])
    # A partner teacher reads the pairing but does not log for it.
    pairing.partner_teachers.add(rural_teacher)
    with pytest.raises(PermissionDenied):
        record(pairing, rural_teacher, partner_participants=[rural_teacher])


def test_no_activity_for_ended_pairing(pairing, mentor, rural_teacher):
    services.pairing_end(pairing=pairing, reason="撤并")
    with pytest.raises(ValidationError):
        record(pairing, mentor, partner_participants=[rural_teacher])


def test_activity_delete_removes_files(
    pairing, mentor, rural_teacher, django_capture_on_commit_callbacks
):
    activity = record(
        pairing,
        mentor,
        partner_participants=[rural_teacher],
        files=[SimpleUploadedFile("a.png", PNG)],
    )
    path = Path(activity.evidence.get().file.path)
    assert path.exists()
    with pytest.raises(PermissionDenied):
        services.activity_delete(
            activity=activity, user=UserFactory(roles=[Role.MENTOR])
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_delete(activity=activity, user=mentor)
    assert not Activity.objects.exists()
    assert not path.exists()


def test_studio_members_at_the_partner_school_are_on_the_helped_side(
    city_school, rural, mentor, rural_teacher
):
    from pairing.selectors import helper_side_people, partner_side_people
    from schools.factories import StudioFactory

    studio = StudioFactory(leader=mentor, host_school=city_school)
    colleague = UserFactory(school=city_school, roles=[Role.MENTOR])
    studio.members.add(colleague, rural_teacher)
    pairing = active_pairing(helper_studio=studio, partner_schools=[rural])
    assert set(helper_side_people(pairing)) == {mentor, colleague}
    assert rural_teacher in set(partner_side_people(pairing))
