# ruff: noqa: E501  (tables of Chinese demo text read better unwrapped)
"""Demo content for ``manage.py seed_demo``: catalogs of all five levels,
programmes, news, notices, policy documents and studio pages.

Runs after the demo county (中江县 510623, 德阳市 510600, 四川省 510000) and
its schools and studios exist; regions are looked up by code and created if
missing. Idempotent: what exists (by slug) is left alone.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import Site

from courses.models import Level, Mode, Programme, SchoolCategory, TargetRole
from courses.services import programme_create
from schools.models import Region, School, Stage, Studio, Subject

from .models import (
    NewsIndexPage,
    NewsPage,
    NoticeIndexPage,
    NoticeKind,
    NoticePage,
    PageAttachment,
    ProgrammePage,
    StudioIndexPage,
    StudioPage,
    TrainingCatalogPage,
    TrainingIndexPage,
)
from .services import bureau_editor_assign, section_setup

REGIONS = (  # code, name, level, parent code
    ("510000", "四川省", Region.Level.PROVINCE, None),
    ("510600", "德阳市", Region.Level.CITY, "510000"),
    ("510623", "中江县", Region.Level.COUNTY, "510600"),
)
CATALOGS = (  # level, region code, title, slug, intro
    (
        Level.NATIONAL,
        "510000",
        "国培计划（四川）",
        "guopei",
        "中小学幼儿园教师国家级培训计划在四川实施的项目，重点支持乡村教师和校园长。",
    ),
    (
        Level.PROVINCIAL,
        "510000",
        "四川省省级培训",
        "shengpei",
        "四川省教育厅组织的省级培训项目。",
    ),
    (
        Level.MUNICIPAL,
        "510600",
        "德阳市市级培训",
        "shipei",
        "德阳市教育局组织，培养市级骨干教师。",
    ),
    (
        Level.COUNTY,
        "510623",
        "中江县县级培训",
        "xianpei",
        "中江县教师发展中心组织，全员轮训。",
    ),
    (
        Level.SCHOOL,
        "510623",
        "中江县校本研修",
        "xiaopei",
        "学校组织的校本研修，研训结合日常教学。",
    ),
)


@dataclass(frozen=True)
class Spec:
    title: str
    level: str
    organiser: str
    hours: int
    seats: int
    mode: str
    subjects: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    rural_share: int = 0
    location: str = ""
    opens_in: int = -5  # days from today the enrolment opens
    open_days: int = 20
    summary: str = ""
    quotas: int = 0  # schools of 中江县 given a quota of this many seats


RURAL = ("township", "village", "teaching_point")
PROGRAMMES = (
    Spec("国培计划（2025）乡村小学英语骨干教师能力提升项目", Level.NATIONAL, "四川师范大学",
         120, 100, Mode.BLENDED, ("english",), ("primary",), RURAL, ("backbone",), 60,
         "四川师范大学（成都）", summary="面向乡村小学英语骨干教师，集中研修与跟岗实践相结合。",
         quotas=4),
    Spec("国培计划（2025）乡村校园长领导力提升培训", Level.NATIONAL, "北京教育学院", 80, 60,
         Mode.ON_SITE, (), ("primary", "junior"), RURAL, ("principal",), 100, "北京教育学院",
         opens_in=3, summary="面向乡村中小学校长，提升学校管理与课程领导力。"),
    Spec("国培计划（2025）乡村教师音乐美术送教下乡项目", Level.NATIONAL, "四川音乐学院", 60, 80,
         Mode.ON_SITE, ("music", "art"), ("primary",), RURAL, (), 50, "中江县各乡镇中心校",
         opens_in=-30, open_days=10, summary="送教下乡，补齐乡村学校体音美短板学科。"),
    Spec("国培计划（2025）教学点教师信息技术应用能力提升", Level.NATIONAL, "四川省电化教育馆",
         50, 200, Mode.ONLINE, ("it",), ("primary",), ("teaching_point", "village"), (), 0,
         summary="专递课堂与同步课堂的设备操作和课堂组织。"),
    Spec("四川省2025年初中数学骨干教师高级研修班", Level.PROVINCIAL, "四川省教育科学研究院", 72,
         50, Mode.BLENDED, ("math",), ("junior",), (), ("backbone",), 30, "成都市",
         summary="围绕新课标下的单元整体教学设计开展研修。", quotas=3),
    Spec("四川省乡村学校体育教师专项培训", Level.PROVINCIAL, "成都体育学院", 40, 120,
         Mode.ON_SITE, ("pe",), ("primary", "junior"), RURAL, (), 40, "成都体育学院",
         opens_in=10),
    Spec("四川省中小学心理健康教育教师培训", Level.PROVINCIAL, "四川省教育厅", 36, 150,
         Mode.ONLINE, ("psychology",), ("primary", "junior", "senior"), (), (),
         summary="学生心理危机识别与干预。"),
    Spec("德阳市小学数学骨干教师能力提升项目", Level.MUNICIPAL, "德阳市教育科学研究所", 48, 60,
         Mode.BLENDED, ("math",), ("primary",), (), ("backbone",), 20, "德阳市旌阳区",
         summary="培养市级小学数学骨干教师，开展课例研修。", quotas=2),
    Spec("德阳市初中语文名师工作室联合研修", Level.MUNICIPAL, "德阳市教育局", 32, 40,
         Mode.ON_SITE, ("chinese",), ("junior",), (), ("teacher", "backbone"), 0,
         "德阳市第五中学", opens_in=-40, open_days=15),
    Spec("德阳市新入职教师规范化培训", Level.MUNICIPAL, "德阳市教师发展中心", 60, 300,
         Mode.BLENDED, (), ("primary", "junior"), (), ("teacher",), 0, opens_in=20),
    Spec("中江县2025年中小学教师全员轮训（暑期）", Level.COUNTY, "中江县教师发展中心", 24, 2000,
         Mode.BLENDED, (), ("primary", "junior", "senior"), (), ("teacher",), 0,
         "中江县实验中学", summary="全县中小学教师暑期轮训，覆盖每一所乡镇学校。"),
    Spec("中江县乡村英语教师口语与课堂教学提升班", Level.COUNTY, "中江县教师发展中心", 30, 80,
         Mode.ON_SITE, ("english",), ("primary", "junior"), RURAL, (), 50, "中江县凯江镇",
         summary="面向乡村学校英语教师，提升口语和课堂组织能力。"),
    Spec("中江县班主任工作能力培训", Level.COUNTY, "中江县教育局", 16, 200, Mode.ONLINE,
         (), ("primary", "junior"), (), ("teacher",), 0, opens_in=7),
    Spec("中江县小学科学实验教学培训", Level.COUNTY, "中江县教师发展中心", 20, 60,
         Mode.ON_SITE, ("science",), ("primary",), (), (), 30, "中江县实验小学",
         opens_in=-25, open_days=10),
    Spec("中江县实验小学校本研修：大单元教学设计", Level.SCHOOL, "中江县实验小学", 12, 80,
         Mode.ON_SITE, (), ("primary",), (), ("teacher",), 0, "中江县实验小学"),
    Spec("兴隆镇中心小学校本研修：乡村课堂提问策略", Level.SCHOOL, "中江县兴隆镇中心小学", 10,
         40, Mode.ON_SITE, (), ("primary",), RURAL, ("teacher",), 0, "兴隆镇中心小学",
         opens_in=5),
)  # fmt: skip
NEWS = (
    ("中江县召开2025年教师培训工作会议", "部署国培、省培和县级全员轮训任务，明确轮训全覆盖目标。"),
    ("成都市青羊区名师团队赴中江县开展送教下乡活动", "青羊区12名骨干教师在兴隆镇、辑庆镇开展示范课和联校教研。"),
    ("中江县首批同步课堂在12所村小开课", "城区学校的课堂实时接入乡村教学点，乡村教师同步跟岗。"),
    ("德阳市小学数学骨干教师研修班在中江县开班", "来自全市的60名小学数学骨干教师参加为期五天的集中研修。"),
    ("中江县名师工作室2025年上半年工作总结会召开", "各工作室交流结对帮扶成效，部署下半年重点工作。"),
)  # fmt: skip
NOTICES = (
    (NoticeKind.NOTICE, "关于做好2025年“国培计划”参训学员遴选工作的通知", "中教发〔2025〕18号",
     "请各学校按分配名额推荐乡村骨干教师，优先推荐村小和教学点教师。", "参训学员推荐表.csv"),
    (NoticeKind.NOTICE, "关于开展2025年暑期教师全员轮训的通知", "中教发〔2025〕25号",
     "暑期轮训覆盖全县中小学在职教师，每人不少于24学时。", "轮训分组安排.csv"),
    (NoticeKind.POLICY, "中江县城乡学校结对帮扶实施方案", "中教发〔2024〕41号",
     "城区优质学校与农村薄弱学校结对，帮扶期三年，每季度对标汇报。", "结对帮扶目标任务书模板.csv"),
    (NoticeKind.POLICY, "中小学教师继续教育学时管理办法", "川教〔2023〕7号",
     "中小学教师每五年累计完成不少于360学时的培训。", "学时登记表.csv"),
)  # fmt: skip


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _regions() -> dict[str, Region]:
    regions = {}
    for code, name, level, parent in REGIONS:
        region = Region.objects.filter(code=code).first()
        if region is None:
            region = Region(code=code, name=name, level=level)
            region.parent = regions.get(parent)
            region.path = region.build_path()
            region.full_clean()
            region.save()
        regions[code] = region
    return regions


def _child(parent, model, slug, **fields):
    """The live child page of ``parent`` with ``slug``, created if missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def _body(spec: Spec, start) -> list:
    sessions = [
        {
            "date": (start + timedelta(days=i)).isoformat(),
            "time": "08:30–11:30" if i % 2 == 0 else "14:00–17:00",
            "topic": topic,
            "speaker": speaker,
            "place": spec.location or "线上",
        }
        for i, (topic, speaker) in enumerate(
            [
                ("开班仪式与培训需求诊断", "项目负责人"),
                ("新课标解读与课堂观察", "省级学科带头人"),
                ("示范课观摩与评课", "名师工作室主持人"),
                ("跟岗实践与成果展示", "导师团队"),
            ]
        )
    ]
    # Raw StreamField data (what the editor saves), converted on assignment.
    return _raw(
        ("heading", "项目简介"),
        (
            "paragraph",
            f"<p>{spec.summary or spec.title}。本项目由{spec.organiser}承办，"
            f"共{spec.hours}学时，结业合格者登记继续教育学时。</p>",
        ),
        ("schedule", {"title": "日程安排", "sessions": sessions}),
        (
            "faq",
            {
                "title": "常见问题",
                "questions": [
                    {
                        "question": "如何报名？",
                        "answer": "<p>登录平台，在项目页面点击“报名”，"
                        "经学校和教育局审核后确认。</p>",
                    },
                    {
                        "question": "学时如何登记？",
                        "answer": "<p>培训结束并考核合格后，学时自动记入个人培训台账。</p>",
                    },
                ],
            },
        ),
    )


