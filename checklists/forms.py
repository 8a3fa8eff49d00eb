"""Forms check the shape of input; services check the rules."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Bed, ChecklistTemplate, CheckRecord, RiskFactor
from .services import NOTE_MAX_LENGTH


class RiskFactorChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class RiskFactorsMixin:
    """The risk factors as checkboxes grouped like the content (fall, aspiration, ...).
    The child factor is left out: the app notes it from the birth date."""

    def _risk_factor_field(self):
        return RiskFactorChoiceField(
            label=_("Risk factors"),
            queryset=RiskFactor.objects.filter(is_active=True).exclude(code=RiskFactor.CHILD),
            required=False,
        )

    def factor_groups(self):
        """[(group label, [(checkbox, factor)])] for the template to lay out."""
        factors = {factor.pk: factor for factor in self.fields["risk_factors"].queryset}
        groups = {}
        for checkbox in self["risk_factors"]:
            factor = factors[checkbox.data["value"].value]
            groups.setdefault(factor.get_group_display(), []).append((checkbox, factor))
        return list(groups.items())


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
        self.fields["risk_factors"] = self._risk_factor_field()

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        if birth_date > timezone.localdate():
            raise forms.ValidationError(_("The birth date cannot be in the future."))
        return birth_date


class RiskFactorsForm(RiskFactorsMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk_factors"] = self._risk_factor_field()


class ChecklistChoiceForm(forms.Form):
    templates = forms.ModelMultipleChoiceField(
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


class RecordForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CheckRecord.Status.choices)
    note = forms.CharField(label=_("Note or reason"), max_length=NOTE_MAX_LENGTH, required=False)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") in (CheckRecord.Status.NOT_APPLICABLE, CheckRecord.Status.NOT_DONE)
            and not (cleaned.get("note") or "").strip()
        ):
            self.add_error("note", _("Give a short reason for “not applicable” or “not done”."))
        return cleaned
