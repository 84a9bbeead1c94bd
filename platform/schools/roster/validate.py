"""Rules across rows and against the database, and the plan of what to write.

Plain Python again: the database's side comes in as a :class:`Context` of
dicts (loaded by ``store.load_context`` in a few queries), the result is a
:class:`Plan` that ``store.write_plan`` carries out. Nothing is written here.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from . import errors as E
from .columns import MANAGED_ROLES, REGIONS, SCHOOLS, TEACHERS
from .errors import RowError, err
from .parse import KEEP, RegionRow, Roster, SchoolRow, TeacherRow, sorted_errors

RURAL_DEFAULT_ROLES = frozenset({"rural_teacher"})


@dataclass(slots=True)
class RegionInfo:
    id: int
    code: str
    name: str
    level: int
    parent_code: str
    path: str


@dataclass(slots=True)
class SchoolInfo:
    id: int
    code: str
    name: str
    region_code: str
    region_path: str
    category: str
    urban_rural_code: str
    is_weak: bool
    student_count: int
    teacher_count: int
    address: str
    longitude: Decimal | None
    latitude: Decimal | None
    stages: frozenset = frozenset()

    @property
    def is_rural(self) -> bool:
        return self.urban_rural_code.startswith("2")


@dataclass(slots=True)
class UserInfo:
    id: int
    real_name: str
    email: str
    id_digest: str | None
    id_masked: str
    school_code: str | None
    school_path: str | None
    title: str
    years_of_teaching: int | None
    subjects: frozenset = frozenset()
    stages: frozenset = frozenset()
    honours: frozenset = frozenset()
    roles: frozenset = frozenset()


@dataclass
class Context:
    """What the database holds for the keys a roster names, and who imports."""

    regions: dict[str, RegionInfo] = field(default_factory=dict)
    schools: dict[str, SchoolInfo] = field(default_factory=dict)
    users_by_phone: dict[str, UserInfo] = field(default_factory=dict)
    digest_owner: dict[str, int] = field(default_factory=dict)
    email_owner: dict[str, int] = field(default_factory=dict)  # lower-cased
    username_owner: dict[str, int] = field(default_factory=dict)
    everything: bool = True  # platform admins and the command line
    scope_path: str | None = None  # a bureau reviewer's region path
    scope_name: str = ""


SCHOOL_FIELDS = (
    "name",
    "category",
    "urban_rural_code",
    "is_weak",
    "student_count",
    "teacher_count",
    "address",
    "longitude",
    "latitude",
)
TEACHER_FIELDS = ("real_name", "email", "id_digest", "title", "years_of_teaching")
TEACHER_M2M = ("subjects", "stages", "honours", "roles")


@dataclass(slots=True)
class RegionCreate:
    row: RegionRow
    path: str


@dataclass(slots=True)
class SchoolChange:
    info: SchoolInfo
    row: SchoolRow
    fields: dict  # model field -> new value ("region" holds a region code)
    stages: frozenset | None  # the new set, when it changes


@dataclass(slots=True)
class TeacherChange:
    info: UserInfo
    row: TeacherRow
    fields: dict  # model field -> new value ("school" holds a school code)
    m2m: dict  # subjects/stages/honours/roles -> the new set (roles: managed only)


def _counts() -> dict[str, dict[str, int]]:
    return {
        k: {"created": 0, "updated": 0, "unchanged": 0}
        for k in (REGIONS, SCHOOLS, TEACHERS)
    }


@dataclass
class Plan:
    roster: Roster
    context: Context | None = None
    errors: list[RowError] = field(default_factory=list)
    counts: dict = field(default_factory=_counts)
    region_creates: list[RegionCreate] = field(default_factory=list)
    region_renames: list[tuple[int, str]] = field(default_factory=list)
    school_creates: list[SchoolRow] = field(default_factory=list)
    school_changes: list[SchoolChange] = field(default_factory=list)
    teacher_creates: list[TeacherRow] = field(default_factory=list)
    teacher_changes: list[TeacherChange] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def writes(self) -> int:
        return (
            len(self.region_creates)
            + len(self.region_renames)
            + len(self.school_creates)
            + len(self.school_changes)
            + len(self.teacher_creates)
            + len(self.teacher_changes)
        )


def _in_scope(ctx: Context, path: str | None) -> bool:
    if ctx.everything:
        return True
    return bool(path and ctx.scope_path and path.startswith(ctx.scope_path))


def validate(roster: Roster, ctx: Context) -> Plan:
    """Check the rows against each other and the database; plan the writes."""
    plan = Plan(roster=roster, context=ctx, errors=list(roster.errors))
    if not ctx.everything and ctx.scope_path is None:
        plan.errors.append(err("", 0, "", E.NO_SCOPE))
        return plan
    region_paths = _regions(plan, ctx)
    schools = _schools(plan, ctx, region_paths)
    _teachers(plan, ctx, schools)
    plan.errors = sorted_errors(plan.errors)
    return plan


# --- Regions ----------------------------------------------------------------


def _regions(plan: Plan, ctx: Context) -> dict[str, str | None]:
    """Check region rows; return every known region code's path (None: unknown)."""
    rows: dict[str, RegionRow] = {}
    out = plan.errors
    for row in plan.roster.regions:
        if "code" in row.bad:
            continue
        first = rows.get(row.code)
        if first is not None:
            out.append(
                err(REGIONS, row.row, "code", E.DUPLICATE_IN_FILE, row=first.row)
            )
            continue
        rows[row.code] = row

    levels = {code: info.level for code, info in ctx.regions.items()}
    levels.update(
        {code: row.level for code, row in rows.items() if "level" not in row.bad}
    )
    paths: dict[str, str | None] = {code: i.path for code, i in ctx.regions.items()}
    bad: set[str] = {code for code, row in rows.items() if row.bad}

    for row in rows.values():
        if not row.parent_code or "parent_code" in row.bad:
            continue
        parent_row = rows.get(row.parent_code)
        if parent_row is not None and parent_row.bad:
            bad.add(row.code)  # the parent's row is wrong, reported there
        elif row.parent_code not in levels:
            out.append(
                err(
                    REGIONS,
                    row.row,
                    "parent_code",
                    E.REGION_PARENT_UNKNOWN,
                    code=row.parent_code,
                )
            )
            bad.add(row.code)
        elif "level" in row.bad:
            continue
        elif levels[row.parent_code] >= row.level:
            out.append(err(REGIONS, row.row, "parent_code", E.REGION_PARENT_LEVEL))
            bad.add(row.code)
        elif not row.code.startswith(
            _significant(row.parent_code, levels[row.parent_code])
        ):
            out.append(err(REGIONS, row.row, "code", E.REGION_PARENT_PREFIX))
            bad.add(row.code)

    def path_of(code: str) -> str | None:
        if code in paths:
            return paths[code]
        row = rows.get(code)
        if row is None or code in bad:
            paths[code] = None
            return None
        paths[code] = None  # guards against cycles while recursing
        prefix = path_of(row.parent_code) if row.parent_code else "/"
        paths[code] = f"{prefix}{code}/" if prefix else None
        return paths[code]

    counts = plan.counts[REGIONS]
    for row in sorted(rows.values(), key=lambda r: r.level):
        if row.code in bad:
            continue
        existing = ctx.regions.get(row.code)
        if existing is not None:
            if existing.level != row.level or existing.parent_code != row.parent_code:
                out.append(err(REGIONS, row.row, "parent_code", E.REGION_MOVED))
                continue
            if existing.name == row.name:
                counts["unchanged"] += 1
                continue
            if not _in_scope(ctx, existing.path):
                out.append(
                    err(REGIONS, row.row, "code", E.OUT_OF_SCOPE, region=ctx.scope_name)
                )
                continue
            plan.region_renames.append((existing.id, row.name))
            counts["updated"] += 1
            continue
        path = path_of(row.code)
        if path is None:
            continue  # an ancestor has an error already reported
        if not _in_scope(ctx, path):
            out.append(
                err(REGIONS, row.row, "code", E.OUT_OF_SCOPE, region=ctx.scope_name)
            )
            continue
        plan.region_creates.append(RegionCreate(row, path))
        counts["created"] += 1
    for code in rows:
        path_of(code)
    return paths


