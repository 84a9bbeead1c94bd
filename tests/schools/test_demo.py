"""Demo data: the generated roster, its files, and ``manage.py seed_demo``."""

import importlib.machinery
import io
import re
import sys
import types
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from stdnum.cn import ric

from accounts.models import User
from accounts.roles import Role
from accounts.validators import normalise_id_number
from schools.demo import build_roster, write_roster_csv, write_roster_xlsx
from schools.demo.places import REFERENCE_DATE
from schools.demo.seeding import DEMO_LOGINS, DEMO_PASSWORD, seed_other_apps
from schools.management.commands.seed_demo import REFUSED
from schools.models import Region, School, Studio
from schools.services import roster_read

PHONE = re.compile(r"^1[35789]\d{9}$")
SMALL = {"schools": 20, "teachers": 300}


@pytest.fixture(scope="module")
def county_roster():
    """The default size: 中江县 and its helping side."""
    return build_roster()


# --- The generator ----------------------------------------------------------------


def test_same_seed_same_roster_other_seed_other_roster():
    assert build_roster(**SMALL, seed=7) == build_roster(**SMALL, seed=7)
    other = build_roster(**SMALL, seed=8)
    assert other["teachers"] != build_roster(**SMALL, seed=7)["teachers"]


@pytest.mark.parametrize(
    ("schools", "teachers"), [(3, 3), (20, 300), (250, 5000), (900, 12000)]
)
def test_exactly_the_schools_and_teachers_asked_for(schools, teachers):
    roster = build_roster(schools=schools, teachers=teachers)
    assert len(roster["schools"]) == schools
    assert len(roster["teachers"]) == teachers
    # Each school's 教师数 is the number of its teachers in the roster.
    per_school = Counter(t["school_code"] for t in roster["teachers"])
    assert {s["code"]: s["teacher_count"] for s in roster["schools"]} == per_school


def test_too_small_a_roster_is_refused():
    with pytest.raises(ValueError):
        build_roster(schools=2, teachers=10)
    with pytest.raises(ValueError):
        build_roster(schools=10, teachers=5)


def test_every_id_number_phone_and_code_validates(county_roster):
    teachers = county_roster["teachers"]
    ids = [t["id_number"] for t in teachers]
    assert len(set(ids)) == len(ids)
    for number in ids:
        # The project's own validator (length, date, area code, check digit).
        assert normalise_id_number(number) == number
        age = (REFERENCE_DATE - ric.get_birth_date(number)).days // 365.25
        assert 22 <= age <= 60
    phones = [t["phone"] for t in teachers]
    assert len(set(phones)) == len(phones)
    assert all(PHONE.match(p) for p in phones)
    codes = [s["code"] for s in county_roster["schools"]]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"\d{10}", c) for c in codes)


def test_regions_nest_with_valid_codes(county_roster):
    regions = {r["code"]: r for r in county_roster["regions"]}
    assert regions["510623"]["name"] == "中江县"
    assert regions["510623"]["parent_code"] == "510600"  # 德阳市
    assert regions["510105"]["name"] == "青羊区"  # the helping side
    towns = {r["name"]: code for code, r in regions.items() if r["level"] == "乡镇"}
    assert towns["凯江镇"] == "510623100"  # the county seat
    assert {"兴隆镇", "辑庆镇", "龙台镇", "石泉乡"} <= set(towns)
    for code, region in regions.items():
        length = {"省": 6, "市": 6, "县": 6, "乡镇": 9}[region["level"]]
        assert len(code) == length
        if region["parent_code"]:
            parent = regions[region["parent_code"]]
            digits = {"省": 2, "市": 4, "县": 6}[parent["level"]]
            assert code[:digits] == parent["code"][:digits]
    school_regions = {s["region_code"] for s in county_roster["schools"]}
    assert school_regions <= set(regions)


