"""Choices, messages and helpers shared by the pairing models."""

import uuid
from datetime import date, timedelta
from pathlib import Path

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CYCLE_YEARS = 3  # a pairing holds for three years without interruption

NO_HELPER = _("Choose exactly one helper: a school, a studio or a mentor teacher.")
DATES_INCONSISTENT = _("The end date must be after the start date.")
ENDED_BEFORE_START = _("A pairing cannot end before it starts.")
SAME_REGION_LINK = _("A cross-region link joins two different regions.")
DUE_OUTSIDE_CYCLE = _("The due date must lie within the pairing's cycle.")
ONE_PARTNER = _("Choose exactly one partner: a school or a teacher.")


def cycle_end(start: date, years: int = CYCLE_YEARS) -> date:
    """The last day of a cycle of ``years`` starting on ``start``."""
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28)
    return end - timedelta(days=1)


def _random_name(folder: str, filename: str) -> str:
    # Random names: evidence shows people and schools, so its URLs must not be
    # guessable; the original name is kept on the row.
    suffix = Path(filename).suffix.lower()[:8]
    return f"pairing/{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def upload_evidence(instance, filename: str) -> str:
    return _random_name("evidence", filename)


def upload_signed(instance, filename: str) -> str:
    return _random_name("signed", filename)


def upload_agreement(instance, filename: str) -> str:
    return _random_name("agreements", filename)


class ActivityType(models.TextChoices):
    SEND_TEACHING = "send_teaching", _("Teaching delivered to the countryside")
    SHADOWING = "shadowing", _("Shadowing placement")
    JOINT_RESEARCH = "joint_research", _("Joint teaching research")
    DEMO_LESSON = "demo_lesson", _("Demonstration or open lesson")
    GUIDANCE = "guidance", _("Teaching guidance visit")
    FORUM = "forum", _("Management forum")
    SUPPORT_TEACHING = "support_teaching", _("Rural teaching stint")
    DELIVERED = "delivered", _("Delivered classroom")
    SYNC = "sync", _("Synchronous classroom")
    OTHER = "other", _("Other")


class Priority(models.IntegerChoices):
    LOW = 1, _("1 Low")
    MODERATE = 2, _("2 Moderate")
    MEDIUM = 3, _("3 Medium")
    HIGH = 4, _("4 High")
    URGENT = 5, _("5 Urgent")


class Level(models.IntegerChoices):
    BASIC = 1, _("1 Basic")
    FAIR = 2, _("2 Fair")
    GOOD = 3, _("3 Good")
    STRONG = 4, _("4 Strong")
    OUTSTANDING = 5, _("5 Outstanding")
