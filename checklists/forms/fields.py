"""Fields and mixins that several forms share: a multiple choice that refuses out-of-range
IDs cleanly, and the risk factors as grouped checkboxes."""

from django import forms
from django.db import connections
from django.utils.translation import gettext_lazy as _

from ..models import RiskFactor


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, but an ID beyond the database's integers is an invalid choice, not a
    server error: Django guards ``pk=`` against overflow, not ``pk__in`` (SQLite raises)."""

    def _check_values(self, value):
        pk = self.queryset.model._meta.pk
        low, high = connections[self.queryset.db].ops.integer_field_range(pk.get_internal_type())
        for one in value:
            try:
                number = int(one)
            except (TypeError, ValueError):
                continue  # not a number: Django's own check refuses it
            if not low <= number <= high:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": one}
                )
        return super()._check_values(value)


class RiskFactorChoiceField(ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class RiskFactorsMixin:
    """The risk factors as checkboxes grouped like the content (fall, aspiration, ...).
    The age-derived factors (child, 70 and over) are left out: the birth date decides them."""

    def risk_factor_field(self):
        return RiskFactorChoiceField(
            label=_("Risk factors"),
            queryset=RiskFactor.objects.filter(is_active=True).exclude(code__in=RiskFactor.AGE_DERIVED),
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
