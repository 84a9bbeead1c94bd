"""Wagtail pages. Pages present; business rules live in the apps below.

The tree, enforced by parent/subpage rules::

    HomePage
    ├── TrainingIndexPage 培训项目 (all catalogs, level facets)
    │   └── TrainingCatalogPage (one level, one bureau region: 中江县县培 ...)
    │       └── ProgrammePage (presents a courses.Programme)
    ├── NewsIndexPage 工作动态 (RSS) ── NewsPage
    ├── NoticeIndexPage 通知公告 / 政策文件 ── NoticePage
    └── StudioIndexPage 名师工作室 ── StudioPage (presents a schools.Studio)

Catalogs and the news, notice and studio sections belong to a bureau region
(:class:`BureauSection`): the region's editor and approver groups get page
permissions on them, and the region's workflow reviews their pages (see
:mod:`cms.services`).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from courses.models import Level, Programme
from schools.models import Region

from .blocks import BodyBlock
from .forms import ProgrammePageForm

CATALOG_REGION_LEVEL = _(
    "A %(level)s catalog belongs to a bureau of %(region_level)s level."
)
CATALOG_DUPLICATE = _("%(region)s already has a %(level)s catalog.")
PROGRAMME_LEVEL_MISMATCH = _("This catalog lists %(level)s programmes only.")
PROGRAMME_REGION_MISMATCH = _("The programme belongs to another bureau (%(region)s).")


class ContentStamp(models.Model):
    """A token that changes whenever published content changes.

    Cached renderings are keyed on it, so a publish anywhere (or a changed
    programme record) retires them at once in every process.
    """

    name = models.CharField(max_length=32, primary_key=True)
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("content stamp")

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"


class EditorialDesk(models.Model):
    """A bureau region's editors, approvers and review workflow.

    Kept in step by :func:`cms.services.section_setup`: the editors may draft
    pages in the region's sections, the approvers publish them, and the
    workflow asks the approvers to review what editors submit.
    """

    region = models.OneToOneField(
        Region,
        verbose_name=_("bureau region"),
        on_delete=models.CASCADE,
        related_name="editorial_desk",
    )
    editors = models.OneToOneField(
        "auth.Group",
        verbose_name=_("editors"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approvers = models.OneToOneField(
        "auth.Group",
        verbose_name=_("approvers"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    workflow = models.ForeignKey(
        "wagtailcore.Workflow",
        verbose_name=_("workflow"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("editorial desk")
        verbose_name_plural = _("editorial desks")

    def __str__(self) -> str:
        return str(self.region)


class HomePage(Page):
    """The site's root page: the county's front door."""

    intro = models.CharField(_("introduction"), max_length=250, blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.TrainingIndexPage",
        "cms.NewsIndexPage",
        "cms.NoticeIndexPage",
        "cms.StudioIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from .selectors import home_sections  # noqa: PLC0415

        context = super().get_context(request, *args, **kwargs)
        context.update(home_sections(home=self))
        return context


class BureauSection(models.Model):
    """A page whose subtree a bureau region edits (see cms.services)."""

    region = models.ForeignKey(
        Region,
        verbose_name=_("bureau region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The bureau whose editors write this section."),
    )

    class Meta:
        abstract = True


class PageAttachment(Orderable):
    """A file attached to a news item or a notice (通知附件)."""

    page = ParentalKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="attachments"
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(
        _("link text"),
        max_length=200,
        blank=True,
        help_text=_("Defaults to the document's title."),
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    @property
    def label(self) -> str:
        return self.title or self.document.title


# --- Training catalogs -----------------------------------------------------------


class CatalogListingMixin:
    """Pages that list programmes with filters, sorting and pagination."""

    def catalog_levels(self) -> list[str]:
        raise NotImplementedError

    def get_context(self, request, *args, **kwargs):
        from .selectors import catalog_listing  # noqa: PLC0415

        context = super().get_context(request, *args, **kwargs)
        context.update(
            catalog_listing(root=self, request=request, levels=self.catalog_levels())
        )
        return context

    def serve(self, request, *args, **kwargs):
        from .caching import cache_for_anonymous  # noqa: PLC0415

        response = super().serve(request, *args, **kwargs)
        fresh_until = getattr(response, "context_data", {}).get("fresh_until")
        return cache_for_anonymous(response, until=fresh_until)


class TrainingIndexPage(CatalogListingMixin, Page):
    """培训项目: every catalog's programmes in one list, with level facets."""

    intro = models.CharField(_("introduction"), max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.TrainingCatalogPage"]
    max_count = 1

    class Meta:
        verbose_name = _("training index")

    def catalog_levels(self) -> list[str]:
        return list(Level.values)


class TrainingCatalogPage(CatalogListingMixin, BureauSection, Page):  # noqa: DJ008
    """One level's programmes of one bureau, e.g. 中江县县培 or 四川省国培计划."""

    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    intro = models.CharField(_("introduction"), max_length=250, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("level"), FieldPanel("region")]),
        FieldPanel("intro"),
    ]
    parent_page_types = ["cms.TrainingIndexPage"]
    subpage_types = ["cms.ProgrammePage"]

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("training catalog")

    def catalog_levels(self) -> list[str]:
        return [self.level]

    def clean(self) -> None:
        super().clean()
        if not self.level or not self.region_id:
            return
        wanted = Level.owner_region_level(self.level)
        if self.region.level != wanted:
            raise ValidationError(
                {
                    "region": CATALOG_REGION_LEVEL
                    % {
                        "level": Level(self.level).label,
                        "region_level": Region.Level(wanted).label,
                    }
                }
            )
        twins = TrainingCatalogPage.objects.filter(
            level=self.level, region_id=self.region_id
        ).exclude(pk=self.pk)
        if twins.exists():
            raise ValidationError(
                CATALOG_DUPLICATE
                % {"region": self.region.name, "level": Level(self.level).label}
            )


