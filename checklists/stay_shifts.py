"""The shifts of one patient's stay: at any moment, the shifts of the ward the patient lay on
then (the bed history), in that ward's pattern in force then.

A patient moved from a three-shift ward (日勤 / 準夜 / 深夜) to a two-shift ward (日勤 / 夜勤)
keeps the three-shift slots for the time before the move: the history grid, "left by the
previous shift", transcription of a past shift and the patient's printouts read them from the
ward of that time, never from the ward the patient is on now.

``StayCalendar`` answers the questions a ``ShiftCalendar`` answers (``shift_at``,
``slot_before``, ``slot_after``, ``slot_named``, ``shifts_on``, ``codes``), so ``SlotForm`` and
the pages take either. The slot at a moment is the slot of the ward the patient was on at that
moment (as a record made then was filed). A slot the patient joined by a transfer starts, for
this stay, at the transfer: the slot before it is the one running on the earlier ward then.
Before the first placement the stay is on its first ward; after the discharge, on its last.
"""

from bisect import bisect_right
from datetime import date, datetime, timedelta

from django.utils import timezone

from .models import Placement
from .shifts import ShiftCalendar, ShiftSlot, slot_of, ward_calendar

JUST_BEFORE = timedelta(microseconds=1)


class StayCalendar:
    """The shift slots of one stay, following the patient from ward to ward."""

    def __init__(self, placements: list[tuple[datetime, int]], calendars: dict[int, ShiftCalendar]):
        # (starts_at, ward id) in time order, only where the ward changes
        self.placements = [p for i, p in enumerate(placements) if i == 0 or p[1] != placements[i - 1][1]]
        self.calendars = calendars
        self.ward_order = list(dict.fromkeys(ward_id for _at, ward_id in self.placements))

    @classmethod
    def for_placements(cls, placements) -> "StayCalendar":
        """``placements``: the stay's, oldest first (``selectors.stay_placements``). Two queries:
        every pattern's shifts and the assignments of the wards the stay was on."""
        moments = [(placement.starts_at, placement.ward_id) for placement in placements]
        return cls(moments, ShiftCalendar.for_wards({ward_id for _at, ward_id in moments}))

    @classmethod
    def for_admission(cls, admission) -> "StayCalendar":
        """One query: the stay's placements with their wards' rows tokens, under which each
        ward's calendar is kept in the cache (``shifts.ward_calendar``; two queries a ward the
        cache does not have)."""
        rows = list(
            Placement.objects.filter(admission=admission)
            .order_by("starts_at")
            .values_list("starts_at", "ward_id", "ward__change_counter__rows_token")
        )
        if not rows:  # a stay from before the bed history: its ward now
            moments = [(admission.admitted_at, admission.ward_id)]
            return cls(moments, ShiftCalendar.for_wards({admission.ward_id}))
        tokens = {ward_id: token for _at, ward_id, token in rows}
        calendars = {
            ward_id: ward_calendar(ward_id, token.hex) if token else ShiftCalendar.for_ward(ward_id)
            for ward_id, token in tokens.items()
        }
        return cls([(at, ward_id) for at, ward_id, _token in rows], calendars)

    def ward_at(self, moment: datetime) -> int:
        """The ward the patient lay on at ``moment``."""
        index = bisect_right([at for at, _ward in self.placements], moment)
        return self.placements[max(index - 1, 0)][1]

    def calendar_at(self, moment: datetime) -> ShiftCalendar:
        return self.calendars[self.ward_at(moment)]

    def _ward_changes_during(self, starts: datetime, ends: datetime) -> list[datetime]:
        return [at for at, _ward in self.placements[1:] if starts < at < ends]

    def _belongs(self, slot: ShiftSlot) -> bool:
        """Whether the patient was in ``slot`` at some moment: on its ward when it started, or
        moved onto its ward while it ran."""
        moments = [slot.starts, *self._ward_changes_during(slot.starts, slot.ends)]
        return any(self.shift_at(moment) == slot for moment in moments)

    def shift_at(self, moment: datetime | None = None) -> ShiftSlot:
        """The slot the patient was in at ``moment`` (default: now)."""
        moment = moment or timezone.now()
        return self.calendar_at(moment).shift_at(moment)

    def slot_before(self, slot: ShiftSlot) -> ShiftSlot:
        """The slot current just before the patient's part of ``slot`` began: before the move
        that brought the patient into it, or else before it started."""
        for moved_at in reversed(self._ward_changes_during(slot.starts, slot.ends)):
            if self.shift_at(moved_at) == slot and (earlier := self.shift_at(moved_at - JUST_BEFORE)) != slot:
                return earlier
        return self.shift_at(slot.starts - JUST_BEFORE)

    def slot_after(self, slot: ShiftSlot) -> ShiftSlot:
        """The next slot: the one that follows on the slot's ward, unless the patient moved to
        another ward's slot before it began."""
        following = self.calendar_at(slot.starts).slot_after(slot)
        for moved_at in self._ward_changes_during(slot.starts, following.starts):
            if (then := self.shift_at(moved_at)) != slot:
                return then
        return following

    def slot_named(self, code: str, day: date) -> ShiftSlot | None:
        """The slot of shift ``code`` on ``day`` on a ward the patient was on during it (the
        later ward when both ran a shift of that code), or None."""
        found = [
            slot
            for ward_id in self.ward_order
            if (slot := self.calendars[ward_id].slot_named(code, day)) is not None and self._belongs(slot)
        ]
        return found[-1] if found else None

    def shifts_on(self, day: date) -> list:
        """The shifts of duty date ``day`` the patient was in, in order of their start."""
        slots = {
            (slot.starts, shift.pk): shift
            for ward_id in self.ward_order
            for shift in self.calendars[ward_id].shifts_on(day)
            if self._belongs(slot := slot_of(shift, day))
        }
        return [slots[key] for key in sorted(slots)]

    def codes(self) -> list[str]:
        return list(dict.fromkeys(code for ward_id in self.ward_order for code in self.calendars[ward_id].codes()))