def _significant(code: str, level: int | None) -> str:
    """The part of a parent's code its children repeat (GB/T 2260)."""
    if level == 1:
        return code[:2]
    if level == 2:
        return code[:4]
    return code


# --- Schools ----------------------------------------------------------------


def _schools(plan: Plan, ctx: Context, region_paths: dict) -> dict[str, tuple]:
    """Check school rows; return school code -> (is rural, region path).

    Both are None for a school whose own row is wrong (reported there).
    """
    out, counts = plan.errors, plan.counts[SCHOOLS]
    known: dict[str, tuple] = {
        c: (i.is_rural, i.region_path) for c, i in ctx.schools.items()
    }
    seen: dict[str, int] = {}
    for row in plan.roster.schools:
        if "code" in row.bad:
            continue
        if row.code in seen:
            out.append(
                err(SCHOOLS, row.row, "code", E.DUPLICATE_IN_FILE, row=seen[row.code])
            )
            continue
        seen[row.code] = row.row
        known[row.code] = (None, None)
        if "region_code" in row.bad:
            continue
        if row.region_code not in region_paths:
            out.append(
                err(
                    SCHOOLS,
                    row.row,
                    "region_code",
                    E.REGION_UNKNOWN,
                    code=row.region_code,
                )
            )
            continue
        path = region_paths[row.region_code]
        if path is None:
            continue  # the region's own row is wrong, reported there
        if not _in_scope(ctx, path):
            out.append(
                err(
                    SCHOOLS,
                    row.row,
                    "region_code",
                    E.OUT_OF_SCOPE,
                    region=ctx.scope_name,
                )
            )
            continue
        info = ctx.schools.get(row.code)
        if info is not None and not _in_scope(ctx, info.region_path):
            out.append(err(SCHOOLS, row.row, "code", E.SCHOOL_OUT_OF_SCOPE))
            continue
        if row.bad:
            continue
        known[row.code] = (row.is_rural, path)
        if info is None:
            plan.school_creates.append(row)
            counts["created"] += 1
            continue
        change = _school_change(info, row)
        if change is None:
            counts["unchanged"] += 1
        else:
            plan.school_changes.append(change)
            counts["updated"] += 1
    return known


