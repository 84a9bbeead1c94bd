"""Applying, the approval chain, quotas, the reserved share, the waitlist."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.roles import Role
from courses.eligibility import Action
from courses.factories import ProgrammeQuotaFactory, window
from courses.models import ApprovalChain, Enrolment, EnrolmentEvent, Notification
from courses.selectors import programme_cards, waitlist_position
from courses.services import (
    enrolment_apply,
    enrolment_approve,
    enrolment_reject,
    enrolment_withdraw,
    programme_update,
    programme_waitlist_promote,
)
from schools.factories import SchoolFactory
from schools.models import Subject
from tests.courses.helpers import open_programme, teacher

pytestmark = pytest.mark.django_db
S = Enrolment.Status


def test_without_approval_a_teacher_is_admitted_at_once(county, school):
    programme = open_programme(county, seats=2)
    enrolment = enrolment_apply(teacher=teacher(school), programme=programme)
    assert enrolment.status == S.ADMITTED
    assert enrolment.admitted_at is not None
    assert [e.action for e in enrolment.events.all()] == ["applied", "admitted"]


def test_applications_beyond_the_seats_go_to_the_waitlist_in_order(county, school):
    programme = open_programme(county, seats=2)
    results = [
        enrolment_apply(teacher=teacher(school), programme=programme) for _ in range(4)
    ]
    assert [e.status for e in results] == [S.ADMITTED, S.ADMITTED] + [S.WAITLISTED] * 2
    assert [waitlist_position(e) for e in results[2:]] == [1, 2]


@pytest.mark.parametrize(
    ("kind", "message"),
    [("upcoming", "尚未开始"), ("closed", "已经截止")],
)
def test_outside_the_window_is_refused_in_chinese(county, school, kind, message):
    programme = open_programme(county, **window(kind))
    with pytest.raises(ValidationError) as err:
        enrolment_apply(teacher=teacher(school), programme=programme)
    assert message in err.value.messages[0]
    assert not Enrolment.objects.exists()


def test_ineligible_teachers_are_told_why(county, school, other_county):
    math = Subject.objects.get(code="math")
    programme = open_programme(county, subjects=[math])
    with pytest.raises(ValidationError) as err:
        enrolment_apply(teacher=teacher(school), programme=programme)
    assert "其他学科" in err.value.messages[0]
    far = open_programme(other_county)
    with pytest.raises(ValidationError) as err:
        enrolment_apply(teacher=teacher(school), programme=far)
    assert "其他地区" in err.value.messages[0]
    bureau_user = UserFactory(region=county, roles=[Role.REVIEWER])
    with pytest.raises(ValidationError) as err:
        enrolment_apply(teacher=bureau_user, programme=programme)
    assert "在册教师" in err.value.messages[0]


def test_second_application_is_refused_but_withdrawal_allows_a_new_one(county, school):
    programme = open_programme(county)
    person = teacher(school)
    first = enrolment_apply(teacher=person, programme=programme)
    with pytest.raises(ValidationError) as err:
        enrolment_apply(teacher=person, programme=programme)
    assert "已经报名" in err.value.messages[0]
    enrolment_withdraw(enrolment=first, user=person)
    again = enrolment_apply(teacher=person, programme=programme)
    assert again.pk == first.pk and again.status == S.ADMITTED


def test_a_rejected_teacher_cannot_simply_apply_again(county, school, school_admin):
    programme = open_programme(county, chain=ApprovalChain.SCHOOL)
    person = teacher(school)
    enrolment = enrolment_apply(teacher=person, programme=programme)
    enrolment_reject(enrolment=enrolment, user=school_admin, note="本学期课时已满")
    with pytest.raises(ValidationError) as err:
        enrolment_apply(teacher=person, programme=programme)
    assert "未通过审核" in err.value.messages[0]
    notice = Notification.objects.get(user=person, kind="enrolment_rejected")
    assert "本学期课时已满" in notice.body


def test_per_school_quota(county, school, second_school):
    programme = open_programme(county, seats=10)
    ProgrammeQuotaFactory(programme=programme, school=school, seats=2)
    ProgrammeQuotaFactory(programme=programme, school=second_school, seats=3)
    ours = [
        enrolment_apply(teacher=teacher(school), programme=programme) for _ in "abc"
    ]
    assert [e.status for e in ours] == [S.ADMITTED, S.ADMITTED, S.WAITLISTED]
    theirs = enrolment_apply(teacher=teacher(second_school), programme=programme)
    assert theirs.status == S.ADMITTED
    no_quota = SchoolFactory(region=county)
    with pytest.raises(ValidationError) as err:
        enrolment_apply(teacher=teacher(no_quota), programme=programme)
    assert "名额" in err.value.messages[0]


def test_reserved_share_for_rural_backbone_teachers(county, school, urban_school):
    # 10 seats, 30 % (3 seats) kept for backbone teachers of rural schools.
    programme = open_programme(county, seats=10, rural_backbone_share=30)
    general = [
        enrolment_apply(teacher=teacher(urban_school), programme=programme)
        for _ in range(8)
    ]
    assert [e.status for e in general].count(S.ADMITTED) == 7
    assert general[-1].status == S.WAITLISTED
    # An urban backbone teacher has no priority; a rural one does.
    urban_backbone = teacher(urban_school, backbone=True)
    assert enrolment_apply(teacher=urban_backbone, programme=programme).status == (
        S.WAITLISTED
    )
    rural_backbone = enrolment_apply(
        teacher=teacher(school, backbone=True), programme=programme
    )
    assert rural_backbone.status == S.ADMITTED
    assert rural_backbone.reserved_seat and rural_backbone.priority
    # After the close, the two unused reserved seats go to the waitlist.
    programme.enrol_closes_at = timezone.now() - timedelta(minutes=1)
    programme.enrol_opens_at = timezone.now() - timedelta(days=3)
    programme.save()
    promoted = programme_waitlist_promote(programme=programme)
    assert [e.pk for e in promoted] == [
        general[-1].pk,
        urban_backbone.enrolments.get().pk,
    ]
    assert programme.enrolments.filter(status__in=Enrolment.SEAT_HOLDING).count() == 10


def test_approval_chain_school_then_bureau(
    county, school, school_admin, reviewer, django_capture_on_commit_callbacks
):
    programme = open_programme(county, chain=ApprovalChain.SCHOOL_BUREAU)
    person = teacher(school, email="t@example.cn")
    enrolment = enrolment_apply(teacher=person, programme=programme)
    assert (enrolment.status, enrolment.step) == (S.PENDING, "school")
    # The bureau cannot act at the school's step, nor another school's admin.
    with pytest.raises(PermissionDenied) as err:
        enrolment_approve(enrolment=enrolment, user=reviewer)
    assert "学校管理员" in str(err.value)
    stranger = UserFactory(
        school=SchoolFactory(region=county), roles=[Role.SCHOOL_ADMIN]
    )
    with pytest.raises(PermissionDenied):
        enrolment_approve(enrolment=enrolment, user=stranger)
    enrolment = enrolment_approve(enrolment=enrolment, user=school_admin)
    assert (enrolment.status, enrolment.step) == (S.PENDING, "bureau")
    with pytest.raises(PermissionDenied) as err:
        enrolment_approve(enrolment=enrolment, user=school_admin)
    assert "教育局" in str(err.value)
    far = UserFactory(region=SchoolFactory().region, roles=[Role.REVIEWER])
    with pytest.raises(PermissionDenied):
        enrolment_approve(enrolment=enrolment, user=far)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrolment_approve(enrolment=enrolment, user=reviewer, note="同意")
    assert enrolment.status == S.ADMITTED
    events = list(enrolment.events.values_list("action", "step", "by"))
    assert events == [
        ("applied", "", person.pk),
        ("approved", "school", school_admin.pk),
        ("approved", "bureau", reviewer.pk),
        ("admitted", "", None),
    ]
    with pytest.raises(ValidationError):
        enrolment_approve(enrolment=enrolment, user=reviewer)
    # The teacher got an inbox message and an email when admitted.
    assert Notification.objects.filter(user=person, kind="enrolment_admitted").exists()
    sent = [m for m in mail.outbox if person.email in m.to]
    assert len(sent) == 1 and "您已被录取" in sent[0].subject


def test_approvers_are_told_once_a_day(county, school, school_admin):
    programme = open_programme(county, chain=ApprovalChain.SCHOOL)
    for _ in range(3):
        enrolment_apply(teacher=teacher(school), programme=programme)
    assert Notification.objects.filter(user=school_admin).count() == 1


def test_pending_applications_hold_seats(county, school):
    programme = open_programme(county, seats=1, chain=ApprovalChain.BUREAU)
    first = enrolment_apply(teacher=teacher(school), programme=programme)
    second = enrolment_apply(teacher=teacher(school), programme=programme)
    assert (first.status, second.status) == (S.PENDING, S.WAITLISTED)


def test_rejection_promotes_the_first_on_the_waitlist(county, school, reviewer):
    programme = open_programme(county, seats=1, chain=ApprovalChain.BUREAU)
    first = enrolment_apply(teacher=teacher(school), programme=programme)
    waiting = enrolment_apply(teacher=teacher(school), programme=programme)
    enrolment_reject(enrolment=first, user=reviewer)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.step) == (S.PENDING, "bureau")
    assert waiting.events.filter(action=EnrolmentEvent.Action.PROMOTED).exists()


def test_withdrawal_frees_the_seat_for_the_waitlist(county, school):
    programme = open_programme(county, seats=1)
    holder = teacher(school)
    seat = enrolment_apply(teacher=holder, programme=programme)
    waiting = enrolment_apply(teacher=teacher(school), programme=programme)
    with pytest.raises(PermissionDenied):
        enrolment_withdraw(enrolment=seat, user=waiting.teacher)
    enrolment_withdraw(enrolment=seat, user=holder)
    waiting.refresh_from_db()
    assert waiting.status == S.ADMITTED
    assert Notification.objects.filter(
        user=waiting.teacher, kind="enrolment_admitted"
    ).exists()
    with pytest.raises(ValidationError):
        enrolment_withdraw(enrolment=seat, user=holder)


def test_more_seats_in_an_edit_admit_the_waitlist(county, school):
    programme = open_programme(county, seats=1)
    enrolment_apply(teacher=teacher(school), programme=programme)
    waiting = enrolment_apply(teacher=teacher(school), programme=programme)
    programme_update(programme=programme, user=None, seats=2)
    waiting.refresh_from_db()
    assert waiting.status == S.ADMITTED


def test_cards_show_seats_left_and_the_viewers_application(county, school):
    programme = open_programme(county, seats=3)
    viewer = teacher(school)
    enrolment_apply(teacher=teacher(school), programme=programme)
    card = programme_cards(programmes=[programme], user=viewer)[programme.pk]
    assert (card.seats_left, card.action) == (2, Action.APPLY)
    enrolment_apply(teacher=viewer, programme=programme)
    card = programme_cards(programmes=[programme], user=viewer)[programme.pk]
    assert (card.seats_left, card.action) == (1, Action.APPLIED)
    assert card.action_label == "已录取"


def test_card_offers_the_waitlist_when_the_viewers_quota_is_used(county, school):
    programme = open_programme(county, seats=10)
    ProgrammeQuotaFactory(programme=programme, school=school, seats=1)
    enrolment_apply(teacher=teacher(school), programme=programme)
    card = programme_cards(programmes=[programme], user=teacher(school))[programme.pk]
    assert card.seats_left == 9
    assert card.action == Action.FULL


def test_the_beat_task_fills_seats_once_the_reservation_lapses(county, urban_school):
    from courses.tasks import waitlists_promote_task

    programme = open_programme(county, seats=2, rural_backbone_share=50)
    first = enrolment_apply(teacher=teacher(urban_school), programme=programme)
    second = enrolment_apply(teacher=teacher(urban_school), programme=programme)
    assert (first.status, second.status) == (S.ADMITTED, S.WAITLISTED)
    assert waitlists_promote_task() == 0  # still open: the seat stays reserved
    programme.enrol_closes_at = timezone.now() - timedelta(seconds=1)
    programme.enrol_opens_at = timezone.now() - timedelta(days=1)
    programme.save()
    assert waitlists_promote_task() == 1
    second.refresh_from_db()
    assert second.status == S.ADMITTED
