"""Which shift and which duty date it is at a given moment.

Shifts overlap at handover (日勤 08:30–17:00, 準夜 16:30–01:00, 深夜 00:30–09:00), and
some cross midnight. The rule: the current shift is the one that started most
recently among those running at that moment; the duty date is the calendar date on
which that shift started (準夜 from 16:30 on the 1st until 00:30 on the 2nd belongs to
the 1st). Times are read in the project's local time zone (Asia/Tokyo by default).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ShiftDefinition


class NoShiftsDefined(ValidationError):
    """No active shift definitions: no page can say which shift it is."""


@dataclass(frozen=True)
class ShiftSlot:
    """One occurrence of a shift: 準夜 on 2026-11-21, from 16:30 to 01:00 the next day."""

    shift: ShiftDefinition
    duty_date: date
    starts: datetime
    ends: datetime

    def __str__(self):
        return f"{self.duty_date:%Y-%m-%d} {self.shift.name}"


def _occurrence(shift: ShiftDefinition, day: date, tz) -> ShiftSlot:
    starts = datetime.combine(day, shift.starts_at, tzinfo=tz)
    end_day = day + timedelta(days=1) if shift.crosses_midnight else day
    ends = datetime.combine(end_day, shift.ends_at, tzinfo=tz)
    return ShiftSlot(shift=shift, duty_date=day, starts=starts, ends=ends)


def _active_shifts(shifts):
    shifts = list(shifts if shifts is not None else ShiftDefinition.objects.active())
    if not shifts:
        raise NoShiftsDefined(_("No shifts are defined. A checklist admin must add the ward's shifts first."))
    return shifts


def shift_at(moment: datetime | None = None, *, shifts=None) -> ShiftSlot:
    """The shift slot running at ``moment`` (default: now).

    If the shifts leave a gap and none is running, the one that started most
    recently is returned, so every moment belongs to exactly one slot.
    """
    tz = timezone.get_current_timezone()
    moment = timezone.localtime(moment or timezone.now(), tz)
    started = [
        slot
        for shift in _active_shifts(shifts)
        for day in (moment.date() - timedelta(days=1), moment.date())
        if (slot := _occurrence(shift, day, tz)).starts <= moment
    ]
    running = [slot for slot in started if moment < slot.ends]
    return max(running or started, key=lambda slot: slot.starts)


def slot_before(slot: ShiftSlot, *, shifts=None) -> ShiftSlot:
    """The slot that was current just before ``slot`` began (the previous shift)."""
    return shift_at(slot.starts - timedelta(microseconds=1), shifts=shifts)


def slot_after(slot: ShiftSlot, *, shifts=None) -> ShiftSlot:
    """The slot that becomes current after ``slot`` (the next shift): the next one to start,
    since the current shift is always the one that started most recently."""
    tz = timezone.get_current_timezone()
    later = [
        occurrence
        for shift in _active_shifts(shifts)
        for day in (slot.duty_date, slot.duty_date + timedelta(days=1))
        if (occurrence := _occurrence(shift, day, tz)).starts > slot.starts
    ]
    return min(later, key=lambda occurrence: occurrence.starts)


def slot_of(shift: ShiftDefinition, duty_date: date) -> ShiftSlot:
    return _occurrence(shift, duty_date, timezone.get_current_timezone())
