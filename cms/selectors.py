"""Reads behind the site's pages: catalog listings, programme details, sections.

Every listing issues a fixed number of queries whatever the number of rows:
the page of rows, its count, and batched lookups for what the rows show.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.search.backends import get_search_backend

from courses.eligibility import Status
from courses.models import Level, Programme, SchoolCategory
from courses.selectors import programme_cards, status_filter
from schools.models import Stage, Subject

PAGE_SIZE = 20
QUERY_MAX_LENGTH = 100

SORTS = {
    "": _("Open first"),
    "start": _("Start date"),
    "deadline": _("Enrolment deadline"),
    "hours": _("Credit hours"),
    "newest": _("Newest"),
}
STATUS_CHOICES = [
    (Status.OPEN.value, _("Open for enrolment")),
    (Status.UPCOMING.value, _("Opening soon")),
    (Status.CLOSED.value, _("Closed")),
]


@dataclass(frozen=True)
class CatalogFilters:
    q: str = ""
    level: str = ""
    year: int | None = None
    subject: str = ""
    stage: str = ""
    category: str = ""
    status: str = ""
    sort: str = ""

    @classmethod
    def from_query(cls, data, levels: list[str]) -> "CatalogFilters":
        def pick(name, allowed):
            value = (data.get(name) or "").strip()
            return value if value in allowed else ""

        year = (data.get("year") or "").strip()
        return cls(
            q=(data.get("q") or "").strip()[:QUERY_MAX_LENGTH],
            level=pick("level", levels) if len(levels) > 1 else "",
            year=int(year) if year.isdigit() and len(year) == 4 else None,
            subject=(data.get("subject") or "").strip()[:32],
            stage=(data.get("stage") or "").strip()[:32],
            category=(data.get("category") or "").strip()[:32],
            status=pick("status", {s for s, _ in STATUS_CHOICES}),
            sort=pick("sort", set(SORTS) - {""}),
        )

    def as_params(self, **changes) -> dict:
        values = {
            "q": self.q,
            "level": self.level,
            "year": self.year or "",
            "subject": self.subject,
            "stage": self.stage,
            "category": self.category,
            "status": self.status,
            "sort": self.sort,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v}

    @property
    def active(self) -> bool:
        return bool(self.as_params(sort=""))


def _audience_match(field: str, code: str) -> Q:
    # An empty audience list means "any": such programmes match every value.
    return Q(**{f"programme__{field}__code": code}) | Q(
        **{f"programme__{field}__isnull": True}
    )


def catalog_queryset(*, root, filters: CatalogFilters, levels: list[str], now=None):
    """Live programme pages under ``root`` matching ``filters``, sorted."""
    from .models import ProgrammePage  # noqa: PLC0415

    now = now or timezone.now()
    qs = (
        ProgrammePage.objects.live()
        .public()
        .descendant_of(root)
        .select_related("programme__region")
    )
    if len(levels) < len(Level.values):
        qs = qs.filter(programme__level__in=levels)
    if filters.level:
        qs = qs.filter(programme__level=filters.level)
    if filters.year:
        qs = qs.filter(programme__year=filters.year)
    if filters.subject:
        qs = qs.filter(_audience_match("subjects", filters.subject))
    if filters.stage:
        qs = qs.filter(_audience_match("stages", filters.stage))
    if filters.category:
        qs = qs.filter(_audience_match("school_categories", filters.category))
    if filters.status:
        qs = qs.filter(
            **{
                f"programme__{k}": v
                for k, v in status_filter(filters.status, now).items()
            }
        )
    if filters.q:
        qs = get_search_backend().search_queryset(filters.q, qs)
        if not filters.sort:
            return qs  # by relevance
    open_first = Case(
        When(programme__enrol_opens_at__gt=now, then=Value(1)),
        When(programme__enrol_closes_at__lte=now, then=Value(2)),
        default=Value(0),
        output_field=IntegerField(),
    )
    order = {
        "": (open_first, "programme__enrol_closes_at", "pk"),
        "start": ("programme__starts_on", "pk"),
        "deadline": ("programme__enrol_closes_at", "pk"),
        "hours": ("-programme__credit_hours", "pk"),
        "newest": ("-first_published_at", "-pk"),
    }[filters.sort]
    return qs.order_by(*order)


def catalog_options(*, root, levels: list[str]) -> dict:
    """The choices of the filter form (a few small queries)."""
    years = (
        Programme.objects.filter(level__in=levels)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    return {
        "levels": [(v, label) for v, label in Level.choices if v in levels],
        "years": list(years),
        "subjects": list(Subject.objects.all()),
        "stages": list(Stage.objects.all()),
        "categories": list(SchoolCategory.objects.all()),
        "statuses": STATUS_CHOICES,
        "sorts": list(SORTS.items()),
    }


def catalog_listing(*, root, request, levels: list[str]) -> dict:
    """Everything a catalog page shows, for ``request``'s viewer."""
    now = timezone.now()
    filters = CatalogFilters.from_query(request.GET, levels)
    qs = catalog_queryset(root=root, filters=filters, levels=levels, now=now)
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    pages = list(page_obj.object_list)
    cards = programme_cards(
        programmes=[p.programme for p in pages], user=request.user, now=now
    )
    items = [(p, p.programme, cards[p.programme_id]) for p in pages]
    return {
        "filters": filters,
        "options": catalog_options(root=root, levels=levels),
        "page_obj": page_obj,
        "items": items,
        "page_query": urlencode(filters.as_params()),
        "fresh_until": _next_change(items, now),
    }


