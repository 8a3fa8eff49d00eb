"""The handover (申し送り) of one shift slot, with the ward as it was during the slot."""

from dataclasses import dataclass

from ..models import Admission, CheckRecord
from ..shifts import ShiftSlot
from .shift_work import PatientShift, checklist_ids, patient_shifts


@dataclass
class HandoverEntry:
    bed: object
    patient_shift: PatientShift
    new_risk_factors: list


def handover(ward, slot: ShiftSlot, previous: ShiftSlot) -> list[HandoverEntry]:
    """申し送り for one slot, as the ward was then: every patient on the ward during the slot
    (also one discharged since), with open critical items, not-done items with reasons, risk
    factors noted during the slot and the notes written in it. Four queries and the records."""
    admissions = list(
        Admission.objects.filter(ward=ward).live_during(slot).for_slot_work(slot).order_by("bed__position", "bed__code")
    )
    records = CheckRecord.objects.for_progress(checklist_ids(admissions), since=previous.duty_date)
    shifts = patient_shifts(admissions, records, slot, previous)
    return [
        HandoverEntry(
            bed=admission.bed,
            patient_shift=shifts[admission.pk],
            new_risk_factors=[n for n in admission.active_risk_factor_notes if slot.starts <= n.noted_at < slot.ends],
        )
        for admission in admissions
    ]
