"""Forms of safety events and teach-back audits, and the period a quality page shows. They
check the shape; services.events checks the rules (a fall's injury level, the stay's dates)."""

from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import InjuryLevel, SafetyEvent, TeachBackAudit
from ..months import add_months, months_between

TEXT_MAX_LENGTH = 2000


class SafetyEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=SafetyEvent.Kind.choices)
    occurred_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    place = forms.ChoiceField(label=_("Where"), choices=SafetyEvent.Place.choices)
    description = forms.CharField(
        label=_("What happened, in a few words"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    injury_level = forms.ModelChoiceField(
        label=_("Injury level (falls)"), queryset=InjuryLevel.objects.none(), required=False
    )
    witness = forms.ChoiceField(label=_("Witnessed"), choices=SafetyEvent.Witness.choices)
    immediate_actions = forms.CharField(
        label=_("Immediate actions"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)})
        super().__init__(*args, **kwargs)
        self.fields["injury_level"].queryset = InjuryLevel.objects.filter(is_active=True)
        self.fields["injury_level"].label_from_instance = lambda level: f"{level.name} — {level.get_harm_display()}"
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Record the event"), css_class="btn-touch"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == SafetyEvent.Kind.FALL and not cleaned.get("injury_level"):
            self.add_error("injury_level", _("Choose the injury level of the fall."))
        return cleaned


class SafetyEventCorrectionForm(SafetyEventForm):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=TEXT_MAX_LENGTH)
    withdraw = forms.BooleanField(label=_("The event was recorded in error: withdraw it"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.inputs.clear()
        self.helper.add_input(Submit("submit", _("Record the correction"), css_class="btn-touch"))

    def clean(self):
        cleaned = forms.Form.clean(self)
        if cleaned.get("withdraw"):
            self.errors.pop("injury_level", None)
        elif cleaned.get("kind") == SafetyEvent.Kind.FALL and not cleaned.get("injury_level"):
            self.add_error("injury_level", _("Choose the injury level of the fall."))
        return cleaned


class TeachBackForm(forms.Form):
    asked = forms.ChoiceField(label=_("Asked"), choices=TeachBackAudit.Asked.choices)
    names_risks = forms.BooleanField(label=_("Can they name the risks?"), required=False)
    names_plan = forms.BooleanField(label=_("Can they name the plan?"), required=False)
    sheet_current = forms.BooleanField(label=_("Was the bedside sheet current and posted?"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Record the teach-back"), css_class="btn-touch"))


MONTHS_MAX = 24
MONTH = forms.DateInput(attrs={"type": "month", "class": "form-control"}, format="%Y-%m")
MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d"]


class PeriodForm(forms.Form):
    """The months a quality page shows (a GET form): ``start`` and ``end`` months, inclusive.
    A wrong choice (the first month after the last, more than ``MONTHS_MAX`` months) is said on
    the form, and the page shows the default period meanwhile."""

    start = forms.DateField(label=_("From (month)"), widget=MONTH, input_formats=MONTH_FORMATS, required=False)
    end = forms.DateField(label=_("To (month)"), widget=MONTH, input_formats=MONTH_FORMATS, required=False)

    @classmethod
    def for_query(cls, query, default_months: int = 6) -> tuple["PeriodForm", date, date]:
        """The form of the page's query, with the months shown; with no query, a form filled
        with the default months, so that the month fields show what the page shows."""
        form = cls(query or None)
        start, end = form.months(default_months)
        if not form.is_bound:
            form = cls(initial={"start": start, "end": add_months(end, -1)})
        return form, start, end

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            start, end = start.replace(day=1), add_months(end.replace(day=1), 1)
            if start >= end:
                raise forms.ValidationError(_("The first month comes after the last one."), code="order")
            if months_between(start, end) > MONTHS_MAX:
                raise forms.ValidationError(
                    _("Choose at most %(months)d months."), code="too_long", params={"months": MONTHS_MAX}
                )
        return cleaned

    def months(self, default_months: int = 6) -> tuple[date, date]:
        """The first day of the first month and of the month after the last: the default is the
        last ``default_months`` months up to this one, also when the form is wrong."""
        today = timezone.localdate()
        end = add_months(today.replace(day=1), 1)
        start = add_months(end, -default_months)
        if self.is_bound and self.is_valid():
            chosen_start, chosen_end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
            if chosen_end:
                end = add_months(chosen_end.replace(day=1), 1)
            start = chosen_start.replace(day=1) if chosen_start else add_months(end, -default_months)
            if start >= end or months_between(start, end) > MONTHS_MAX:
                start = add_months(end, -default_months)
        return start, end


class MonthForm(forms.Form):
    """The month of the monthly ward report, and whether its event list names the patients."""

    month = forms.DateField(label=_("Month"), widget=MONTH, input_formats=MONTH_FORMATS, required=False)
    names = forms.BooleanField(label=_("Include patient names"), required=False)

    def chosen_month(self) -> date:
        """The first day of the chosen month; last month when none (or a wrong one) is given."""
        if self.is_bound and self.is_valid() and self.cleaned_data.get("month"):
            return self.cleaned_data["month"].replace(day=1)
        return add_months(timezone.localdate(), -1)

    def include_names(self) -> bool:
        return bool(self.is_bound and self.is_valid() and self.cleaned_data.get("names"))
