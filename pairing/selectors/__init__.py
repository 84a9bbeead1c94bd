"""Reads of pairings, profiles and coverage, scoped by role and region.

Who sees a pairing (through :func:`accounts.selectors.scope_queryset`):
- bureau reviewers, when either side lies in their region (a cross-region
  pairing is visible to both sides' bureaus);
- school admins, when their school is on either side;
- the helping teacher, the studio leader, the pairing's mentors and its
  partner teachers (their own pairings).
Who edits one (logs activities, keeps targets, uploads the signed agreement):
the same, except partner teachers, who only read.
"""

from .common import (
    HELPER_REGIONS,
    HOLDING,
    PAIRING_EDITORS,
    PAIRING_READERS,
    PAIRING_SCHOOLS,
    rural_schools,
)
from .coverage import (
    UncoveredNeed,
    coverage_regions,
    coverage_silent_pairings,
    coverage_uncovered_needs,
    coverage_unpaired_schools,
)
from .matching import (
    MatchingInput,
    cross_links_for,
    helper_choices_for,
    helper_load,
    helper_rows,
    matching_input,
    matching_runs_visible,
    proposals_of,
    rural_teachers,
    school_partner_rows,
    strength_rows,
    teacher_partner_rows,
)
from .pairings import (
    STEP_BEHIND,
    STEP_INTERACT,
    STEP_NO_PERSON,
    STEP_OVERDUE,
    STEP_SIGN,
    STEP_STARTS,
    PairingCard,
    TargetRow,
    card_for,
    helper_side_people,
    next_steps,
    notifications_for,
    pairing_can_edit,
    pairing_cards,
    pairing_detail,
    pairing_list_for_user,
    pairing_missed_semesters,
    pairings_editable,
    pairings_visible,
    partner_side_people,
    school_admins_of,
    with_sides,
)
from .profiles import (
    helper_profiles_editable,
    need_profiles_editable,
    profiles_for_user,
)

__all__ = [
    "HELPER_REGIONS",
    "HOLDING",
    "MatchingInput",
    "PAIRING_EDITORS",
    "PAIRING_READERS",
    "PAIRING_SCHOOLS",
    "PairingCard",
    "STEP_BEHIND",
    "STEP_INTERACT",
    "STEP_NO_PERSON",
    "STEP_OVERDUE",
    "STEP_SIGN",
    "STEP_STARTS",
    "TargetRow",
    "UncoveredNeed",
    "card_for",
    "coverage_regions",
    "coverage_silent_pairings",
    "coverage_uncovered_needs",
    "coverage_unpaired_schools",
    "cross_links_for",
    "helper_choices_for",
    "helper_load",
    "helper_profiles_editable",
    "helper_rows",
    "helper_side_people",
    "matching_input",
    "matching_runs_visible",
    "need_profiles_editable",
    "next_steps",
    "notifications_for",
    "pairing_can_edit",
    "pairing_cards",
    "pairing_detail",
    "pairing_list_for_user",
    "pairing_missed_semesters",
    "pairings_editable",
    "pairings_visible",
    "partner_side_people",
    "profiles_for_user",
    "proposals_of",
    "rural_schools",
    "rural_teachers",
    "school_admins_of",
    "school_partner_rows",
    "strength_rows",
    "teacher_partner_rows",
    "with_sides",
]
