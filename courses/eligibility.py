"""Who may apply to a programme, and what a viewer can do with it.

Pure: plain data in, plain data out, no ORM, so the rules can be tested
exhaustively and reused by enrolment (which adds "applied" and the approval
chain on top). :mod:`courses.selectors` loads the data for a whole page of
programmes at once and calls these functions per card.
"""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Status(StrEnum):
    """Where a programme's enrolment window stands."""

    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


class Action(StrEnum):
    """What a viewer can do with a programme, as its card shows it."""

    APPLY = "apply"
    APPLIED = "applied"
    LOGIN = "login"  # open, but the viewer is anonymous
    FULL = "full"
    NOT_ELIGIBLE = "not_eligible"
    NOT_OPEN = "not_open"
    CLOSED = "closed"


class Reason(StrEnum):
    """Why a viewer is not eligible (the first rule that fails)."""

    NOT_STAFF = "not_staff"
    REGION = "region"
    CATEGORY = "category"
    STAGE = "stage"
    SUBJECT = "subject"
    ROLE = "role"
    NO_QUOTA = "no_quota"


ACTION_LABELS = {
    Action.APPLY: _("Apply"),
    Action.APPLIED: _("Applied"),
    Action.LOGIN: _("Log in to apply"),
    Action.FULL: _("Full: join the waitlist"),
    Action.NOT_ELIGIBLE: _("Not eligible"),
    Action.NOT_OPEN: _("Enrolment not open yet"),
    Action.CLOSED: _("Enrolment closed"),
}
REASON_LABELS = {
    Reason.NOT_STAFF: _("Only teachers on a school roster can apply."),
    Reason.REGION: _("This programme is for schools of another region."),
    Reason.CATEGORY: _("This programme is for other kinds of school."),
    Reason.STAGE: _("This programme is for teachers of other school stages."),
    Reason.SUBJECT: _("This programme is for teachers of other subjects."),
    Reason.ROLE: _("This programme is for other roles (e.g. principals)."),
    Reason.NO_QUOTA: _("Your school has no quota in this programme."),
}


@dataclass(frozen=True)
class Audience:
    """A programme's target audience; an empty set means "any"."""

    region_path: str
    stages: frozenset[str] = frozenset()
    subjects: frozenset[str] = frozenset()
    school_categories: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    # Programmes with per-school quotas are open only to schools that have one.
    has_quotas: bool = False
    quota_school_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Profile:
    """A viewer as the rules see them."""

    school_id: int | None = None
    school_region_path: str = ""
    school_category: str = ""
    school_is_rural: bool = False
    stages: frozenset[str] = frozenset()
    subjects: frozenset[str] = frozenset()
    roles: frozenset[str] = field(default_factory=frozenset)  # TargetRole codes

    @property
    def is_staff_of_school(self) -> bool:
        return self.school_id is not None

    @property
    def is_rural_backbone(self) -> bool:
        """Has priority for a programme's reserved share (国培 priority)."""
        return self.school_is_rural and "backbone" in self.roles


def window_status(opens_at: datetime, closes_at: datetime, now: datetime) -> Status:
    if now < opens_at:
        return Status.UPCOMING
    if now >= closes_at:
        return Status.CLOSED
    return Status.OPEN


def ineligibility(audience: Audience, profile: Profile) -> Reason | None:
    """The first audience rule ``profile`` fails, or None if it passes all."""
    if not profile.is_staff_of_school:
        return Reason.NOT_STAFF
    if not profile.school_region_path.startswith(audience.region_path):
        return Reason.REGION
    if (
        audience.school_categories
        and profile.school_category not in audience.school_categories
    ):
        return Reason.CATEGORY
    if audience.stages and not audience.stages & profile.stages:
        return Reason.STAGE
    if audience.subjects and not audience.subjects & profile.subjects:
        return Reason.SUBJECT
    if audience.roles and not audience.roles & profile.roles:
        return Reason.ROLE
    if audience.has_quotas and profile.school_id not in audience.quota_school_ids:
        return Reason.NO_QUOTA
    return None


def viewer_action(
    *,
    status: Status,
    seats_left: int,
    profile: Profile | None,
    audience: Audience,
    applied: bool = False,
) -> tuple[Action, Reason | None]:
    """What the card offers ``profile`` (None: an anonymous viewer).

    Having applied wins over everything (the viewer should see their
    application even once the window closes); then the window; then
    eligibility; then seats. ``seats_left`` is what *this* viewer could get
    (their school's quota and the reserved share counted): FULL still lets an
    eligible teacher join the waitlist.
    """
    if applied:
        return Action.APPLIED, None
    if status == Status.CLOSED:
        return Action.CLOSED, None
    if status == Status.UPCOMING:
        return Action.NOT_OPEN, None
    if profile is None:
        return Action.LOGIN, None
    reason = ineligibility(audience, profile)
    if reason is not None:
        return Action.NOT_ELIGIBLE, reason
    if seats_left <= 0:
        return Action.FULL, None
    return Action.APPLY, None
