"""Forms of the editor's shift pages: a new shift pattern, a change of a pattern's shifts from a
duty date (the shifts as rows of a formset), and a ward's pattern from a duty date."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import ShiftPattern
from ..models.shift_patterns import SHIFT_NEEDS_A_LENGTH
from ..services import ShiftSpec

MAX_SHIFTS = 6  # shifts per pattern: three-shift and two-shift days, with room for a short one
TIME = forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M")
TEXT = forms.TextInput(attrs={"class": "form-control"})


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


class ShiftRowForm(forms.Form):
    """One shift of the pattern: a row of the table."""

    code = forms.SlugField(label=_("Code"), max_length=20, widget=TEXT)
    name_ja = forms.CharField(label=_("Name (Japanese)"), max_length=40, widget=TEXT)
    name_en = forms.CharField(label=_("Name (English)"), max_length=40, required=False, widget=TEXT)
    starts_at = forms.TimeField(label=_("Starts"), widget=TIME)
    ends_at = forms.TimeField(label=_("Ends"), widget=TIME)
    is_night = forms.BooleanField(label=_("Night shift"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # the table's header names the columns
            field.widget.attrs["aria-label"] = field.label

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_at") and cleaned.get("starts_at") == cleaned.get("ends_at"):
            self.add_error("ends_at", SHIFT_NEEDS_A_LENGTH)
        return cleaned

    def spec(self) -> ShiftSpec:
        data = self.cleaned_data
        return ShiftSpec(
            code=data["code"].lower(),
            name_ja=data["name_ja"],
            name_en=data["name_en"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            is_night=data["is_night"],
        )


class BaseShiftRows(forms.BaseFormSet):
    """The rows that are filled in and not ticked "remove", in order."""

    def kept(self) -> list[ShiftRowForm]:
        return [
            row
            for index, row in enumerate(self.forms)
            if (index < self.initial_form_count() or row.has_changed()) and not row.cleaned_data.get("DELETE")
        ]

    def clean(self):
        if any(self.errors):
            return
        codes = [row.cleaned_data["code"].lower() for row in self.kept()]
        if not codes:
            raise forms.ValidationError(_("A shift pattern needs at least one shift."))
        if len(set(codes)) != len(codes):
            raise forms.ValidationError(_("Each shift of a pattern needs its own code."))

    def specs(self) -> list[ShiftSpec]:
        return [row.spec() for row in self.kept()]


def shift_rows(data=None, *, shifts=(), extra: int = 1) -> BaseShiftRows:
    """The formset (prefix ``shifts``), filled with ``shifts`` (a version's) and ``extra`` empty rows."""
    initial = [
        {
            "code": s.code,
            "name_ja": s.name_ja,
            "name_en": s.name_en,
            "starts_at": s.starts_at,
            "ends_at": s.ends_at,
            "is_night": s.is_night,
        }
        for s in shifts
    ]
    rows = forms.formset_factory(
        ShiftRowForm, formset=BaseShiftRows, extra=extra, can_delete=True, max_num=MAX_SHIFTS, validate_max=True
    )
    return rows(data, initial=initial, prefix="shifts")


class ShiftPatternForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        widget=TEXT,
        help_text=_("Lower-case letters, digits and hyphens, e.g. two-shift. It never changes."),
    )
    name_ja = forms.CharField(label=_("Name (Japanese)"), max_length=60, widget=TEXT)
    name_en = forms.CharField(label=_("Name (English)"), max_length=60, required=False, widget=TEXT)

    def clean_code(self) -> str:
        return self.cleaned_data["code"].lower()


class EffectiveFromForm(forms.Form):
    """From which duty date a change is in force (tomorrow at the earliest; the service says why)."""

    effective_from = forms.DateField(
        label=_("In force from (duty date)"),
        initial=tomorrow,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        help_text=_("Shifts of earlier duty dates keep their times, and the records made in them stay where they are."),
    )


class ShiftPatternChangeForm(EffectiveFromForm):
    note = forms.CharField(label=_("Why (for the audit trail)"), max_length=500, required=False, widget=TEXT)


class WardShiftPatternForm(EffectiveFromForm):
    pattern = forms.ModelChoiceField(
        label=_("Shift pattern"),
        queryset=ShiftPattern.objects.filter(versions__isnull=False).distinct(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
