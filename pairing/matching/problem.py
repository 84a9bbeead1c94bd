"""Candidate generation: from partners and helpers to scored candidate pairs.

Every (helper, partner) pair allowed by the region rules becomes an edge; the
filters (strength, distance, recently ended, capacity) are boolean masks over
the edge arrays, so the scoring of a million pairs is a handful of numpy passes
and the reason an unpaired partner has no candidate is a per-stage count.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .types import (
    SCALE,
    Helper,
    MatchOptions,
    NeedKey,
    Partner,
    RegionRule,
    RuleKind,
)

DUPLICATE_ID = "Duplicate {side} id: {id!r}."
BAD_CAPACITY = "Capacity must be a non-negative integer (helper {id!r})."
BAD_WEIGHT = "Priorities and strengths must be finite and non-negative ({side} {id!r})."
DUPLICATE_NEED = "Partner {id!r} declares the need {key!r} more than once."
BAD_TRAVEL_LIMIT = "The travel limit must be a non-negative number (helper {id!r})."
BAD_LOCAL_LEVEL = "local_level must be at least 1."
BAD_PENALTY = "penalty_per_km must be finite and non-negative."

EARTH_RADIUS_KM = 6371.0088

# Funnel columns: helpers left after each filter, in the order reasons are given.
F_REGION, F_STRENGTH, F_DISTANCE, F_RECENT, F_CAPACITY = range(5)


@dataclass(eq=False)
class MatchProblem:
    """Everything the solvers need, in arrays indexed by canonical position.

    ``partners`` are the partners still to match (actively paired ones are
    removed), ``helpers`` all helpers; both sorted by id so that the order of
    the input lists never changes the result. Edge arrays hold the feasible
    candidate pairs only.
    """

    options: MatchOptions
    partners: tuple[Partner, ...]
    helpers: tuple[Helper, ...]
    partner_count: int  # all partners given, including actively paired ones
    kept: tuple[tuple[Hashable, Hashable], ...]
    capacity: np.ndarray  # (H,) int64
    active: np.ndarray  # (H,) int64 slots held by active pairings
    remaining: np.ndarray  # (H,) int64 capacity left for this run
    has_needs: np.ndarray  # (P,) bool
    funnel: np.ndarray  # (P, 5) int64
    rules: tuple[RegionRule, ...]
    edge_tail: np.ndarray  # (E,) int32 partner index
    edge_head: np.ndarray  # (E,) int32 helper index
    edge_units: np.ndarray  # (E,) int64 score units = need - penalty
    edge_need_units: np.ndarray  # (E,) int64
    edge_penalty_units: np.ndarray  # (E,) int64
    edge_km: np.ndarray  # (E,) float64, NaN when unknown
    edge_rule: np.ndarray  # (E,) int32 index into rules
    edge_repeat: np.ndarray  # (E,) bool: a recently ended pair (allow_repeat)


def _sort_key(value: Hashable) -> tuple[str, Hashable]:
    return (type(value).__name__, value)


def _codes(path: str | Sequence[str]) -> tuple[str, ...]:
    if isinstance(path, str):
        return tuple(code for code in path.split("/") if code)
    return tuple(str(code) for code in path)


def _check_weight(value: float, side: str, ident: Hashable) -> float:
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(BAD_WEIGHT.format(side=side, id=ident))
    return value


def _canonical(items: Iterable, side: str) -> tuple:
    ordered = sorted(items, key=lambda item: _sort_key(item.id))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.id == after.id:
            raise ValueError(DUPLICATE_ID.format(side=side, id=after.id))
    return tuple(ordered)


def _coords(items: Sequence[Partner] | Sequence[Helper]) -> tuple[np.ndarray, ...]:
    lat = np.array([np.nan if i.lat is None else i.lat for i in items], np.float64)
    lon = np.array([np.nan if i.lon is None else i.lon for i in items], np.float64)
    return np.radians(lat), np.radians(lon)


def haversine_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Great-circle distance in km between points given in radians."""
    a = (
        np.sin((lat2 - lat1) * 0.5) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) * 0.5) ** 2
    )
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


