"""Certificates: issued once per completed enrolment, rendered by a task."""

import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from ..models import Certificate, CourseCompletion, Enrolment
from .notifications import notification_send

# Unambiguous characters (no 0/O, 1/I/L): numbers are read off paper.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def certificate_number(year: int) -> str:
    """ "LX2026-7K3M9Q2D": the year and 8 random characters (31^8 ≈ 8.5e11)."""
    return f"LX{year}-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def _hours(enrolment: Enrolment):
    programme = enrolment.programme
    if not programme.courses.exists():
        return programme.credit_hours
    total = CourseCompletion.objects.filter(
        teacher=enrolment.teacher, course__programme=programme
    ).aggregate(total=Sum("hours"))["total"]
    return total or programme.credit_hours


def certificate_issue(*, enrolment: Enrolment) -> Certificate:
    """The certificate of a completed enrolment (once); its PDF follows."""
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    programme = enrolment.programme
    teacher = enrolment.teacher
    today = timezone.localdate()
    fields = {
        "enrolment": enrolment,
        "teacher": teacher,
        "programme": programme,
        "teacher_name": teacher.display_name[:50],
        "school_name": enrolment.school.name if enrolment.school_id else "",
        "programme_title": programme.title,
        "level": programme.level,
        "organiser": programme.organiser,
        "hours": _hours(enrolment),
        "starts_on": programme.starts_on,
        "ends_on": programme.ends_on,
        "issued_on": today,
    }
    for _attempt in range(5):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    number=certificate_number(today.year), **fields
                )
            break
        except IntegrityError:
            existing = Certificate.objects.filter(enrolment=enrolment).first()
            if existing is not None:
                return existing  # issued meanwhile
    else:  # pragma: no cover - five collisions in 8.5e11 numbers
        raise RuntimeError("no free certificate number")
    from ..tasks import certificate_render_task  # noqa: PLC0415

    pk = certificate.pk
    transaction.on_commit(lambda: certificate_render_task.delay(pk))
    return certificate


def certificate_render(*, certificate: Certificate) -> Certificate:
    """Write the certificate's PDF (once) and tell the teacher it is ready."""
    from ..pdf import certificate_pdf  # noqa: PLC0415

    if certificate.pdf:
        return certificate
    data = certificate_pdf(certificate)
    certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(data), save=False)
    certificate.save(update_fields=["pdf"])
    with translation.override(settings.LANGUAGE_CODE):
        notification_send(
            user=certificate.teacher,
            kind="certificate_ready",
            title=gettext("Your certificate is ready: %(title)s")
            % {"title": certificate.programme_title},
            body=gettext(
                "Certificate number %(number)s. Download it on your learning page."
            )
            % {"number": certificate.number},
            url=reverse("courses:certificate_pdf", args=[certificate.number]),
        )
    return certificate
