"""Forms of the study pages: a quiz, an assignment, a mentor's grade."""

from django import forms
from django.utils.translation import gettext_lazy as _

ASSIGNMENT_MAX_BYTES = 20 * 1024 * 1024
ASSIGNMENT_TOO_LARGE = _("The file is larger than 20 MB.")
ANSWER_EVERY_QUESTION = _("Answer this question.")


class QuizForm(forms.Form):
    """One field per question: radio buttons, or check boxes when several
    options are correct (the teacher is told to choose all that apply)."""

    def __init__(self, *args, lesson, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(lesson.questions.all())
        for number, question in enumerate(self.questions, start=1):
            choices = [(str(i), text) for i, text, _ok in question.option_list()]
            label = f"{number}. {question.text}"
            if question.is_multiple:
                field = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Choose all that apply."),
                    error_messages={"required": ANSWER_EVERY_QUESTION},
                )
            else:
                field = forms.ChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.RadioSelect,
                    error_messages={"required": ANSWER_EVERY_QUESTION},
                )
            self.fields[f"q{question.pk}"] = field

    def answers(self) -> dict[int, list[int]]:
        out = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}") or []
            if isinstance(value, str):
                value = [value]
            out[question.pk] = [int(v) for v in value]
        return out


class AssignmentForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
    )
    file = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_(
            "A lesson plan, a photo of your work, a recording (at most 20 MB)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > ASSIGNMENT_MAX_BYTES:
            raise forms.ValidationError(ASSIGNMENT_TOO_LARGE)
        return upload


class GradeForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("pass", _("Pass")), ("return", _("Return for revision"))],
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(
        label=_("Feedback"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
