"""The bureau's admin screens for regions, schools and studios.

Every screen is scoped by role and region through the models' permission
policies (see :mod:`accounts.permissions` and :mod:`accounts.scoped_admin`):
a county reviewer lists, opens and edits only what lies in their county.
"""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.log_actions import log

from accounts.scoped_admin import ScopedAdminForm, ScopedModelViewSet
from accounts.selectors import scope_queryset
from accounts.viewsets import TeacherViewSet

from .models import Region, School, Stage, Studio, Subject
from .services import region_create


def scoped_regions(user):
    return scope_queryset(Region.objects.all(), user=user, regions=["pk"])


def scoped_schools(user):
    return scope_queryset(School.objects.all(), user=user, regions=["region"])


def scoped_staff(user):
    """Active school staff inside ``user``'s scope, to pick leaders and members."""
    staff = (
        get_user_model()
        .objects.filter(is_active=True, school__isnull=False)
        .select_related("school")
        .order_by("school__code", "real_name", "pk")
    )
    return scope_queryset(staff, user=user, schools=["school"])


def _yes_no(value) -> str:
    return str(_("Yes") if value else _("No"))


# --- Regions ------------------------------------------------------------------


class RegionForm(ScopedAdminForm):
    """Division codes are national identifiers: fixed once a region exists."""

    scoped_fields = ("parent",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for name in ("code", "level", "parent"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def parent_choices(self, user):
        return scoped_regions(user).filter(level__lt=Region.Level.TOWNSHIP)


class RegionCreateView(generic.CreateView):
    def save_instance(self):
        # Through the service: the path is derived from the parent's.
        data = self.form.cleaned_data
        region = region_create(
            code=data["code"],
            name=data["name"],
            level=data["level"],
            parent=data.get("parent"),
        )
        log(instance=region, action="wagtail.create", user=self.request.user)
        return region


class RegionViewSet(ScopedModelViewSet):
    model = Region
    icon = "globe"
    name = "regions"
    url_namespace = "regions_admin"
    base_form_class = RegionForm
    add_view_class = RegionCreateView
    list_display = [
        "__str__",
        "code",
        "level",
        Column("parent", label=_("Parent region"), accessor="parent.name"),
    ]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    list_select_related = ("parent",)
    ordering = ["path"]
    list_per_page = 50
    inspect_view_fields = ["code", "name", "level", "parent"]
    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("level"),
        FieldPanel("parent"),
    ]


# --- Schools ------------------------------------------------------------------


class SchoolForm(ScopedAdminForm):
    scoped_fields = ("region",)

    def region_choices(self, user):
        return scoped_regions(user).filter(level__gte=Region.Level.COUNTY)


class SchoolFilterSet(WagtailFilterSet):
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=lambda request: scoped_regions(request.user).filter(
            level__gte=Region.Level.COUNTY
        ),
        method="filter_region",
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=School.Category.choices, empty_label=_("All")
    )
    urban_rural_code = django_filters.ChoiceFilter(
        label=_("Urban-rural code"),
        choices=School.UrbanRural.choices,
        empty_label=_("All"),
    )
    is_weak = django_filters.BooleanFilter(label=_("Weak school"))
    stages = django_filters.ModelChoiceFilter(
        label=_("Stage"), queryset=Stage.objects.all()
    )

    class Meta:
        model = School
        fields = []

    def filter_region(self, queryset, name, value):
        # A county includes its townships' schools.
        return queryset.filter(region__path__startswith=value.path)


