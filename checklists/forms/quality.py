"""The 加算 evidence export's GET form: the period (as every quality page) and whether the rows
name the patients (off unless ticked)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .events import PeriodForm


class EvidenceForm(PeriodForm):
    names = forms.BooleanField(label=_("Include patient names"), required=False)

    def include_names(self) -> bool:
        return bool(self.is_bound and self.is_valid() and self.cleaned_data.get("names"))