class _RegionIndex:
    """Which helpers each partner may pair with, by the region rules.

    A partner's allowed helpers depend only on its local region and on which
    configured cross-region pairs name one of its region codes, so they are
    resolved once per such group, not once per partner.
    """

    def __init__(
        self,
        helper_codes: list[tuple[str, ...]],
        cross_region_pairs: Iterable[tuple[str, str]],
        local_level: int,
    ) -> None:
        self.level = local_level
        cross = list(dict.fromkeys((str(h), str(p)) for h, p in cross_region_pairs))
        self.rules: list[RegionRule] = [
            RegionRule(RuleKind.CROSS_REGION, h, p) for h, p in cross
        ]
        self.cross_by_partner_code: dict[str, list[int]] = {}
        for rid, (_, partner_code) in enumerate(cross):
            self.cross_by_partner_code.setdefault(partner_code, []).append(rid)
        wanted = {h for h, _ in cross}
        self.by_local: dict[tuple[str, ...], list[int]] = {}
        self.by_code: dict[str, list[int]] = {}
        for index, codes in enumerate(helper_codes):
            if len(codes) >= local_level:
                self.by_local.setdefault(codes[:local_level], []).append(index)
            for code in wanted.intersection(codes):
                self.by_code.setdefault(code, []).append(index)
        self._local_rule: dict[tuple[str, ...], int] = {}
        self._allowed: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}

    def group_key(self, codes: tuple[str, ...]) -> tuple:
        local = codes[: self.level] if len(codes) >= self.level else None
        cross = sorted(
            rid for code in codes for rid in self.cross_by_partner_code.get(code, ())
        )
        return (local, tuple(cross))

    def allowed(self, key: tuple) -> tuple[np.ndarray, np.ndarray]:
        """(helper indices ascending, rule index per helper) for a group."""
        if key in self._allowed:
            return self._allowed[key]
        local, cross = key
        allowed: dict[int, int] = {}
        if local is not None and local in self.by_local:
            rid = self._local_rule.get(local)
            if rid is None:
                rid = self._local_rule[local] = len(self.rules)
                code = local[-1]
                self.rules.append(RegionRule(RuleKind.SAME_REGION, code, code))
            allowed = dict.fromkeys(self.by_local[local], rid)
        for rid in cross:
            for helper in self.by_code.get(self.rules[rid].helper_code, ()):
                allowed.setdefault(helper, rid)
        helpers = np.array(sorted(allowed), dtype=np.int32)
        rules = np.array([allowed[h] for h in helpers.tolist()], dtype=np.int32)
        self._allowed[key] = (helpers, rules)
        return helpers, rules


def _pair_keys(
    pairs: Iterable[tuple[Hashable, Hashable]],
    helper_index: Mapping[Hashable, int],
    partner_index: Mapping[Hashable, int],
    n_partners: int,
) -> tuple[np.ndarray, list[int]]:
    """int64 keys helper * P + partner of the pairs whose ids are both known."""
    keys: list[int] = []
    used: list[int] = []
    for position, (helper_id, partner_id) in enumerate(pairs):
        h = helper_index.get(helper_id)
        p = partner_index.get(partner_id)
        if h is not None and p is not None:
            keys.append(h * n_partners + p)
            used.append(position)
    return np.array(keys, dtype=np.int64), used


