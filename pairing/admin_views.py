"""Admin views beyond plain model screens: a matching run and its proposals,
pairing status changes, the agreement, and the coverage report.

Objects are loaded through the models' scoped permission policies, so an
object outside the user's region is a 404 for GET and POST alike.
"""

from io import BytesIO

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from wagtail.admin import messages
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permissions import policy_registry

from accounts.scoped_admin import ScopedAdminForm, ScopedInspectView
from accounts.selectors import scope_queryset
from schools.models import Region

from .explain import Names, explain, funnel_words, reason_label
from .models import HelperProfile, MatchingRun, MatchProposal, Pairing
from .selectors import (
    coverage_regions,
    coverage_silent_pairings,
    coverage_uncovered_needs,
    coverage_unpaired_schools,
    helper_choices_for,
    proposals_of,
)
from .services import (
    RUN_STEPS,
    matching_run_create,
    pairing_agreement_generate,
    pairing_approve,
    pairing_end,
    proposal_accept,
    proposal_adjust,
    proposal_reject,
)
from .services import (
    run_accept_all as accept_all,
)

DECIDE_PERMISSION = "pairing.change_matchproposal"
CHANGE_PAIRING = "pairing.change_pairing"
VIEW_PAIRING = "pairing.view_pairing"

PROPOSAL_ACCEPTED = _("Accepted: the pairing is approved and both sides notified.")
PROPOSAL_REJECTED = _("The proposal was rejected.")
PROPOSAL_ADJUSTED = _("The helper was changed; accept the proposal to pair them.")
ALL_ACCEPTED = _("%(count)s proposals accepted.")
PAIRING_APPROVED = _("The pairing is approved.")
PAIRING_ENDED = _("The pairing has ended; it stays in the history.")
AGREEMENT_REGENERATED = _("The agreement was generated again from the targets.")
RUN_STARTED = _("The matching has started.")


def today():
    return timezone.localdate()


def _scoped(model, user):
    policy = policy_registry.get_by_type(model)
    return policy.scope(model._default_manager.all(), user)


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied


def _run_url(run_id: int) -> str:
    return reverse("pairing_runs:inspect", args=[run_id])


# --- Matching runs ------------------------------------------------------------------


