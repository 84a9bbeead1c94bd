"""Reads of schools and studios for the site's own pages."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from accounts.roles import Role
from accounts.selectors import scope_queryset

from .models import School, Studio


def school_for_admin(*, user) -> School | None:
    """The school whose roster ``user`` keeps as its school admin, if any."""
    if not user.is_authenticated or user.school_id is None:
        return None
    if not user.has_role(Role.SCHOOL_ADMIN):
        return None
    schools = scope_queryset(School.objects.all(), user=user, schools=["pk"])
    return (
        schools.filter(pk=user.school_id)
        .select_related("region", "region__parent")
        .prefetch_related("stages")
        .first()
    )


def school_staff(*, user, school: School) -> QuerySet:
    """Active staff of ``school`` as ``user`` may see them, by name."""
    staff = (
        get_user_model()
        .objects.filter(school=school, is_active=True)
        .prefetch_related("subjects", "stages", "honours")
        .order_by("real_name", "username", "pk")
    )
    return scope_queryset(staff, user=user, schools=["school"])


def studios_of_member(*, user) -> QuerySet:
    """Studios ``user`` leads or belongs to, with leader, members and subjects.

    Membership, not region scope: a platform admin too sees only their own
    studios on this page.
    """
    if not user.is_authenticated:
        return Studio.objects.none()
    User = get_user_model()
    mine = Studio.objects.filter(Q(leader=user) | Q(members=user)).values("pk")
    members = (
        User.objects.filter(is_active=True)
        .select_related("school")
        .prefetch_related("subjects")
        .order_by("real_name", "username", "pk")
    )
    return (
        Studio.objects.filter(pk__in=mine)
        .select_related("host_school", "leader", "leader__school")
        .prefetch_related(Prefetch("members", queryset=members), "subjects")
        .order_by("-is_active", "name")
    )