def _school_change(info: SchoolInfo, row: SchoolRow) -> SchoolChange | None:
    fields = {}
    for name in SCHOOL_FIELDS:
        new = getattr(row, name)
        if new is not KEEP and new != getattr(info, name):
            fields[name] = new
    if row.region_code != info.region_code:
        fields["region"] = row.region_code
    stages = None
    if row.stages is not KEEP and row.stages != info.stages:
        stages = row.stages
    if not fields and stages is None:
        return None
    return SchoolChange(info, row, fields, stages)


# --- Teachers ---------------------------------------------------------------


def _teachers(plan: Plan, ctx: Context, schools: dict[str, tuple]) -> None:
    out, counts = plan.errors, plan.counts[TEACHERS]
    phones: dict[str, int] = {}
    digests: dict[str, int] = {}
    emails: dict[str, int] = {}
    for row in plan.roster.teachers:
        bad = bool(row.bad)
        info = None
        if "phone" not in row.bad:
            first = phones.get(row.phone)
            if first is not None:
                out.append(
                    err(TEACHERS, row.row, "phone", E.DUPLICATE_IN_FILE, row=first)
                )
                continue
            phones[row.phone] = row.row
            info = ctx.users_by_phone.get(row.phone)
        user_id = info.id if info is not None else None
        if row.id_digest is not KEEP:
            first = digests.get(row.id_digest)
            if first is not None:
                out.append(
                    err(TEACHERS, row.row, "id_number", E.DUPLICATE_IN_FILE, row=first)
                )
                bad = True
            else:
                digests[row.id_digest] = row.row
                if ctx.digest_owner.get(row.id_digest, user_id) != user_id:
                    out.append(err(TEACHERS, row.row, "id_number", E.ID_NUMBER_TAKEN))
                    bad = True
        if row.email is not KEEP:
            first = emails.get(row.email)
            if first is not None:
                out.append(
                    err(TEACHERS, row.row, "email", E.DUPLICATE_IN_FILE, row=first)
                )
                bad = True
            else:
                emails[row.email] = row.row
                if ctx.email_owner.get(row.email, user_id) != user_id:
                    out.append(err(TEACHERS, row.row, "email", E.EMAIL_TAKEN))
                    bad = True
        rural = None
        if "school_code" not in row.bad:
            if row.school_code not in schools:
                out.append(
                    err(
                        TEACHERS,
                        row.row,
                        "school_code",
                        E.SCHOOL_UNKNOWN,
                        code=row.school_code,
                    )
                )
                bad = True
            else:
                rural, school_path = schools[row.school_code]
                if rural is None:
                    bad = True  # the school's own row is wrong, reported there
                elif not _in_scope(ctx, school_path):
                    out.append(
                        err(
                            TEACHERS,
                            row.row,
                            "school_code",
                            E.OUT_OF_SCOPE,
                            region=ctx.scope_name,
                        )
                    )
                    bad = True
        if "phone" in row.bad:
            continue
        if info is None:
            if ctx.username_owner.get(row.phone) is not None:
                out.append(err(TEACHERS, row.row, "phone", E.USERNAME_TAKEN))
                continue
            if not bad:
                if row.roles is None or row.roles is KEEP:
                    row.roles = RURAL_DEFAULT_ROLES if rural else frozenset()
                plan.teacher_creates.append(row)
                counts["created"] += 1
            continue
        if not _in_scope(ctx, info.school_path):
            out.append(err(TEACHERS, row.row, "phone", E.USER_OUT_OF_SCOPE))
            continue
        if bad:
            continue
        if row.roles is None:
            row.roles = RURAL_DEFAULT_ROLES if rural else frozenset()
        change = _teacher_change(info, row)
        if change is None:
            counts["unchanged"] += 1
        else:
            plan.teacher_changes.append(change)
            counts["updated"] += 1