class SchoolViewSet(ScopedModelViewSet):
    model = School
    icon = "home"
    name = "schools"
    url_namespace = "schools_admin"
    base_form_class = SchoolForm
    filterset_class = SchoolFilterSet
    search_fields = ["name", "code"]
    list_select_related = ("region",)
    ordering = ["code"]
    list_per_page = 50
    list_display = [
        "__str__",
        "code",
        Column("region", label=_("Region"), accessor="region.name", sort_key="region"),
        "category",
        "urban_rural_code",
        BooleanColumn("is_weak", label=_("Weak school")),
        "student_count",
        "teacher_count",
    ]
    list_export = [
        "code",
        "name",
        "region.code",
        "region.name",
        "get_category_display",
        "get_urban_rural_code_display",
        "is_weak",
        "student_count",
        "teacher_count",
        "address",
    ]
    export_headings = {
        "code": _("School identifier code"),
        "name": _("Name"),
        "region.code": _("Division code"),
        "region.name": _("Region"),
        "get_category_display": _("Category"),
        "get_urban_rural_code_display": _("Urban-rural code"),
        "is_weak": _("Weak school"),
        "student_count": _("Students"),
        "teacher_count": _("Teachers"),
        "address": _("Address"),
    }
    export_filename = "schools"
    inspect_view_fields = [
        "code",
        "name",
        "region",
        "category",
        "urban_rural_code",
        "stages",
        "is_weak",
        "student_count",
        "teacher_count",
        "address",
        "latitude",
        "longitude",
    ]
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
        FieldPanel("region"),
        FieldRowPanel([FieldPanel("category"), FieldPanel("urban_rural_code")]),
        FieldPanel("stages", widget=forms.CheckboxSelectMultiple),
        FieldPanel("is_weak"),
        FieldRowPanel([FieldPanel("student_count"), FieldPanel("teacher_count")]),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Location"),
        ),
    ]

    def get_index_view_kwargs(self, **kwargs):
        view_kwargs = super().get_index_view_kwargs(**kwargs)
        view_kwargs["custom_field_preprocess"] = {
            "is_weak": {"csv": _yes_no, "xlsx": _yes_no}
        }
        return view_kwargs


# --- Studios ------------------------------------------------------------------


def _staff_label(user) -> str:
    return f"{user.display_name}（{user.school.name}）" if user.school else str(user)


class StudioForm(ScopedAdminForm):
    scoped_fields = ("host_school", "leader", "members")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("leader", "members"):
            if name in self.fields:
                self.fields[name].label_from_instance = _staff_label

    def host_school_choices(self, user):
        return scoped_schools(user)

    def leader_choices(self, user):
        return scoped_staff(user)

    def members_choices(self, user):
        return scoped_staff(user)


class StudioFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Studio.Kind.choices, empty_label=_("All")
    )
    subjects = django_filters.ModelChoiceFilter(
        label=_("Subject"), queryset=Subject.objects.all()
    )
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Studio
        fields = []


class StudioViewSet(ScopedModelViewSet):
    model = Studio
    icon = "group"
    name = "studios"
    url_namespace = "studios_admin"
    base_form_class = StudioForm
    filterset_class = StudioFilterSet
    search_fields = ["name", "host_school__name", "leader__real_name"]
    list_select_related = ("host_school", "leader")
    ordering = ["name"]
    list_per_page = 50
    list_display = [
        "__str__",
        "kind",
        Column("host_school", label=_("Host school"), accessor="host_school.name"),
        Column("leader", label=_("Leader"), accessor="leader.display_name"),
        Column("member_count", label=_("Members"), accessor="member_count"),
        BooleanColumn("is_active", label=_("Active")),
    ]
    inspect_view_fields = [
        "name",
        "kind",
        "host_school",
        "leader",
        "members",
        "subjects",
        "founded_on",
        "is_active",
        "description",
    ]
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("founded_on")]),
        FieldPanel("host_school"),
        FieldPanel("leader"),
        FieldPanel("members"),
        FieldPanel("subjects", widget=forms.CheckboxSelectMultiple),
        FieldPanel("description"),
        FieldPanel("is_active"),
    ]

    def get_list_queryset(self):
        return super().get_list_queryset().annotate(member_count=Count("members"))


class SchoolsAdminGroup(ModelViewSetGroup):
    menu_label = _("Schools and regions")
    menu_icon = "site"
    menu_order = 300
    # Other apps (the roster import) add entries with this hook.
    submenu_hook = "register_schools_menu_item"
    items = (SchoolViewSet, TeacherViewSet, StudioViewSet, RegionViewSet)
