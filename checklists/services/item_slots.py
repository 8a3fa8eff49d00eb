"""Keeping ``ItemSlot`` (the due item-slots the quality figures count) and ``StayItem`` (the
items due once per stay) in step with the records and the stays: ``item_slot_record`` in the
same transaction as each record, and ``item_slots_refresh`` for the slots that ended
(``manage.py quality_slots_refresh``, each shift).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from ..models import (
    CheckRecord,
    ItemSlot,
    ItemSlotRefresh,
    PatientChecklist,
    Placement,
    StayItem,
    TemplateItem,
    Ward,
)
from ..selectors.item_slots import COUNTED, SlotRow, StayItemRow, slot_work
from ..shifts import ShiftCalendar, ShiftSlot, slot_of

FIELDS = ["ward_id", "item_id", "due", "status", "note"]
# A record made more than this before its shift ends has been committed when the shift ends.
RUNNING_FOR = timedelta(minutes=2)
# Items whose records of the running shift are counted when it ends, by the refresh.
DEFERRED = (TemplateItem.Frequency.EVERY_SHIFT, TemplateItem.Frequency.ONCE)


def _ward_at(checklist: PatientChecklist, slot: ShiftSlot) -> int:
    """The ward the stay lay on when ``slot`` ended; while it runs, the ward it lies on now."""
    if slot.ends > timezone.now():
        return checklist.admission.ward_id
    then = Placement.objects.filter(admission_id=checklist.admission_id, starts_at__lt=slot.ends)
    return then.order_by("-starts_at").values_list("ward_id", flat=True).first() or checklist.admission.ward_id


def item_slot_record(*, record: CheckRecord, checklist: PatientChecklist) -> None:
    """The slot of ``record`` (the newest record: it stands) now stands at its status. Called by
    the recording services inside their transaction; one to four queries.
    A record of an every-shift item in a shift that runs for more than ``RUNNING_FOR`` yet (the
    one tap, almost always) writes nothing: its slot is counted when the shift has ended, from
    the slot's records, by ``item_slots_refresh``, like every other item due in the shift, so
    the running shift's done items do not count before its missed ones can, and the tap is
    spared the slot's writes. Nearer the end the record writes its slot, as a late entry, a
    correction or a paper record does: a refresh at the end may not see a record still being
    committed, and the record's own write then keeps the slot right. A record of an item due
    once per stay writes its stay's row (``StayItem``) by the same rule: the refresh of the
    slot it was made in reads the stays' records of such items when the slot ends."""
    item = record.item
    once = item.frequency == TemplateItem.Frequency.ONCE
    if item.frequency not in COUNTED and not once:
        return
    running = slot_of(record.shift, record.duty_date).ends - timezone.now()
    if item.frequency in DEFERRED and running > RUNNING_FOR:
        return
    if once:
        _stay_item_record(record=record, checklist=checklist)
        return
    shift_id = record.shift_id if item.frequency == TemplateItem.Frequency.EVERY_SHIFT else None
    key = {
        "admission_id": checklist.admission_id,
        "template_id": checklist.template_id,
        "item_key": item.key,
        "duty_date": record.duty_date,
        "shift_id": shift_id,
    }
    values = {
        "ward_id": _ward_at(checklist, slot_of(record.shift, record.duty_date)),
        "item_id": item.pk,
        "status": record.status,
        "note": record.note,
    }
    if ItemSlot.objects.filter(**key).update(**values):
        return
    ItemSlot.objects.bulk_create([ItemSlot(**key, **values)], ignore_conflicts=True)
    ItemSlot.objects.filter(**key).update(**values)  # a parallel record made the row first


def _stay_item_record(*, record: CheckRecord, checklist: PatientChecklist) -> None:
    """The stay's row of an item due once per stay now stands at ``record`` (the newest: it
    stands); made if the item was not due yet, from the record's duty date. One or three queries."""
    key = {"admission_id": checklist.admission_id, "template_id": checklist.template_id, "item_key": record.item.key}
    values = {"item_id": record.item_id, "status": record.status, "note": record.note}
    if StayItem.objects.filter(**key).update(**values):
        return
    ward = _ward_at(checklist, slot_of(record.shift, record.duty_date))
    StayItem.objects.bulk_create(
        [StayItem(**key, **values, ward_id=ward, first_on=record.duty_date)], ignore_conflicts=True
    )
    StayItem.objects.filter(**key).update(**values)  # a parallel record or the refresh made the row first


