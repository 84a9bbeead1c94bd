"""Celery tasks of courses: thin, idempotent wrappers around services."""

from celery import shared_task

from . import services
from .models import Certificate, Notification


@shared_task(acks_late=True, autoretry_for=(OSError,), max_retries=5)
def notification_email_task(notification_id: int) -> bool:
    notification = (
        Notification.objects.select_related("user").filter(pk=notification_id).first()
    )
    if notification is None:
        return False
    return services.notification_email(notification=notification)


# Named in settings.CELERY_BEAT_SCHEDULE.
@shared_task(name="courses.tasks.waitlists_promote")
def waitlists_promote_task() -> int:
    """Fill seats freed meanwhile (a reserved share lapsing at the close)."""
    return services.waitlists_promote()


@shared_task(acks_late=True, autoretry_for=(OSError,), max_retries=5)
def certificate_render_task(certificate_id: int) -> bool:
    certificate = (
        Certificate.objects.select_related("teacher").filter(pk=certificate_id).first()
    )
    if certificate is None:
        return False
    services.certificate_render(certificate=certificate)
    return True


# Named in settings.CELERY_BEAT_SCHEDULE.
@shared_task(name="courses.tasks.deadline_reminders")
def deadline_reminders_task() -> int:
    """Each morning: courses due in three days, for teachers not done yet."""
    return services.deadline_reminders_send()
