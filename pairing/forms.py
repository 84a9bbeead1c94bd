"""Forms of the public pairing pages: the activity log, targets, profiles."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.models import Stage, Subject

from .models import (
    Activity,
    ActivityType,
    HelperProfile,
    Level,
    Need,
    NeedProfile,
    Priority,
    Target,
)
from .uploads import (
    DOCUMENT,
    PHOTO,
    SCAN,
    accept_attribute,
    check_upload,
    check_uploads,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def _person(user) -> str:
    return user.display_name


class ActivityForm(forms.ModelForm):
    helper_participants = forms.ModelMultipleChoiceField(
        label=_("Helping side: who took part"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partner_participants = forms.ModelMultipleChoiceField(
        label=_("Helped side: rural teachers who took part"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each is credited the activity's hours."),
    )
    targets = forms.ModelMultipleChoiceField(
        label=_("Targets it serves"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    files = MultipleFileField(
        label=_("Photos and documents"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": accept_attribute(PHOTO, DOCUMENT), "multiple": True}
        ),
        help_text=_(
            "Photos: jpg, png, webp, heic up to 10 MB; documents: pdf, docx, xlsx, "
            "pptx up to 20 MB; at most 12 files."
        ),
    )

    class Meta:
        model = Activity
        fields = [
            "type",
            "title",
            "date",
            "hours",
            "location",
            "summary",
            "other_participants",
        ]
        widgets = {"date": DATE, "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, pairing, helper_people, partner_people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [
            (value, label)
            for value, label in ActivityType.choices
            if value != ActivityType.SYNC  # filled from live lessons
        ]
        self.fields["date"].initial = timezone.localdate()
        self.fields["helper_participants"].queryset = helper_people
        self.fields["partner_participants"].queryset = partner_people
        for name in ("helper_participants", "partner_participants"):
            self.fields[name].label_from_instance = _person
        self.fields["targets"].queryset = pairing.targets.all()

    def clean_files(self):
        files = self.cleaned_data["files"]
        check_uploads(files, PHOTO, DOCUMENT)
        return files


class TargetForm(forms.ModelForm):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Target
        fields = [
            "indicator",
            "activity_type",
            "quantity",
            "unit",
            "due_date",
            "responsible",
            "reported",
        ]
        widgets = {"due_date": DATE}

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = people
        self.fields["responsible"].label_from_instance = _person
        self.fields["reported"].help_text = _("Only for targets counted in items.")


class BaseTargetFormSet(forms.BaseFormSet):
    def __init__(self, *args, people, **kwargs):
        self.people = people
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"people": self.people}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            people=self.people,
        )
        self.add_fields(form, None)
        return form


TargetFormSet = forms.formset_factory(
    TargetForm, formset=BaseTargetFormSet, extra=1, can_delete=True
)


class NeedProfileForm(forms.ModelForm):
    class Meta:
        model = NeedProfile
        fields = [
            "connectivity",
            "live_classrooms",
            "needs_on_site",
            "development_needs",
        ]
        widgets = {"development_needs": forms.Textarea(attrs={"rows": 3})}


class NeedForm(forms.Form):
    stage = forms.ModelChoiceField(label=_("Stage"), queryset=Stage.objects.all())
    subject = forms.ModelChoiceField(label=_("Subject"), queryset=Subject.objects.all())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Need.Kind.choices, initial=Need.Kind.WEAK
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, initial=3
    )


class HelperProfileForm(forms.ModelForm):
    class Meta:
        model = HelperProfile
        fields = ["capacity", "travels", "max_travel_km", "accepting", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class StrengthForm(forms.Form):
    stage = forms.ModelChoiceField(label=_("Stage"), queryset=Stage.objects.all())
    subject = forms.ModelChoiceField(label=_("Subject"), queryset=Subject.objects.all())
    level = forms.TypedChoiceField(
        label=_("Strength"), choices=Level.choices, coerce=int, initial=3
    )


DUPLICATE_ROW = _("%(name)s is listed twice.")


class BaseKeyedFormSet(forms.BaseFormSet):
    """Rows keyed by (stage, subject): each at most once."""

    def clean(self):
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or self._should_delete_form(form):
                continue
            key = (data["stage"].pk, data["subject"].pk)
            if key in seen:
                raise ValidationError(
                    DUPLICATE_ROW, params={"name": f"{data['stage']}{data['subject']}"}
                )
            seen.add(key)

    def rows(self) -> list[dict]:
        return [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not self._should_delete_form(f)
        ]


NeedFormSet = forms.formset_factory(
    NeedForm, formset=BaseKeyedFormSet, extra=2, can_delete=True
)
StrengthFormSet = forms.formset_factory(
    StrengthForm, formset=BaseKeyedFormSet, extra=2, can_delete=True
)


class SignedAgreementForm(forms.Form):
    file = forms.FileField(
        label=_("Signed agreement (scan)"),
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(SCAN)}),
        help_text=_("PDF, JPEG or PNG, at most 20 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload, SCAN)
        return upload
