"""Forms of a patient's stay: admitting, noting risk factors, choosing the checklists that
run, moving to another bed and discharging. They check the shape; services check the rules."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Bed, ChecklistTemplate, RiskFactor
from .fields import ModelMultipleChoiceField, RiskFactorsMixin


class AdmissionForm(RiskFactorsMixin, forms.Form):
    hospital_id = forms.CharField(label=_("Hospital ID"), max_length=32)
    name = forms.CharField(label=_("Patient name"), max_length=100)
    name_kana = forms.CharField(label=_("Reading (kana)"), max_length=100, required=False)
    birth_date = forms.DateField(label=_("Birth date"), widget=forms.DateInput(attrs={"type": "date"}))
    bed = forms.ModelChoiceField(label=_("Bed"), queryset=Bed.objects.none())

    def __init__(self, *args, ward, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bed"].queryset = Bed.objects.filter(ward=ward).empty().order_by("position", "code")
        self.fields["bed"].label_from_instance = lambda bed: bed.code
        self.fields["risk_factors"] = self.risk_factor_field()

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        if birth_date > timezone.localdate():
            raise forms.ValidationError(_("The birth date cannot be in the future."))
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
