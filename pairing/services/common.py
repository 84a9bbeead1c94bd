"""Messages and checks shared by the pairing services."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

logger = logging.getLogger(__name__)

NOT_ALLOWED = _("You may not change this pairing.")
NO_PARTNER = _("Choose at least one partner.")
KIND_MISMATCH = _("The helper and the partners do not fit this kind of pairing.")
ALREADY_PAIRED = _("%(helper)s and %(partner)s are already in a live pairing.")
HELPER_FULL = _("%(helper)s has no free capacity (%(capacity)s partners at most).")
BAD_TRANSITION = _("This pairing is %(status)s; it cannot be %(action)s.")
END_REASON_REQUIRED = _("Say why the pairing ends before its cycle is over.")
ACTIVITY_NOT_LIVE = _("Activities can be logged only for approved or active pairings.")
ACTIVITY_DATE_OUTSIDE = _(
    "The date must lie within the pairing's cycle and not in the future."
)
NOT_ON_HELPER_SIDE = _("%(name)s is not on the helping side of this pairing.")
NOT_ON_PARTNER_SIDE = _("%(name)s is not on the helped side of this pairing.")
NO_PARTICIPANT = _("Name at least one participating teacher.")
TARGET_OF_OTHER_PAIRING = _("A target of another pairing was chosen.")
RESPONSIBLE_NOT_ON_SIDES = _("%(name)s does not belong to either side of the pairing.")
NOT_RURAL = _("Need profiles are for rural schools.")
PROPOSAL_DECIDED = _("This proposal has already been decided.")
RUN_OUT_OF_SCOPE = _("You may run a matching only inside your own region.")
RUN_BUSY = _("A matching of this kind is already running for this region.")
ADJUST_NOT_FEASIBLE = _("This helper cannot take the partner: %(reason)s.")
ADJUST_NOT_ALLOWED = _("Choose a helper of the same kind inside your region.")

# Steps of a matching run, shown beside its progress bar.
RUN_STEPS = {
    "queued": _("Waiting for a worker…"),
    "loading": _("Reading the profiles…"),
    "solving": _("Finding the best plan…"),
    "saving": _("Saving the proposals…"),
    "done": _("Finished."),
    "failed": _("The matching failed; see the error below."),
}

STATUS_WORDS = {
    "approved": pgettext_lazy("pairing action", "approved"),
    "activated": pgettext_lazy("pairing action", "started"),
    "ended": pgettext_lazy("pairing action", "ended"),
}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(NOT_ALLOWED)
