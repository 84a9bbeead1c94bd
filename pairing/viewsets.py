"""The bureau's admin screens for profiles, pairings, links and matching runs.

Every screen is scoped by role and region through the models' permission
policies (:mod:`accounts.permissions`, :mod:`accounts.scoped_admin`): a
county reviewer lists and opens only what lies in their county, and a
cross-region pairing appears to both sides' bureaus.
"""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.log_actions import log

from accounts.roles import Role
from accounts.scoped_admin import (
    ScopedAdminForm,
    ScopedInspectView,
    ScopedModelViewSet,
)
from accounts.selectors import scope_queryset
from schools.models import Region, School, Studio

from . import admin_views
from .models import (
    CrossRegionLink,
    HelperProfile,
    MatchingRun,
    NeedProfile,
    Pairing,
)
from .selectors import (
    helper_side_people,
    pairing_cards,
    rural_schools,
    with_sides,
)
from .services import pairing_create


def scoped_regions(user):
    return scope_queryset(Region.objects.all(), user=user, regions=["pk"])


def scoped_schools(user):
    return scope_queryset(School.objects.all(), user=user, regions=["region"])


def _yes_no(value) -> str:
    return str(_("Yes") if value else _("No"))


# --- Need profiles ----------------------------------------------------------------


class NeedProfileForm(ScopedAdminForm):
    scoped_fields = ("school",)

    def school_choices(self, user):
        schools = scope_queryset(rural_schools(), user=user, regions=["region"])
        return schools.filter(need_profile__isnull=True).select_related("region")


class NeedProfileViewSet(ScopedModelViewSet):
    model = NeedProfile
    icon = "help"
    name = "need_profiles"
    url_namespace = "pairing_needs"
    base_form_class = NeedProfileForm
    search_fields = ["school__name", "school__code"]
    list_filter = ["connectivity", "needs_on_site"]
    list_select_related = ("school", "school__region")
    ordering = ["school__code"]
    list_per_page = 50
    list_display = [
        "__str__",
        Column("region", label=_("Region"), accessor="school.region.name"),
        Column("need_count", label=_("Needs"), accessor="need_count"),
        "connectivity",
        BooleanColumn("needs_on_site", label=_("On site")),
        DateColumn("updated_at", label=_("Updated")),
    ]
    list_export = [
        "school.code",
        "school.name",
        "school.region.name",
        "need_list",
        "get_connectivity_display",
        "needs_on_site",
        "development_needs",
    ]
    export_headings = {
        "school.code": _("School identifier code"),
        "school.name": _("School"),
        "school.region.name": _("Region"),
        "need_list": _("Needs"),
        "get_connectivity_display": _("Connectivity"),
        "needs_on_site": _("On site"),
        "development_needs": _("Teacher development needs"),
    }
    export_filename = "need-profiles"
    inspect_view_fields = [
        "school",
        "connectivity",
        "live_classrooms",
        "needs_on_site",
        "development_needs",
        "updated_at",
    ]
    panels = [
        FieldPanel("school"),
        FieldRowPanel([FieldPanel("connectivity"), FieldPanel("live_classrooms")]),
        FieldPanel("needs_on_site"),
        FieldPanel("development_needs"),
        InlinePanel(
            "needs",
            heading=_("Needs"),
            label=_("Need"),
            panels=[
                FieldRowPanel([FieldPanel("stage"), FieldPanel("subject")]),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("priority")]),
            ],
        ),
    ]

    def get_list_queryset(self):
        return (
            super()
            .get_list_queryset()
            .annotate(need_count=Count("needs"))
            .prefetch_related("needs__subject", "needs__stage")
        )

    def get_index_view_kwargs(self, **kwargs):
        view_kwargs = super().get_index_view_kwargs(**kwargs)
        view_kwargs["custom_field_preprocess"] = {
            "needs_on_site": {"csv": _yes_no, "xlsx": _yes_no},
        }
        return view_kwargs


# --- Helper profiles --------------------------------------------------------------


def _staff_label(user) -> str:
    return f"{user.display_name}（{user.school.name}）" if user.school else str(user)


class HelperProfileForm(ScopedAdminForm):
    scoped_fields = ("school", "studio", "mentor")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "mentor" in self.fields:
            self.fields["mentor"].label_from_instance = _staff_label

    def school_choices(self, user):
        return scoped_schools(user).filter(
            Q(helper_profile__isnull=True) | Q(pk=self.instance.school_id or 0)
        )

    def studio_choices(self, user):
        studios = scope_queryset(
            Studio.objects.all(), user=user, schools=["host_school"]
        )
        return studios.filter(helper_profile__isnull=True)

    def mentor_choices(self, user):
        mentors = (
            get_user_model()
            .objects.filter(
                is_active=True,
                school__isnull=False,
                groups__name=Role.MENTOR.value,
                helper_profile__isnull=True,
            )
            .select_related("school")
        )
        return scope_queryset(mentors, user=user, schools=["school"])