def _write_stay_items(rows: list[StayItemRow]) -> int:
    """Each row due or recorded: made, or moved to an earlier first day (and that day's ward),
    with its status. Returns rows written."""
    rows = [row for row in rows if row.first_on is not None]
    existing = {
        (r.admission_id, r.template_id, r.item_key): r
        for r in StayItem.objects.filter(admission_id__in={row.admission_id for row in rows})
    }
    new, changed = [], []
    for row in rows:
        found = existing.get(row.key)
        if found is None:
            new.append(
                StayItem(
                    admission_id=row.admission_id,
                    template_id=row.template_id,
                    item_key=row.item_key,
                    ward_id=row.ward_id,
                    item_id=row.item_id,
                    first_on=row.first_on,
                    status=row.status,
                    note=row.note,
                )
            )
            continue
        values = {"item_id": row.item_id, "status": row.status, "note": row.note} if row.status else {}
        if row.first_on < found.first_on:
            values |= {"first_on": row.first_on, "ward_id": row.ward_id}
        if any(getattr(found, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(found, name, value)
            changed.append(found)
    StayItem.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    StayItem.objects.bulk_update(changed, ["item_id", "status", "note", "first_on", "ward_id"], batch_size=2000)
    return len(new) + len(changed)


def _write(rows: list[SlotRow], slot: ShiftSlot, *, ends_day: bool) -> int:
    """Write the slot's rows; a row no longer due nor recorded goes. Returns rows written."""
    admissions = {row.admission_id for row in rows}
    shifts = [slot.shift.pk, None] if ends_day else [slot.shift.pk]
    existing = {
        (r.admission_id, r.template_id, r.item_key, r.duty_date, r.shift_id): r
        for r in ItemSlot.objects.filter(admission_id__in=admissions, duty_date=slot.duty_date).filter(
            shift_id__in=[s for s in shifts if s is not None]
        )
    }
    if ends_day:
        existing |= {
            (r.admission_id, r.template_id, r.item_key, r.duty_date, r.shift_id): r
            for r in ItemSlot.objects.filter(admission_id__in=admissions, duty_date=slot.duty_date, shift__isnull=True)
        }
    new, changed = [], []
    for row in rows:
        values = {
            "ward_id": row.ward_id,
            "item_id": row.item_id,
            "due": row.due,
            "status": row.status,
            "note": row.note,
        }
        found = existing.pop(row.key, None)
        if found is None:
            new.append(
                ItemSlot(
                    admission_id=row.admission_id,
                    template_id=row.template_id,
                    item_key=row.item_key,
                    duty_date=row.duty_date,
                    shift_id=row.shift_id,
                    **values,
                )
            )
        elif any(getattr(found, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(found, name, value)
            changed.append(found)
    ItemSlot.objects.filter(pk__in=[r.pk for r in existing.values()]).delete()
    ItemSlot.objects.bulk_create(new, batch_size=2000)
    ItemSlot.objects.bulk_update(changed, FIELDS, batch_size=2000)
    return len(new) + len(changed)


@transaction.atomic
def item_slots_refresh(*, ward: Ward, slot: ShiftSlot, ends_day: bool) -> int:
    """Mark ``ward``'s item-slots of an ended ``slot`` due or not, with the records' statuses;
    with the slot that ends the duty date, the stays' items due once per stay too."""
    work = slot_work(ward, slot, ends_day=ends_day)
    return _write(work.slots, slot, ends_day=ends_day) + _write_stay_items(work.stay_items)


def _ended_slots(calendar: ShiftCalendar, since: datetime, until: datetime) -> list[tuple[ShiftSlot, bool]]:
    """The slots that ended in (since, until], oldest first, each with whether it ends its duty date."""
    found = []
    day = timezone.localtime(since).date() - timedelta(days=1)
    while day <= timezone.localtime(until).date():
        slots = [slot_of(shift, day) for shift in calendar.shifts_on(day)]
        last = max(slots, key=lambda slot: slot.ends)
        found += [(slot, slot is last) for slot in slots if since < slot.ends <= until]
        day += timedelta(days=1)
    return sorted(found, key=lambda pair: pair[0].ends)


def item_slots_catch_up(*, ward: Ward, until: datetime | None = None, since: datetime | None = None) -> int:
    """Refresh every slot of ``ward`` that ended since the last refresh (or ``since``; the first
    time: since the ward's first stay) up to ``until`` (now). Returns the slots refreshed."""
    until = until or timezone.now()
    mark = ItemSlotRefresh.objects.filter(ward=ward).first()
    if since is None:
        first = Placement.objects.filter(ward=ward).order_by("starts_at").values_list("starts_at", flat=True).first()
        since = mark.until if mark else first
    if since is None:
        return 0
    slots = _ended_slots(ShiftCalendar.for_ward(ward), since, until)
    for slot, ends_day in slots:
        item_slots_refresh(ward=ward, slot=slot, ends_day=ends_day)
    ItemSlotRefresh.objects.update_or_create(ward=ward, defaults={"until": max(until, mark.until if mark else until)})
    return len(slots)
