"""The database side of an import: load what a roster names, write a plan.

Loading takes a few queries per kind (keys in chunks, many-to-many rows in
bulk). Regions and schools (hundreds, thousands) are created with
bulk_create; teachers, all updates and many-to-many rows with executemany
of plain INSERT and UPDATE statements built from the models' metadata
(tables, columns, defaults, value preparation): at 100,000 teachers
Django's per-value machinery, not the database, was most of the time. Call
:func:`write_plan` inside one ``transaction.atomic`` block
(services.roster_apply does).
"""

import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import NOT_PROVIDED
from django.db.models.functions import Lower
from django.utils import timezone, translation

from accounts.models import Honour, User
from accounts.selectors import Scope

from ..models import Region, School, Stage, Subject
from .columns import MANAGED_ROLES, TITLES
from .parse import KEEP, Interner, Roster, Vocabulary
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
    intern = Interner()
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
            name, email, digest, masked, school, path, title, years = rest
            info = UserInfo(
                pk,
                name,
                email,
                digest,
                masked,
                intern(school),
                intern(path),
                intern(title),
                years,
            )
            ctx.users_by_phone[phone] = users[pk] = info
    _load_user_sets(users, intern)
    for chunk in _chunks(digests):
        ctx.digest_owner.update(
            User.objects.filter(id_number_digest__in=chunk).values_list(
                "id_number_digest", "id"
            )
        )
    for chunk in _chunks(emails):
        ctx.email_owner.update(
            # exclude(email=""): the condition of the unique index on
            # Lower(email), so PostgreSQL can use it.
            User.objects.exclude(email="")
            .annotate(email_lower=Lower("email"))
            .filter(email_lower__in=chunk)
            .values_list("email_lower", "id")
        )
    for chunk in _chunks(phones):
        ctx.username_owner.update(
            User.objects.filter(username__in=chunk).values_list("username", "id")
        )
    return ctx


def _load_user_sets(users: dict[int, UserInfo], intern: Interner) -> None:
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
            setattr(users[user_id], name, intern(frozenset(values)))


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
        _update_objects(
            Region, [(pk, {"name": name}) for pk, name in plan.region_renames]
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
    updates = []
    for change in plan.school_changes:
        data = {"updated_at": now}
        for name, value in change.fields.items():
            if name == "region":
                data["region_id"] = region_ids[value]
            else:
                data[name] = value
        updates.append((change.info.id, data))
    _update_objects(School, updates)
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
    _insert_rows(
        through,
        (owner, target),
        [(owner_id, value) for owner_id, values in wanted.items() for value in values],
    )


def _insert_objects(model, rows: list[dict]) -> None:
    """INSERT rows given as {attname: database-ready value}, without models.

    Other columns get the field's default, prepared once (a callable default
    is called for each row); columns with a database default are left to
    the database. Creating 100,000 users this way takes a third of the time
    bulk_create needs: the per-field preparation of every value is the cost.
    """
    if not rows:
        return
    explicit = rows[0].keys()
    columns, constants, per_row = [], [], []
    for f in model._meta.concrete_fields:
        if f is model._meta.auto_field:
            continue
        if f.attname in explicit:
            columns.append(f)
        elif f.db_default is not NOT_PROVIDED:
            continue
        elif f.has_default() and callable(f.default):
            columns.append(f)
            per_row.append(f)
        else:
            columns.append(f)
            constants.append(f)
    fixed = {
        f.attname: f.get_db_prep_save(f.get_default(), connection) for f in constants
    }
    values = []
    for row in rows:
        data = {**fixed, **row}
        for f in per_row:
            data[f.attname] = f.get_db_prep_save(f.get_default(), connection)
        values.append(tuple(data[f.attname] for f in columns))
    _insert(model._meta.db_table, [f.column for f in columns], values)


def _insert(table: str, columns: list[str], values: list[tuple]) -> None:
    """Many rows into one table: COPY on PostgreSQL, executemany elsewhere."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            copy_sql = f"COPY {quote(table)} ({names}) FROM STDIN"
            # The driver's own cursor: wrap_database_errors maps its errors to
            # Django's (IntegrityError), as for every other query.
            with connection.wrap_database_errors, cursor.cursor.copy(copy_sql) as copy:
                for row in values:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"
        for batch in _chunks(values, 10_000):
            cursor.executemany(sql, batch)


def _update_objects(model, updates: list[tuple[int, dict]]) -> None:
    """UPDATE rows by primary key: (pk, {attname: value}) each.

    Rows changing the same columns share one statement, run with
    executemany. Django's bulk_update builds a CASE expression per field and
    row, which for 100,000 teachers (a yearly roster: every 教龄 changes)
    takes minutes; this takes seconds.
    """
    by_columns = defaultdict(list)
    for pk, data in updates:
        by_columns[tuple(sorted(data))].append((pk, data))
    quote = connection.ops.quote_name
    meta = model._meta
    with connection.cursor() as cursor:
        for names, rows in by_columns.items():
            fields = [meta.get_field(name) for name in names]
            sql = "UPDATE {} SET {} WHERE {} = %s".format(
                quote(meta.db_table),
                ", ".join(f"{quote(f.column)} = %s" for f in fields),
                quote(meta.pk.column),
            )
            values = [
                (
                    *(f.get_db_prep_save(data[f.attname], connection) for f in fields),
                    pk,
                )
                for pk, data in rows
            ]
            for batch in _chunks(values, 10_000):
                cursor.executemany(sql, batch)


def _insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Plain INSERTs of many-to-many rows.

    A roster of 100,000 teachers has some 400,000 of them; without a model
    instance each this is several times faster than bulk_create.
    """
    meta = model._meta
    _insert(meta.db_table, [meta.get_field(c).column for c in columns], rows)


def _write_teachers(plan: Plan, school_ids: dict, tick: _Progress) -> None:
    group_ids = dict(
        Group.objects.filter(name__in=MANAGED_ROLES).values_list("name", "id")
    )
    date_joined = User._meta.get_field("date_joined").get_db_prep_save(
        timezone.now(), connection
    )
    rows = plan.teacher_creates
    for batch in _chunks(rows, BATCH):
        _insert_objects(
            User,
            [
                {
                    "username": row.phone,
                    "phone": row.phone,
                    "real_name": row.name,
                    "email": _kept(row.email, ""),
                    "id_number_digest": _kept(row.id_digest, None),
                    "id_number_masked": row.id_masked,
                    "school_id": school_ids[row.school_code],
                    "title": _kept(row.title, ""),
                    "years_of_teaching": _kept(row.years_of_teaching, None),
                    # Unusable: teachers activate their account by phone code.
                    "password": UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
                    "date_joined": date_joined,
                    "is_active": True,
                }
                for row in batch
            ],
        )
        tick.add(len(batch))
    created = _code_ids(User, [row.phone for row in rows], "phone")

    updates = []
    for change in plan.teacher_changes:
        if not change.fields:
            continue
        data = {}
        for name, value in change.fields.items():
            if name == "school":
                data["school_id"] = school_ids[value]
            else:
                data[name] = value
        updates.append((change.info.id, data))
    _update_objects(User, updates)
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
