"""The one place that decides whether a checklist item applies to a stay on a duty date, in a
shift: the patient page, the board's progress, the handover, the printouts, the editor's
preview and the clinical vignettes all ask ``item_applies``.

The circumstances are read from prefetched rows: the risk factors that hold on the duty date
(``patient_age.factor_codes_on``: the noted ones and the age-derived ones), the patient's age
and age band on that date, and the shift (whether it is a night shift, from the ward's pattern
in force). Without a shift (a sheet for the wall, the family handout) an item due in some
shifts only still applies: it is due on that day.
"""

from dataclasses import dataclass
from datetime import date

from ..models import Admission, DueIn, Patient, ShiftDefinition, TemplateItem
from .patient_age import age_band_on, factor_codes_on


@dataclass(frozen=True)
class Circumstances:
    """What an item's rules read about a stay on a duty date (and in a shift, if one is given)."""

    factor_codes: frozenset[str]
    age: int
    age_band: str
    is_night: bool | None = None  # None: no particular shift

    @classmethod
    def of(cls, admission: Admission, day: date, shift: ShiftDefinition | None = None) -> "Circumstances":
        """``admission`` comes with ``active_risk_factor_notes`` and its patient."""
        return cls(
            factor_codes=frozenset(factor_codes_on(admission, day)),
            age=admission.patient.age_on(day),
            age_band=age_band_on(admission.patient, day),
            is_night=None if shift is None else shift.is_night,
        )


AGE_BAND_FIELDS = {
    Patient.AgeBand.CHILD: "for_children",
    Patient.AgeBand.ADULT: "for_adults",
    Patient.AgeBand.OLDER: "for_older",
}


RULE_CODES = "rule_codes"  # where rule_codes keeps its answer on the loaded item


def rule_codes(item: TemplateItem) -> tuple[frozenset[str], frozenset[str]]:
    """(codes of the factors the item needs any of, codes of those that keep it away), worked
    out once per loaded item: a board asks it of the same prefetched item for every patient."""
    codes = item.__dict__.get(RULE_CODES)
    if codes is None:
        applies_if = frozenset(factor.code for factor in item.applies_if_factors)
        codes = item.__dict__[RULE_CODES] = (applies_if, frozenset(factor.code for factor in item.unless_factors))
    return codes


def item_applies(item: TemplateItem, circumstances: Circumstances) -> bool:
    """Whether ``item`` (from ``TemplateItem.objects.with_rules()``) applies in ``circumstances``."""
    codes = circumstances.factor_codes
    applies_if, unless = rule_codes(item)
    if applies_if and not applies_if & codes:
        return False
    if unless & codes:
        return False
    if not getattr(item, AGE_BAND_FIELDS[circumstances.age_band]):
        return False
    if item.from_age is not None and circumstances.age < item.from_age:
        return False
    if circumstances.is_night is None or item.due_in == DueIn.ALL:
        return True
    return circumstances.is_night == (item.due_in == DueIn.NIGHT)


def applying_items(items, circumstances: Circumstances) -> list[TemplateItem]:
    """The items of ``items`` that apply, in their order."""
    return [item for item in items if item_applies(item, circumstances)]


@dataclass
class Recipient:
    """A currently admitted patient whom a version's item would reach today."""

    admission: Admission
    runs_the_template: bool  # already on this checklist (some version), not only proposed


def item_recipients(version, admissions, day: date) -> dict[int, list[Recipient]]:
    """For each item of ``version`` (from ``with_items``), the admitted patients it would apply to on
    ``day``, in any shift: those running the template's checklist and those its triggers propose.
    ``admissions`` come with their patient, bed, active risk factors and ``active_checklists``;
    ``version.template`` with its triggers."""
    triggers = {factor.code for factor in version.template.triggers.all()}
    recipients = []
    for admission in admissions:
        circumstances = Circumstances.of(admission, day)
        runs = any(c.template_id == version.template_id for c in admission.active_checklists)
        if runs or triggers & circumstances.factor_codes:
            recipients.append((Recipient(admission=admission, runs_the_template=runs), circumstances))
    return {
        item.pk: [recipient for recipient, circumstances in recipients if item_applies(item, circumstances)]
        for item in version.items.all()
    }
