"""The bureau's admin screens for programmes, and the chooser page editors use.

Both stay inside the user's scope through the Programme permission policy
(accounts.permissions.ScopedPermissionPolicy, regions=["region"]): a county
reviewer lists, opens, edits and chooses only programmes of their county and
below, and can give a programme only a region inside their own.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.permissions import policy_registry
from wagtail.search.backends import get_search_backend

from accounts.scoped_admin import (
    ScopedAdminForm,
    ScopedEditView,
    ScopedModelViewSet,
)
from accounts.selectors import scope_queryset
from schools.models import Region, School

from .models import Course, LedgerEntry, Lesson, Level, Mode, Module, Programme
from .services import programme_reindex, programme_waitlist_promote, quotas_validate

AUDIENCE_WIDGETS = {
    "stages": forms.CheckboxSelectMultiple,
    "subjects": forms.CheckboxSelectMultiple,
    "school_categories": forms.CheckboxSelectMultiple,
    "roles": forms.CheckboxSelectMultiple,
}


def scoped_bureaus(user):
    """Regions ``user`` may give a programme: bureaus (not townships) in scope."""
    return scope_queryset(Region.objects.all(), user=user, regions=["pk"]).filter(
        level__lt=Region.Level.TOWNSHIP
    )


def scoped_schools(user):
    return scope_queryset(
        School.objects.select_related("region"), user=user, regions=["region"]
    )


def _scope_programmes(queryset, user):
    return policy_registry.get_by_type(Programme).scope(queryset, user)


class ProgrammeForm(ScopedAdminForm):
    scoped_fields = ("region", "school")

    def region_choices(self, user):
        return scoped_bureaus(user)

    def school_choices(self, user):
        return scoped_schools(user)

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("quotas") if hasattr(self, "formsets") else None
        region, seats = cleaned.get("region"), cleaned.get("seats")
        if formset is None or region is None or not formset.is_valid():
            return cleaned
        quotas = [
            (f.cleaned_data["school"], f.cleaned_data["seats"])
            for f in formset.forms
            if f.cleaned_data
            and not f.cleaned_data.get("DELETE")
            and f.cleaned_data.get("school")
        ]
        try:
            quotas_validate(region=region, seats=seats or 0, quotas=quotas)
        except ValidationError as exc:
            self.add_error(None, exc)
        return cleaned


class ProgrammeFilterSet(WagtailFilterSet):
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=Level.choices, empty_label=_("All")
    )
    year = django_filters.NumberFilter(label=_("Year"))
    mode = django_filters.ChoiceFilter(
        label=_("Mode"), choices=Mode.choices, empty_label=_("All")
    )

    class Meta:
        model = Programme
        fields = []


class ProgrammeCreateView(generic.CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        instance = super().save_instance()
        programme_reindex(programme=instance)
        return instance


class ProgrammeEditView(ScopedEditView):
    def save_instance(self):
        instance = super().save_instance()
        programme_reindex(programme=instance)
        # More seats or quotas: the waitlist moves up at once.
        programme_waitlist_promote(programme=instance)
        return instance


PANELS = [
    FieldPanel("title"),
    FieldRowPanel([FieldPanel("level"), FieldPanel("year")]),
    FieldRowPanel([FieldPanel("organiser"), FieldPanel("region")]),
    FieldPanel("school"),
    FieldPanel("summary"),
    MultiFieldPanel(
        [
            FieldPanel("stages", widget=forms.CheckboxSelectMultiple),
            FieldPanel("subjects", widget=forms.CheckboxSelectMultiple),
            FieldPanel("school_categories", widget=forms.CheckboxSelectMultiple),
            FieldPanel("roles", widget=forms.CheckboxSelectMultiple),
            FieldPanel("rural_backbone_share"),
        ],
        heading=_("Target audience"),
    ),
    MultiFieldPanel(
        [
            FieldPanel("credit_hours"),
            FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
            FieldRowPanel(
                [FieldPanel("enrol_opens_at"), FieldPanel("enrol_closes_at")]
            ),
            FieldRowPanel([FieldPanel("seats"), FieldPanel("mode")]),
            FieldPanel("location"),
            FieldPanel("approval_chain"),
        ],
        heading=_("Hours, dates and seats"),
    ),
    InlinePanel("quotas", heading=_("Per-school quotas"), label=_("School quota")),
]


class ProgrammeViewSet(ScopedModelViewSet):
    model = Programme
    icon = "list-ul"
    name = "programmes"
    url_namespace = "programmes_admin"
    menu_label = _("Training programmes")
    menu_order = 100
    base_form_class = ProgrammeForm
    add_view_class = ProgrammeCreateView
    edit_view_class = ProgrammeEditView
    filterset_class = ProgrammeFilterSet
    search_fields = ["title", "organiser"]
    search_backend_name = None  # the ORM: the admin list filters by scope first
    list_select_related = ("region",)
    ordering = ["-year", "title"]
    list_per_page = 50
    list_display = [
        "title",
        "level",
        "year",
        Column("region", label=_("Owning region"), accessor="region.name"),
        "enrol_closes_at",
        "seats",
    ]
    inspect_view_fields = [
        "title",
        "level",
        "year",
        "organiser",
        "region",
        "school",
        "summary",
        "stages",
        "subjects",
        "school_categories",
        "roles",
        "rural_backbone_share",
        "credit_hours",
        "starts_on",
        "ends_on",
        "enrol_opens_at",
        "enrol_closes_at",
        "seats",
        "mode",
        "location",
        "approval_chain",
    ]
    panels = PANELS


# --- The chooser of the programme page editor ----------------------------------


class ProgrammeCreationForm(forms.ModelForm):
    """The chooser's "create" tab: a new programme in the user's scope."""

    class Meta:
        model = Programme
        fields = [
            "title",
            "level",
            "year",
            "organiser",
            "region",
            "school",
            "summary",
            "stages",
            "subjects",
            "school_categories",
            "roles",
            "rural_backbone_share",
            "credit_hours",
            "starts_on",
            "ends_on",
            "enrol_opens_at",
            "enrol_closes_at",
            "seats",
            "mode",
            "location",
        ]  # the approval chain keeps its default; edit it in the programme admin
        widgets = {
            **AUDIENCE_WIDGETS,
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "enrol_opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "enrol_closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        self.fields["region"].queryset = scoped_bureaus(for_user)
        self.fields["school"].queryset = scoped_schools(for_user)


class ProgrammeSearchForm(BaseFilterForm):
    """Chinese search over the scoped list (filters first, then the index)."""

    q = forms.CharField(
        label=_("Search term"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Search")}),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = self.cleaned_data.get("q")
        if query:
            objects = get_search_backend().search_queryset(query, objects)
            self.is_searching = True
            self.search_query = query
        return objects


class ScopedChooserMixin:
    filter_form_class = ProgrammeSearchForm

    def get_object_list(self):
        return _scope_programmes(
            Programme.objects.select_related("region"), self.request.user
        )

    def get_creation_form_kwargs(self):
        return {**super().get_creation_form_kwargs(), "for_user": self.request.user}


class ProgrammeChooseView(ScopedChooserMixin, chooser_views.ChooseView):
    pass


class ProgrammeChooseResultsView(ScopedChooserMixin, chooser_views.ChooseResultsView):
    pass


class ProgrammeChosenView(chooser_views.ChosenView):
    def get_object(self, pk):
        return _scope_programmes(Programme.objects.all(), self.request.user).get(pk=pk)


class ProgrammeChooserCreateView(ScopedChooserMixin, chooser_views.CreateView):
    def save_form(self, form):
        form.instance.created_by = self.request.user
        programme = form.save()
        programme_reindex(programme=programme)
        return programme


class ProgrammeChooserViewSet(ChooserViewSet):
    model = Programme
    icon = "list-ul"
    name = "programme_chooser"
    url_namespace = "programme_chooser"
    choose_one_text = _("Choose a training programme")
    choose_another_text = _("Choose another programme")
    edit_item_text = _("Edit programme")
    per_page = 20
    choose_view_class = ProgrammeChooseView
    choose_results_view_class = ProgrammeChooseResultsView
    chosen_view_class = ProgrammeChosenView
    create_view_class = ProgrammeChooserCreateView
    creation_form_class = ProgrammeCreationForm


# --- The training ledger (read only: lines come from services and imports) ------


class LedgerFilterSet(WagtailFilterSet):
    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=LedgerEntry.Source.choices, empty_label=_("All")
    )
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=Level.choices, empty_label=_("All")
    )
    year = django_filters.NumberFilter(label=_("Year"), field_name="date__year")

    class Meta:
        model = LedgerEntry
        fields = []


class LedgerViewSet(ScopedModelViewSet):
    model = LedgerEntry
    icon = "list-ol"
    name = "ledger"
    url_namespace = "ledger_admin"
    menu_label = _("Training ledger")
    menu_order = 300
    add_to_admin_menu = False
    filterset_class = LedgerFilterSet
    search_fields = ["title", "teacher__real_name"]
    search_backend_name = None
    list_select_related = ("teacher__school",)
    ordering = ["-date", "-pk"]
    list_per_page = 50
    create_view_enabled = False
    list_display = [
        Column("teacher", label=_("Teacher"), accessor="teacher.display_name"),
        Column("school", label=_("School"), accessor="teacher.school.name"),
        "title",
        "level",
        "hours",
        "date",
        "source",
    ]
    inspect_view_fields = [
        "teacher",
        "source",
        "level",
        "title",
        "hours",
        "date",
        "ref",
        "evidence_text",
        "evidence_file",
        "verified_by",
        "verified_at",
        "batch",
        "created_at",
    ]
    form_fields = ["title"]


# --- Courses and lessons -----------------------------------------------------


def scoped_mentors(user):
    """Mentor teachers a course may name: mentors in the user's scope."""
    from accounts.models import User  # noqa: PLC0415
    from accounts.roles import Role  # noqa: PLC0415

    return scope_queryset(
        User.objects.filter(groups__name=Role.MENTOR.value, is_active=True),
        user=user,
        schools=["school"],
    ).order_by("real_name")