class ProgrammePage(Page):
    """A programme's public page: its facts from ``courses`` plus a rich body."""

    programme = models.OneToOneField(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="page",
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("programme"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.TrainingCatalogPage"]
    subpage_types = []
    base_form_class = ProgrammePageForm

    search_fields = [
        *Page.search_fields,
        index.SearchField("body"),
        index.RelatedFields(
            "programme",
            [
                index.SearchField("title"),
                index.SearchField("organiser"),
                index.SearchField("summary"),
                index.SearchField("location"),
                index.SearchField("search_keywords"),
                index.RelatedFields("subjects", [index.SearchField("name_zh")]),
                index.RelatedFields("stages", [index.SearchField("name_zh")]),
                index.RelatedFields(
                    "school_categories", [index.SearchField("name_zh")]
                ),
                index.RelatedFields("roles", [index.SearchField("name_zh")]),
            ],
        ),
    ]

    class Meta:
        verbose_name = _("training programme page")

    @staticmethod
    def fit_error(programme: Programme, catalog: "TrainingCatalogPage"):
        """Why ``programme`` may not be listed in ``catalog`` (None: it may)."""
        if programme.level != catalog.level:
            return PROGRAMME_LEVEL_MISMATCH % {"level": Level(catalog.level).label}
        if programme.region_id != catalog.region_id:
            return PROGRAMME_REGION_MISMATCH % {"region": programme.region.name}
        return None

    def get_context(self, request, *args, **kwargs):
        from .selectors import programme_detail  # noqa: PLC0415

        context = super().get_context(request, *args, **kwargs)
        context.update(programme_detail(page=self, user=request.user))
        return context

    def get_meta_description(self) -> str:
        return self.search_description or self.programme.summary

    def serve(self, request, *args, **kwargs):
        from .caching import cache_for_anonymous  # noqa: PLC0415

        response = super().serve(request, *args, **kwargs)
        fresh_until = getattr(response, "context_data", {}).get("fresh_until")
        return cache_for_anonymous(response, until=fresh_until)


# --- News, notices, policy documents ----------------------------------------------


class NewsIndexPage(RoutablePageMixin, BureauSection, Page):  # noqa: DJ008
    """工作动态: news of a bureau, newest first, with an RSS feed."""

    intro = models.CharField(_("introduction"), max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("region"), FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]

    class Meta:
        verbose_name = _("news index")

    @path("")
    def index_route(self, request):
        from .selectors import dated_children  # noqa: PLC0415

        page = dated_children(parent=self, model=NewsPage, request=request)
        return self.render(request, context_overrides={"items": page})

    @path("rss/", name="rss")
    def rss(self, request):
        from .feeds import NewsFeed  # noqa: PLC0415

        return NewsFeed(self)(request)


class NewsPage(Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    intro = models.CharField(_("summary"), max_length=250, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("image")]),
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("Attachments")),
    ]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")

    def get_meta_description(self) -> str:
        return self.search_description or self.intro