class HelperProfileViewSet(ScopedModelViewSet):
    model = HelperProfile
    icon = "user"
    name = "helper_profiles"
    url_namespace = "pairing_helpers"
    base_form_class = HelperProfileForm
    search_fields = ["school__name", "studio__name", "mentor__real_name"]
    list_filter = ["accepting", "travels"]
    list_select_related = ("school", "studio", "mentor")
    ordering = ["pk"]
    list_per_page = 50
    list_display = [
        "__str__",
        Column("kind", label=_("Kind"), accessor="kind_label"),
        "capacity",
        BooleanColumn("travels", label=_("Travels")),
        "max_travel_km",
        BooleanColumn("accepting", label=_("Accepting")),
        DateColumn("updated_at", label=_("Updated")),
    ]
    inspect_view_fields = [
        "school",
        "studio",
        "mentor",
        "capacity",
        "travels",
        "max_travel_km",
        "accepting",
        "description",
    ]
    panels = [
        FieldPanel("school"),
        FieldPanel("studio"),
        FieldPanel("mentor"),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("max_travel_km")]),
        FieldRowPanel([FieldPanel("travels"), FieldPanel("accepting")]),
        FieldPanel("description"),
        InlinePanel(
            "strengths",
            heading=_("Strengths"),
            label=_("Strength"),
            panels=[
                FieldRowPanel([FieldPanel("stage"), FieldPanel("subject")]),
                FieldPanel("level"),
            ],
        ),
    ]


# --- Cross-region links -----------------------------------------------------------


class CrossRegionLinkForm(ScopedAdminForm):
    """The helped region is the bureau's own; the helping one may lie anywhere."""

    scoped_fields = ("partner_region",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "helper_region" in self.fields:
            self.fields["helper_region"].queryset = Region.objects.filter(
                level__lte=Region.Level.COUNTY
            )

    def partner_region_choices(self, user):
        return scoped_regions(user).filter(level__lte=Region.Level.COUNTY)


class CrossRegionLinkViewSet(ScopedModelViewSet):
    model = CrossRegionLink
    icon = "link"
    name = "cross_region_links"
    url_namespace = "pairing_links"
    base_form_class = CrossRegionLinkForm
    list_select_related = ("helper_region", "partner_region")
    list_display = ["__str__", "note", DateColumn("created_at", label=_("Created"))]
    inspect_view_enabled = False
    panels = [
        FieldPanel("helper_region"),
        FieldPanel("partner_region"),
        FieldPanel("note"),
    ]


# --- Pairings ---------------------------------------------------------------------


class PairingFilterSet(WagtailFilterSet):
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=lambda request: scoped_regions(request.user).filter(
            level__gte=Region.Level.CITY
        ),
        method="filter_region",
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Pairing.Status.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Pairing.Kind.choices, empty_label=_("All")
    )
    cross_region = django_filters.BooleanFilter(label=_("Cross-region"))

    class Meta:
        model = Pairing
        fields = []

    def filter_region(self, queryset, name, value):
        inside = Q(pk__in=[])
        for lookup in (
            "helper_school",
            "helper_studio__host_school",
            "helper_teacher__school",
            "partner_schools",
            "partner_teachers__school",
        ):
            inside |= Q(**{f"{lookup}__region__path__startswith": value.path})
        return queryset.filter(pk__in=Pairing.objects.filter(inside).values("pk"))


class PairingEditForm(ScopedAdminForm):
    scoped_fields = ("mentors",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "mentors" in self.fields:
            self.fields["mentors"].label_from_instance = _staff_label

    def mentors_choices(self, user):
        if self.instance.pk is None:
            return get_user_model().objects.none()
        return helper_side_people(self.instance)


class PairingCreateForm(ScopedAdminForm):
    """Register a pairing made outside a matching run (it starts proposed)."""

    scoped_fields = ("helper_school", "helper_studio", "partner_schools")

    def helper_school_choices(self, user):
        return scoped_schools(user)

    def helper_studio_choices(self, user):
        return scope_queryset(Studio.objects.all(), user=user, schools=["host_school"])

    def partner_schools_choices(self, user):
        return scope_queryset(rural_schools(), user=user, regions=["region"])


class PairingCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        pairing = pairing_create(
            kind=data["kind"],
            start_date=data["start_date"],
            helper_school=data.get("helper_school"),
            helper_studio=data.get("helper_studio"),
            partner_schools=list(data.get("partner_schools") or []),
            notes=data.get("notes", ""),
            user=self.request.user,
        )
        log(instance=pairing, action="wagtail.create", user=self.request.user)
        return pairing

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)