def test_county_looks_like_a_real_one(county_roster):
    schools = county_roster["schools"]
    names = {s["name"] for s in schools}
    assert {"中江县实验小学", "中江中学", "成都市泡桐树小学"} <= names
    assert any(n.endswith("教学点") for n in names)
    categories = Counter(s["category"] for s in schools)
    assert categories["村小"] + categories["教学点"] > len(schools) / 2
    assert categories["城区学校"] >= 10
    rural = [s for s in schools if s["urban_rural_code"].startswith("2")]
    weak = sum(s["is_weak"] == "是" for s in rural) / len(rural)
    assert 0.2 < weak < 0.4
    urban_weak = [s for s in schools if s not in rural and s["is_weak"] == "是"]
    assert urban_weak == []

    teachers = county_roster["teachers"]
    honoured = sum(bool(t["honours"]) for t in teachers) / len(teachers)
    assert 0.05 < honoured < 0.15
    honours = Counter(h for t in teachers for h in t["honours"].split("、") if h)
    assert honours.most_common(1)[0][0] == "骨干教师"
    titles = Counter(t["title"] for t in teachers)
    assert titles.most_common(1)[0][0] == "一级教师"


def test_village_schools_lack_shortage_subject_teachers(county_roster):
    """国培's shortage subjects (英语 音乐 美术 ...) are scarce in villages."""
    kind = {s["code"]: s["category"] for s in county_roster["schools"]}

    def share_of_english(categories):
        group = [
            t
            for t in county_roster["teachers"]
            if kind[t["school_code"]] in categories and t["stages"] == "小学"
        ]
        return sum(t["subjects"].startswith("英语") for t in group) / len(group)

    assert share_of_english({"村小", "教学点"}) < share_of_english({"城区学校"}) / 2


def test_studios_have_leaders_members_and_hosts(county_roster):
    studios = county_roster["studios"]
    assert len(studios) >= 10
    by_phone = {t["phone"]: t for t in county_roster["teachers"]}
    assert studios[0]["name"] == "中江县小学数学名师工作室"
    assert studios[0]["leader_phone"] == "13900000002"  # demo_mentor
    assert "13900000001" in studios[0]["member_phones"]  # demo_teacher
    kinds = Counter(s["kind"] for s in studios)
    assert kinds["principal"] >= 1
    for studio in studios:
        leader = by_phone[studio["leader_phone"]]
        assert 3 <= len(studio["member_phones"]) <= 12
        assert studio["leader_phone"] not in studio["member_phones"]
        assert leader["school_code"] == studio["host_school_code"]
        if studio["kind"] == "teacher":
            assert "名师" in leader["honours"] and "导师" in leader["roles"]
        else:
            assert "名校长" in leader["honours"]
            assert "学校管理员" in leader["roles"]


def test_benchmark_size_spreads_over_real_counties():
    roster = build_roster(schools=1300, teachers=20000, seed=1)
    counties = {r["name"] for r in roster["regions"] if r["level"] == "县"}
    assert {"中江县", "三台县", "盐亭县", "梓潼县", "青羊区"} <= counties
    codes = [s["code"] for s in roster["schools"]]
    assert len(set(codes)) == len(codes) == 1300
    assert all(normalise_id_number(t["id_number"]) for t in roster["teachers"])


# --- Files ------------------------------------------------------------------------


@pytest.mark.django_db
def test_xlsx_reads_back_through_the_roster_reader(tmp_path):
    path = tmp_path / "demo.xlsx"
    written = write_roster_xlsx(path, **SMALL, seed=3)
    roster = roster_read(source=path)
    assert roster.errors == []
    assert roster.row_count == sum(
        len(written[k]) for k in ("regions", "schools", "teachers")
    )
    assert {t.phone for t in roster.teachers} == {
        t["phone"] for t in written["teachers"]
    }
    assert {s.code for s in roster.schools if s.is_rural} == {
        s["code"] for s in written["schools"] if s["urban_rural_code"] >= "2"
    }


@pytest.mark.django_db
def test_csv_files_read_back_one_kind_each(tmp_path):
    paths = write_roster_csv(tmp_path, **SMALL)
    assert [p.name for p in paths] == ["地区.csv", "学校.csv", "教师.csv"]
    teachers = roster_read(source=paths[2])
    assert teachers.errors == []
    assert len(teachers.teachers) == SMALL["teachers"]


# --- seed_demo --------------------------------------------------------------------


def seed(**options):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **{**SMALL, **options})
    return out.getvalue()


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.mark.django_db
def test_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError) as refused:
        seed()
    assert str(refused.value) == REFUSED
    assert refused.value.returncode == 1
    assert not School.objects.exists()
    assert not User.objects.filter(username__startswith="demo_").exists()


