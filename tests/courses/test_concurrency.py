"""Simultaneous applications on PostgreSQL never exceed seats or quotas.

200 applications race for 50 seats. Each application runs in a thread on a
database connection of its own (opened for it, closed after it), 50 threads
at once: PostgreSQL's default max_connections is 100 and other test runs may
share the server. A barrier releases the threads together, so dozens of
transactions contend for the programme row at the same moment.

"Holding a seat" means pending approval, admitted or completed
(Enrolment.SEAT_HOLDING): with no approval chain every seat holder is
admitted; with a chain they hold the seat while pending.
"""

import threading
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from courses.models import ApprovalChain, Enrolment, ProgrammeQuota
from courses.seats import Candidate, Occupancy, promotions
from courses.services import enrolment_apply
from schools.factories import SchoolFactory
from tests.courses.helpers import open_programme, teacher

pytestmark = pytest.mark.postgres
THREADS = 50
APPLICANTS = 200
SEATS = 50


def race(programme, people) -> tuple[list, list]:
    """Apply every one of ``people`` from THREADS threads at once."""
    chunks = [people[i::THREADS] for i in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    results, errors = [], []
    lock = threading.Lock()

    def work(chunk):
        try:
            barrier.wait(timeout=60)
            for person in chunk:
                try:
                    enrolment = enrolment_apply(teacher=person, programme=programme)
                    with lock:
                        results.append((person.pk, enrolment.status))
                except (ValidationError, Exception) as exc:  # noqa: BLE001
                    with lock:
                        errors.append(repr(exc))
                finally:
                    connection.close()  # the next application: a new connection
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(c,)) for c in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(t.is_alive() for t in threads)
    return results, errors


def test_200_applications_for_50_seats_admit_exactly_50(transactional_db, county):
    schools = [SchoolFactory(region=county) for _ in range(4)]
    people = [teacher(schools[i % 4]) for i in range(APPLICANTS)]
    programme = open_programme(county, seats=SEATS, chain=ApprovalChain.NONE)
    results, errors = race(programme, people)
    assert errors == []
    assert len(results) == APPLICANTS
    rows = list(Enrolment.objects.filter(programme=programme))
    assert len(rows) == APPLICANTS  # none lost
    assert len({r.teacher_id for r in rows}) == APPLICANTS  # none duplicated
    counts = Counter(r.status for r in rows)
    assert counts == {"admitted": SEATS, "waitlisted": APPLICANTS - SEATS}
    # What each caller was told is what the database holds.
    assert dict(results) == {r.teacher_id: r.status for r in rows}


def test_quotas_and_reserved_share_hold_under_the_race(transactional_db, county):
    rural = [SchoolFactory(region=county) for _ in range(3)]
    urban = SchoolFactory(region=county, category="urban", urban_rural_code="111")
    schools = [*rural, urban]
    quotas = dict(zip(schools, (15, 15, 10, 10), strict=True))
    people = []
    for i in range(APPLICANTS):
        school = schools[i % 4]
        # Every fifth rural applicant is a backbone teacher (priority).
        people.append(teacher(school, backbone=school in rural and i % 5 == 0))
    programme = open_programme(
        county,
        seats=SEATS,
        chain=ApprovalChain.SCHOOL_BUREAU,
        rural_backbone_share=20,
    )
    for school, seats in quotas.items():
        ProgrammeQuota.objects.create(programme=programme, school=school, seats=seats)
    results, errors = race(programme, people)
    assert errors == []
    rows = list(Enrolment.objects.filter(programme=programme))
    assert len(rows) == APPLICANTS
    assert len({r.teacher_id for r in rows}) == APPLICANTS
    holding = [r for r in rows if r.status in Enrolment.SEAT_HOLDING]
    assert len(holding) <= SEATS
    assert {r.status for r in holding} == {"pending"}
    assert ProgrammeQuota.objects.filter(programme=programme).count() == 4
    assert {r.status for r in rows} - {"pending"} == {"waitlisted"}
    per_school = Counter(r.school_id for r in holding)
    for school, seats in quotas.items():
        assert per_school[school.pk] <= seats
    reserved = [r for r in holding if r.reserved_seat]
    assert len(reserved) <= programme.reserved_seats
    assert all(r.priority for r in reserved)
    assert len(holding) - len(reserved) <= SEATS - programme.reserved_seats
    assert dict(results) == {r.teacher_id: r.status for r in rows}
    # Nobody was left waiting who fits a free seat (quotas and share counted).
    waiting = sorted(
        (r for r in rows if r.status == "waitlisted"),
        key=lambda r: (r.applied_at, r.pk),
    )
    occupancy = Occupancy(
        seats=SEATS,
        reserved=programme.reserved_seats,
        holders=len(holding),
        reserved_holders=len(reserved),
    )
    assert (
        promotions(
            occupancy,
            waitlist=[Candidate(r.pk, r.school_id, r.priority) for r in waiting],
            quotas={s.pk: n for s, n in quotas.items()},
            school_holders=per_school,
        )
        == []
    )