class RunForm(ScopedAdminForm):
    scoped_fields = ("region",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "cycle_start" in self.fields and not self.is_bound:
            year = today().year if today().month < 9 else today().year + 1
            self.fields["cycle_start"].initial = today().replace(
                year=year, month=9, day=1
            )

    def region_choices(self, user):
        regions = scope_queryset(Region.objects.all(), user=user, regions=["pk"])
        return regions.filter(level__in=[Region.Level.CITY, Region.Level.COUNTY])


class RunCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return matching_run_create(
            user=self.request.user,
            region=data["region"],
            kind=data["kind"],
            cycle_start=data["cycle_start"],
            cycle_years=data["cycle_years"],
            allow_repeat=data["allow_repeat"],
            penalty_per_km=data["penalty_per_km"],
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, getattr(exc, "messages", None) or [str(exc)])
            return self.form_invalid(form)

    def get_success_message(self, instance):
        return str(RUN_STARTED)

    def get_success_url(self):
        return _run_url(self.object.pk)


def _progress_context(run: MatchingRun) -> dict:
    return {
        "waiting": run.is_running,
        "percent": run.progress,
        "step": RUN_STEPS.get(run.step, ""),
        "status_url": reverse("pairing_runs:progress", args=[run.pk]),
    }


class RunDetailView(ScopedInspectView):
    """A run: its progress while running, then every proposal with its
    explanation and the partners left uncovered with the reason."""

    template_name = "pairing/admin/run_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.object
        names = Names()
        proposals = [
            {"proposal": p, "why": explain(p.breakdown, names)}
            for p in proposals_of(run)
        ]
        candidate_ids = {c for u in run.uncovered for c in u.get("candidates", [])}
        helpers = HelperProfile.objects.select_related(
            "school", "studio", "mentor"
        ).in_bulk(candidate_ids)
        uncovered = [
            {
                "name": u["name"],
                "reason": reason_label(u["reason"]),
                "funnel": funnel_words(u["funnel"]),
                "candidates": [
                    str(helpers[c]) for c in u["candidates"] if c in helpers
                ],
            }
            for u in run.uncovered
        ]
        context.update(
            run=run,
            proposals=proposals,
            pending=sum(1 for p in proposals if p["proposal"].status == "pending"),
            uncovered=uncovered,
            can_decide=self.request.user.has_perm(DECIDE_PERMISSION),
            Status=MatchProposal.Status,
            **_progress_context(run),
        )
        return context


def run_status(request, pk: int):
    """JSON for the progress bar's script."""
    _require(request.user, "pairing.view_matchingrun")
    run = get_object_or_404(_scoped(MatchingRun, request.user), pk=pk)
    return JsonResponse(
        {
            "status": run.status,
            "running": run.is_running,
            "progress": run.progress,
            "step": str(RUN_STEPS.get(run.step, "")),
        }
    )


def _proposal_for(request, pk: int) -> MatchProposal:
    _require(request.user, DECIDE_PERMISSION)
    runs = _scoped(MatchingRun, request.user)
    return get_object_or_404(
        MatchProposal.objects.select_related("run", "helper"), pk=pk, run__in=runs
    )


@require_POST
def proposal_decide(request, pk: int):
    proposal = _proposal_for(request, pk)
    action = request.POST.get("action")
    try:
        if action == "accept":
            proposal_accept(proposal=proposal, user=request.user)
            messages.success(request, PROPOSAL_ACCEPTED)
        elif action == "reject":
            proposal_reject(proposal=proposal, user=request.user)
            messages.success(request, PROPOSAL_REJECTED)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_run_url(proposal.run_id))


@require_POST
def run_accept_all(request, pk: int):
    _require(request.user, DECIDE_PERMISSION)
    run = get_object_or_404(_scoped(MatchingRun, request.user), pk=pk)
    count, problems = accept_all(run=run, user=request.user)
    messages.success(request, ALL_ACCEPTED % {"count": count})
    for problem in problems[:10]:
        messages.warning(request, problem)
    return redirect(_run_url(run.pk))


class AdjustForm(forms.Form):
    helper = forms.ModelChoiceField(label=_("New helper"), queryset=None)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helper"].queryset = queryset


class ProposalAdjustView(WagtailAdminTemplateMixin, View):
    template_name = "pairing/admin/adjust.html"
    page_title = _("Change the helper")
    header_icon = "cogs"

    def dispatch(self, request, pk: int):
        self.proposal = _proposal_for(request, pk)
        self.choices = helper_choices_for(self.proposal, user=request.user)
        return super().dispatch(request, pk)

    def get(self, request, pk: int):
        return self.render(AdjustForm(queryset=self.choices))

    def post(self, request, pk: int):
        form = AdjustForm(request.POST, queryset=self.choices)
        if form.is_valid():
            try:
                proposal_adjust(
                    proposal=self.proposal,
                    helper=form.cleaned_data["helper"],
                    user=request.user,
                )
            except ValidationError as exc:
                form.add_error("helper", exc)
            else:
                messages.success(request, PROPOSAL_ADJUSTED)
                return redirect(_run_url(self.proposal.run_id))
        return self.render(form)

    def render(self, form):
        names = Names()
        context = self.get_context_data(
            form=form,
            proposal=self.proposal,
            why=explain(self.proposal.breakdown, names),
            run_url=_run_url(self.proposal.run_id),
        )
        return self.render_to_response(context)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("pairing_runs:index"), "label": _("Matching runs")},
            {"url": _run_url(self.proposal.run_id), "label": str(self.proposal.run)},
            {"url": "", "label": self.page_title},
        ]


# --- Pairings -----------------------------------------------------------------------


