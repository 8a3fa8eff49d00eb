"""Forms of assessments: filling a scale version in one screen (one choice per question),
correcting a filled one, marking a changed condition; and in the editor a scale's draft as a
``wardsafe-scale/1`` document, publishing it, importing a file and a ward's own settings."""

import json

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .. import content
from .editor import TemplateImportForm

NOTE_MAX_LENGTH = 1000
DOCUMENT_MAX_LENGTH = 200_000


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label, css_class="btn-touch"))
    return helper


class AssessmentForm(forms.Form):
    """One radio group per question of ``version`` (prefetched ``with_content``); the field
    of question ``key`` is ``q-<key>``. ``initial_answers``: question key → option key."""

    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, version, initial_answers=None, correction=False, **kwargs):
        super().__init__(*args, **kwargs)
        initial_answers = initial_answers or {}
        questions = {}
        for question in version.questions.all():
            name = f"q-{question.key}"
            questions[name] = question
            self.fields[name] = forms.ChoiceField(
                label=question.text,
                choices=[(o.key, f"{o.label} ({o.points})") for o in question.options.all()],
                widget=forms.RadioSelect,
                initial=initial_answers.get(question.key),
                error_messages={"required": _("Choose an answer."), "invalid_choice": _("Choose one of the answers.")},
            )
        self.questions = questions
        self.order_fields([*questions, "note"])
        if correction:
            self.fields["note"].required = True
            self.fields["note"].label = _("Reason for the correction")
        self.helper = _helper(_("Save the correction") if correction else _("Save the assessment"))

    def answers(self) -> dict[str, str]:
        return {question.key: self.cleaned_data[name] for name, question in self.questions.items()}


class ConditionChangeForm(forms.Form):
    note = forms.CharField(
        label=_("What changed"), max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Mark a changed condition"))


class ScaleDocumentForm(forms.Form):
    """A scale's draft as its ``wardsafe-scale/1`` document: questions, options, points, bands."""

    document = forms.CharField(
        label=_("The scale as JSON (wardsafe-scale/1)"),
        max_length=DOCUMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 30, "class": "font-monospace", "spellcheck": "false"}),
        help_text=_("Questions with their answers and points, and the bands. The whole text is checked before saving."),
    )
    # The draft as the page showed it: a colleague's later save refuses this one.
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Check and save the draft"))

    def clean_document(self):
        text = self.cleaned_data["document"]
        try:
            return content.loads(text)
        except content.DuplicateKeyError as error:
            raise forms.ValidationError(
                _("The text names %(key)r twice in one object.") % {"key": error.key}
            ) from error
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("The text is not valid JSON (line %(line)d, column %(column)d: %(problem)s).")
                % {"line": error.lineno, "column": error.colno, "problem": error.msg}
            ) from error
        except (ValueError, RecursionError) as error:
            raise forms.ValidationError(_("The text is not a WardSafe scale.")) from error


class ScalePublishForm(forms.Form):
    change_note = forms.CharField(
        label=_("What changed in this version"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Publish"))


class ScaleImportForm(TemplateImportForm):
    file = forms.FileField(
        label=_("Scale file (JSON)"), help_text=_("A file exported from WardSafe (format wardsafe-scale/1).")
    )


class WardScaleSettingForm(forms.Form):
    """A ward's timing for a scale and, per band of its published version, the lowest total."""

    due_within_days = forms.IntegerField(
        label=_("Due within days of admission"),
        min_value=1,
        max_value=365,
        help_text=_("The day of admission is day 1."),
    )
    reassess_every_days = forms.IntegerField(
        label=_("Reassess every days"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("Empty: no scheduled reassessment."),
    )

    def __init__(self, *args, bands=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.bands = list(bands)
        for band in self.bands:
            self.fields[f"band-{band.key}"] = forms.IntegerField(
                label=_("%(band)s from total") % {"band": band.name}, min_value=0, max_value=1000
            )
        self.helper = _helper(_("Save"))

    def cutoffs(self) -> dict[str, int]:
        return {band.key: self.cleaned_data[f"band-{band.key}"] for band in self.bands}
