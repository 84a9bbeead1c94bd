"""The bureau's teacher roster and the personal-data access log in the admin.

Reviewers see teachers of their region with masked phones; platform admins
see phones in full and the masked ID number. Every export of teacher data is
logged (PIPL).
"""

from collections import OrderedDict

import django_filters
from django import forms
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn

from schools.models import School, Stage, Subject

from .models import Honour, PersonalDataAccessLog, Teacher
from .permissions import can_see_full_phone, can_see_id_number
from .privacy import mask_phone
from .roles import Role
from .scoped_admin import (
    ScopedAdminForm,
    ScopedIndexView,
    ScopedInspectView,
    ScopedModelViewSet,
)
from .selectors import scope_queryset, user_scope
from .services import personal_data_access_record

EXPORT_ACTION = "export"


def phone_for(viewer, teacher) -> str:
    if can_see_full_phone(viewer, teacher):
        return teacher.phone or ""
    return mask_phone(teacher.phone or "")


def _names(related) -> str:
    return "、".join(str(obj) for obj in related.all())


def scoped_schools(user):
    return scope_queryset(School.objects.all(), user=user, regions=["region"])


# --- Teachers -----------------------------------------------------------------


class TeacherForm(ScopedAdminForm):
    """Profile fields only: roles, passwords and superuser stay with Users."""

    scoped_fields = ("school",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].required = True  # a teacher belongs to a school

    def school_choices(self, user):
        return scoped_schools(user)


class TeacherFilterSet(WagtailFilterSet):
    school = django_filters.ModelChoiceFilter(
        label=_("School"), queryset=lambda request: scoped_schools(request.user)
    )
    subjects = django_filters.ModelChoiceFilter(
        label=_("Subject"), queryset=Subject.objects.all()
    )
    stages = django_filters.ModelChoiceFilter(
        label=_("Stage taught"), queryset=Stage.objects.all()
    )
    title = django_filters.ChoiceFilter(
        label=_("Professional title"),
        choices=Teacher.Title.choices,
        empty_label=_("All"),
    )
    honours = django_filters.ModelChoiceFilter(
        label=_("Honour"), queryset=Honour.objects.all()
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"),
        choices=Role.choices,
        method="filter_role",
        empty_label=_("All"),
    )
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Teacher
        fields = []

    def filter_role(self, queryset, name, value):
        return queryset.filter(groups__name=value) if value else queryset


class TeacherIndexView(ScopedIndexView):
    """The roster: masked phones for reviewers, and every export logged."""

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        query = self.search_query.strip()
        found = Q(real_name__icontains=query)
        if user_scope(self.request.user).everything:
            found |= Q(phone__icontains=query) | Q(username__icontains=query)
        else:
            # Whoever sees phones masked finds a teacher by the whole number
            # only: partial matches would let them guess the hidden digits.
            found |= Q(phone=query) | Q(username=query)
        return queryset.filter(found)

    export_filename = "teachers"

    @cached_property
    def list_display(self):
        viewer = self.request.user
        columns = [
            "__str__",
            Column(
                "phone",
                label=_("Mobile phone"),
                accessor=lambda t: phone_for(viewer, t),
            ),
        ]
        if can_see_id_number(viewer):
            columns.append(Column("id_number_masked", label=_("ID number")))
        columns += [
            Column(
                "school", label=_("School"), accessor="school.name", sort_key="school"
            ),
            Column(
                "subjects",
                label=_("Subjects"),
                accessor=lambda t: _names(t.subjects),
            ),
            "title",
            Column("honours", label=_("Honours"), accessor=lambda t: _names(t.honours)),
            "years_of_teaching",
            BooleanColumn("is_active", label=_("Active")),
        ]
        return columns

    @cached_property
    def list_export(self):
        fields = ["name", "phone"]
        if can_see_id_number(self.request.user):
            fields.append("id_number")
        return [
            *fields,
            "school_code",
            "school",
            "subjects",
            "stages",
            "title",
            "honours",
            "years_of_teaching",
            "is_active",
        ]

    export_headings = {
        "name": _("Name"),
        "phone": _("Mobile phone"),
        "id_number": _("ID number"),
        "school_code": _("School identifier code"),
        "school": _("School"),
        "subjects": _("Subjects"),
        "stages": _("Stages taught"),
        "title": _("Professional title"),
        "honours": _("Honours"),
        "years_of_teaching": _("Years of teaching"),
        "is_active": _("Active"),
    }

    def to_row_dict(self, item):
        values = {
            "name": item.display_name,
            "phone": phone_for(self.request.user, item),
            "id_number": item.id_number_masked,
            "school_code": item.school.code,
            "school": item.school.name,
            "subjects": _names(item.subjects),
            "stages": _names(item.stages),
            "title": item.get_title_display(),
            "honours": _names(item.honours),
            "years_of_teaching": item.years_of_teaching,
            "is_active": _("Yes") if item.is_active else _("No"),
        }
        return OrderedDict((field, values[field]) for field in self.list_export)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        query = self.request.GET.copy()
        query.pop("export", None)
        subject = f"{Teacher._meta.verbose_name_plural} {query.urlencode()}".strip()
        personal_data_access_record(
            user=self.request.user,
            action=EXPORT_ACTION,
            subject=f"{subject} ({spreadsheet_format})",
            row_count=queryset.count(),
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)


