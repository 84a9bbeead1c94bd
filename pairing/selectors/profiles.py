"""Need and helper profiles a user may declare or edit."""

from __future__ import annotations

from django.db.models import (
    QuerySet,
)

from accounts.roles import Role
from accounts.selectors import scope_queryset

from ..models import (
    HelperProfile,
    NeedProfile,
)
from .common import HELPER_REGIONS

# --- Profiles -------------------------------------------------------------------


def need_profiles_editable(*, user) -> QuerySet:
    return scope_queryset(NeedProfile.objects.all(), user=user, schools=["school"])


def helper_profiles_editable(*, user) -> QuerySet:
    """School admins: their school's; mentors: their own; studio leaders: their
    studio's; reviewers: every helper in their region."""
    return scope_queryset(
        HelperProfile.objects.all(),
        user=user,
        regions=HELPER_REGIONS,
        schools=["school"],
        users=["mentor", "studio__leader"],
    )


def profiles_for_user(*, user) -> dict:
    """What the user may declare on the site: their school's need profile (a
    rural school) and helper profile, their own, their studios'."""
    out = {"school": None, "need": None, "helper_school": None, "mine": None}
    if user.has_role(Role.SCHOOL_ADMIN) and user.school_id:
        out["school"] = user.school
        if user.school.is_rural:
            out["need"] = NeedProfile.objects.filter(school=user.school).first()
        out["helper_school"] = HelperProfile.objects.filter(school=user.school).first()
    if user.has_role(Role.MENTOR):
        out["mine"] = HelperProfile.objects.filter(mentor=user).first()
    out["studios"] = [
        (studio, getattr(studio, "helper_profile", None))
        for studio in user.led_studios.filter(is_active=True).select_related(
            "helper_profile"
        )
    ]
    return out