@pytest.mark.django_db
def test_refuses_sizes_it_cannot_build(debug):
    with pytest.raises(CommandError):
        seed(schools=2)
    assert not School.objects.exists()


@pytest.mark.django_db
def test_seed_imports_the_county_through_the_roster(debug):
    output = seed()
    assert School.objects.count() == SMALL["schools"]
    assert User.objects.filter(school__isnull=False).count() == SMALL["teachers"]
    county = Region.objects.get(code="510623")
    assert county.parent.name == "德阳市"
    # The roster's defaults: rural teachers got their role from the import.
    village_teacher = User.objects.filter(
        school__category=School.Category.VILLAGE
    ).exclude(username__startswith="demo_")[0]
    assert village_teacher.has_role(Role.RURAL_TEACHER)
    # The ID number is kept masked only (born in 四川: 51xxxx).
    assert re.fullmatch(r"51\d{4}\*{8}\d{3}[\dX]", village_teacher.id_number_masked)
    assert "中江县" in output and "demo_reviewer" in output


@pytest.mark.django_db
def test_seed_creates_one_login_per_role(debug, client):
    seed()
    for login in DEMO_LOGINS:
        user = User.objects.get(username=login.username)
        assert user.has_role(login.role), login.username
        assert user.check_password(DEMO_PASSWORD)
        assert (user.phone, user.email) == (login.phone, login.email)
        assert user.real_name and user.phone_verified
    teacher = User.objects.get(username="demo_teacher")
    assert teacher.school.category == School.Category.VILLAGE
    assert teacher.school.is_rural
    school_admin = User.objects.get(username="demo_school")
    assert school_admin.school.name == "中江县兴隆镇中心小学"
    reviewer = User.objects.get(username="demo_reviewer")
    assert reviewer.region.code == "510623"
    admin = User.objects.get(username="demo_admin")
    assert not admin.is_superuser
    assert admin.has_perm("wagtailadmin.access_admin")

    # Phone and email both log in on the public site.
    for value in ("13900000001", "demo_reviewer@example.cn"):
        client.logout()
        response = client.post(
            reverse("account_login"), {"login": value, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, value
        assert response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_seed_creates_studios_led_by_mentors(debug):
    seed()
    studios = Studio.objects.all()
    assert studios.count() >= 3
    mentor_studio = Studio.objects.get(name="中江县小学数学名师工作室")
    assert mentor_studio.leader.username == "demo_mentor"
    assert mentor_studio.host_school.name == "中江县实验小学"
    assert mentor_studio.members.filter(username="demo_teacher").exists()
    assert [s.name_zh for s in mentor_studio.subjects.all()] == ["数学"]
    for studio in studios:
        assert studio.leader.has_role(
            Role.MENTOR if studio.kind == Studio.Kind.TEACHER else Role.SCHOOL_ADMIN
        )
        assert studio.leader not in studio.members.all()


@pytest.mark.django_db
def test_second_run_changes_nothing(debug):
    seed()

    def snapshot():
        return (
            Region.objects.count(),
            School.objects.count(),
            User.objects.count(),
            Studio.objects.count(),
            sorted(User.objects.values_list("username", "password", "email")),
            max(School.objects.values_list("updated_at", flat=True)),
        )

    before = snapshot()
    output = seed()
    assert snapshot() == before
    assert "跳过" in output and "skipped" in output


@pytest.mark.django_db
def test_second_run_puts_demo_logins_back(debug):
    seed()
    reviewer = User.objects.get(username="demo_reviewer")
    reviewer.set_password("forgotten-it-1")
    reviewer.save()
    User.objects.get(username="demo_admin").delete()
    seed()
    assert User.objects.get(username="demo_reviewer").check_password(DEMO_PASSWORD)
    assert User.objects.get(username="demo_admin").has_role(Role.PLATFORM_ADMIN)


@pytest.mark.django_db
def test_other_apps_demo_modules_are_called(monkeypatch):
    calls = []
    fake = types.ModuleType("pairing.demo")
    fake.__spec__ = importlib.machinery.ModuleSpec("pairing.demo", None)
    fake.seed = lambda *, stdout: calls.append(stdout)
    monkeypatch.setitem(sys.modules, "pairing.demo", fake)
    out = io.StringIO()
    assert "pairing" in seed_other_apps(stdout=out)
    assert calls == [out]
