"""Notifications: the in-site inbox plus email, and what courses tells whom.

Messages are written in the site's language (Chinese) when sent: they are
stored text, like an email. Email goes out through a Celery task after the
writing transaction commits, and only to users with an address.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.roles import Role

from ..models import Enrolment, Notification


def notification_send(
    *,
    user,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    key: str = "",
    email: bool = True,
) -> Notification | None:
    """Put a message in ``user``'s inbox (once per ``key``) and email it."""
    notification = Notification(
        user=user,
        kind=kind,
        title=str(title)[:200],
        body=str(body),
        url=url,
        key=key[:120],
    )
    if key:
        if Notification.objects.filter(user=user, key=notification.key).exists():
            return None
        try:
            with transaction.atomic():
                notification.save()
        except IntegrityError:
            return None  # sent meanwhile by a concurrent sender
    else:
        notification.save()
    if email and user.email:
        from ..tasks import notification_email_task  # noqa: PLC0415

        pk = notification.pk
        transaction.on_commit(lambda: notification_email_task.delay(pk))
    return notification


def notification_email(*, notification: Notification) -> bool:
    """Email one notification (once); False when there is nothing to send."""
    from django.core.mail import send_mail  # noqa: PLC0415

    if notification.emailed_at is not None or not notification.user.email:
        return False
    link = ""
    if notification.url:
        link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + notification.url
    body = "\n\n".join(p for p in (notification.body, link) if p)
    send_mail(
        subject=f"[{settings.WAGTAIL_SITE_NAME}] {notification.title}",
        message=body or notification.title,
        from_email=None,
        recipient_list=[notification.user.email],
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


def notifications_mark_read(*, user, ids=None) -> int:
    """Mark ``user``'s messages read (all of them, or those in ``ids``)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def _approvers(enrolment: Enrolment):
    from accounts.models import User  # noqa: PLC0415

    active = User.objects.filter(is_active=True)
    if enrolment.step == Enrolment.Step.SCHOOL:
        return active.filter(
            school_id=enrolment.school_id, groups__name=Role.SCHOOL_ADMIN.value
        )
    return active.filter(
        region_id=enrolment.programme.region_id, groups__name=Role.REVIEWER.value
    )


def enrolment_notify(*, enrolment: Enrolment, note: str = "") -> None:
    """Tell the teacher where their application stands, and the approvers
    (once a day per programme) that applications await them."""
    with translation.override(settings.LANGUAGE_CODE):
        _enrolment_notify(enrolment, note)


def _enrolment_notify(enrolment: Enrolment, note: str) -> None:
    Status = Enrolment.Status
    title = enrolment.programme.title
    mine = reverse("courses:my_learning")
    teacher = enrolment.teacher
    if enrolment.status == Status.ADMITTED:
        notification_send(
            user=teacher,
            kind="enrolment_admitted",
            title=_("You are admitted: %(title)s") % {"title": title},
            body=_("Your courses are on your learning page."),
            url=mine,
        )
    elif enrolment.status == Status.WAITLISTED:
        notification_send(
            user=teacher,
            kind="enrolment_waitlisted",
            title=_("On the waitlist: %(title)s") % {"title": title},
            body=_("All seats are taken. You will be told when a seat frees."),
            url=mine,
            email=False,
        )
    elif enrolment.status == Status.REJECTED:
        body = _("Your application was not approved.")
        if note:
            body += " " + _("Reason: %(note)s") % {"note": note}
        notification_send(
            user=teacher,
            kind="enrolment_rejected",
            title=_("Not approved: %(title)s") % {"title": title},
            body=body,
            url=mine,
        )
    elif enrolment.status == Status.PENDING:
        step = Enrolment.Step(enrolment.step).label
        notification_send(
            user=teacher,
            kind="enrolment_pending",
            title=_("Awaiting approval (%(step)s): %(title)s")
            % {"step": step, "title": title},
            body=_("A seat is held for you while your application is approved."),
            url=mine,
            email=False,
        )
        if enrolment.step == Enrolment.Step.SCHOOL:
            url = reverse("courses:school_approvals")
        else:
            url = reverse("courses_admin:approvals")
        today = timezone.localdate().isoformat()
        for approver in _approvers(enrolment):
            notification_send(
                user=approver,
                kind="approvals_waiting",
                title=_("Applications await your approval: %(title)s")
                % {"title": title},
                url=url,
                key=f"approvals:{enrolment.step}:{enrolment.programme_id}:{today}",
            )


REMIND_DAYS_BEFORE = 3


def deadline_reminders_send(*, today=None) -> int:
    """Remind admitted teachers of courses due in three days and not done.

    Once per course and deadline (the notification key), so the daily task
    can run again, or twice, without repeating itself.
    """
    from ..models import Course, CourseCompletion  # noqa: PLC0415

    today = today or timezone.localdate()
    due = today + timedelta(days=REMIND_DAYS_BEFORE)
    sent = 0
    courses = Course.objects.filter(deadline=due).select_related("programme")
    with translation.override(settings.LANGUAGE_CODE):
        for course in courses:
            done = CourseCompletion.objects.filter(course=course).values("teacher_id")
            learners = (
                Enrolment.objects.filter(
                    programme_id=course.programme_id, status=Enrolment.Status.ADMITTED
                )
                .exclude(teacher_id__in=done)
                .select_related("teacher")
            )
            for enrolment in learners:
                notice = notification_send(
                    user=enrolment.teacher,
                    kind="deadline",
                    title=_("Finish by %(date)s: %(title)s")
                    % {"date": course.deadline.isoformat(), "title": course.title},
                    body=_(
                        "The course %(title)s of %(programme)s is due in %(days)s "
                        "days. Finish its required lessons to earn %(hours)s credit "
                        "hours."
                    )
                    % {
                        "title": course.title,
                        "programme": course.programme.title,
                        "days": REMIND_DAYS_BEFORE,
                        "hours": course.credit_hours.normalize(),
                    },
                    url=reverse("courses:course", args=[course.pk]),
                    key=f"deadline:{course.pk}:{course.deadline.isoformat()}",
                )
                sent += notice is not None
    return sent
