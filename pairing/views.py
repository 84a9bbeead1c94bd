"""The public pairing pages (mobile-first): my pairings, one pairing with its
targets and activities, the activity log, targets, profiles, files.

Pairings are loaded through the selectors' scope: one the user may not see is
a 404; one they may see but not change (a partner teacher) is a 403 on the
pages that change it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.roles import Role

from .forms import (
    ActivityForm,
    HelperProfileForm,
    NeedFormSet,
    NeedProfileForm,
    SignedAgreementForm,
    StrengthFormSet,
    TargetFormSet,
)
from .models import Evidence, HelperProfile, NeedProfile, Pairing, SignedAgreement
from .selectors import (
    card_for,
    helper_side_people,
    next_steps,
    notifications_for,
    pairing_can_edit,
    pairing_cards,
    pairing_detail,
    pairing_list_for_user,
    pairing_missed_semesters,
    pairings_visible,
    partner_side_people,
    profiles_for_user,
)
from .services import (
    NeedSpec,
    StrengthSpec,
    TargetSpec,
    activity_delete,
    activity_record,
    helper_profile_save,
    need_profile_save,
    notifications_mark_read,
    pairing_agreement_generate,
    signed_agreement_add,
    targets_replace,
)

PAIRINGS_PER_PAGE = 10
ACTIVITY_LOGGED = _("The activity has been logged.")
ACTIVITY_REMOVED = _("The activity has been removed.")
TARGETS_SAVED = _("The target task book has been saved.")
SCAN_UPLOADED = _("The signed agreement has been uploaded.")
PROFILE_SAVED = _("Your profile has been saved.")
READ_ONLY = _(
    "You can read this pairing, but only its mentors and school admins change it."
)
PROFILE_FORBIDDEN = _(
    "Profiles are kept by school admins (their school), mentors (their own) "
    "and studio leaders (their studio)."
)


def _forbidden(request, message):
    return render(request, "schools/forbidden.html", {"message": message}, status=403)


def _editable_pairing(request, pk: int) -> Pairing:
    """A pairing the user may change: 404 if not visible, 403 if read-only."""
    pairing = get_object_or_404(pairings_visible(user=request.user), pk=pk)
    if not pairing_can_edit(user=request.user, pairing=pairing):
        raise PermissionDenied(READ_ONLY)
    return pairing


@login_required
def my_pairings(request):
    """我的结对: the user's pairings, targets with progress, the semester rule."""
    pairings = pairing_list_for_user(user=request.user)
    page = Paginator(pairings, PAIRINGS_PER_PAGE).get_page(request.GET.get("page"))
    cards = pairing_cards(user=request.user, pairings=list(page.object_list))
    return render(
        request,
        "pairing/my_pairings.html",
        {
            "page": page,
            "cards": cards,
            "notifications": notifications_for(user=request.user),
            "profiles": _profile_links(request.user),
        },
    )


@login_required
def pairing_page(request, pk: int):
    pairing = pairing_detail(user=request.user, pk=pk)
    if pairing is None:
        raise Http404
    today = timezone.localdate()
    can_edit = pairing_can_edit(user=request.user, pairing=pairing)
    card = card_for(pairing, today=today, can_edit=can_edit)
    return render(
        request,
        "pairing/pairing_detail.html",
        {
            "pairing": pairing,
            "card": card,
            "steps": next_steps(card, today=today),
            "missed": pairing_missed_semesters(pairing, today=today),
            "activities": pairing.activities.all(),
            "can_edit": can_edit,
            "signed_form": SignedAgreementForm() if can_edit else None,
        },
    )


