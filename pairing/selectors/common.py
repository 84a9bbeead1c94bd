"""Lookups shared by the pairing selectors."""

from __future__ import annotations

from django.db.models import (
    QuerySet,
)

from schools.models import School

from ..models import (
    Pairing,
)

PAIRING_SCHOOLS = (
    "helper_school",
    "helper_studio__host_school",
    "helper_teacher__school",
    "partner_schools",
    "partner_teachers__school",
)
PAIRING_EDITORS = ("helper_teacher", "helper_studio__leader", "mentors")
PAIRING_READERS = (*PAIRING_EDITORS, "partner_teachers")
HELPER_REGIONS = (
    "school__region",
    "studio__host_school__region",
    "mentor__school__region",
)
# Pairings that hold a partner: a helper's capacity and the engine's
# "never break an active pairing" count these.
HOLDING = (Pairing.Status.APPROVED, Pairing.Status.ACTIVE)


def rural_schools() -> QuerySet:
    """Rural by the statistics bureau's code (2xx), as School.is_rural."""
    return School.objects.filter(urban_rural_code__startswith="2")
