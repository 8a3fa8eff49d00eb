"""A stay's checklists over recent shifts: for each item, what each slot left."""

from dataclasses import dataclass

from ..models import PatientChecklist, TemplateItem
from ..shifts import ShiftSlot


@dataclass
class HistoryRow:
    item: TemplateItem
    cells: list  # one standing record (or None) per slot, newest slot first


@dataclass
class HistoryBlock:
    checklist: PatientChecklist
    rows: list[HistoryRow]


def history(checklists, slots: list[ShiftSlot], records) -> list[HistoryBlock]:
    """Items × recent slots: the status each slot left, in the version's own wording."""
    superseded = {record.corrects_id for record in records if record.corrects_id}
    latest = {}
    for record in sorted(records, key=lambda r: (r.recorded_at, r.pk)):
        if record.pk not in superseded:
            latest[(record.checklist_id, record.item_id, record.duty_date, record.shift_id)] = record
    blocks = []
    for checklist in checklists:
        rows = [
            HistoryRow(
                item=item,
                cells=[latest.get((checklist.pk, item.pk, slot.duty_date, slot.shift.pk)) for slot in slots],
            )
            for item in checklist.version.items.all()
        ]
        blocks.append(HistoryBlock(checklist=checklist, rows=rows))
    return blocks