class PairingInspectView(ScopedInspectView):
    template_name = "pairing/admin/pairing_inspect.html"

    def get_object(self, queryset=None):
        pairing = super().get_object(queryset)
        from .selectors import pairing_detail

        return pairing_detail(user=self.request.user, pk=pairing.pk) or pairing

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        card = pairing_cards(user=self.request.user, pairings=[self.object])[0]
        context.update(
            card=card,
            can_change=self.permission_policy.user_has_permission_for_instance(
                self.request.user, "change", self.object
            ),
            Status=Pairing.Status,
            today=admin_views.today(),
        )
        return context


class PairingViewSet(ScopedModelViewSet):
    model = Pairing
    icon = "link"
    name = "pairings"
    url_namespace = "pairing_pairings"
    base_form_class = PairingEditForm
    add_view_class = PairingCreateView
    inspect_view_class = PairingInspectView
    filterset_class = PairingFilterSet
    search_fields = [
        "helper_school__name",
        "helper_studio__name",
        "helper_teacher__real_name",
    ]
    ordering = ["-start_date", "-pk"]
    list_per_page = 50
    list_display = [
        Column("helper", label=_("Helper"), accessor="helper_name"),
        Column("partners", label=_("Partners"), accessor="partner_names"),
        "kind",
        "mode",
        "status",
        BooleanColumn("cross_region", label=_("Cross-region")),
        Column("cycle", label=_("Cycle"), accessor="cycle_label"),
    ]
    list_export = [
        "helper_name",
        "partner_names",
        "get_kind_display",
        "get_mode_display",
        "get_status_display",
        "cross_region",
        "start_date",
        "end_date",
    ]
    export_headings = {
        "helper_name": _("Helper"),
        "partner_names": _("Partners"),
        "get_kind_display": _("Kind"),
        "get_mode_display": _("Pairing mode"),
        "get_status_display": _("Status"),
        "cross_region": _("Cross-region"),
        "start_date": _("Start date"),
        "end_date": _("End date"),
    }
    export_filename = "pairings"
    panels = [
        FieldPanel("mentors", widget=forms.CheckboxSelectMultiple),
        FieldPanel("notes"),
    ]
    create_panels = [
        FieldPanel("kind"),
        FieldPanel("helper_school"),
        FieldPanel("helper_studio"),
        FieldPanel("partner_schools"),
        FieldPanel("start_date"),
        FieldPanel("notes"),
    ]

    def get_list_queryset(self):
        return with_sides(Pairing.objects.all())

    def get_add_view_kwargs(self, **kwargs):
        handler = ObjectList(
            self.create_panels, base_form_class=PairingCreateForm
        ).bind_to_model(Pairing)
        return super().get_add_view_kwargs(
            panel=handler, form_class=handler.get_form_class(), **kwargs
        )

    def get_index_view_kwargs(self, **kwargs):
        view_kwargs = super().get_index_view_kwargs(**kwargs)
        view_kwargs["custom_field_preprocess"] = {
            "cross_region": {"csv": _yes_no, "xlsx": _yes_no},
        }
        return view_kwargs

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "status/<int:pk>/",
                admin_views.pairing_status_change,
                name="status",
            ),
            path(
                "agreement/<int:pk>/",
                admin_views.pairing_agreement,
                name="agreement",
            ),
        ]


# --- Matching runs ----------------------------------------------------------------


class MatchingRunViewSet(ScopedModelViewSet):
    model = MatchingRun
    icon = "cogs"
    name = "matching_runs"
    url_namespace = "pairing_runs"
    base_form_class = admin_views.RunForm
    add_view_class = admin_views.RunCreateView
    inspect_view_class = admin_views.RunDetailView
    list_select_related = ("region", "created_by")
    ordering = ["-created_at", "-pk"]
    list_per_page = 30
    list_filter = ["status", "kind"]
    list_display = [
        "__str__",
        "kind",
        DateColumn("cycle_start", label=_("Cycle starts")),
        "status",
        Column("covered", label=_("Covered"), accessor="covered_label"),
        Column("created_by", label=_("Started by"), accessor="created_by"),
        DateColumn("created_at", label=_("Created")),
    ]
    panels = [
        FieldPanel("region"),
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("cycle_start"), FieldPanel("cycle_years")]),
        FieldRowPanel([FieldPanel("allow_repeat"), FieldPanel("penalty_per_km")]),
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("progress/<int:pk>/", admin_views.run_status, name="progress"),
            path("accept-all/<int:pk>/", admin_views.run_accept_all, name="accept_all"),
            path(
                "proposal/<int:pk>/decide/",
                admin_views.proposal_decide,
                name="decide",
            ),
            path(
                "proposal/<int:pk>/adjust/",
                admin_views.ProposalAdjustView.as_view(),
                name="adjust",
            ),
        ]


class PairingAdminGroup(ModelViewSetGroup):
    menu_label = _("Pairing")
    menu_icon = "link"
    menu_order = 310
    submenu_hook = "register_pairing_menu_item"
    items = (
        PairingViewSet,
        MatchingRunViewSet,
        NeedProfileViewSet,
        HelperProfileViewSet,
        CrossRegionLinkViewSet,
    )
