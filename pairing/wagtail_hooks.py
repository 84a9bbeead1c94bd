from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from accounts.audit import ScopedLogEntry
from accounts.permissions import ScopedPermissionPolicy
from accounts.scoped_admin import PermissionMenuItem

from .models import (
    CrossRegionLink,
    HelperProfile,
    MatchingRun,
    MatchProposal,
    NeedProfile,
    Pairing,
)
from .selectors import HELPER_REGIONS, PAIRING_SCHOOLS

# Policies first: Wagtail creates a fallback policy the first time it is asked
# about a model, after which registering one is refused. A pairing belongs to
# the bureaus of both its sides (cross-region pairings to both regions').
register_permission_policy(
    Pairing, ScopedPermissionPolicy(Pairing, schools=PAIRING_SCHOOLS)
)
register_permission_policy(
    NeedProfile, ScopedPermissionPolicy(NeedProfile, schools=["school"])
)
register_permission_policy(
    HelperProfile, ScopedPermissionPolicy(HelperProfile, regions=HELPER_REGIONS)
)
register_permission_policy(
    CrossRegionLink,
    ScopedPermissionPolicy(
        CrossRegionLink, regions=["helper_region", "partner_region"]
    ),
)
register_permission_policy(
    MatchingRun, ScopedPermissionPolicy(MatchingRun, regions=["region"])
)
register_permission_policy(
    MatchProposal, ScopedPermissionPolicy(MatchProposal, regions=["run__region"])
)


@hooks.register("register_log_actions")
def log_in_scope(actions):
    # Admin history of these rows is read only inside the reader's scope.
    for model in (Pairing, NeedProfile, HelperProfile, CrossRegionLink, MatchingRun):
        actions.register_model(model, ScopedLogEntry)


@hooks.register("register_admin_viewset")
def register_pairing_admin():
    from .viewsets import PairingAdminGroup

    return PairingAdminGroup()


@hooks.register("register_admin_urls")
def register_coverage_urls():
    from .admin_views import CoverageView

    return [
        path("pairing-coverage/", CoverageView.as_view(), name="pairing_coverage"),
    ]


@hooks.register("register_pairing_menu_item")
def register_coverage_menu_item():
    return PermissionMenuItem(
        _("Coverage"),
        reverse("pairing_coverage"),
        name="pairing-coverage",
        icon_name="doc-full",
        order=900,
        permission="pairing.view_pairing",
    )
