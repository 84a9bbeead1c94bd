"""Words for the engine's codes and numbers, for bureau screens and exports."""

from django.utils.translation import gettext_lazy as _

from schools.models import Stage, Subject

from .matching import SCALE, Reason

REASON_LABELS = {
    Reason.NO_NEEDS: _("No needs declared: the school has not filled in its needs"),
    Reason.NO_REGION_CANDIDATE: _(
        "No helper in its county or in a linked cross-region area"
    ),
    Reason.NO_STRENGTH: _("No helper nearby is strong in the subjects it needs"),
    Reason.OUT_OF_DISTANCE: _(
        "Help must come on site, and every suitable helper is beyond its travel limit"
    ),
    Reason.ONLY_RECENT: _(
        "Only helpers whose pairing with it ended recently (repeats not allowed)"
    ),
    Reason.NO_CAPACITY: _("Every suitable helper is already full"),
    Reason.LOST_TO_OTHERS: _(
        "Suitable helpers exist, but their places went to schools they fit better"
    ),
}
FUNNEL_LABELS = (
    ("region", _("in region")),
    ("strength", _("with strength")),
    ("distance", _("within distance")),
    ("recent", _("not recently paired")),
    ("capacity", _("with free capacity")),
)
RULE_LABELS = {
    "same_region": _("Same county"),
    "cross_region": _("Configured cross-region pair"),
}


def reason_label(code: str) -> str:
    try:
        return str(REASON_LABELS[Reason(code)])
    except ValueError:
        return code


class Names:
    """Subject and stage names by code, read once per screen."""

    def __init__(self) -> None:
        self.subjects = {s.code: str(s) for s in Subject.objects.all()}
        self.stages = {s.code: str(s) for s in Stage.objects.all()}

    def need(self, subject: str, stage: str) -> str:
        return f"{self.stages.get(stage, stage)}{self.subjects.get(subject, subject)}"


def explain(breakdown: dict, names: Names) -> dict:
    """A proposal's stored breakdown in words and points, for templates."""
    needs = [
        {
            "label": names.need(n["subject"], n["stage"]),
            "priority": n["priority"],
            "strength": n["strength"],
            "points": n["units"] / SCALE,
            "matched": n["units"] > 0,
        }
        for n in breakdown.get("needs", [])
    ]
    rule = breakdown.get("region_rule") or {}
    return {
        "needs": needs,
        "need_points": breakdown.get("need_points", 0),
        "penalty_points": breakdown.get("penalty_points", 0),
        "distance_km": breakdown.get("distance_km"),
        "travel": breakdown.get("travel", False),
        "rule": str(RULE_LABELS.get(rule.get("kind"), rule.get("kind", ""))),
        "repeat": breakdown.get("repeat", False),
    }


def funnel_words(funnel: dict) -> list[tuple[str, int]]:
    return [(str(label), funnel.get(key, 0)) for key, label in FUNNEL_LABELS]
