"""The database side of an import: load what a roster names, write a plan.

Loading takes a few queries per kind (keys in chunks, many-to-many rows in
bulk); writing uses bulk inserts and updates in batches, and many-to-many
rows through their through-models. Call :func:`write_plan` inside one
``transaction.atomic`` block (services.roster_apply does).
"""

import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models.functions import Lower
from django.utils import timezone, translation

from accounts.models import Honour, User
from accounts.selectors import Scope

from ..models import Region, School, Stage, Subject
from .columns import MANAGED_ROLES, TITLES
from .parse import KEEP, Roster, Vocabulary
from .validate import (
    Context,
    Plan,
    RegionInfo,
    SchoolInfo,
    UserInfo,
    referenced_codes,
    teacher_keys,
)

CHUNK = 2000  # keys per IN (...) query
BATCH = 1000  # rows per INSERT
UPDATE_BATCH = 500  # rows per bulk UPDATE (CASE WHEN grows with the batch)

Progress = Callable[[int, str], None]


def _chunks(values: Iterable, size: int = CHUNK) -> Iterator[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


# --- Vocabulary -------------------------------------------------------------


def load_vocabulary() -> Vocabulary:
    """The names a roster may use for subjects, stages, honours and titles."""

    def names(model) -> tuple[dict[str, str], str]:
        rows = list(model.objects.values_list("code", "name_zh"))
        lookup = {code: code for code, _ in rows}
        lookup.update({zh: code for code, zh in rows})
        return lookup, "、".join(zh for _, zh in rows)

    subjects, subject_names = names(Subject)
    stages, stage_names = names(Stage)
    honours, honour_names = names(Honour)
    titles = dict(TITLES)
    for value, label in User.Title.choices:
        titles[value] = value
        with translation.override("zh-hans"):
            titles["".join(str(label).split())] = value
    with translation.override("zh-hans"):
        title_names = "、".join(str(label) for _, label in User.Title.choices)
    return Vocabulary(
        subjects=subjects,
        stages=stages,
        honours=honours,
        titles=titles,
        subject_names=subject_names,
        stage_names=stage_names,
        honour_names=honour_names,
        title_names=title_names,
    )


# --- Context ----------------------------------------------------------------


def load_context(roster: Roster, scope: Scope, *, scope_name: str = "") -> Context:
    """Everything the database holds for the keys ``roster`` names."""
    ctx = Context(
        everything=scope.everything,
        scope_path=scope.region_path,
        scope_name=scope_name,
    )
    region_codes, school_codes = referenced_codes(roster)
    for chunk in _chunks(region_codes):
        for pk, code, name, level, parent_code, path in Region.objects.filter(
            code__in=chunk
        ).values_list("id", "code", "name", "level", "parent__code", "path"):
            ctx.regions[code] = RegionInfo(
                pk, code, name, level, parent_code or "", path
            )

    by_id: dict[int, SchoolInfo] = {}
    for chunk in _chunks(school_codes):
        for values in School.objects.filter(code__in=chunk).values_list(
            "id",
            "code",
            "name",
            "region__code",
            "region__path",
            "category",
            "urban_rural_code",
            "is_weak",
            "student_count",
            "teacher_count",
            "address",
            "longitude",
            "latitude",
        ):
            info = SchoolInfo(*values)
            ctx.schools[info.code] = by_id[info.id] = info
    stages = defaultdict(set)
    through = School.stages.through
    for chunk in _chunks(by_id):
        for school_id, stage_id in through.objects.filter(
            school_id__in=chunk
        ).values_list("school_id", "stage_id"):
            stages[school_id].add(stage_id)
    for school_id, found in stages.items():
        by_id[school_id].stages = frozenset(found)

    phones, digests, emails = teacher_keys(roster)
    users: dict[int, UserInfo] = {}
    for chunk in _chunks(phones):
        for pk, phone, *rest in User.objects.filter(phone__in=chunk).values_list(
            "id",
            "phone",
            "real_name",
            "email",
            "id_number_digest",
            "id_number_masked",
            "school__code",
            "school__region__path",
            "title",
            "years_of_teaching",
        ):
            info = UserInfo(pk, *rest)
            ctx.users_by_phone[phone] = users[pk] = info
    _load_user_sets(users)
    for chunk in _chunks(digests):
        ctx.digest_owner.update(
            User.objects.filter(id_number_digest__in=chunk).values_list(
                "id_number_digest", "id"
            )
        )
    for chunk in _chunks(emails):
        ctx.email_owner.update(
            User.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=chunk)
            .values_list("email_lower", "id")
        )
    for chunk in _chunks(phones):
        ctx.username_owner.update(
            User.objects.filter(username__in=chunk).values_list("username", "id")
        )
    return ctx


