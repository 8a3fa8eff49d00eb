"""Which shift and which duty date it is at a given moment, on a given ward.

Shifts overlap at handover (日勤 08:30–17:00, 準夜 16:30–01:00, 深夜 00:30–09:00), and
some cross midnight. The rule: the current shift is the one that started most
recently among those running at that moment; the duty date is the calendar date on
which that shift started (準夜 from 16:30 on the 1st until 00:30 on the 2nd belongs to
the 1st). If the shifts leave a gap, it belongs to the shift that started last. Times are
read in the project's local time zone (Asia/Tokyo by default).

Which shifts there are depends on the ward and the duty date: the pattern the ward runs on
that date (its assignment in force then), in the pattern's version in force then. A slot is
always made from the shifts of its own duty date, so a change from a date never moves a slot
before it. ``ShiftCalendar`` reads the patterns and the ward's assignments once (two queries)
and answers every question of a request from memory: a page asks for one calendar and its
query count does not depend on how many slots it shows. A ward without an assignment runs
the first pattern ever made (the shipped 三交代), which never changes meaning.
"""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ShiftDefinition, ShiftPattern, WardShiftPattern


class NoShiftsDefined(ValidationError):
    """No shift pattern has shifts: no page can say which shift it is."""


@dataclass(frozen=True)
class ShiftSlot:
    """One occurrence of a shift: 準夜 on 2026-11-21, from 16:30 to 01:00 the next day."""

    shift: ShiftDefinition
    duty_date: date
    starts: datetime
    ends: datetime

    def __str__(self):
        return f"{self.duty_date:%Y-%m-%d} {self.shift.name}"


def slot_of(shift: ShiftDefinition, duty_date: date) -> ShiftSlot:
    """The occurrence of ``shift`` on ``duty_date`` (whether or not the ward runs it then)."""
    tz = timezone.get_current_timezone()
    starts = datetime.combine(duty_date, shift.starts_at, tzinfo=tz)
    end_day = duty_date + timedelta(days=1) if shift.crosses_midnight else duty_date
    return ShiftSlot(
        shift=shift, duty_date=duty_date, starts=starts, ends=datetime.combine(end_day, shift.ends_at, tzinfo=tz)
    )


@dataclass(frozen=True)
class Dated:
    """Something in force from a duty date on: a pattern version's shifts, a ward's pattern.
    ``order`` breaks ties between two from the same date (the later one wins)."""

    effective_from: date
    order: int
    value: object


def in_force(entries: list[Dated], day: date):
    """The value in force on ``day``: the last one effective on or before it. Before the first
    date, the one in force on the first date (a pattern's first version is how it ran before
    anything was dated)."""
    keys = [(entry.effective_from, entry.order) for entry in entries]
    index = bisect_right(keys, (day, float("inf")))
    if index == 0:  # before the first date: what is in force on the first date
        index = bisect_right(keys, (entries[0].effective_from, float("inf")))
    return entries[index - 1].value


def pattern_versions() -> dict[int, list[Dated]]:
    """Every pattern's versions in date order, each Dated(value=[its shifts in order]). One query."""
    shifts = ShiftDefinition.objects.select_related("version__pattern").order_by(
        "version__pattern_id", "version__effective_from", "version__number", "position", "starts_at", "pk"
    )
    grouped: dict[int, dict[int, Dated]] = {}
    for shift in shifts:
        version = shift.version
        dated = grouped.setdefault(version.pattern_id, {}).setdefault(
            version.pk, Dated(version.effective_from, version.number, [])
        )
        dated.value.append(shift)
    return {pattern: list(by_version.values()) for pattern, by_version in grouped.items()}


