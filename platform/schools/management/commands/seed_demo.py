"""manage.py seed_demo: load the demo county (中江县) for development. DEBUG only.

Imports a generated roster of 中江县 (250 schools, 5,000 teachers) and its
helping side (成都市青羊区) through the roster import, creates famous-teacher and
famous-principal studios, one login per role, then runs ``seed(stdout=...)``
of every other local app's ``demo`` module. A second run only checks the
demo logins.
"""

import time
import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from schools.demo.generator import MIN_SCHOOLS
from schools.demo.seeding import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DemoSeedError,
    ensure_demo_logins,
    seed_other_apps,
    seed_schools,
    summary,
)

REFUSED = (
    "seed_demo 只在开发环境 (DEBUG=True) 中运行，以免演示账号和已知密码进入生产环境。\n"
    "seed_demo runs only with DEBUG=True, so demo logins with a known password "
    "never reach production."
)
ROLE_NAMES = {
    "rural_teacher": "乡村教师 Rural teacher",
    "mentor": "导师 Mentor",
    "school_admin": "学校管理员 School admin",
    "bureau_reviewer": "教育局审核员 Bureau reviewer",
    "platform_admin": "平台管理员 Platform admin",
}


class Command(BaseCommand):
    help = (
        "Load the demo county 中江县 (schools, teachers, studios) and one login "
        "per role. Development only (DEBUG=True); safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schools", type=int, default=250, help="schools (default 250)"
        )
        parser.add_argument(
            "--teachers", type=int, default=5000, help="teachers (default 5000)"
        )
        parser.add_argument(
            "--seed", type=int, default=0, help="random seed of the roster"
        )

    def handle(self, *args, schools: int, teachers: int, seed: int, **options):
        if not settings.DEBUG:
            raise CommandError(REFUSED, returncode=1)
        if schools < MIN_SCHOOLS or teachers < schools:
            raise CommandError(
                f"--schools >= {MIN_SCHOOLS} 且 --teachers >= --schools / "
                f"need --schools >= {MIN_SCHOOLS} and --teachers >= --schools"
            )
        started = time.monotonic()
        try:
            done = seed_schools(schools=schools, teachers=teachers, seed=seed)
        except DemoSeedError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        if done:
            self.stdout.write("已导入演示县 / Demo county imported.")
        else:
            self.stdout.write(
                "演示县已存在，跳过导入 / Demo county already there, import skipped."
            )
        users = ensure_demo_logins()
        for app in seed_other_apps(stdout=self.stdout):
            self.stdout.write(f"已运行 / ran {app}.demo.seed")
        self.report(users, time.monotonic() - started)

    def report(self, users, seconds: float) -> None:
        counts = summary()
        rows = [
            ("地区 Regions", counts["regions"], ""),
            ("学校 Schools", counts["schools"], f"中江县 {counts['county_schools']}"),
            ("教师 Teachers", counts["teachers"], ""),
            ("工作室 Studios", counts["studios"], ""),
        ]
        w = self.stdout.write
        w("")
        for label, count, note in rows:
            w(f"{_pad(label, 16)}{count:>7}  {note}".rstrip())
        w("")
        w(f"演示账号 Demo logins — 密码 password: {DEMO_PASSWORD}")
        table = [("用户名 username", "角色 role", "手机 phone", "邮箱 email", "")]
        for login, user in zip(DEMO_LOGINS, users, strict=True):
            place = user.school or user.region or ""
            table.append(
                (
                    login.username,
                    ROLE_NAMES[login.role.value],
                    login.phone,
                    login.email,
                    str(place),
                )
            )
        widths = [max(_width(row[i]) for row in table) + 2 for i in range(4)]
        for row in table:
            cells = [
                _pad(cell, width) for cell, width in zip(row[:4], widths, strict=True)
            ]
            w(("".join(cells) + row[4]).rstrip())
        w("")
        w(self.style.SUCCESS(f"完成 / Done in {seconds:.1f} s"))


def _width(text: str) -> int:
    """Columns a terminal gives the text: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))