def _load_user_sets(users: dict[int, UserInfo]) -> None:
    relations = (
        ("subjects", User.subjects.through, "subject_id"),
        ("stages", User.stages.through, "stage_id"),
        ("honours", User.honours.through, "honour_id"),
        ("roles", User.groups.through, "group__name"),
    )
    for name, through, column in relations:
        found = defaultdict(set)
        for chunk in _chunks(users):
            for user_id, value in through.objects.filter(user_id__in=chunk).values_list(
                "user_id", column
            ):
                found[user_id].add(value)
        for user_id, values in found.items():
            setattr(users[user_id], name, frozenset(values))


# --- Writing ----------------------------------------------------------------


def _code_ids(model, codes: Iterable[str], field: str = "code") -> dict[str, int]:
    out = {}
    for chunk in _chunks(codes):
        out.update(
            model.objects.filter(**{f"{field}__in": chunk}).values_list(field, "id")
        )
    return out


def _created_ids(objs: list, model, field: str) -> dict[str, int]:
    """Primary keys of bulk-created rows, returned by the insert where possible."""
    if objs and all(obj.pk is not None for obj in objs):
        return {getattr(obj, field): obj.pk for obj in objs}
    return _code_ids(model, [getattr(obj, field) for obj in objs], field)


class _Progress:
    """Turns rows written into a percentage between ``start`` and ``end``."""

    def __init__(self, callback: Progress | None, total: int, start=0, end=100):
        self.callback = callback
        self.total = max(total, 1)
        self.done = 0
        self.start, self.end = start, end
        self.last = -1

    def add(self, n: int, message: str = "") -> None:
        self.done += n
        if self.callback is None:
            return
        percent = (
            self.start
            + (self.end - self.start) * min(self.done, self.total) // self.total
        )
        if percent != self.last:
            self.last = percent
            self.callback(percent, message)


def write_plan(
    plan: Plan, *, progress: Progress | None = None, start: int = 0, end: int = 100
) -> dict:
    """Carry out a valid plan; returns its counts."""
    assert plan.ok, "only a valid plan may be written"
    ctx = plan.context
    assert ctx is not None
    tick = _Progress(progress, plan.writes, start, end)
    region_ids = {code: info.id for code, info in ctx.regions.items()}
    _write_regions(plan, region_ids, tick)
    school_ids = {code: info.id for code, info in ctx.schools.items()}
    _write_schools(plan, region_ids, school_ids, tick)
    _write_teachers(plan, school_ids, tick)
    return plan.counts


def _write_regions(plan: Plan, region_ids: dict, tick: _Progress) -> None:
    by_level = defaultdict(list)
    for create in plan.region_creates:
        by_level[create.row.level].append(create)
    for level in sorted(by_level):
        objs = [
            Region(
                code=c.row.code,
                name=c.row.name,
                level=c.row.level,
                parent_id=region_ids[c.row.parent_code] if c.row.parent_code else None,
                path=c.path,
            )
            for c in by_level[level]
        ]
        Region.objects.bulk_create(objs, batch_size=BATCH)
        region_ids.update(_created_ids(objs, Region, "code"))
        tick.add(len(objs))
    if plan.region_renames:
        Region.objects.bulk_update(
            [Region(id=pk, name=name) for pk, name in plan.region_renames],
            ["name"],
            batch_size=UPDATE_BATCH,
        )
        tick.add(len(plan.region_renames))


def _kept(value, default):
    return default if value is KEEP else value