@login_required
def activity_new(request, pk: int):
    pairing = _editable_pairing(request, pk)
    helper_people = helper_side_people(pairing)
    partner_people = partner_side_people(pairing)
    kwargs = {
        "pairing": pairing,
        "helper_people": helper_people,
        "partner_people": partner_people,
    }
    if request.method == "POST":
        form = ActivityForm(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                activity_record(
                    pairing=pairing,
                    user=request.user,
                    type=data["type"],
                    title=data["title"],
                    date=data["date"],
                    hours=data["hours"],
                    location=data["location"],
                    summary=data["summary"],
                    other_participants=data["other_participants"],
                    helper_participants=list(data["helper_participants"]),
                    partner_participants=list(data["partner_participants"]),
                    targets=list(data["targets"]),
                    files=data["files"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, ACTIVITY_LOGGED)
                return redirect("pairing:detail", pk=pairing.pk)
    else:
        form = ActivityForm(**kwargs)
    return render(
        request, "pairing/activity_form.html", {"pairing": pairing, "form": form}
    )


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_POST
def activity_remove(request, pk: int, activity_pk: int):
    pairing = _editable_pairing(request, pk)
    activity = get_object_or_404(pairing.activities, pk=activity_pk)
    activity_delete(activity=activity, user=request.user)
    messages.success(request, ACTIVITY_REMOVED)
    return redirect("pairing:detail", pk=pairing.pk)


@login_required
def targets_edit(request, pk: int):
    pairing = _editable_pairing(request, pk)
    people = (helper_side_people(pairing) | partner_side_people(pairing)).distinct()
    initial = [
        {
            "id": t.pk,
            "indicator": t.indicator,
            "activity_type": t.activity_type,
            "quantity": t.quantity,
            "unit": t.unit,
            "due_date": t.due_date,
            "responsible": t.responsible_id,
            "reported": t.reported,
        }
        for t in pairing.targets.all()
    ]
    if request.method == "POST":
        formset = TargetFormSet(request.POST, initial=initial, people=people)
        if formset.is_valid():
            specs = [
                TargetSpec(
                    id=f.cleaned_data.get("id"),
                    indicator=f.cleaned_data["indicator"],
                    quantity=f.cleaned_data["quantity"],
                    due_date=f.cleaned_data["due_date"],
                    unit=f.cleaned_data["unit"],
                    activity_type=f.cleaned_data["activity_type"],
                    responsible=f.cleaned_data["responsible"],
                    reported=f.cleaned_data["reported"],
                )
                for f in formset.forms
                if f.cleaned_data and not formset._should_delete_form(f)
            ]
            try:
                with transaction.atomic():
                    targets_replace(pairing=pairing, user=request.user, targets=specs)
                    pairing_agreement_generate(pairing=pairing)
            except ValidationError as exc:
                formset._non_form_errors = formset.error_class(exc.messages)
            else:
                messages.success(request, TARGETS_SAVED)
                return redirect("pairing:detail", pk=pairing.pk)
    else:
        formset = TargetFormSet(initial=initial, people=people)
    return render(
        request,
        "pairing/targets_form.html",
        {"pairing": pairing, "formset": formset},
    )


@login_required
def agreement(request, pk: int):
    pairing = get_object_or_404(pairings_visible(user=request.user), pk=pk)
    if not pairing.agreement_pdf:
        pairing_agreement_generate(pairing=pairing)
    return FileResponse(
        pairing.agreement_pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"帮扶协议书-{pairing.pk}.pdf",
    )


@login_required
@require_POST
def signed_upload(request, pk: int):
    pairing = _editable_pairing(request, pk)
    form = SignedAgreementForm(request.POST, request.FILES)
    if form.is_valid():
        signed_agreement_add(
            pairing=pairing, upload=form.cleaned_data["file"], user=request.user
        )
        messages.success(request, SCAN_UPLOADED)
    else:
        for error in form.errors.get("file", []):
            messages.error(request, error)
    return redirect("pairing:detail", pk=pairing.pk)


def _file_response(field, name: str, inline: bool) -> FileResponse:
    return FileResponse(field.open("rb"), as_attachment=not inline, filename=name)


@login_required
def evidence_file(request, pk: int):
    """Evidence is served only to those who may see its pairing."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("activity"),
        pk=pk,
        activity__pairing__in=pairings_visible(user=request.user),
    )
    return _file_response(
        evidence.file, evidence.original_name, evidence.kind == Evidence.Kind.PHOTO
    )


@login_required
def signed_file(request, pk: int):
    scan = get_object_or_404(
        SignedAgreement,
        pk=pk,
        pairing__in=pairings_visible(user=request.user),
    )
    return _file_response(scan.file, scan.original_name, inline=False)


@login_required
@require_POST
def notifications_read(request):
    notifications_mark_read(user=request.user)
    return redirect("pairing:mine")


# --- Profiles ----------------------------------------------------------------------


def _profile_links(user) -> list[dict]:
    profiles = profiles_for_user(user=user)
    links = []
    if profiles["school"] is not None:
        if profiles["school"].is_rural:
            links.append(
                {"label": _("Needs of my school"), "url_name": "pairing:need_profile"}
            )
        links.append(
            {"label": _("What my school offers"), "url_name": "pairing:school_helper"}
        )
    if user.has_role(Role.MENTOR):
        links.append(
            {"label": _("What I offer as a mentor"), "url_name": "pairing:my_helper"}
        )
    for studio, _profile in profiles["studios"]:
        links.append(
            {
                "label": studio.name,
                "url_name": "pairing:studio_helper",
                "arg": studio.pk,
            }
        )
    return links


@login_required
def need_profile_edit(request):
    """A rural school's admin declares what the school needs."""
    profiles = profiles_for_user(user=request.user)
    school = profiles["school"]
    if school is None or not school.is_rural:
        return _forbidden(request, PROFILE_FORBIDDEN)
    profile = profiles["need"] or NeedProfile(school=school)
    initial = [
        {
            "stage": n.stage_id,
            "subject": n.subject_id,
            "kind": n.kind,
            "priority": n.priority,
        }
        for n in (profile.needs.all() if profile.pk else [])
    ]
    if request.method == "POST":
        form = NeedProfileForm(request.POST, instance=profile)
        formset = NeedFormSet(request.POST, initial=initial, prefix="needs")
        if form.is_valid() and formset.is_valid():
            need_profile_save(
                school=school,
                user=request.user,
                needs=[
                    NeedSpec(r["subject"], r["stage"], r["priority"], r["kind"])
                    for r in formset.rows()
                ],
                **form.cleaned_data,
            )
            messages.success(request, PROFILE_SAVED)
            return redirect("pairing:mine")
    else:
        form = NeedProfileForm(instance=profile)
        formset = NeedFormSet(initial=initial, prefix="needs")
    return render(
        request,
        "pairing/profile_form.html",
        {
            "title": _("Needs of my school"),
            "owner": school.name,
            "form": form,
            "formset": formset,
            "rows_label": _("Subjects we cannot staff or teach well"),
        },
    )


def _helper_profile_page(request, *, owner: dict, owner_name: str, title):
    profile = HelperProfile.objects.filter(**owner).first() or HelperProfile(**owner)
    initial = [
        {"stage": s.stage_id, "subject": s.subject_id, "level": s.level}
        for s in (profile.strengths.all() if profile.pk else [])
    ]
    if request.method == "POST":
        form = HelperProfileForm(request.POST, instance=profile)
        formset = StrengthFormSet(request.POST, initial=initial, prefix="strengths")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            helper_profile_save(
                user=request.user,
                strengths=[
                    StrengthSpec(r["subject"], r["stage"], r["level"])
                    for r in formset.rows()
                ],
                capacity=data["capacity"],
                travels=data["travels"],
                max_travel_km=data["max_travel_km"],
                clear_travel_limit=data["max_travel_km"] is None,
                accepting=data["accepting"],
                description=data["description"],
                **owner,
            )
            messages.success(request, PROFILE_SAVED)
            return redirect("pairing:mine")
    else:
        form = HelperProfileForm(instance=profile)
        formset = StrengthFormSet(initial=initial, prefix="strengths")
    return render(
        request,
        "pairing/profile_form.html",
        {
            "title": title,
            "owner": owner_name,
            "form": form,
            "formset": formset,
            "rows_label": _("Strengths by subject and stage"),
        },
    )


@login_required
def school_helper_edit(request):
    school = profiles_for_user(user=request.user)["school"]
    if school is None:
        return _forbidden(request, PROFILE_FORBIDDEN)
    return _helper_profile_page(
        request,
        owner={"school": school},
        owner_name=school.name,
        title=_("What my school offers"),
    )


@login_required
def my_helper_edit(request):
    if not request.user.has_role(Role.MENTOR):
        return _forbidden(request, PROFILE_FORBIDDEN)
    return _helper_profile_page(
        request,
        owner={"mentor": request.user},
        owner_name=request.user.display_name,
        title=_("What I offer as a mentor"),
    )


@login_required
def studio_helper_edit(request, studio_pk: int):
    studio = get_object_or_404(
        request.user.led_studios.filter(is_active=True), pk=studio_pk
    )
    return _helper_profile_page(
        request,
        owner={"studio": studio},
        owner_name=studio.name,
        title=_("What my studio offers"),
    )
