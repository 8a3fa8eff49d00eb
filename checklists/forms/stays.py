"""Forms of a patient's stay: admitting, noting risk factors, choosing the checklists that
run, moving to another bed and discharging. They check the shape; services check the rules."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Bed, ChecklistTemplate, RiskFactor
from ..models.stays import BIRTH_DATE_IN_THE_FUTURE, BIRTH_DATE_TOO_EARLY, EARLIEST_BIRTH_DATE
from .fields import ModelMultipleChoiceField, RiskFactorsMixin


class AdmissionForm(RiskFactorsMixin, forms.Form):
    hospital_id = forms.CharField(
        label=_("Hospital ID"),
        max_length=32,
        help_text=_("Full-width characters, spaces and hyphens are fine: H 000-1234 is H0001234."),
    )
    name = forms.CharField(label=_("Patient name"), max_length=100)
    name_kana = forms.CharField(label=_("Reading (kana)"), max_length=100, required=False)
    birth_date = forms.DateField(label=_("Birth date"), widget=forms.DateInput(attrs={"type": "date"}))
    bed = forms.ModelChoiceField(label=_("Bed"), queryset=Bed.objects.none())
    # Ticked only after the service asked (services.POSSIBLY_THE_SAME_PERSON / RENAME_UNCONFIRMED):
    # the page shows the box with what it is about.
    confirm_new_person = forms.BooleanField(
        label=_("I have checked: this is another person. Admit under the new hospital ID."), required=False
    )
    confirm_rename = forms.BooleanField(
        label=_("I have checked: the patient's name has changed. Rename and admit."), required=False
    )

    def __init__(self, *args, ward, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bed"].queryset = Bed.objects.filter(ward=ward).empty().order_by("position", "code")
        self.fields["bed"].label_from_instance = lambda bed: bed.code
        self.fields["risk_factors"] = self.risk_factor_field()

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        if birth_date > timezone.localdate():
            raise forms.ValidationError(BIRTH_DATE_IN_THE_FUTURE)
        if birth_date < EARLIEST_BIRTH_DATE:
            raise forms.ValidationError(BIRTH_DATE_TOO_EARLY)
        return birth_date


class RiskFactorsForm(RiskFactorsMixin, forms.Form):
    # The factors noted when the page was drawn: only those can be removed by unticking, so a
    # factor a colleague noted meanwhile (or the child factor, not offered here) is kept.
    shown = ModelMultipleChoiceField(
        queryset=RiskFactor.objects.all(), required=False, widget=forms.MultipleHiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk_factors"] = self.risk_factor_field()

    def changes(self, noted) -> tuple[list, list]:
        """(factors to note, factors to remove) against the factors noted now."""
        ticked, shown, noted = set(self.cleaned_data["risk_factors"]), set(self.cleaned_data["shown"]), set(noted)
        offered = set(self.fields["risk_factors"].queryset)
        return sorted(ticked - noted, key=str), sorted((shown & noted & offered) - ticked, key=str)


class ChecklistChoiceForm(forms.Form):
    templates = ModelMultipleChoiceField(
        label=_("Checklists"),
        queryset=ChecklistTemplate.objects.filter(versions__status="published").distinct(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason for stopping (if you stop a checklist)"),
        max_length=200,
        required=False,
    )
    # The checklists running when the page was drawn: only those can be stopped by unticking,
    # so one a colleague started meanwhile keeps running.
    shown_active = ModelMultipleChoiceField(
        queryset=ChecklistTemplate.objects.all(), required=False, widget=forms.MultipleHiddenInput
    )


class TransferForm(forms.Form):
    bed = forms.ModelChoiceField(label=_("New bed"), queryset=Bed.objects.none())

    def __init__(self, *args, beds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bed"].queryset = beds
        self.fields["bed"].label_from_instance = lambda bed: f"{bed.ward.name} {bed.code}"
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Transfer"), css_class="btn-touch"))


class DischargeForm(forms.Form):
    confirm = forms.BooleanField(label=_("The patient leaves the ward now. All records are kept."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Discharge"), css_class="btn-danger btn-touch"))