class NoticeKind(models.TextChoices):
    NOTICE = "notice", _("Notice")
    POLICY = "policy", _("Policy document")


class NoticeIndexPage(BureauSection, Page):  # noqa: DJ008
    """通知公告 / 政策文件: a bureau's notices and policy documents."""

    intro = models.CharField(_("introduction"), max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("region"), FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NoticePage"]

    class Meta:
        verbose_name = _("notice index")

    def get_context(self, request, *args, **kwargs):
        from .selectors import dated_children  # noqa: PLC0415

        context = super().get_context(request, *args, **kwargs)
        kind = request.GET.get("kind", "")
        kind = kind if kind in NoticeKind.values else ""
        context["items"] = dated_children(
            parent=self, model=NoticePage, request=request, filters={"kind": kind}
        )
        context["kind"] = kind
        context["kinds"] = NoticeKind.choices
        context["page_query"] = f"kind={kind}" if kind else ""
        return context


class NoticePage(Page):
    kind = models.CharField(
        _("kind"), max_length=10, choices=NoticeKind.choices, default=NoticeKind.NOTICE
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    issuer = models.CharField(_("issued by"), max_length=100, blank=True)
    document_number = models.CharField(
        _("document number"),
        max_length=60,
        blank=True,
        help_text=_("For example 中教发〔2025〕12号."),
    )
    intro = models.CharField(_("summary"), max_length=250, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("date")]),
        FieldRowPanel([FieldPanel("issuer"), FieldPanel("document_number")]),
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("Attachments")),
    ]
    parent_page_types = ["cms.NoticeIndexPage"]
    subpage_types = []
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("document_number"),
        index.SearchField("issuer"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("date"),
    ]

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def get_meta_description(self) -> str:
        return self.search_description or self.intro


# --- Studios ---------------------------------------------------------------------


class StudioIndexPage(BureauSection, Page):  # noqa: DJ008
    """名师工作室: the famous-teacher and famous-principal studios."""

    intro = models.CharField(_("introduction"), max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("region"), FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.StudioPage"]

    class Meta:
        verbose_name = _("studio index")

    def get_context(self, request, *args, **kwargs):
        from .selectors import studio_cards  # noqa: PLC0415

        context = super().get_context(request, *args, **kwargs)
        context["studios"] = studio_cards(parent=self)
        return context


class StudioPage(Page):
    """A studio's public face: its leader, members and subjects from ``schools``."""

    studio = models.OneToOneField(
        "schools.Studio",
        verbose_name=_("studio"),
        on_delete=models.PROTECT,
        related_name="page",
    )
    intro = models.CharField(_("summary"), max_length=250, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("studio"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.StudioIndexPage"]
    subpage_types = []
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.RelatedFields(
            "studio",
            [
                index.SearchField("name"),
                index.SearchField("description"),
                index.RelatedFields("subjects", [index.SearchField("name_zh")]),
            ],
        ),
    ]

    class Meta:
        verbose_name = _("studio page")

    @cached_property
    def members(self):
        from .selectors import studio_members  # noqa: PLC0415

        return studio_members(studio=self.studio)

    def get_meta_description(self) -> str:
        return self.search_description or self.intro or self.studio.description[:150]
