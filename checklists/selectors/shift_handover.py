"""The handover (申し送り) of one shift slot, with the ward as it was during the slot."""

from dataclasses import dataclass

from django.utils import timezone

from ..models import Admission, CareAssignment, CheckRecord, HandoverAcknowledgement, HandoverNote
from ..shifts import ShiftSlot
from .bed_history import WardStay, ward_stays
from .shift_work import PatientShift, checklist_ids, patient_shifts


@dataclass
class HandoverEntry:
    bed: object  # the bed the patient lay in on this ward during the slot (not necessarily now)
    patient_shift: PatientShift
    new_risk_factors: list
    stay: WardStay  # moves onto or off the ward, or the discharge, during the slot
    note: HandoverNote | None = None  # the nurse's note for the next shift (the latest one stands)
    acknowledgement: HandoverAcknowledgement | None = None  # 申し送り済み, by the receiving nurse
    nurse: object = None  # who had the patient in the slot (受け持ち)

    @property
    def other_notes(self) -> list[CheckRecord]:
        """Notes of records other than the not-done ones, whose reasons are listed already."""
        return [record for record in self.patient_shift.notes if record.status != CheckRecord.Status.NOT_DONE]


def handover(ward, slot: ShiftSlot, previous: ShiftSlot) -> list[HandoverEntry]:
    """申し送り for one slot, as the ward was then: every patient on the ward during the slot, by
    the bed history (also one discharged or moved to another ward since, and not one who came
    later), with open critical items, not-done items with reasons, risk factors noted during the
    slot, the notes written in it and the moves, the nurse's handover note, 申し送り済み and who had
    the patient. Eight queries and the records."""
    stays = ward_stays(ward, slot)
    admissions = list(Admission.objects.filter(pk__in=list(stays)).for_slot_work(slot))
    admissions.sort(key=lambda admission: (stays[admission.pk].bed.position, stays[admission.pk].bed.code))
    records = CheckRecord.objects.for_progress(checklist_ids(admissions), since=previous.duty_date)
    shifts = patient_shifts(admissions, records, slot, previous)
    notes = HandoverNote.objects.latest_by_admission(admissions, slot)
    acknowledgements = HandoverAcknowledgement.objects.by_admission(admissions, slot)
    nurses = CareAssignment.objects.current_by_admission(admissions, slot)
    return [
        HandoverEntry(
            bed=stays[admission.pk].bed,
            patient_shift=shifts[admission.pk],
            new_risk_factors=[n for n in admission.active_risk_factor_notes if slot.starts <= n.noted_at < slot.ends],
            stay=stays[admission.pk],
            note=notes.get(admission.pk),
            acknowledgement=acknowledgements.get(admission.pk),
            nurse=nurses.get(admission.pk),
        )
        for admission in admissions
    ]


def has_started(slot: ShiftSlot) -> bool:
    """A slot that has not started has nothing real to hand over (its items would all look open)."""
    return slot.starts <= timezone.now()