def _next_change(items, now):
    """When the first listed card changes status by the clock alone."""
    moments = [
        t
        for _page, programme, _card in items
        for t in (programme.enrol_opens_at, programme.enrol_closes_at)
        if t > now
    ]
    return min(moments, default=now + timedelta(days=1))


def programme_detail(*, page, user) -> dict:
    """A programme page's facts, audience and the viewer's card state."""
    programme = (
        Programme.objects.select_related("region", "school")
        .prefetch_related(
            "stages",
            "subjects",
            "school_categories",
            "roles",
            Prefetch("quotas", to_attr="quota_list"),
        )
        .get(pk=page.programme_id)
    )
    now = timezone.now()
    card = programme_cards(programmes=[programme], user=user, now=now)[programme.pk]
    return {
        "programme": programme,
        "card": card,
        "catalog": page.get_parent(),
        "fresh_until": _next_change([(page, programme, card)], now),
    }


def dated_children(*, parent, model, request, filters=None):
    """A page of ``parent``'s live children of ``model``, newest first."""
    qs = (
        model.objects.live()
        .public()
        .child_of(parent)
        .filter(**{k: v for k, v in (filters or {}).items() if v})
        .order_by("-date", "-pk")
    )
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def home_sections(*, home) -> dict:
    """The home page's latest news and notices and its section links."""
    from .models import (  # noqa: PLC0415
        NewsPage,
        NoticePage,
        TrainingIndexPage,
    )

    live = {"live": True}
    return {
        "training_index": TrainingIndexPage.objects.filter(**live).first(),
        "latest_news": list(
            NewsPage.objects.live().public().order_by("-date", "-pk")[:5]
        ),
        "latest_notices": list(
            NoticePage.objects.live().public().order_by("-date", "-pk")[:5]
        ),
    }


def studio_cards(*, parent):
    """The live studio pages under ``parent`` with their studios, in one go."""
    from .models import StudioPage  # noqa: PLC0415

    return list(
        StudioPage.objects.live()
        .public()
        .child_of(parent)
        .select_related("studio__leader", "studio__host_school")
        .prefetch_related("studio__subjects")
        .order_by("title")
    )


def studio_members(*, studio) -> list:
    """A studio's members with their schools (names only: no personal data)."""
    return list(
        studio.members.filter(is_active=True)
        .select_related("school")
        .order_by("school__name", "real_name")
    )