def _raw(*blocks) -> list[dict]:
    return [{"type": kind, "value": value} for kind, value in blocks]


def _programmes(catalogs, regions, stdout) -> int:
    today = timezone.localdate()
    now = timezone.now()
    subjects = Subject.objects.in_bulk()
    stages = Stage.objects.in_bulk()
    categories = SchoolCategory.objects.in_bulk()
    roles = TargetRole.objects.in_bulk()
    county = regions["510623"]
    county_schools = list(
        School.objects.filter(region__path__startswith=county.path).order_by("code")
    )
    made = 0
    for i, spec in enumerate(PROGRAMMES):
        catalog = catalogs[spec.level]
        slug = f"p{i + 1:02d}"
        if catalog.get_children().filter(slug=slug).exists():
            continue
        school = None
        if spec.level == Level.SCHOOL:
            school = next(
                (s for s in county_schools if s.name == spec.organiser), None
            ) or (county_schools[0] if county_schools else None)
            if school is None:
                continue  # no schools yet: school-based training needs one
        opens = now + timedelta(days=spec.opens_in)
        start = today + timedelta(days=spec.opens_in + spec.open_days + 10)
        quota_schools = county_schools[: spec.quotas * 3 : 3] if spec.quotas else []
        programme = programme_create(
            user=None,
            title=spec.title,
            level=spec.level,
            year=start.year,
            organiser=spec.organiser,
            region=catalog.region,
            school=school,
            summary=spec.summary,
            credit_hours=Decimal(spec.hours),
            starts_on=start,
            ends_on=start + timedelta(days=max(spec.hours // 8, 1)),
            enrol_opens_at=opens,
            enrol_closes_at=opens + timedelta(days=spec.open_days),
            seats=spec.seats,
            mode=spec.mode,
            location=spec.location,
            rural_backbone_share=spec.rural_share,
            stages=[stages[c] for c in spec.stages],
            subjects=[subjects[c] for c in spec.subjects],
            school_categories=[categories[c] for c in spec.categories],
            roles=[roles[c] for c in spec.roles],
            quotas=dict.fromkeys(quota_schools, spec.quotas),
        )
        _child(
            catalog,
            ProgrammePage,
            slug,
            title=spec.title,
            programme=programme,
            body=_body(spec, start),
            search_description=spec.summary[:150],
        )
        made += 1
    _say(
        stdout, f"培训项目 / programmes: {made} new, {Programme.objects.count()} in all"
    )
    return made


def _attachment(page, filename: str, title: str) -> None:
    if page.attachments.exists():
        return
    document = Document(title=title)
    document.file.save(
        filename, ContentFile(f"{title}\n学校,姓名,学科\n".encode("utf-8-sig"))
    )
    document.save()
    PageAttachment.objects.create(page=page, document=document, title=title)


def _news_and_notices(home, county, stdout) -> None:
    today = timezone.localdate()
    news_index, _ = _child(
        home,
        NewsIndexPage,
        "news",
        title="工作动态",
        region=county,
        intro="中江县教师培训与结对帮扶工作动态。",
    )
    section_setup(page=news_index)
    for i, (title, intro) in enumerate(NEWS):
        _child(
            news_index,
            NewsPage,
            f"n{i + 1:02d}",
            title=title,
            intro=intro,
            date=today - timedelta(days=3 + 9 * i),
            body=_raw(("paragraph", f"<p>{intro}</p>")),
        )
    notice_index, _ = _child(
        home,
        NoticeIndexPage,
        "notices",
        title="通知公告",
        region=county,
        intro="中江县教育局通知公告与政策文件。",
    )
    section_setup(page=notice_index)
    for i, (kind, title, number, intro, filename) in enumerate(NOTICES):
        page, _ = _child(
            notice_index,
            NoticePage,
            f"d{i + 1:02d}",
            title=title,
            kind=kind,
            document_number=number,
            issuer="中江县教育局" if number.startswith("中") else "四川省教育厅",
            intro=intro,
            date=today - timedelta(days=5 + 20 * i),
            body=_raw(("paragraph", f"<p>{intro}</p>")),
        )
        _attachment(page, filename, filename.rsplit(".", 1)[0])
    _say(stdout, "工作动态、通知公告 / news and notices ready")


def _studios(home, county, stdout) -> None:
    index, _ = _child(
        home,
        StudioIndexPage,
        "studios",
        title="名师工作室",
        region=county,
        intro="中江县名师、名校长工作室。",
    )
    section_setup(page=index)
    studios = Studio.objects.filter(
        host_school__region__path__startswith=county.path, is_active=True
    ).order_by("name")[:12]
    made = 0
    for studio in studios:
        if StudioPage.objects.filter(studio=studio).exists():
            continue
        _child(
            index,
            StudioPage,
            f"s{studio.pk}",
            title=studio.name,
            studio=studio,
            intro=(studio.description or "")[:200],
        )
        made += 1
    _say(stdout, f"名师工作室 / studio pages: {made} new")


def _demo_editors() -> None:
    from accounts.models import User  # noqa: PLC0415

    reviewer = User.objects.filter(username="demo_reviewer").first()
    if reviewer is not None and reviewer.region_id:
        bureau_editor_assign(user=reviewer, approver=True)


@transaction.atomic
def seed(*, stdout=None) -> None:
    """Load the demo catalogs and content (idempotent)."""
    regions = _regions()
    home = Site.objects.get(is_default_site=True).root_page.specific
    index, _ = _child(
        home,
        TrainingIndexPage,
        "training",
        title="培训项目",
        intro="国培、省培、市培、县培、校培五级培训项目，按学科、学段和状态查找并报名。",
    )
    catalogs = {}
    for level, code, title, slug, intro in CATALOGS:
        catalog, _ = _child(
            index,
            TrainingCatalogPage,
            slug,
            title=title,
            level=level,
            region=regions[code],
            intro=intro,
        )
        section_setup(page=catalog)
        catalogs[level] = catalog
    _programmes(catalogs, regions, stdout)
    _news_and_notices(home, regions["510623"], stdout)
    _studios(home, regions["510623"], stdout)
    _demo_editors()
