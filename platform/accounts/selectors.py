"""Role and region scope: the one place that decides what a user may see.

Every app that lists or opens region-bound data filters through
:func:`scope_filter` / :func:`scope_queryset`, naming how its rows reach a
region, a school or an owning user:

    scope_queryset(School.objects.all(), user=u, regions=["region"])
    scope_queryset(Pairing.objects.all(), user=u,
                   schools=["helper_school", "partner_schools"],
                   users=["mentor"])

Rules:
- superusers and platform admins see everything;
- bureau reviewers see rows in their region and everything below it (a row
  reached through several paths, e.g. a cross-region pairing, is visible to
  each side's bureau);
- school admins see rows of their own school;
- everyone sees rows they own through a ``users`` path;
- anything else sees nothing.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .roles import Role

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    region_path: str | None = None  # bureau scope: this region and below
    school_id: int | None = None  # school admin scope
    user_id: int | None = None  # own rows

    @property
    def is_bureau(self) -> bool:
        return self.region_path is not None


def user_scope(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_platform_admin:
        return Scope(everything=True, user_id=user.pk)
    region_path = None
    if user.has_role(Role.REVIEWER) and user.region_id is not None:
        region_path = user.region.path
    school_id = None
    if user.has_role(Role.SCHOOL_ADMIN) and user.school_id is not None:
        school_id = user.school_id
    return Scope(region_path=region_path, school_id=school_id, user_id=user.pk)


def _join(lookup: str, rest: str) -> str:
    # "pk" names the row itself (a School listed as a school).
    return rest if lookup == "pk" else f"{lookup}__{rest}"


def scope_filter(
    user,
    *,
    regions: Iterable[str] = (),
    schools: Iterable[str] = (),
    users: Iterable[str] = (),
) -> Q:
    """A Q object limiting rows to what ``user`` may see.

    ``regions`` are lookups to a Region, ``schools`` to a School, ``users`` to
    an owning User; ``"pk"`` names the row itself (regions=["pk"] on Region,
    schools=["pk"] on School, users=["pk"] on User).
    """
    scope = user_scope(user)
    if scope.everything:
        return Q()
    q = NOTHING
    if scope.region_path is not None:
        for lookup in regions:
            q |= Q(**{_join(lookup, "path__startswith"): scope.region_path})
        for lookup in schools:
            q |= Q(**{_join(lookup, "region__path__startswith"): scope.region_path})
    if scope.school_id is not None:
        for lookup in schools:
            q |= Q(**{lookup: scope.school_id})
    if scope.user_id is not None:
        for lookup in users:
            q |= Q(**{lookup: scope.user_id})
    return q


def _crosses_to_many(model, lookup: str) -> bool:
    """Whether following ``lookup`` from ``model`` can repeat a row."""
    for part in lookup.split("__"):
        if part == "pk":
            return False
        field = model._meta.get_field(part)
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


def scope_queryset(
    qs: QuerySet,
    *,
    user,
    regions: Iterable[str] = (),
    schools: Iterable[str] = (),
    users: Iterable[str] = (),
) -> QuerySet:
    """``qs`` limited to what ``user`` may see (see :func:`scope_filter`)."""
    q = scope_filter(user, regions=regions, schools=schools, users=users)
    lookups = [*regions, *schools, *users]
    if any(_crosses_to_many(qs.model, lk) for lk in lookups):
        # A row reached through a to-many path would repeat: filter by id.
        return qs.filter(pk__in=qs.model._default_manager.filter(q).values("pk"))
    return qs.filter(q)
