"""Need and helper profiles, pairings, targets, activities, matching runs.

The engine (:mod:`pairing.matching`) sees none of these: selectors turn
profiles into plain rows, services store what it returns.
"""

from .common import (
    CYCLE_YEARS,
    DATES_INCONSISTENT,
    DUE_OUTSIDE_CYCLE,
    ENDED_BEFORE_START,
    NO_HELPER,
    ONE_PARTNER,
    SAME_REGION_LINK,
    ActivityType,
    Level,
    Priority,
    cycle_end,
    upload_agreement,
    upload_evidence,
    upload_signed,
)
from .matching import MatchingRun, MatchProposal
from .pairings import (
    Activity,
    ActivityParticipant,
    Evidence,
    Notification,
    Pairing,
    PairingEvent,
    SignedAgreement,
    Target,
)
from .profiles import CrossRegionLink, HelperProfile, Need, NeedProfile, Strength

__all__ = [
    "CYCLE_YEARS",
    "DATES_INCONSISTENT",
    "DUE_OUTSIDE_CYCLE",
    "ENDED_BEFORE_START",
    "NO_HELPER",
    "ONE_PARTNER",
    "SAME_REGION_LINK",
    "Activity",
    "ActivityParticipant",
    "ActivityType",
    "CrossRegionLink",
    "Evidence",
    "HelperProfile",
    "Level",
    "MatchProposal",
    "MatchingRun",
    "Need",
    "NeedProfile",
    "Notification",
    "Pairing",
    "PairingEvent",
    "Priority",
    "SignedAgreement",
    "Strength",
    "Target",
    "cycle_end",
    "upload_agreement",
    "upload_evidence",
    "upload_signed",
]
