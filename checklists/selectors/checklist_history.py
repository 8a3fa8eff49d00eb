"""A stay's checklists over recent shifts: for each item, what each slot left.

A checklist moved to a newer version continues the one it replaced, so the history shows one
block per chain of versions (v1 → v2) and one continuous row per item key: the row reads in
the newest version's wording with the earlier wordings under it, a record made on an earlier
version is marked with that version, and the slot in which the version changed is marked.
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
    last_version: int | None  # the key is only in earlier versions, the last being this one
    earlier: list[tuple[int, TemplateItem]]  # (version number, item) of earlier wordings of the key


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
    """One row per item key: the newest version's items in order, then keys only earlier
    versions had (newest of those first)."""
    newest, head = chain[-1], chain[-1].pk
    items: dict[str, tuple[int, TemplateItem]] = {}
    wordings: dict[str, list[tuple[int, TemplateItem]]] = {}
    for checklist in reversed(chain):
        for item in checklist.version.items.all():
            items.setdefault(item.key, (checklist.version.number, item))
            wordings.setdefault(item.key, []).append((checklist.version.number, item))
    rows = []
    for key, (number, item) in items.items():
        seen, earlier = {item.text}, []
        for old_number, old in wordings[key][1:]:
            if old.text not in seen:
                earlier.append((old_number, old))
                seen.add(old.text)
        cells = []
        for slot in slots:
            record = latest.get((head, key, slot.duty_date, slot.shift.pk))
            made_on = record.item if record and record.item_id != item.pk else None
            cells.append(HistoryCell(record=record, earlier=made_on))
        last = None if number == newest.version.number else number
        rows.append(HistoryRow(item=item, cells=cells, last_version=last, earlier=earlier))
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
