"""Enrolment (报名): applications, the approval chain, the waitlist.

An enrolment moves::

    apply ─┬─> pending (holds a seat; awaits the chain's steps) ─> admitted ─> completed
           └─> waitlisted ──(a seat frees)──> pending / admitted
    pending / admitted / waitlisted ─> withdrawn (by the teacher)
    pending ─> rejected (by an approver)

"Holding a seat" means pending, admitted or completed: simultaneous
applications can never make more of these than the programme's seats or a
school's quota (see :mod:`courses.services.enrolment`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schools.models import School

from .programmes import Programme


class Enrolment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        ADMITTED = "admitted", _("Admitted")
        WAITLISTED = "waitlisted", _("On the waitlist")
        REJECTED = "rejected", _("Not approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        COMPLETED = "completed", _("Completed")

    SEAT_HOLDING = (Status.PENDING, Status.ADMITTED, Status.COMPLETED)
    ACTIVE = (*SEAT_HOLDING, Status.WAITLISTED)
    STUDYING = (Status.ADMITTED, Status.COMPLETED)

    class Step(models.TextChoices):
        SCHOOL = "school", _("School admin")
        BUREAU = "bureau", _("Bureau")

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    # The teacher's school when they applied: quotas and the school admin's
    # approval follow it even if the teacher moves school later.
    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, db_index=True
    )
    step = models.CharField(
        _("awaiting"), max_length=8, choices=Step.choices, blank=True
    )
    priority = models.BooleanField(
        _("rural backbone priority"),
        default=False,
        help_text=_("A backbone teacher of a rural school when applying."),
    )
    reserved_seat = models.BooleanField(_("on a reserved seat"), default=False)
    applied_at = models.DateTimeField(_("applied"))
    admitted_at = models.DateTimeField(_("admitted"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["applied_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "teacher"], name="enrolment_one_per_teacher"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "pending",
                        "admitted",
                        "waitlisted",
                        "rejected",
                        "withdrawn",
                        "completed",
                    ]
                ),
                name="enrolment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", step__in=["school", "bureau"])
                | (~Q(status="pending") & Q(step="")),
                name="enrolment_step_only_when_pending",
            ),
            models.CheckConstraint(
                condition=Q(reserved_seat=False)
                | Q(status__in=["pending", "admitted", "completed"]),
                name="enrolment_reserved_seat_held",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "status"]),
            models.Index(fields=["school", "status", "step"]),
            models.Index(fields=["teacher", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} · {self.programme.title}"

    @property
    def holds_seat(self) -> bool:
        return self.status in self.SEAT_HOLDING

    @property
    def status_label(self) -> str:
        if self.status == self.Status.PENDING and self.step:
            return _("Awaiting approval: %(step)s") % {
                "step": self.Step(self.step).label
            }
        return self.get_status_display()


class EnrolmentEvent(models.Model):
    """One step in an enrolment's history: who did what, and when."""

    class Action(models.TextChoices):
        APPLIED = "applied", _("Applied")
        WAITLISTED = "waitlisted", _("Put on the waitlist")
        PROMOTED = "promoted", _("Given a seat from the waitlist")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")
        ADMITTED = "admitted", _("Admitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        COMPLETED = "completed", _("Completed")

    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    step = models.CharField(
        _("step"), max_length=8, choices=Enrolment.Step.choices, blank=True
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment event")
        verbose_name_plural = _("enrolment events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
