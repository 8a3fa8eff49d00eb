"""The per-patient details of items (「歩行器使用・見守り」) beside the items the patient page and
the printouts show: one query for any number of patients."""

from collections.abc import Iterable

from ..models import ItemDetail
from .shift_work import PatientShift


def details_attach(patient_shifts: Iterable[PatientShift]) -> None:
    """Set ``detail`` (the current ItemDetail, or None) on every item state of ``patient_shifts``,
    the ``left_by_previous_shift`` ones too. One query."""
    patient_shifts = list(patient_shifts)
    current = ItemDetail.objects.current_by_item([p.admission for p in patient_shifts])
    for patient_shift in patient_shifts:
        states = [state for progress in patient_shift.checklists for state in progress.items]
        for state in [*states, *patient_shift.left_by_previous_shift]:
            key = (patient_shift.admission.pk, state.checklist.template_id, state.item.key)
            state.detail = current.get(key)


def item_detail_history(checklist, item) -> list[ItemDetail]:
    """Every detail written for the item on this stay, newest first (with who wrote it)."""
    return list(
        ItemDetail.objects.history_of(admission=checklist.admission, template=checklist.template, item_key=item.key)
    )