class CourseForm(ScopedAdminForm):
    scoped_fields = ("programme", "mentors")

    def programme_choices(self, user):
        return _scope_programmes(Programme.objects.all(), user)

    def mentors_choices(self, user):
        return scoped_mentors(user)


class CourseViewSet(ScopedModelViewSet):
    model = Course
    icon = "doc-full-inverse"
    name = "courses"
    url_namespace = "courses_course_admin"
    menu_label = _("Courses")
    menu_order = 150
    base_form_class = CourseForm
    search_fields = ["title"]
    search_backend_name = None
    list_select_related = ("programme",)
    ordering = ["programme", "order", "pk"]
    list_display = [
        "title",
        Column("programme", label=_("Programme"), accessor="programme.title"),
        "credit_hours",
        "deadline",
    ]
    panels = [
        FieldPanel("programme"),
        FieldPanel("title"),
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("credit_hours"), FieldPanel("deadline")]),
        FieldPanel("order"),
        MultiFieldPanel(
            [FieldPanel("min_quiz_score"), FieldPanel("min_live_attendance")],
            heading=_("Completion rules"),
        ),
        FieldPanel("mentors", widget=forms.CheckboxSelectMultiple),
        InlinePanel("modules", heading=_("Modules"), label=_("Module")),
    ]