@require_POST
def pairing_status_change(request, pk: int):
    _require(request.user, CHANGE_PAIRING)
    pairing = get_object_or_404(_scoped(Pairing, request.user), pk=unquote(str(pk)))
    action = request.POST.get("action")
    try:
        if action == "approve":
            pairing_approve(pairing=pairing, user=request.user)
            messages.success(request, PAIRING_APPROVED)
        elif action == "end":
            pairing_end(
                pairing=pairing,
                user=request.user,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, PAIRING_ENDED)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("pairing_pairings:inspect", pairing.pk)


def pairing_agreement(request, pk: int):
    """GET: the agreement PDF; POST: generate it again from the targets."""
    _require(request.user, VIEW_PAIRING)
    pairing = get_object_or_404(_scoped(Pairing, request.user), pk=unquote(str(pk)))
    if request.method == "POST":
        _require(request.user, CHANGE_PAIRING)
        pairing_agreement_generate(pairing=pairing)
        messages.success(request, AGREEMENT_REGENERATED)
        return redirect("pairing_pairings:inspect", pairing.pk)
    return agreement_response(pairing)


def agreement_response(pairing: Pairing) -> FileResponse:
    if not pairing.agreement_pdf:
        pairing_agreement_generate(pairing=pairing)
    return FileResponse(
        pairing.agreement_pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"帮扶协议书-{pairing.pk}.pdf",
    )


# --- Coverage -----------------------------------------------------------------------


class RegionFilter(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = coverage_regions(user=user)


class CoverageView(WagtailAdminTemplateMixin, View):
    """不漏一校: rural schools without a partner, pairings silent this
    semester, needs still uncovered; one workbook to export."""

    template_name = "pairing/admin/coverage.html"
    page_title = _("Pairing coverage")
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get(self, request):
        _require(request.user, VIEW_PAIRING)
        form = RegionFilter(request.GET or None, user=request.user)
        region = form.cleaned_data["region"] if form.is_valid() else None
        schools = coverage_unpaired_schools(user=request.user, region=region)
        silent = coverage_silent_pairings(user=request.user, region=region)
        needs = coverage_uncovered_needs(user=request.user, region=region)
        if request.GET.get("export") == "xlsx":
            return _coverage_workbook(schools, silent, needs)
        context = self.get_context_data(
            form=form,
            schools=schools,
            silent=silent,
            needs=[n for n in needs if n.uncovered],
            export_url=f"{request.path}?{_with_export(request)}",
        )
        return self.render_to_response(context)


def _with_export(request) -> str:
    query = request.GET.copy()
    query["export"] = "xlsx"
    return query.urlencode()


def _coverage_workbook(schools, silent, needs) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = str(_("Schools without a partner"))[:31]
    sheet.append(
        [
            str(_("School identifier code")),
            str(_("School")),
            str(_("Region")),
            str(_("Needs declared")),
        ]
    )
    for school in schools:
        sheet.append([school.code, school.name, school.region.name, school.need_count])
    sheet = book.create_sheet(str(_("No activity this semester"))[:31])
    sheet.append(
        [
            str(_("Helper")),
            str(_("Partners")),
            str(_("Start date")),
            str(_("Last activity")),
        ]
    )
    for pairing in silent:
        sheet.append(
            [
                pairing.helper_name,
                pairing.partner_names,
                pairing.start_date,
                pairing.last_activity,
            ]
        )
    sheet = book.create_sheet(str(_("Needs not yet covered"))[:31])
    sheet.append(
        [
            str(_("Stage")),
            str(_("Subject")),
            str(_("Schools declaring it")),
            str(_("Covered")),
            str(_("Not covered")),
            str(_("Highest priority")),
        ]
    )
    for need in needs:
        sheet.append(
            [
                need.stage,
                need.subject,
                need.schools,
                need.covered,
                need.uncovered,
                need.max_priority,
            ]
        )
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename="结对覆盖情况.xlsx"
    )
    return response
