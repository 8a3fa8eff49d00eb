"""A stay's checklists over recent shifts: for each item, what each slot left.

A checklist moved to a newer version continues the one it replaced, so the history shows one
block per chain of versions (v1 → v2) and one continuous row per item key: the row reads in
the newest version's wording, a record made on an earlier version is marked with that
version and its wording, and the slot in which the version changed is marked.
"""

from dataclasses import dataclass

from ..models import CheckRecord, PatientChecklist, TemplateItem
from ..shifts import ShiftSlot
from .shift_work import lineage


@dataclass
class HistoryCell:
    record: CheckRecord | None  # the standing record of the slot
    earlier: TemplateItem | None  # the item it was made on, when that is an earlier version's


@dataclass
class HistoryRow:
    item: TemplateItem  # in the newest version that has the key
    cells: list[HistoryCell]  # one per slot, newest slot first
    dropped: bool  # the key is only in earlier versions: the newest one no longer has it


@dataclass
class HistoryColumn:
    slot: ShiftSlot
    moved_to: PatientChecklist | None  # the version the patient was moved to during this slot


@dataclass
class HistoryBlock:
    checklist: PatientChecklist  # the newest version of the chain
    chain: list[PatientChecklist]  # every version, oldest first
    columns: list[HistoryColumn]
    rows: list[HistoryRow]

    @property
    def moved(self) -> bool:
        return len(self.chain) > 1


def _slot_of(moment, slots: list[ShiftSlot]) -> int | None:
    """The column (newest first, contiguous) in which ``moment`` fell."""
    return next((index for index, slot in enumerate(slots) if slot.starts <= moment), None)


def _rows(chain, slots, latest) -> list[HistoryRow]:
    newest = chain[-1]
    head = newest.pk
    items: dict[str, TemplateItem] = {item.key: item for item in newest.version.items.all()}
    dropped = [
        item for checklist in reversed(chain[:-1]) for item in checklist.version.items.all() if item.key not in items
    ]
    for item in dropped:
        items.setdefault(item.key, item)
    rows = []
    for key, item in items.items():
        cells = []
        for slot in slots:
            record = latest.get((head, key, slot.duty_date, slot.shift.pk))
            earlier = record.item if record and record.item_id != item.pk else None
            cells.append(HistoryCell(record=record, earlier=earlier))
        rows.append(HistoryRow(item=item, cells=cells, dropped=item.version_id != newest.version_id))
    return rows


def history(checklists, slots: list[ShiftSlot], records) -> list[HistoryBlock]:
    """Items × recent slots: the status each slot left, each record in its version's wording.

    ``checklists``: every checklist of the stay with its version's items; ``records``: theirs,
    with their items (``CheckRecordQuerySet.for_history``)."""
    checklists = list(checklists)
    known = {checklist.pk: checklist for checklist in checklists}
    continued = {checklist.replaces_id for checklist in checklists}
    order = {checklist.pk: index for index, checklist in enumerate(checklists)}
    chains = sorted(
        (lineage(c, known)[::-1] for c in checklists if c.pk not in continued), key=lambda c: order[c[0].pk]
    )
    head = {member.pk: chain[-1].pk for chain in chains for member in chain}
    superseded = {record.corrects_id for record in records if record.corrects_id}
    latest = {}
    for record in sorted(records, key=lambda r: (r.recorded_at, r.pk)):
        if record.pk not in superseded:
            key = (head.get(record.checklist_id, record.checklist_id), record.item.key, record.duty_date)
            latest[(*key, record.shift_id)] = record
    blocks = []
    for chain in chains:
        moves = {_slot_of(later.started_at, slots): later for later in chain[1:]}
        columns = [HistoryColumn(slot=slot, moved_to=moves.get(index)) for index, slot in enumerate(slots)]
        blocks.append(HistoryBlock(checklist=chain[-1], chain=chain, columns=columns, rows=_rows(chain, slots, latest)))
    return blocks
