"""The seat arithmetic: seats, quotas and the reserved share (pure)."""

from hypothesis import given
from hypothesis import strategies as st

from courses.seats import (
    Candidate,
    Occupancy,
    Seat,
    promotions,
    seat_for,
    seats_left_for,
)


def test_general_seats_stop_at_the_reserved_share():
    # 10 seats, 3 reserved for rural backbone teachers, 7 general all taken.
    full_general = Occupancy(seats=10, reserved=3, holders=7, reserved_holders=0)
    assert seat_for(full_general, priority=False) is None
    assert seats_left_for(full_general, priority=False) == 0
    assert seat_for(full_general, priority=True) == Seat.RESERVED
    assert seats_left_for(full_general, priority=True) == 3


def test_priority_teachers_take_reserved_seats_first_then_general():
    reserved_full = Occupancy(seats=10, reserved=3, holders=5, reserved_holders=3)
    assert seat_for(reserved_full, priority=True) == Seat.GENERAL
    assert seat_for(reserved_full, priority=False) == Seat.GENERAL


def test_once_the_reservation_lapses_every_free_seat_is_general():
    closed = Occupancy(seats=10, reserved=0, holders=9, reserved_holders=1)
    assert seat_for(closed, priority=False) == Seat.GENERAL
    assert seats_left_for(closed, priority=False) == 1


def test_quota_limits_one_school():
    free = Occupancy(seats=50, holders=10)
    assert seat_for(free, priority=False, quota=2, school_holders=2) is None
    assert seat_for(free, priority=False, quota=2, school_holders=1) == Seat.GENERAL
    assert seats_left_for(free, priority=True, quota=2, school_holders=1) == 1


def test_fewer_seats_than_holders_after_an_edit_gives_nothing():
    shrunk = Occupancy(seats=5, reserved=2, holders=8, reserved_holders=1)
    assert seat_for(shrunk, priority=True) is None
    assert seats_left_for(shrunk, priority=True) == 0


def test_promotion_skips_a_full_school_and_keeps_its_place():
    waitlist = [Candidate(1, 100, False), Candidate(2, 200, False)]
    chosen = promotions(
        Occupancy(seats=10, holders=9),
        waitlist=waitlist,
        quotas={100: 3, 200: 5},
        school_holders={100: 3, 200: 4},
    )
    assert chosen == [(2, Seat.GENERAL)]


def test_promotion_gives_a_reserved_seat_to_the_first_priority_teacher():
    waitlist = [Candidate(1, 1, False), Candidate(2, 1, True), Candidate(3, 1, True)]
    occupancy = Occupancy(seats=10, reserved=3, holders=9, reserved_holders=2)
    assert promotions(occupancy, waitlist=waitlist) == [(2, Seat.RESERVED)]


occupancies = st.builds(
    lambda seats, share, holders, reserved_holders: Occupancy(
        seats=seats,
        reserved=seats * share // 100,
        holders=holders,
        reserved_holders=min(reserved_holders, holders, seats * share // 100),
    ),
    st.integers(1, 60),
    st.integers(0, 100),
    st.integers(0, 70),
    st.integers(0, 70),
)


@given(
    occupancies,
    st.booleans(),
    st.one_of(st.none(), st.integers(0, 10)),
    st.integers(0, 12),
)
def test_a_seat_is_given_exactly_when_one_is_left(occupancy, priority, quota, mine):
    seat = seat_for(occupancy, priority=priority, quota=quota, school_holders=mine)
    left = seats_left_for(
        occupancy, priority=priority, quota=quota, school_holders=mine
    )
    assert (seat is not None) == (left > 0)
    if seat == Seat.RESERVED:
        assert priority


@given(
    st.integers(1, 40),
    st.integers(0, 100),
    st.lists(st.tuples(st.integers(1, 4), st.booleans()), max_size=80),
    st.one_of(st.none(), st.dictionaries(st.integers(1, 4), st.integers(1, 15))),
)
def test_promotions_never_exceed_seats_quotas_or_general_share(
    seats, share, people, quotas
):
    reserved = seats * share // 100
    waitlist = [Candidate(i, school, prio) for i, (school, prio) in enumerate(people)]
    chosen = promotions(
        Occupancy(seats=seats, reserved=reserved), waitlist=waitlist, quotas=quotas
    )
    by_id = {c.id: c for c in waitlist}
    assert len(chosen) <= seats
    assert len({pk for pk, _seat in chosen}) == len(chosen)
    general = [pk for pk, seat in chosen if seat == Seat.GENERAL]
    assert len(general) <= seats - reserved
    assert all(by_id[pk].priority for pk, seat in chosen if seat == Seat.RESERVED)
    if quotas is not None:
        for school in {c.school_id for c in waitlist}:
            taken = sum(1 for pk, _s in chosen if by_id[pk].school_id == school)
            assert taken <= quotas.get(school, 0)
    # Nobody who would fit is left waiting behind a filled seat.
    if quotas is None and len(chosen) < seats:
        promoted = {pk for pk, _s in chosen}
        waiting = [c for c in waitlist if c.id not in promoted]
        assert all(not c.priority for c in waiting) or len(chosen) == seats
        assert not waiting or len(general) == seats - reserved
