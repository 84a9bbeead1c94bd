from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permissions import register_permission_policy

from accounts.permissions import ReadOnlyPermissionPolicy, ScopedPermissionPolicy
from accounts.scoped_admin import PermissionMenuItem

from .models import Course, Enrolment, LedgerEntry, Lesson, Programme

# Policies first: Wagtail creates a fallback policy the first time it is asked
# about a model, after which registering one is refused. A programme belongs
# to its owning region's bureau (and the bureaus above it), and so do its
# enrolments.
register_permission_policy(
    Programme, ScopedPermissionPolicy(Programme, regions=["region"])
)
register_permission_policy(
    Enrolment, ScopedPermissionPolicy(Enrolment, regions=["programme__region"])
)
register_permission_policy(
    Course, ScopedPermissionPolicy(Course, regions=["programme__region"])
)
register_permission_policy(
    Lesson,
    ScopedPermissionPolicy(Lesson, regions=["module__course__programme__region"]),
)
# Ledger lines belong to the teacher's school; they are written by services
# and imports only, so the admin lists and shows them.
register_permission_policy(
    LedgerEntry, ReadOnlyPermissionPolicy(LedgerEntry, schools=["teacher__school"])
)


@hooks.register("register_admin_viewset")
def register_training_admin():
    from .viewsets import TrainingAdminGroup

    return TrainingAdminGroup()


@hooks.register("register_admin_viewset")
def register_programme_chooser():
    from .viewsets import ProgrammeChooserViewSet

    return ProgrammeChooserViewSet()


@hooks.register("register_admin_urls")
def register_training_urls():
    from . import admin_views

    urls = [
        path("approvals/", admin_views.ApprovalsView.as_view(), name="approvals"),
        path("enrolment/", admin_views.EnrolmentStatsView.as_view(), name="enrolment"),
        path(
            "programmes/<int:pk>/enrolments/",
            admin_views.ProgrammeEnrolmentsView.as_view(),
            name="programme_enrolments",
        ),
        path("coverage/", admin_views.CoverageView.as_view(), name="coverage"),
        path(
            "ledger/import/",
            admin_views.LedgerImportView.as_view(),
            name="ledger_import",
        ),
    ]
    return [path("training/", include((urls, "courses_admin")))]


@hooks.register("register_training_menu_item")
def register_approvals_menu_item():
    return PermissionMenuItem(
        _("Applications to approve"),
        reverse("courses_admin:approvals"),
        name="training-approvals",
        icon_name="tasks",
        order=200,
        permission="courses.change_enrolment",
    )


@hooks.register("register_training_menu_item")
def register_enrolment_menu_item():
    return PermissionMenuItem(
        _("Enrolment and completion"),
        reverse("courses_admin:enrolment"),
        name="training-enrolment",
        icon_name="table",
        order=210,
        permission="courses.view_enrolment",
    )


@hooks.register("register_training_menu_item")
def register_ledger_import_menu_item():
    return PermissionMenuItem(
        _("Import outside hours"),
        reverse("courses_admin:ledger_import"),
        name="training-ledger-import",
        icon_name="upload",
        order=400,
        permission="courses.add_ledgerentry",
    )


@hooks.register("register_training_menu_item")
def register_coverage_menu_item():
    return PermissionMenuItem(
        _("Training coverage"),
        reverse("courses_admin:coverage"),
        name="training-coverage",
        icon_name="table",
        order=300,
        permission="courses.view_ledgerentry",
    )


class TrainingPanel(Component):
    """The admin home's training panel: applications awaiting the bureau,
    unread messages, and the way to the coverage report."""

    name = "training"
    order = 120
    template_name = "courses/admin/home_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        from .selectors import approvals_for_bureau, unread_count  # noqa: PLC0415

        user = self.request.user
        return {
            "to_approve": approvals_for_bureau(user=user).count(),
            "unread": unread_count(user=user),
        }


@hooks.register("construct_homepage_panels")
def add_training_panel(request, panels):
    if request.user.has_perm("courses.change_enrolment"):
        panels.append(TrainingPanel(request))
