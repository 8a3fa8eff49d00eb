"""Which items were due for the stays of a ward in a shift slot that ended, and how each stood:
what ``services.item_slots_refresh`` writes into ``ItemSlot``.

Due, item by item: the stay lay on the ward when the slot ended (not discharged before), its
checklist was running then, the item is due every shift (or once a day: then in the slot that
ends the duty date, for the whole day) and applies to the patient by ``item_rules`` (the risk
factors, age band and night or day of the slot). Each stay's standing records of the slot give
the status (the latest one). As-needed items are not counted.

Items due once per stay (``StayItem``): with the slot that ends the duty date, due for the
stays on the ward whose running checklist has the item and to whom it applied that day; with
every slot, for every stay on the ward during it (discharged during it too), the status of the
latest standing record of the item's key on any of the stay's checklists of the template, so
that a record made while the slot ran is counted when it ends.
A fixed number of queries per slot, whatever the records.
"""

from dataclasses import dataclass
from datetime import date

from ..models import Admission, CheckRecord, Placement, TemplateItem
from ..shifts import ShiftSlot
from .item_rules import Circumstances, item_applies

Frequency = TemplateItem.Frequency
COUNTED = (Frequency.EVERY_SHIFT, Frequency.DAILY)


@dataclass
class SlotRow:
    """What one ``ItemSlot`` row should hold."""

    admission_id: int
    ward_id: int
    template_id: int
    item_id: int
    item_key: str
    duty_date: date
    shift_id: int | None
    due: bool = False
    status: str = ""
    note: str = ""

    @property
    def key(self) -> tuple:
        return (self.admission_id, self.template_id, self.item_key, self.duty_date, self.shift_id)


@dataclass
class StayItemRow:
    """What one ``StayItem`` row should hold, as far as one duty date tells: ``due`` (it applied
    that day) or recorded (``status``), or neither (the stay has no record of it yet)."""

    admission_id: int
    ward_id: int
    template_id: int
    item_id: int
    item_key: str
    duty_date: date
    due: bool = False
    status: str = ""
    note: str = ""
    recorded_on: date | None = None  # the first duty date of its records

    @property
    def key(self) -> tuple:
        return (self.admission_id, self.template_id, self.item_key)

    @property
    def first_on(self) -> date | None:
        """The first duty date this row knows the item was due or recorded (None: neither)."""
        days = [day for day in (self.duty_date if self.due else None, self.recorded_on) if day is not None]
        return min(days, default=None)


@dataclass
class SlotWork:
    slots: list[SlotRow]
    stay_items: list[StayItemRow]


def wards_at_end(ward, slot: ShiftSlot) -> dict[int, int | None]:
    """Every stay on ``ward`` at some moment of ``slot``, by admission id: the ward it lay on when
    the slot ended (None: discharged during the slot, then on ``ward``'s books). One query."""
    placements = (
        Placement.objects.of_stays_on_ward_during(ward, slot.starts, slot.ends)
        .select_related(None)
        .select_related("admission")
    )
    ends: dict[int, int | None] = {}
    for placement in placements:  # in order: the last one that began before the end wins
        if placement.starts_at < slot.ends:
            discharged = placement.admission.discharged_at
            gone = discharged is not None and discharged < slot.ends
            ends[placement.admission_id] = None if gone else placement.ward_id
    return {pk: ward_id for pk, ward_id in ends.items() if ward_id in (None, ward.pk)}


def slot_rows(ward, slot: ShiftSlot, *, ends_day: bool) -> list[SlotRow]:
    """The rows of ``ward``'s stays for ``slot`` (an ended slot); ``ends_day``: the slot is the
    last of its duty date to end, so the once-a-day items of the date are counted with it."""
    return slot_work(ward, slot, ends_day=ends_day).slots


def slot_work(ward, slot: ShiftSlot, *, ends_day: bool) -> SlotWork:
    """``slot_rows``, and the stays' items due once per stay (due: with the slot that ends the
    duty date; their records: with every slot)."""
    stays = wards_at_end(ward, slot)
    if not stays:
        return SlotWork([], [])
    admissions = Admission.objects.filter(pk__in=list(stays)).for_slot_work(slot)
    rows: dict[tuple, SlotRow] = {}
    once: dict[tuple, StayItemRow] = {}

    def once_row(admission_id, template_id, item) -> StayItemRow:
        new = StayItemRow(admission_id, ward.pk, template_id, item.pk, item.key, slot.duty_date)
        return once.setdefault(new.key, new)

    def row(admission_id, checklist, item) -> SlotRow:
        shift_id = slot.shift.pk if item.frequency == Frequency.EVERY_SHIFT else None
        new = SlotRow(admission_id, ward.pk, checklist.template_id, item.pk, item.key, slot.duty_date, shift_id)
        return rows.setdefault(new.key, new)

    by_checklist = {}
    for admission in admissions:
        by_checklist |= {checklist.pk: checklist for checklist in admission.active_checklists}
        if stays[admission.pk] is None:  # discharged during the slot: its records count, nothing is due
            continue
        slot_circumstances = Circumstances.of(admission, slot.duty_date, slot.shift)
        day_circumstances = Circumstances.of(admission, slot.duty_date)
        for checklist in admission.active_checklists:
            if checklist.stopped_at is not None and checklist.stopped_at < slot.ends:
                continue
            for item in checklist.version.items.all():
                if item.frequency == Frequency.EVERY_SHIFT:
                    due = item_applies(item, slot_circumstances)
                elif item.frequency == Frequency.ONCE:
                    if ends_day and item_applies(item, day_circumstances):
                        once_row(admission.pk, checklist.template_id, item).due = True
                    continue
                else:  # once a day: with the slot that ends the duty date, in any shift of it
                    due = item.frequency == Frequency.DAILY and ends_day and item_applies(item, day_circumstances)
                if due:
                    row(admission.pk, checklist, item).due = True
    _statuses(slot, by_checklist, rows, row, ends_day=ends_day)
    _stay_item_statuses(list(stays), once_row)
    return SlotWork(list(rows.values()), list(once.values()))


def _stay_item_statuses(admission_ids: list[int], once_row) -> None:
    """Each stay's items due once per stay as their latest standing record has them, whichever
    of the stay's checklists of the template (a version move starts a new one) it was made on.
    One query."""
    records = (
        CheckRecord.objects.standing()
        .filter(checklist__admission_id__in=admission_ids, item__frequency=Frequency.ONCE)
        .select_related("item", "checklist")
        .order_by("recorded_at", "pk")
    )
    for record in records:
        found = once_row(record.checklist.admission_id, record.checklist.template_id, record.item)
        found.item_id, found.status, found.note = record.item_id, record.status, record.note
        found.recorded_on = min(found.recorded_on or record.duty_date, record.duty_date)


def _statuses(slot: ShiftSlot, checklists: dict, rows: dict, row, *, ends_day: bool) -> None:
    """Each row's status from the latest standing record of the slot (a daily item's: of the
    duty date, counted with the slot that ends the day). One query."""
    records = (
        CheckRecord.objects.standing()
        .filter(checklist_id__in=list(checklists), duty_date=slot.duty_date, item__frequency__in=COUNTED)
        .select_related("item")
        .order_by("recorded_at", "pk")
    )
    for record in records:
        every_shift = record.item.frequency == Frequency.EVERY_SHIFT
        if (every_shift and record.shift_id != slot.shift.pk) or (not every_shift and not ends_day):
            continue
        found = row(checklists[record.checklist_id].admission_id, checklists[record.checklist_id], record.item)
        found.item_id, found.status, found.note = record.item_id, record.status, record.note