def _write_schools(plan: Plan, region_ids: dict, school_ids: dict, tick) -> None:
    objs = []
    for row in plan.school_creates:
        objs.append(
            School(
                code=row.code,
                name=row.name,
                region_id=region_ids[row.region_code],
                category=row.category,
                urban_rural_code=row.urban_rural_code,
                is_weak=_kept(row.is_weak, False),
                student_count=_kept(row.student_count, 0),
                teacher_count=_kept(row.teacher_count, 0),
                address=_kept(row.address, ""),
                longitude=_kept(row.longitude, None),
                latitude=_kept(row.latitude, None),
            )
        )
    for batch in _chunks(objs, BATCH):
        School.objects.bulk_create(batch)
        tick.add(len(batch))
    school_ids.update(_created_ids(objs, School, "code"))

    now = timezone.now()
    groups = defaultdict(list)
    for change in plan.school_changes:
        if change.fields:
            groups[frozenset(change.fields)].append(change)
    for names, changes in groups.items():
        fields = sorted(names)
        updated = []
        for change in changes:
            obj = School(id=change.info.id, updated_at=now)
            for name, value in change.fields.items():
                if name == "region":
                    obj.region_id = region_ids[value]
                else:
                    setattr(obj, name, value)
            updated.append(obj)
        School.objects.bulk_update(
            updated, [*fields, "updated_at"], batch_size=UPDATE_BATCH
        )
    tick.add(len(plan.school_changes))

    through = School.stages.through
    replace = {c.info.id: c.stages for c in plan.school_changes if c.stages is not None}
    for row in plan.school_creates:
        if row.stages:
            replace[school_ids[row.code]] = row.stages
    _replace_m2m(
        through,
        "school_id",
        "stage_id",
        replace,
        clear=[c.info.id for c in plan.school_changes if c.stages is not None],
    )


def _replace_m2m(
    through,
    owner: str,
    target: str,
    wanted: dict[int, Iterable],
    *,
    clear: list,
    limit_to: Iterable | None = None,
) -> None:
    """Give each owner exactly ``wanted[owner]``: delete old rows, insert new."""
    for chunk in _chunks(clear):
        qs = through.objects.filter(**{f"{owner}__in": chunk})
        if limit_to is not None:
            qs = qs.filter(**{f"{target}__in": list(limit_to)})
        qs.delete()
    rows = [
        through(**{owner: owner_id, target: value})
        for owner_id, values in wanted.items()
        for value in values
    ]
    for batch in _chunks(rows, 5000):
        through.objects.bulk_create(batch)


def _write_teachers(plan: Plan, school_ids: dict, tick: _Progress) -> None:
    group_ids = dict(
        Group.objects.filter(name__in=MANAGED_ROLES).values_list("name", "id")
    )
    now = timezone.now()
    created: dict[str, int] = {}
    rows = plan.teacher_creates
    returns_ids = connection.features.can_return_rows_from_bulk_insert
    for batch in _chunks(rows, BATCH):
        objs = [
            User(
                username=row.phone,
                phone=row.phone,
                real_name=row.name,
                email=_kept(row.email, ""),
                id_number_digest=_kept(row.id_digest, None),
                id_number_masked=row.id_masked,
                school_id=school_ids[row.school_code],
                title=_kept(row.title, ""),
                years_of_teaching=_kept(row.years_of_teaching, None),
                # Unusable: teachers activate their account by phone code.
                password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
                date_joined=now,
            )
            for row in batch
        ]
        User.objects.bulk_create(objs)
        if returns_ids:
            created.update((obj.phone, obj.pk) for obj in objs)
        tick.add(len(objs))
    if not returns_ids:
        created = _code_ids(User, [row.phone for row in rows], "phone")

    groups = defaultdict(list)
    for change in plan.teacher_changes:
        if change.fields:
            groups[frozenset(change.fields)].append(change)
    for names, changes in groups.items():
        fields = sorted(names)
        updated = []
        for change in changes:
            obj = User(id=change.info.id)
            for name, value in change.fields.items():
                if name == "school":
                    obj.school_id = school_ids[value]
                else:
                    setattr(obj, name, value)
            updated.append(obj)
        User.objects.bulk_update(updated, fields, batch_size=UPDATE_BATCH)
    tick.add(len(plan.teacher_changes))

    relations = (
        ("subjects", User.subjects.through, "subject_id", None),
        ("stages", User.stages.through, "stage_id", None),
        ("honours", User.honours.through, "honour_id", None),
        ("roles", User.groups.through, "group_id", group_ids),
    )
    for name, through, target, ids in relations:
        wanted: dict[int, Iterable] = {}
        clear = []
        for change in plan.teacher_changes:
            if name in change.m2m:
                clear.append(change.info.id)
                wanted[change.info.id] = change.m2m[name]
        for row in rows:
            values = getattr(row, name)
            if values:
                wanted[created[row.phone]] = values
        if ids is not None:  # roles are groups, looked up by name
            wanted = {k: [ids[v] for v in vs] for k, vs in wanted.items()}
        _replace_m2m(
            through,
            "user_id",
            target,
            wanted,
            clear=clear,
            limit_to=None if ids is None else list(ids.values()),
        )