class ShiftCalendar:
    """The shifts of one ward (or of the wards without a pattern of their own) on any duty date."""

    def __init__(self, versions: dict[int, list[Dated]], assignments: list[Dated], default_pattern: int | None):
        self.versions = versions  # pattern id → its versions, each Dated(value=[shifts in order])
        self.assignments = assignments  # Dated(value=pattern id), in date order
        self.default_pattern = default_pattern
        self._days: dict[date, list[ShiftDefinition]] = {}

    @classmethod
    def for_ward(cls, ward=None) -> "ShiftCalendar":
        """Two queries: every pattern's shifts, and the ward's assignments (none without a ward)."""
        if ward is None:
            versions = pattern_versions()
            return cls(versions, [], min(versions, default=None))
        ward_id = getattr(ward, "pk", ward)  # a ward or its id, as the ORM's filter took either
        return cls.for_wards([ward_id])[ward_id]

    @classmethod
    def for_wards(cls, ward_ids) -> dict[int, "ShiftCalendar"]:
        """Each ward's calendar, by ward id. Two queries, however many wards."""
        versions = pattern_versions()
        assignments: dict[int, list[Dated]] = {ward_id: [] for ward_id in ward_ids}
        rows = WardShiftPattern.objects.filter(ward_id__in=list(assignments)).order_by("effective_from", "pk")
        for row in rows:
            assignments[row.ward_id].append(Dated(row.effective_from, row.pk, row.pattern_id))
        default = min(versions, default=None)
        return {ward_id: cls(versions, dated, default) for ward_id, dated in assignments.items()}

    @classmethod
    def of(cls, shifts) -> "ShiftCalendar":
        """A calendar with the same ``shifts`` on every date (tests, and shifts not yet saved)."""
        return cls({0: [Dated(date.min, 0, list(shifts))]}, [], 0)

    def pattern_id_on(self, day: date) -> int | None:
        """The pattern the ward runs on ``day``; before its first assignment, the first pattern
        (what it ran until an admin chose another one)."""
        if not self.assignments or day < self.assignments[0].effective_from:
            return self.default_pattern
        return in_force(self.assignments, day)

    def shifts_on(self, day: date) -> list[ShiftDefinition]:
        """The ward's shifts of duty date ``day``, in order."""
        if day not in self._days:
            versions = self.versions.get(self.pattern_id_on(day))
            if not versions:
                raise NoShiftsDefined(_("No shifts are defined. A checklist admin must add the ward's shifts first."))
            self._days[day] = in_force(versions, day)
        return self._days[day]

    def pattern_on(self, day: date) -> ShiftPattern | None:
        shifts = self.shifts_on(day)
        return shifts[0].version.pattern if shifts and shifts[0].version_id else None

    def codes(self) -> list[str]:
        """Every shift code the ward's patterns have (for a form's choices)."""
        patterns = list(dict.fromkeys([self.default_pattern, *(a.value for a in self.assignments)]))
        versions = [self.versions.get(pattern, []) for pattern in patterns]
        return list(dict.fromkeys(shift.code for group in versions for dated in group for shift in dated.value))

    def slot_named(self, code: str, day: date) -> ShiftSlot | None:
        """The slot of shift ``code`` on duty date ``day``, or None if the ward did not run it then."""
        shift = next((shift for shift in self.shifts_on(day) if shift.code == code), None)
        return slot_of(shift, day) if shift else None

    def shift_at(self, moment: datetime | None = None) -> ShiftSlot:
        """The slot running at ``moment`` (default: now); in a gap, the one that started last."""
        moment = timezone.localtime(moment or timezone.now(), timezone.get_current_timezone())
        started = [
            slot
            for day in (moment.date() - timedelta(days=1), moment.date())
            for shift in self.shifts_on(day)
            if (slot := slot_of(shift, day)).starts <= moment
        ]
        running = [slot for slot in started if moment < slot.ends]
        return max(running or started, key=lambda slot: slot.starts)

    def slot_before(self, slot: ShiftSlot) -> ShiftSlot:
        """The slot that was current just before ``slot`` began (the previous shift)."""
        return self.shift_at(slot.starts - timedelta(microseconds=1))

    def slot_after(self, slot: ShiftSlot) -> ShiftSlot:
        """The slot that becomes current after ``slot`` (the next shift): the next one to start,
        since the current shift is always the one that started most recently."""
        later = [
            occurrence
            for day in (slot.duty_date, slot.duty_date + timedelta(days=1))
            for shift in self.shifts_on(day)
            if (occurrence := slot_of(shift, day)).starts > slot.starts
        ]
        return min(later, key=lambda occurrence: occurrence.starts)


CALENDAR_KEEP_SECONDS = 12 * 60 * 60


def ward_calendar(ward_id: int, rows_token: str) -> ShiftCalendar:
    """The ward's calendar from Django's cache under the ward's rows token, else read (two
    queries) and kept. Every change of a pattern, its shifts or the ward's assignments renews
    the token (``services.shift_patterns``), so a kept calendar is never older than its key."""
    key = f"ward-calendar:1:{ward_id}:{rows_token}"
    calendar = cache.get(key)
    if calendar is None:
        calendar = ShiftCalendar.for_ward(ward_id)
        cache.set(key, calendar, CALENDAR_KEEP_SECONDS)
    return calendar


def _calendar(ward, calendar) -> ShiftCalendar:
    return calendar if calendar is not None else ShiftCalendar.for_ward(ward)


def shift_at(moment: datetime | None = None, *, ward=None, calendar: ShiftCalendar | None = None) -> ShiftSlot:
    """The slot running on ``ward`` at ``moment`` (default: now). Pass the request's ``calendar``
    when there is one; without ward or calendar, the shifts of wards without a pattern."""
    return _calendar(ward, calendar).shift_at(moment)


def slot_before(slot: ShiftSlot, *, ward=None, calendar: ShiftCalendar | None = None) -> ShiftSlot:
    return _calendar(ward, calendar).slot_before(slot)


def slot_after(slot: ShiftSlot, *, ward=None, calendar: ShiftCalendar | None = None) -> ShiftSlot:
    return _calendar(ward, calendar).slot_after(slot)
