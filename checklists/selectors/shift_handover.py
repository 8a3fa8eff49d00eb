"""The handover (申し送り) of one shift slot, with the ward as it was during the slot."""

from dataclasses import dataclass

from ..models import Admission, CheckRecord
from ..shifts import ShiftSlot
from .bed_history import WardStay, ward_stays
from .shift_work import PatientShift, checklist_ids, patient_shifts


@dataclass
class HandoverEntry:
    bed: object  # the bed the patient lay in on this ward during the slot (not necessarily now)
    patient_shift: PatientShift
    new_risk_factors: list
    stay: WardStay  # moves onto or off the ward, or the discharge, during the slot


def handover(ward, slot: ShiftSlot, previous: ShiftSlot) -> list[HandoverEntry]:
    """申し送り for one slot, as the ward was then: every patient on the ward during the slot, by
    the bed history (also one discharged or moved to another ward since, and not one who came
    later), with open critical items, not-done items with reasons, risk factors noted during the
    slot, the notes written in it and the moves. Five queries and the records."""
    stays = ward_stays(ward, slot)
    admissions = list(Admission.objects.filter(pk__in=list(stays)).for_slot_work(slot))
    admissions.sort(key=lambda admission: (stays[admission.pk].bed.position, stays[admission.pk].bed.code))
    records = CheckRecord.objects.for_progress(checklist_ids(admissions), since=previous.duty_date)
    shifts = patient_shifts(admissions, records, slot, previous)
    return [
        HandoverEntry(
            bed=stays[admission.pk].bed,
            patient_shift=shifts[admission.pk],
            new_risk_factors=[n for n in admission.active_risk_factor_notes if slot.starts <= n.noted_at < slot.ends],
            stay=stays[admission.pk],
        )
        for admission in admissions
    ]
