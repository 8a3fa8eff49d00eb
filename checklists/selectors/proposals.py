"""Which checklists to propose for a stay, from its risk factors: the page shown after
admission or a change of risk factors. The age-derived factors count as they stand on the
duty date the page is for (today's, by default)."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from ..models import ChecklistTemplate, PatientChecklist
from .patient_age import factor_codes_on


@dataclass
class Proposal:
    """One template on the 'which checklists' page after admission or a factor change."""

    template: ChecklistTemplate
    active: PatientChecklist | None
    matching_factors: list

    @property
    def is_proposed(self) -> bool:
        return bool(self.matching_factors)

    @property
    def checked(self) -> bool:
        """Pre-ticked: already running and still triggered, or newly triggered."""
        return self.is_proposed or (self.active is not None and not self.proposes_stop)

    @property
    def proposes_start(self) -> bool:
        return self.is_proposed and self.active is None

    @property
    def proposes_stop(self) -> bool:
        return self.active is not None and not self.is_proposed and bool(self.template.triggers.all())


def proposals_for(admission, templates, day: date | None = None) -> list[Proposal]:
    """Every template with a published version, with whether this admission's factors trigger it
    on ``day`` (default: today).

    ``templates`` is prefetched with triggers; ``admission`` from ``for_shift_work``.
    """
    codes = factor_codes_on(admission, day or timezone.localdate())
    active = {checklist.template_id: checklist for checklist in admission.active_checklists}
    return [
        Proposal(
            template=template,
            active=active.get(template.pk),
            matching_factors=[factor for factor in template.triggers.all() if factor.code in codes],
        )
        for template in templates
    ]
