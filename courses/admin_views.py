"""The bureau's training screens in the Wagtail admin beyond model listings:
the approval queue, enrolment and completion per programme, the coverage
report with its exports, and the import of outside hours.

Every row comes through a selector scoped by the user's region, so a row
outside it is never listed and a POST naming one is a 404.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View
from openpyxl import Workbook
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.privacy import mask_phone
from accounts.selectors import scope_queryset
from accounts.services import personal_data_access_record
from schools.models import Region

from . import ledger_import
from .exports import xlsx_response
from .models import Enrolment, LedgerEntry, LedgerImport, Level
from .selectors import (
    approvals_for_bureau,
    coverage_for,
    enrolments_for_bureau,
    ledger_lines_for_export,
    programme_enrolment_stats,
    programmes_for_user,
)
from .services import enrolment_complete, ledger_import_outside
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


class ProgrammeEnrolmentsView(AdminPage):
    """One programme's enrolments; the bureau records on-site completion."""

    template_name = "courses/admin/programme_enrolments.html"
    permission = VIEW_ENROLMENT

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.programme = None

    def get_page_title(self):
        return self.programme.title if self.programme else ""

    def _load(self, request, pk):
        self.programme = get_object_or_404(
            programmes_for_user(user=request.user), pk=pk
        )
        return self.programme

    def get(self, request, pk):
        programme = self._load(request, pk)
        status = request.GET.get("status", "")
        rows = (
            enrolments_for_bureau(user=request.user)
            .filter(programme=programme)
            .select_related("certificate")
            .order_by("status", "applied_at", "pk")
        )
        if status in Enrolment.Status.values:
            rows = rows.filter(status=status)
        page = Paginator(rows, 100).get_page(request.GET.get("p"))
        return self.render_to_response(
            self.get_context_data(
                programme=programme,
                page=page,
                enrolments=page.object_list,
                statuses=Enrolment.Status.choices,
                status=status,
                can_complete=request.user.has_perm(DECIDE_PERMISSION),
            )
        )

    def post(self, request, pk):
        require(request.user, DECIDE_PERMISSION)
        programme = self._load(request, pk)
        enrolment = get_object_or_404(
            enrolments_for_bureau(user=request.user).filter(programme=programme),
            pk=request.POST.get("enrolment"),
        )
        try:
            enrolment_complete(enrolment=enrolment, user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(
                request, COMPLETED % {"teacher": enrolment.teacher.display_name}
            )
        return redirect(request.get_full_path())


COMPLETED = _(
    "%(teacher)s completed the programme: hours credited, certificate issued."
)


# --- Outside hours ----------------------------------------------------------------


class LedgerImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        help_text=_(
            "Columns: 姓名, 手机号 or 身份证号, 培训名称, 培训级别, 学时, 完成日期; "
            "optional 证书编号, 备注. Download the template below."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(IMPORT_TOO_LARGE)
        return upload


IMPORT_MAX_BYTES = 10 * 1024 * 1024
IMPORT_TOO_LARGE = _("The file is larger than 10 MB: split it into smaller files.")
IMPORT_DONE = _(
    "%(imported)s lines imported; %(skipped)s records were already in the ledger."
)
IMPORT_REFUSED = _("Nothing was imported: correct the %(count)s errors and try again.")
ERRORS_SHOWN = 500


class LedgerImportView(AdminPage):
    """导入校外学时: outside hours from a spreadsheet, all or nothing."""

    template_name = "courses/admin/ledger_import.html"
    page_title = _("Import outside hours")
    header_icon = "upload"
    permission = "courses.add_ledgerentry"

    def get(self, request):
        if request.GET.get("template"):
            return _import_template()
        return self._render(LedgerImportForm())

    def post(self, request):
        form = LedgerImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(form)
        upload = form.cleaned_data["file"]
        batch, checked = ledger_import_outside(
            user=request.user, upload=upload, filename=upload.name
        )
        if batch is None:
            messages.error(request, IMPORT_REFUSED % {"count": len(checked.errors)})
            return self._render(LedgerImportForm(), checked=checked)
        messages.success(
            request,
            IMPORT_DONE % {"imported": batch.imported, "skipped": batch.skipped},
        )
        return redirect(request.path)

    def _render(self, form, checked=None):
        recent = LedgerImport.objects.filter(created_by=self.request.user)[:10]
        return self.render_to_response(
            self.get_context_data(
                form=form,
                errors=checked.errors[:ERRORS_SHOWN] if checked else [],
                error_count=len(checked.errors) if checked else 0,
                recent=recent,
            )
        )


def _import_template() -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("学时")
    sheet.append([c.header for c in ledger_import.COLUMNS])
    sheet.append(
        [
            "张三",
            "13800000000",
            "",
            "2025年国培计划乡村英语教师培训",
            "国培",
            24,
            "2025-07-15",
            "GP2025-000123",
            "国家中小学智慧教育平台",
        ]
    )
    response = HttpResponse(content_type=XLSX)
    book.save(response)
    response["Content-Disposition"] = content_disposition_header(
        True, "校外学时导入模板.xlsx"
    )
    return response


# --- Coverage -----------------------------------------------------------------------


class CoverageFilter(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("All of my region"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, y) for y in range(this_year, 2015, -1)]
        self.fields["year"].initial = this_year
        self.fields["region"].queryset = scope_queryset(
            Region.objects.all(), user=user, regions=["pk"]
        ).filter(level__gte=Region.Level.COUNTY)


BEHIND_SHOWN = 200


class CoverageView(AdminPage):
    """培训覆盖率: per school and township, the share of teachers meeting the
    annual hours; the teachers behind; exports of the report and the ledger."""

    template_name = "courses/admin/coverage.html"
    page_title = _("Training coverage")
    header_icon = "table"
    permission = "courses.view_ledgerentry"

    def get(self, request):
        form = CoverageFilter(request.GET or None, user=request.user)
        year = timezone.localdate().year
        region = None
        if form.is_valid():
            year = form.cleaned_data["year"]
            region = form.cleaned_data["region"]
        export = request.GET.get("export")
        if export == "ledger":
            return _ledger_export(request, year, region)
        report = coverage_for(user=request.user, year=year, region=region)
        if export == "xlsx":
            return _coverage_export(request, report)
        return self.render_to_response(
            self.get_context_data(
                form=form,
                report=report,
                behind=report.behind[:BEHIND_SHOWN],
                behind_count=len(report.behind),
                export_url=f"{request.path}?{with_export(request)}",
                ledger_url=f"{request.path}?{with_export(request, 'ledger')}",
            )
        )


def _coverage_export(request, report):
    req = report.requirement
    met, behind = str(_("Met")), str(_("Behind"))
    groups_header = [
        _("Name"),
        _("Teachers"),
        _("Meeting the annual hours"),
        _("Share (%)"),
        _("Average hours"),
    ]

    def groups(rows):
        for g in rows:
            yield [g.name, g.teachers, g.met, g.share, float(g.average_hours)]

    teachers_header = [
        _("Township"),
        _("School"),
        _("Teacher"),
        _("Mobile phone"),
        _("Hours this year"),
        _("Hours this cycle"),
        _("Annual requirement"),
    ]

    def teachers():
        for t in report.teachers:
            yield [
                t.school.township,
                t.school.name,
                t.teacher.name,
                mask_phone(t.teacher.phone),
                float(t.year_hours),
                float(t.cycle_hours),
                met if t.year_met else behind,
            ]

    response, count = xlsx_response(
        f"培训覆盖率-{report.year}.xlsx",
        [
            (_("Townships"), groups_header, groups(report.townships)),
            (_("Schools"), groups_header, groups(report.schools)),
            (_("Teacher details"), teachers_header, teachers()),
        ],
    )
    personal_data_access_record(
        user=request.user,
        action="export",
        subject=f"培训覆盖率 {report.year}（需 {req.per_year} 学时）",
        row_count=len(report.teachers),
    )
    return response


def _ledger_export(request, year: int, region):
    sources = dict(LedgerEntry.Source.choices)
    levels = dict(Level.choices)
    header = [
        _("Township"),
        _("School"),
        _("Teacher"),
        _("Mobile phone"),
        _("Training content"),
        _("Level"),
        _("Credit hours"),
        _("Date"),
        _("Source"),
    ]

    def rows():
        for (
            town,
            school,
            name,
            phone,
            title,
            level,
            hours,
            day,
            source,
        ) in ledger_lines_for_export(user=request.user, year=year, region=region):
            yield [
                town,
                school,
                name,
                mask_phone(phone or ""),
                title,
                str(levels.get(level, level)),
                float(hours),
                day,
                str(sources.get(source, source)),
            ]

    response, count = xlsx_response(
        f"培训台账-{year}.xlsx", [(_("Training ledger"), header, rows())]
    )
    personal_data_access_record(
        user=request.user,
        action="export",
        subject=f"培训台账 {year}",
        row_count=count,
    )
    return response
