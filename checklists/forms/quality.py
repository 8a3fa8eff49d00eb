"""The 加算 evidence export's GET form (the period, as every quality page, and whether the rows
name the patients: off unless ticked), and the correction of a teach-back audit."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .events import TEXT_MAX_LENGTH, PeriodForm, TeachBackForm


class EvidenceForm(PeriodForm):
    names = forms.BooleanField(label=_("Include patient names"), required=False)

    def include_names(self) -> bool:
        return bool(self.is_bound and self.is_valid() and self.cleaned_data.get("names"))


class TeachBackCorrectionForm(TeachBackForm):
    """The right answers of a teach-back audit, and why the first ones were wrong."""

    reason = forms.CharField(
        label=_("Reason for the correction"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Record the correction"), css_class="btn-touch"))