def _teacher_change(info: UserInfo, row: TeacherRow) -> TeacherChange | None:
    fields = {}
    if row.name != info.real_name:
        fields["real_name"] = row.name
    if row.email is not KEEP and row.email != info.email.lower():
        fields["email"] = row.email
    if row.id_digest is not KEEP and row.id_digest != info.id_digest:
        fields["id_number_digest"] = row.id_digest
        fields["id_number_masked"] = row.id_masked
    if row.school_code != info.school_code:
        fields["school"] = row.school_code
    if row.title is not KEEP and row.title != info.title:
        fields["title"] = row.title
    if (
        row.years_of_teaching is not KEEP
        and row.years_of_teaching != info.years_of_teaching
    ):
        fields["years_of_teaching"] = row.years_of_teaching
    m2m = {}
    for name in ("subjects", "stages", "honours"):
        new = getattr(row, name)
        if new is not KEEP and new != getattr(info, name):
            m2m[name] = new
    if row.roles is not KEEP and row.roles != info.roles & MANAGED_ROLES:
        m2m["roles"] = row.roles
    if not fields and not m2m:
        return None
    return TeacherChange(info, row, fields, m2m)


def referenced_codes(roster: Roster) -> tuple[set[str], set[str]]:
    """The region and school codes a roster names (to load from the database)."""
    regions: set[str] = set()
    for row in roster.regions:
        regions.add(row.code)
        if row.parent_code:
            regions.add(row.parent_code)
    schools: set[str] = set()
    for row in roster.schools:
        schools.add(row.code)
        regions.add(row.region_code)
    for row in roster.teachers:
        schools.add(row.school_code)
    return regions, schools


def teacher_keys(roster: Roster) -> tuple[set[str], set[str], set[str]]:
    phones, digests, emails = set(), set(), set()
    for row in roster.teachers:
        phones.add(row.phone)
        if row.id_digest is not KEEP:
            digests.add(row.id_digest)
        if row.email is not KEEP:
            emails.add(row.email)
    return phones, digests, emails