class TeacherInspectView(ScopedInspectView):
    def get_fields(self):
        fields = [
            "real_name",
            "phone",
            "school",
            "subjects",
            "stages",
            "title",
            "honours",
            "years_of_teaching",
            "is_active",
            "date_joined",
            "last_login",
        ]
        if can_see_id_number(self.request.user):
            fields.insert(2, "id_number_masked")
        return fields

    def get_phone_display_value(self):
        return phone_for(self.request.user, self.object) or "—"


class TeacherViewSet(ScopedModelViewSet):
    model = Teacher
    icon = "group"
    menu_order = 400
    name = "teachers"
    url_namespace = "teachers_admin"
    base_form_class = TeacherForm
    add_to_reference_index = False
    index_view_class = TeacherIndexView
    inspect_view_class = TeacherInspectView
    filterset_class = TeacherFilterSet
    search_fields = ["real_name", "phone"]  # how: TeacherIndexView.search_queryset
    ordering = ["school__code", "real_name", "pk"]
    list_per_page = 50
    list_select_related = ("school",)
    list_prefetch_related = ("subjects", "stages", "honours")
    panels = [
        FieldPanel("real_name"),
        FieldPanel("school"),
        MultiFieldPanel(
            [
                FieldPanel("subjects", widget=forms.CheckboxSelectMultiple),
                FieldPanel("stages", widget=forms.CheckboxSelectMultiple),
                FieldPanel("title"),
                FieldPanel("honours", widget=forms.CheckboxSelectMultiple),
                FieldPanel("years_of_teaching"),
            ],
            heading=_("Teaching"),
        ),
        FieldPanel("is_active"),
    ]

    def get_urlpatterns(self):
        # Teachers arrive through the roster import, which checks names, phones
        # and ID numbers across the whole file; there is no one-by-one add here.
        return [p for p in super().get_urlpatterns() if p.name != "add"]

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs["add_url_name"] = None
        return view_kwargs

    def get_permissions_to_register(self):
        # A proxy model's permissions hang on its own content type.
        content_type = ContentType.objects.get_for_model(
            self.model, for_concrete_model=False
        )
        return Permission.objects.filter(content_type=content_type)


# --- Personal data access log ---------------------------------------------------


class AccessLogFilterSet(WagtailFilterSet):
    action = django_filters.CharFilter(label=_("Action"))
    at = django_filters.DateFromToRangeFilter(
        label=_("Date"), widget=DateRangePickerWidget
    )

    class Meta:
        model = PersonalDataAccessLog
        fields = []


class AccessLogViewSet(ScopedModelViewSet):
    """Read-only: who exported personal data, when, and how many rows."""

    model = PersonalDataAccessLog
    icon = "history"
    name = "personal-data-log"
    url_namespace = "personal_data_log_admin"
    menu_label = _("Personal data log")
    add_to_settings_menu = True
    add_to_reference_index = False
    inspect_view_enabled = False
    list_display = [
        DateColumn("at", label=_("At"), sort_key="at"),
        Column("user", label=_("User"), accessor="user.display_name"),
        Column("action", label=_("Action")),
        Column("subject", label=_("What")),
        Column("row_count", label=_("Rows")),
    ]
    filterset_class = AccessLogFilterSet
    search_fields = ["subject", "user__real_name", "user__username"]
    list_select_related = ("user",)
    ordering = ["-at"]
    list_per_page = 50

    def get_urlpatterns(self):
        # No add, edit or delete: an audit log is only read.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in (
            "add_url_name",
            "edit_url_name",
            "delete_url_name",
            "history_url_name",
            "usage_url_name",
        ):
            view_kwargs[name] = None
        return view_kwargs

    def register_admin_url_finder(self):
        pass  # log rows have no edit page to link to
