"""The steps of ``manage.py seed_demo``: roster, studios, demo logins, other apps.

The roster goes in through the same door a bureau uses
(:func:`schools.services.roster_import_file`), studios through
:func:`schools.services.studio_create`. Everything is idempotent: a database
that already holds the demo county is left alone, and the demo logins are only
put back the way they are documented.
"""

import importlib
import importlib.util
import tempfile
from dataclasses import dataclass
from pathlib import Path

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.factories import UserFactory
from accounts.models import User
from accounts.roles import Role

from ..models import Region, School, Studio, Subject
from ..services import roster_import_file, studio_create
from .files import write_roster_xlsx
from .people import DEMO_MENTOR, DEMO_SCHOOL_ADMIN, DEMO_TEACHER
from .places import DEMO_COUNTY

# Meets Django's validators (length, not numeric, not common, not like the name).
DEMO_PASSWORD = "Lianxin2026!"
ROSTER_FAILED = "演示花名册导入失败 / The demo roster did not import:\n%s"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    real_name: str
    phone: str

    @property
    def email(self) -> str:
        return f"{self.username}@example.cn"


DEMO_LOGINS = (
    DemoLogin(
        DEMO_TEACHER.username, Role.RURAL_TEACHER, DEMO_TEACHER.name, DEMO_TEACHER.phone
    ),
    DemoLogin(DEMO_MENTOR.username, Role.MENTOR, DEMO_MENTOR.name, DEMO_MENTOR.phone),
    DemoLogin(
        DEMO_SCHOOL_ADMIN.username,
        Role.SCHOOL_ADMIN,
        DEMO_SCHOOL_ADMIN.name,
        DEMO_SCHOOL_ADMIN.phone,
    ),
    DemoLogin("demo_reviewer", Role.REVIEWER, "赵敏", "13900000004"),
    # Not a superuser: the platform_admin group's permissions (accounts
    # migration 0004) open the admin and its user screens, and the demo should
    # show what a real platform admin can do.
    DemoLogin("demo_admin", Role.PLATFORM_ADMIN, "孙立新", "13900000005"),
)


class DemoSeedError(Exception):
    pass


def demo_county() -> Region | None:
    return Region.objects.filter(code=DEMO_COUNTY.code).first()


def is_seeded() -> bool:
    """The demo county is there with schools: the heavy work is done."""
    county = demo_county()
    return (
        county is not None
        and School.objects.filter(region__path__startswith=county.path).exists()
    )


def seed_schools(*, schools: int = 250, teachers: int = 5000, seed: int = 0) -> bool:
    """Import the demo roster and create its studios, unless already there.

    Returns whether anything was done. All or nothing.
    """
    if is_seeded():
        return False
    with tempfile.TemporaryDirectory(prefix="lianxin-demo-") as tmp:
        path = Path(tmp) / "中江县教师花名册.xlsx"
        roster = write_roster_xlsx(path, schools=schools, teachers=teachers, seed=seed)
        with transaction.atomic():
            result = roster_import_file(path_or_file=path, filename=path.name)
            if not result.ok:
                raise DemoSeedError(
                    ROSTER_FAILED % "\n".join(str(e) for e in result.errors[:20])
                )
            _create_studios(roster["studios"])
    return True


def _create_studios(specs: list[dict]) -> list[Studio]:
    phones = {p for s in specs for p in (s["leader_phone"], *s["member_phones"])}
    people = User.objects.prefetch_related("groups").in_bulk(phones, field_name="phone")
    schools = School.objects.in_bulk(
        {s["host_school_code"] for s in specs}, field_name="code"
    )
    subjects = Subject.objects.in_bulk(field_name="name_zh")
    return [
        studio_create(
            name=spec["name"],
            kind=spec["kind"],
            leader=people[spec["leader_phone"]],
            host_school=schools[spec["host_school_code"]],
            subjects=[subjects[name] for name in spec["subjects"]],
            members=[people[p] for p in spec["member_phones"]],
            description=spec["description"],
            founded_on=spec["founded_on"],
        )
        for spec in specs
    ]


def _home_school(login: DemoLogin) -> School | None:
    """Where a demo teacher belongs if the roster row is gone (a deleted user)."""
    schools = School.objects.filter(region__path__startswith=f"/{DEMO_COUNTY.code[:2]}")
    if login.role == Role.MENTOR:
        return schools.filter(name="中江县实验小学").first()
    if login.role == Role.SCHOOL_ADMIN:
        return schools.filter(name="中江县兴隆镇中心小学").first()
    if login.role == Role.RURAL_TEACHER:
        return (
            schools.filter(category=School.Category.VILLAGE, name__contains="兴隆镇")
            .order_by("code")
            .first()
        )
    return None


@transaction.atomic
def ensure_demo_logins() -> list[User]:
    """Make each demo login exist as documented, changing only what differs."""
    county = demo_county()
    users = []
    for login in DEMO_LOGINS:
        user = (
            User.objects.filter(username=login.username).first()
            or User.objects.filter(phone=login.phone).first()
        )
        if user is None:
            user = UserFactory(
                username=login.username,
                phone=login.phone,
                real_name=login.real_name,
                email=login.email,
                password=DEMO_PASSWORD,
                school=_home_school(login),
            )
        wanted = {
            "username": login.username,
            "real_name": login.real_name,
            "phone": login.phone,
            "phone_verified": True,
            "email": login.email,
            "is_active": True,
        }
        if login.role == Role.REVIEWER:
            wanted["region"] = county
        changed = [f for f, v in wanted.items() if getattr(user, f) != v]
        for f in changed:
            setattr(user, f, wanted[f])
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            changed.append("password")
        if changed:
            user.full_clean(exclude=["password"])
            user.save()
        if not user.groups.filter(name=login.role.value).exists():
            user.groups.add(Group.objects.get(name=login.role.value))
        _verified_email(user, login.email)
        users.append(user)
    return users


def _verified_email(user: User, email: str) -> None:
    """allauth's record of the address, verified and primary, so email login
    and password reset work without a confirmation mail."""
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is not None and address.verified and address.primary:
        return
    EmailAddress.objects.filter(user=user, primary=True).exclude(
        email__iexact=email
    ).update(primary=False)
    if address is None:
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    else:
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])


def seed_other_apps(*, stdout) -> list[str]:
    """Call ``seed(stdout=...)`` in every other local app's ``demo`` module.

    In INSTALLED_APPS order, so later work adds demo content by adding
    ``<app>/demo.py``; each such ``seed`` must be idempotent too.
    """
    local = set(getattr(settings, "LOCAL_APPS", ()))
    ran = []
    for config in apps.get_app_configs():
        if config.name not in local or config.name == "schools":
            continue
        module_name = f"{config.name}.demo"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        module.seed(stdout=stdout)
        ran.append(config.name)
    return ran


def summary() -> dict:
    county = demo_county()
    in_county = (
        School.objects.filter(region__path__startswith=county.path)
        if county
        else School.objects.none()
    )
    return {
        "regions": Region.objects.count(),
        "schools": School.objects.count(),
        "county_schools": in_county.count(),
        "teachers": User.objects.filter(school__isnull=False).count(),
        "studios": Studio.objects.count(),
    }
