"""The rules that say whether a checklist item applies to a patient on a duty date, in a shift.

An item applies if the patient has *any of* its "applies if" factors (none: every patient on
the checklist), has *none of* its "not if" factors (禁飲食, 水分制限, とろみ指示 keep the drink
items away), is in one of its age bands on the duty date (from an age in years, for items that
mean nothing to a toddler), and the shift is one it is due in (night only, day only, or all).
The rule rows of a version's items are part of the version: they are copied with the items and
never change once the version is published. ``selectors.item_rules`` is the one place that
reads them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .reference import RiskFactor


class DueIn(models.TextChoices):
    """The shifts an item is due in; a shift is a night shift when its definition says so."""

    ALL = "all", _("Every shift")
    NIGHT = "night", _("Night shifts only")
    DAY = "day", _("Day shifts only")


class ItemFactorRule(models.Model):
    """One risk factor in one of an item's rules: it applies if the patient has any of the
    ``applies_if`` factors, and does not if the patient has any of the ``unless`` factors."""

    class Kind(models.TextChoices):
        APPLIES_IF = "applies_if", _("applies if the patient has any of")
        UNLESS = "unless", _("does not apply if the patient has any of")

    item = models.ForeignKey(
        "checklists.TemplateItem", verbose_name=_("item"), on_delete=models.CASCADE, related_name="factor_rules"
    )
    kind = models.CharField(_("rule"), max_length=20, choices=Kind)
    risk_factor = models.ForeignKey(
        RiskFactor, verbose_name=_("risk factor"), on_delete=models.PROTECT, related_name="item_rules"
    )

    class Meta:
        verbose_name = _("item rule")
        verbose_name_plural = _("item rules")
        ordering = ["item", "kind", "risk_factor__position", "risk_factor__code"]
        constraints = [
            models.UniqueConstraint(fields=["item", "risk_factor"], name="a_factor_is_in_one_rule_of_an_item"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.risk_factor}"
