"""The credit-hour ledger: the one door, totals per year and cycle, scope."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses.credit import Requirement, standing
from courses.factories import ProgrammeFactory
from courses.models import LedgerEntry, Level
from courses.selectors import teacher_standing
from courses.services import ledger_add, ledger_remove
from schools.factories import SchoolFactory
from tests.courses.helpers import teacher

pytestmark = pytest.mark.django_db
Source = LedgerEntry.Source
D = Decimal


def add(person, ref="activity:1", hours=6, day=None, **kw):
    return ledger_add(
        teacher=person,
        source=kw.pop("source", Source.PAIRING),
        level=kw.pop("level", Level.COUNTY),
        hours=hours,
        date=day or date(2024, 5, 10),
        ref=ref,
        **kw,
    )


def test_crediting_twice_leaves_one_line(school):
    person = teacher(school)
    first = add(person, title="送教下乡：小学英语示范课")
    again = add(person, hours=8)
    assert again.pk == first.pk
    assert LedgerEntry.objects.filter(teacher=person).count() == 1
    assert again.hours == D("6.0")
    updated = add(person, hours=8, update=True)
    assert updated.pk == first.pk and updated.hours == D("8.0")
    # Another source or another reference is another line.
    add(person, source=Source.LIVE_LESSON)
    add(person, ref="activity:2")
    assert LedgerEntry.objects.filter(teacher=person).count() == 3


def test_a_model_instance_is_the_reference_and_the_evidence(county, school):
    person = teacher(school)
    programme = ProgrammeFactory(region=county, title="乡村英语教师口语提升班")
    entry = add(person, ref=programme, source=Source.PROGRAMME)
    assert entry.ref == f"courses.programme:{programme.pk}"
    assert entry.evidence_object == programme
    assert entry.title == str(programme)
    assert add(person, ref=programme, source=Source.PROGRAMME).pk == entry.pk


def test_evidence_text_and_verifier(school, reviewer):
    entry = add(teacher(school), evidence="签到表已存档", verified_by=reviewer)
    assert entry.evidence_text == "签到表已存档"
    assert entry.verified_by == reviewer and entry.verified_at is not None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"hours": 0}, "hours", "学时"),
        ({"hours": 501}, "hours", "500"),
        ({"day": timezone.localdate() + timedelta(days=1)}, "date", "未来"),
        ({"level": "galactic"}, "level", "级别"),
        ({"ref": " "}, "ref", "引用"),
    ],
)
def test_invalid_credits_are_refused_in_chinese(school, changes, field, message):
    with pytest.raises(ValidationError) as err:
        add(teacher(school), **changes)
    assert message in " ".join(err.value.message_dict[field])
    assert not LedgerEntry.objects.exists()


def test_remove_takes_a_credit_back(school):
    person = teacher(school)
    add(person)
    assert ledger_remove(teacher=person, source=Source.PAIRING, ref="activity:1") == 1
    assert ledger_remove(teacher=person, source=Source.PAIRING, ref="activity:1") == 0


def test_cycles_follow_the_start_year():
    req = Requirement(cycle_start=2021, cycle_years=5)
    assert req.cycle_of(2021) == (2021, 2025)
    assert req.cycle_of(2025) == (2021, 2025)
    assert req.cycle_of(2026) == (2026, 2030)
    assert req.cycle_of(2019) == (2016, 2020)


def test_standing_totals_per_year_and_cycle():
    req = Requirement(per_year=D(72), per_cycle=D(360), cycle_start=2021)
    hours = {2020: D(100), 2021: D(80), 2022: D(60), 2023: D(72), 2026: D(10)}
    s = standing(hours, 2023, req)
    assert (s.year_hours, s.cycle_hours) == (D(72), D(212))
    assert s.year_met and not s.cycle_met
    assert s.cycle_missing == D(148)
    assert s.cycle_expected == D(216)  # three of five years: 3/5 of 360
    assert not s.cycle_on_track
    assert s.year_percent == 100 and s.cycle_percent == 58
    low = standing(hours, 2022, req)
    assert not low.year_met and low.year_missing == D(12)
    assert standing(hours, 2026, req).cycle_hours == D(10)


def test_requirement_comes_from_settings(settings, school):
    settings.CREDIT_HOURS_PER_YEAR = 50
    settings.CREDIT_HOURS_PER_CYCLE = 240
    settings.CREDIT_CYCLE_START_YEAR = 2022
    person = teacher(school)
    add(person, ref="a", hours=30, day=date(2024, 3, 1))
    add(person, ref="b", hours=25, day=date(2024, 9, 1))
    add(person, ref="c", hours=40, day=date(2022, 9, 1))
    add(person, ref="d", hours=40, day=date(2021, 9, 1))  # the cycle before
    s = teacher_standing(teacher=person, year=2024)
    assert (s.cycle_first, s.cycle_last) == (2022, 2026)
    assert s.year_hours == D(55) and s.year_met
    assert s.cycle_hours == D(95) and s.requirement.per_cycle == D(240)


def test_ledger_admin_lists_only_the_region(client, reviewer, school, other_county):
    add(teacher(school, real_name="宁城老师"), title="宁城县培")
    far = SchoolFactory(region=other_county)
    add(teacher(far, real_name="略阳老师"), title="略阳县培")
    client.force_login(reviewer)
    html = client.get(reverse("ledger_admin:index")).content.decode()
    assert "宁城老师" in html and "略阳老师" not in html
    theirs = LedgerEntry.objects.get(title="略阳县培")
    url = reverse("ledger_admin:inspect", args=[theirs.pk])
    assert client.get(url).status_code == 404


def sidebar_labels(client) -> str:
    """The admin menu's labels (the sidebar is JSON in the page)."""
    import json
    import re

    html = client.get(reverse("wagtailadmin_home")).content.decode()
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    return json.dumps(json.loads(props.group(1)), ensure_ascii=False)


def test_reviewers_find_the_training_screens_in_the_admin_menu(client, reviewer):
    client.force_login(reviewer)
    menu = sidebar_labels(client)
    for label in ("培训项目", "培训台账", "报名审核", "报名与结业", "导入校外学时"):
        assert label in menu
