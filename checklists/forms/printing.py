"""Forms around paper: planned examinations (the family handout's "what happens next"),
whole-ward print runs, and typing a downtime sheet's marks back in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import CheckRecord
from ..services import NOTE_MAX_LENGTH
from .fields import ModelMultipleChoiceField


class ExaminationForm(forms.Form):
    name = forms.CharField(
        label=_("Examination"), max_length=100, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    planned_on = forms.DateField(
        label=_("Planned date"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    purpose = forms.CharField(
        label=_("Purpose, in plain words"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class PrintRunForm(forms.Form):
    """Bedside sheets for every patient ("all" button) or the ticked ones."""

    admissions = ModelMultipleChoiceField(
        label=_("Patients"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, admissions, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["admissions"]
        field.queryset = admissions
        field.label_from_instance = lambda admission: f"{admission.bed.code} {admission.patient.name}"

    def clean(self):
        cleaned = super().clean()
        if "all" in self.data:
            cleaned["admissions"] = list(self.fields["admissions"].queryset)
        elif not cleaned.get("admissions") and not self.errors:
            self.add_error("admissions", _("Tick at least one patient, or print all."))
        return cleaned


class TranscriptionForm(forms.Form):
    """One column of a paper sheet: per item the mark on the paper (or none) and its reason."""

    NOT_ON_PAPER = ""

    def __init__(self, *args, patient_shift, **kwargs):
        super().__init__(*args, **kwargs)
        self._rows = []
        for checklist_progress in patient_shift.checklists:
            for state in checklist_progress.items:
                key = f"{state.checklist.pk}_{state.item.pk}"
                self.fields[f"status_{key}"] = forms.ChoiceField(
                    label=state.item.text,
                    choices=[(self.NOT_ON_PAPER, "—"), *CheckRecord.Status.choices],
                    widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                    required=False,
                )
                self.fields[f"note_{key}"] = forms.CharField(
                    label=_("Reason"), max_length=NOTE_MAX_LENGTH, required=False
                )
                self._rows.append((checklist_progress, state, key))

    def groups(self) -> list[tuple]:
        """[(checklist progress, [(item state, status field, note field)])] for the template."""
        groups: dict = {}
        for checklist_progress, state, key in self._rows:
            groups.setdefault(checklist_progress.checklist.pk, (checklist_progress, []))[1].append(
                (state, self[f"status_{key}"], self[f"note_{key}"])
            )
        return list(groups.values())

    def entries(self) -> list[tuple]:
        """(checklist, item, status, note) for every item marked on the paper."""
        return [
            (state.checklist, state.item, self.cleaned_data[f"status_{key}"], self.cleaned_data[f"note_{key}"])
            for _progress, state, key in self._rows
            if self.cleaned_data[f"status_{key}"] != self.NOT_ON_PAPER
        ]
