"""Forms for the reference data checklist admins keep: risk factors (shifts: ``shift_patterns``)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import RiskFactor


class RiskFactorForm(forms.ModelForm):
    class Meta:
        model = RiskFactor
        fields = ["code", "group", "name_ja", "name_en", "description_ja", "description_en", "position", "is_active"]
        widgets = {
            "description_ja": forms.Textarea(attrs={"rows": 2}),
            "description_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Export files and item conditions refer to the factor by its code.
            self.fields["code"].disabled = True
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save"), css_class="btn-touch"))