class LessonForm(ScopedAdminForm):
    scoped_fields = ("module",)

    def module_choices(self, user):
        return scope_queryset(
            Module.objects.select_related("course"),
            user=user,
            regions=["course__programme__region"],
        )


class LessonFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Lesson.Kind.choices, empty_label=_("All")
    )

    class Meta:
        model = Lesson
        fields = []


class LessonViewSet(ScopedModelViewSet):
    model = Lesson
    icon = "media"
    name = "lessons"
    url_namespace = "courses_lesson_admin"
    menu_label = _("Lessons")
    menu_order = 160
    base_form_class = LessonForm
    filterset_class = LessonFilterSet
    search_fields = ["title"]
    search_backend_name = None
    list_select_related = ("module__course",)
    ordering = ["module__course", "module__order", "order", "pk"]
    list_display = [
        "title",
        "kind",
        Column("course", label=_("Course"), accessor="module.course.title"),
        Column("module", label=_("Module"), accessor="module.title"),
        "required",
    ]
    panels = [
        FieldPanel("module"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("order")]),
        FieldPanel("required"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("media"), FieldPanel("duration_seconds")],
            heading=_("Video or document"),
        ),
        FieldPanel("pass_score"),
        InlinePanel(
            "questions",
            heading=_("Quiz questions"),
            label=_("Question"),
            panels=[
                FieldPanel("text"),
                FieldPanel("options"),
                FieldRowPanel([FieldPanel("points"), FieldPanel("order")]),
            ],
        ),
        MultiFieldPanel(
            [
                FieldPanel("live_starts_at", read_only=True),
                FieldPanel("live_url", read_only=True),
            ],
            heading=_("Live lesson (scheduled from the pairing)"),
        ),
    ]


class TrainingAdminGroup(ModelViewSetGroup):
    """培训: programmes, plus the screens registered on the submenu hook."""

    menu_label = _("Training")
    menu_icon = "list-ul"
    menu_order = 250
    submenu_hook = "register_training_menu_item"
    items = (ProgrammeViewSet, CourseViewSet, LessonViewSet, LedgerViewSet)
