"""The bureau's training screens in the Wagtail admin beyond model listings:
the approval queue, enrolment and completion per programme, the coverage
report with its exports, and the import of outside hours.

Every row comes through a selector scoped by the user's region, so a row
outside it is never listed and a POST naming one is a 404.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View
from openpyxl import Workbook
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .selectors import approvals_for_bureau, programme_enrolment_stats
from .views.enrolment import decide

DECIDE_PERMISSION = "courses.change_enrolment"
VIEW_ENROLMENT = "courses.view_enrolment"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied


def with_export(request, kind: str = "xlsx") -> str:
    query = request.GET.copy()
    query["export"] = kind
    return query.urlencode()


class AdminPage(WagtailAdminTemplateMixin, View):
    header_icon = "form"
    permission = VIEW_ENROLMENT

    def dispatch(self, request, *args, **kwargs):
        require(request.user, self.permission)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]


class ApprovalsView(AdminPage):
    """报名审核: applications at the bureau step of programmes in the region."""

    template_name = "courses/admin/approvals.html"
    page_title = _("Applications to approve")
    permission = DECIDE_PERMISSION

    def get(self, request):
        pending = approvals_for_bureau(user=request.user)
        page = Paginator(pending, 50).get_page(request.GET.get("p"))
        return self.render_to_response(
            self.get_context_data(page=page, enrolments=page.object_list)
        )

    def post(self, request):
        enrolment = get_object_or_404(
            approvals_for_bureau(user=request.user), pk=request.POST.get("enrolment")
        )
        decide(request, enrolment)
        return redirect(request.get_full_path())


class EnrolmentStatsView(AdminPage):
    """报名与结业: applications, admissions and completions per programme."""

    template_name = "courses/admin/enrolment_stats.html"
    page_title = _("Enrolment and completion")

    def get(self, request):
        year = request.GET.get("year", "")
        year = int(year) if year.isdigit() else timezone.localdate().year
        rows = list(programme_enrolment_stats(user=request.user, year=year))
        for row in rows:
            row.completion_rate = (
                round(100 * row.n_completed / row.n_admitted) if row.n_admitted else 0
            )
        if request.GET.get("export") == "xlsx":
            return _stats_workbook(rows, year)
        return self.render_to_response(
            self.get_context_data(
                rows=rows,
                year=year,
                years=range(timezone.localdate().year + 1, 2015, -1),
                export_url=f"{request.path}?{with_export(request)}",
            )
        )


def _stats_workbook(rows, year: int) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Enrolment and completion"))[:31])
    sheet.append(
        [
            str(_("Programme")),
            str(_("Level")),
            str(_("Owning region")),
            str(_("Seats")),
            str(_("Applied")),
            str(_("Awaiting approval")),
            str(_("Admitted")),
            str(_("On the waitlist")),
            str(_("Not approved")),
            str(_("Completed")),
            str(_("Completion rate (%)")),
        ]
    )
    for row in rows:
        sheet.append(
            [
                row.title,
                row.get_level_display(),
                row.region.name,
                row.seats,
                row.n_applied,
                row.n_pending,
                row.n_admitted,
                row.n_waitlisted,
                row.n_rejected,
                row.n_completed,
                row.completion_rate,
            ]
        )
    response = HttpResponse(content_type=XLSX)
    book.save(response)
    response["Content-Disposition"] = content_disposition_header(
        True, f"报名与结业-{year}.xlsx"
    )
    return response