def build_problem(
    partners: Iterable[Partner],
    helpers: Iterable[Helper],
    *,
    cross_region_pairs: Iterable[tuple[str, str]] = (),
    active_pairs: Iterable[tuple[Hashable, Hashable]] = (),
    recent_pairs: Iterable[tuple[Hashable, Hashable]] = (),
    distances_km: Mapping[tuple[Hashable, Hashable], float] | None = None,
    options: MatchOptions | None = None,
) -> MatchProblem:
    """Generate and score the candidate pairs of one matching run.

    ``cross_region_pairs``: (helper region code, partner region code), codes of
    any level. ``active_pairs`` / ``recent_pairs``: (helper id, partner id).
    ``distances_km``: (helper id, partner id) -> km, e.g. road distances; it
    overrides the great-circle distance from coordinates.
    """
    options = options or MatchOptions()
    if options.local_level < 1:
        raise ValueError(BAD_LOCAL_LEVEL)
    penalty_per_km = float(options.penalty_per_km)
    if not math.isfinite(penalty_per_km) or penalty_per_km < 0:
        raise ValueError(BAD_PENALTY)
    all_partners = _canonical(partners, "partner")
    all_helpers = _canonical(helpers, "helper")
    kept = tuple(
        sorted(
            {(h, p) for h, p in active_pairs},
            key=lambda pair: (_sort_key(pair[1]), _sort_key(pair[0])),
        )
    )
    paired = {p for _, p in kept}
    todo = tuple(p for p in all_partners if p.id not in paired)
    n_p, n_h = len(todo), len(all_helpers)
    helper_index = {h.id: i for i, h in enumerate(all_helpers)}
    partner_index = {p.id: i for i, p in enumerate(todo)}

    # Helpers: capacity left after active pairings, travel limits.
    capacity = np.zeros(n_h, np.int64)
    max_km = np.full(n_h, np.inf)
    for i, helper in enumerate(all_helpers):
        cap = helper.capacity
        if isinstance(cap, bool) or int(cap) != cap or cap < 0:
            raise ValueError(BAD_CAPACITY.format(id=helper.id))
        capacity[i] = int(cap)
        if helper.max_travel_km is not None:
            limit = float(helper.max_travel_km)
            if math.isnan(limit) or limit < 0:
                raise ValueError(BAD_TRAVEL_LIMIT.format(id=helper.id))
            max_km[i] = limit
    active = np.zeros(n_h, np.int64)
    for helper_id, count in Counter(h for h, _ in kept).items():
        if helper_id in helper_index:
            active[helper_index[helper_id]] = count
    remaining = np.maximum(capacity - active, 0)

    # Partners' needs as CSR arrays over integer need keys.
    key_index: dict[NeedKey, int] = {}
    need_ptr = np.zeros(n_p + 1, np.int64)
    need_key: list[int] = []
    need_priority: list[float] = []
    for i, partner in enumerate(todo):
        seen: set[int] = set()
        for need in partner.needs:
            key = (need.subject, need.stage)
            k = key_index.setdefault(key, len(key_index))
            if k in seen:
                raise ValueError(DUPLICATE_NEED.format(id=partner.id, key=key))
            seen.add(k)
            need_key.append(k)
            need_priority.append(_check_weight(need.priority, "partner", partner.id))
        need_ptr[i + 1] = len(need_key)
    n_key = np.array(need_key, np.int64)
    n_priority = np.array(need_priority, np.float64)
    need_count = np.diff(need_ptr)

    # Helpers' strengths on the needed keys only, as a dense (H, K) matrix.
    n_k = len(key_index)
    strength = np.zeros((n_h, n_k), np.float64)
    for i, helper in enumerate(all_helpers):
        for key, value in helper.strengths.items():
            value = _check_weight(value, "helper", helper.id)
            k = key_index.get(tuple(key))
            if k is not None:
                strength[i, k] = value

    # Region rules: allowed helpers per partner group, expanded into edges.
    region = _RegionIndex(
        [_codes(h.region_path) for h in all_helpers],
        cross_region_pairs,
        options.local_level,
    )
    groups: dict[tuple, list[int]] = {}
    for i, partner in enumerate(todo):
        groups.setdefault(region.group_key(_codes(partner.region_path)), []).append(i)
    tails, heads, rules = [], [], []
    for key, members in groups.items():
        allowed, allowed_rules = region.allowed(key)
        if not len(allowed):
            continue
        members_arr = np.array(members, np.int32)
        tails.append(np.repeat(members_arr, len(allowed)))
        heads.append(np.tile(allowed, len(members)))
        rules.append(np.tile(allowed_rules, len(members)))
    tail = np.concatenate(tails) if tails else np.zeros(0, np.int32)
    head = np.concatenate(heads) if heads else np.zeros(0, np.int32)
    rule = np.concatenate(rules) if rules else np.zeros(0, np.int32)
    n_e = len(tail)

    # Need units per edge: sum over the partner's needs of
    # rint(priority * strength * SCALE), one numpy pass over (edge, need).
    per_edge = need_count[tail]
    edge_of = np.repeat(np.arange(n_e, dtype=np.int64), per_edge)
    first = np.cumsum(per_edge) - per_edge
    need_at = need_ptr[tail][edge_of] + (np.arange(len(edge_of)) - first[edge_of])
    contrib = np.rint(
        n_priority[need_at]
        * strength.ravel()[head[edge_of].astype(np.int64) * n_k + n_key[need_at]]
        * SCALE
    )
    need_units = np.bincount(edge_of, weights=contrib, minlength=n_e).astype(np.int64)

    # Distances: great-circle from coordinates, overridden by the table.
    p_lat, p_lon = _coords(todo)
    h_lat, h_lon = _coords(all_helpers)
    km = haversine_km(p_lat[tail], p_lon[tail], h_lat[head], h_lon[head])
    pair_key = head.astype(np.int64) * n_p + tail
    if distances_km:
        table = list(distances_km.items())
        keys, used = _pair_keys(
            (pair for pair, _ in table), helper_index, partner_index, n_p
        )
        if len(keys) and n_e:
            order = np.argsort(pair_key, kind="stable")
            position = np.minimum(np.searchsorted(pair_key[order], keys), n_e - 1)
            hit = pair_key[order][position] == keys
            values = np.array([float(table[u][1]) for u in used], np.float64)
            km[order[position[hit]]] = values[hit]
    travel = np.array([p.travel for p in todo], dtype=bool)[tail]
    known = travel & ~np.isnan(km)
    too_far = known & (km > max_km[head])
    penalty_units = np.where(
        known, np.rint(penalty_per_km * np.where(known, km, 0.0) * SCALE), 0.0
    ).astype(np.int64)

    recent_keys, _ = _pair_keys(recent_pairs, helper_index, partner_index, n_p)
    repeat = np.isin(pair_key, recent_keys)

    ok_strength = need_units > 0
    ok_distance = ok_strength & ~too_far
    ok_recent = ok_distance if options.allow_repeat else ok_distance & ~repeat
    ok_capacity = ok_recent & (remaining[head] > 0)
    funnel = np.stack(
        [
            np.bincount(tail[mask], minlength=n_p)
            for mask in (slice(None), ok_strength, ok_distance, ok_recent, ok_capacity)
        ],
        axis=1,
    ).astype(np.int64)

    keep = np.flatnonzero(ok_capacity)
    return MatchProblem(
        options=options,
        partners=todo,
        helpers=all_helpers,
        partner_count=len(all_partners),
        kept=kept,
        capacity=capacity,
        active=active,
        remaining=remaining,
        has_needs=need_count > 0,
        funnel=funnel.reshape(n_p, 5),
        rules=tuple(region.rules),
        edge_tail=tail[keep].astype(np.int32),
        edge_head=head[keep].astype(np.int32),
        edge_units=need_units[keep] - penalty_units[keep],
        edge_need_units=need_units[keep],
        edge_penalty_units=penalty_units[keep],
        edge_km=km[keep],
        edge_rule=rule[keep],
        edge_repeat=repeat[keep],
    )
