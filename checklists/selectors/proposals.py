"""Which checklists to propose for a stay, from its risk factors: the page shown after
admission or a change of risk factors."""

from dataclasses import dataclass

from ..models import ChecklistTemplate, PatientChecklist


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


def proposals_for(admission, templates) -> list[Proposal]:
    """Every template with a published version, with whether this admission's factors trigger it.

    ``templates`` is prefetched with triggers; ``admission`` from ``for_shift_work``.
    """
    factors = {note.risk_factor_id: note.risk_factor for note in admission.active_risk_factor_notes}
    active = {checklist.template_id: checklist for checklist in admission.active_checklists}
    return [
        Proposal(
            template=template,
            active=active.get(template.pk),
            matching_factors=[factors[t.pk] for t in template.triggers.all() if t.pk in factors],
        )
        for template in templates
    ]
