"""The ward board: every bed of a ward in order, each with its patient's shift."""

from dataclasses import dataclass

from django.db.models import Prefetch

from ..models import Admission, Bed, CheckRecord
from ..shifts import ShiftSlot
from .bed_history import Move, WardStay
from .shift_work import PatientShift, checklist_ids, patient_shifts


@dataclass
class BedRow:
    bed: object
    patient_shift: PatientShift | None
    arrived: Move | None = None  # the patient came to this bed during the slot (from another bed or ward)


def beds_and_patients() -> Prefetch:
    """A ward's beds in order, each with its open admission (0 or 1), the patient, the active
    risk factors and the active checklists with their items: for ``prefetch_related`` on a
    queryset of wards, or ``prefetch_related_objects`` on one ward already loaded."""
    admissions = Admission.objects.open().for_shift_work()
    return Prefetch(
        "beds",
        queryset=Bed.objects.order_by("position", "code").prefetch_related(
            Prefetch("admissions", queryset=admissions, to_attr="open_admissions")
        ),
    )


def ward_board(ward, slot: ShiftSlot, previous: ShiftSlot, stays: dict[int, WardStay] | None = None) -> list[BedRow]:
    """Beds in order with their patient's shift (None for an empty bed). One query: the records.

    ``ward`` comes with its beds prefetched by ``beds_and_patients``; ``stays``, the ward's bed
    history during the slot (``ward_stays``), says who arrived in their bed during it.
    """
    beds = list(ward.beds.all())
    admissions = [admission for bed in beds for admission in bed.open_admissions]
    records = CheckRecord.objects.for_progress(checklist_ids(admissions), since=previous.duty_date)
    shifts = patient_shifts(admissions, records, slot, previous)
    stays = stays or {}
    rows = []
    for bed in beds:
        admission = bed.open_admissions[0] if bed.open_admissions else None
        stay = stays.get(admission.pk) if admission else None
        rows.append(
            BedRow(
                bed=bed,
                patient_shift=shifts[admission.pk] if admission else None,
                arrived=stay.arrived if stay else None,
            )
        )
    return rows
