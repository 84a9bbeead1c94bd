"""The roster import screens in the Wagtail admin (导入名册).

upload -> preview (counts and every error) -> confirm -> progress -> done.
Bureau reviewers and platform admins with ``schools.add_importjob`` use them;
a reviewer sees the jobs of their region's users only, others are 404.
"""

from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.selectors import scope_queryset

from .models import ImportJob
from .roster.columns import COLUMNS, KINDS, SHEET_NAMES
from .roster.errors import RowError
from .roster.template import template_workbook
from .services import (
    IMPORT_STEPS,
    import_job_confirm,
    import_job_create,
    import_job_progress,
)

PERMISSION = "schools.add_importjob"
TEMPLATE_FILENAME = "名册模板.xlsx"
JOBS_LISTED = 20

UPLOAD_TYPE_REFUSED = _("Choose an .xlsx or .csv file.")
UPLOAD_TOO_LARGE = _("The file is larger than %(size)s.")
IMPORT_STARTED = _("The import has started.")


def import_job_list(*, user) -> QuerySet:
    """Import jobs ``user`` may see: their own, and (reviewers) their region's."""
    jobs = ImportJob.objects.select_related("created_by")
    return scope_queryset(
        jobs, user=user, regions=["created_by__region"], users=["created_by"]
    )


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_(".xlsx with the sheets 地区, 学校 and 教师, or a .csv of one kind"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".xlsx", ".csv"):
            raise ValidationError(UPLOAD_TYPE_REFUSED, code="type")
        limit = settings.ROSTER_IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise ValidationError(
                UPLOAD_TOO_LARGE, code="size", params={"size": filesizeformat(limit)}
            )
        return upload


def _check_permission(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _job_for(request, pk: int) -> ImportJob:
    job = import_job_list(user=request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


class _Base(WagtailAdminTemplateMixin, View):
    header_icon = "upload"
    page_title = _("Import roster")

    def dispatch(self, request, *args, **kwargs):
        _check_permission(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("schools_import_index"), "label": _("Import roster")},
        ]


class ImportIndexView(_Base):
    """Upload a roster; the user's recent import jobs below."""

    template_name = "schools/import/index.html"

    def get(self, request):
        return self.render(RosterUploadForm())

    def post(self, request):
        form = RosterUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form)
        job = import_job_create(upload=form.cleaned_data["file"], user=request.user)
        return redirect("schools_import_job", pk=job.pk)

    def render(self, form):
        columns = [(SHEET_NAMES[k], COLUMNS[k]) for k in KINDS]
        context = self.get_context_data(
            form=form,
            columns=columns,
            jobs=import_job_list(user=self.request.user)[:JOBS_LISTED],
        )
        return self.render_to_response(context)


class ImportJobView(_Base):
    """One job: progress while it runs, then its preview, result or failure."""

    template_name = "schools/import/job.html"

    def get(self, request, pk: int):
        job = self.job = _job_for(request, pk)
        percent, step = import_job_progress(job)
        errors = [RowError.from_dict(e) for e in job.errors]
        context = self.get_context_data(
            job=job,
            waiting=_waiting(job),
            percent=percent,
            step=IMPORT_STEPS.get(step, ""),
            counts=_count_rows(job.counts),
            errors=errors,
            more_errors=job.error_count - len(errors),
            status_url=reverse("schools_import_status", args=[job.pk]),
            Status=ImportJob.Status,
        )
        return self.render_to_response(context)

    def get_page_subtitle(self):
        return self.job.filename

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": "", "label": self.job.filename},
        ]


def _waiting(job: ImportJob) -> bool:
    return job.status in (
        ImportJob.Status.UPLOADED,
        ImportJob.Status.VALIDATING,
        ImportJob.Status.APPLYING,
    )


def _count_rows(counts: dict) -> list[dict]:
    return [
        {"sheet": SHEET_NAMES[kind], **counts[kind]} for kind in KINDS if kind in counts
    ]


@require_POST
def import_confirm(request, pk: int):
    _check_permission(request)
    job = _job_for(request, pk)
    try:
        import_job_confirm(job=job, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, IMPORT_STARTED)
    return redirect("schools_import_job", pk=job.pk)


def import_status(request, pk: int):
    """JSON for the progress bar's script."""
    _check_permission(request)
    job = _job_for(request, pk)
    percent, step = import_job_progress(job)
    return JsonResponse(
        {
            "status": job.status,
            "running": _waiting(job),
            "progress": percent,
            "step": str(IMPORT_STEPS.get(step, "")),
        }
    )


def import_template(request):
    _check_permission(request)
    response = HttpResponse(
        template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=TEMPLATE_FILENAME
    )
    return response
