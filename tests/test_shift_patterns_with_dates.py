"""Which shift it is on a ward that changes its shifts from a duty date: a ward switching from
three shifts (日勤 / 準夜 / 深夜) to two (日勤 / 夜勤) from 2026-12-10 keeps three shifts on every
slot of 12-09, runs two from 12-10, and the previous and next shift are right on both sides of
the change; a change of a pattern's times from a date leaves the slots before it alone; a ward
without a pattern of its own and the other wards are not touched."""

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from checklists import services
from checklists.models import ShiftPattern
from checklists.shifts import ShiftCalendar, shift_at, slot_after, slot_before

from .conftest import tokyo
from .factories import WardFactory

pytestmark = pytest.mark.django_db

SWITCH = date(2026, 12, 10)
DAY_BEFORE = date(2026, 12, 9)


def pattern(code: str) -> ShiftPattern:
    return ShiftPattern.objects.get(code=code)


def set_pattern(ward, code: str, day: date, admin) -> None:
    services.ward_shift_pattern_set(ward=ward, pattern=pattern(code), effective_from=day, by=admin)


def earlier_day_shift(admin, day: date):
    """The three-shift 日勤 from 08:00 to 16:45, from ``day`` on; the other shifts as they were."""
    three = pattern("three-shift")
    shifts = [
        services.ShiftSpec(code=s.code, name_ja=s.name_ja, starts_at=s.starts_at, ends_at=s.ends_at)
        for s in three.versions.order_by("number").last().shifts.all()
    ]
    shifts[0] = services.ShiftSpec(code="day", name_ja="日勤", starts_at=time(8, 0), ends_at=time(16, 45))
    return services.shift_pattern_change(pattern=three, effective_from=day, shifts=shifts, by=admin)


@pytest.fixture
def switching_ward(clock, content, ward, checklist_admin):
    """東4病棟 runs three shifts until 12-09 and two from 12-10 (set on 12-01)."""
    set_pattern(ward, "two-shift", SWITCH, checklist_admin)
    return ward


def named(slot) -> tuple:
    return (slot.shift.code, slot.duty_date)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # 12-09: three shifts, as before
        (tokyo(2026, 12, 9, 0, 29), ("evening", date(2026, 12, 8))),
        (tokyo(2026, 12, 9, 0, 30), ("night", DAY_BEFORE)),
        (tokyo(2026, 12, 9, 8, 29), ("night", DAY_BEFORE)),
        (tokyo(2026, 12, 9, 8, 30), ("day", DAY_BEFORE)),
        (tokyo(2026, 12, 9, 16, 29), ("day", DAY_BEFORE)),
        (tokyo(2026, 12, 9, 16, 30), ("evening", DAY_BEFORE)),
        (tokyo(2026, 12, 9, 23, 59, 59), ("evening", DAY_BEFORE)),
        # the night between: 12-10 has no 深夜, so the 準夜 of 12-09 is the last shift to start
        (tokyo(2026, 12, 10, 0, 0), ("evening", DAY_BEFORE)),
        (tokyo(2026, 12, 10, 0, 30), ("evening", DAY_BEFORE)),
        (tokyo(2026, 12, 10, 5, 0), ("evening", DAY_BEFORE)),
        (tokyo(2026, 12, 10, 8, 29), ("evening", DAY_BEFORE)),
        # 12-10: two shifts, 日勤 08:30–17:00 and 夜勤 16:30–09:00
        (tokyo(2026, 12, 10, 8, 30), ("day", SWITCH)),
        (tokyo(2026, 12, 10, 16, 29), ("day", SWITCH)),
        (tokyo(2026, 12, 10, 16, 30), ("overnight", SWITCH)),
        (tokyo(2026, 12, 10, 23, 59, 59), ("overnight", SWITCH)),
        (tokyo(2026, 12, 11, 0, 30), ("overnight", SWITCH)),
        (tokyo(2026, 12, 11, 8, 29), ("overnight", SWITCH)),
        (tokyo(2026, 12, 11, 8, 30), ("day", date(2026, 12, 11))),
        (tokyo(2026, 12, 11, 8, 59), ("day", date(2026, 12, 11))),
    ],
)
def test_the_shift_of_a_moment_comes_from_the_pattern_in_force_on_its_duty_date(switching_ward, moment, expected):
    assert named(shift_at(moment, ward=switching_ward)) == expected


def test_another_ward_keeps_its_three_shifts(switching_ward):
    other = WardFactory(code="west-2")
    assert named(shift_at(tokyo(2026, 12, 10, 3, 0), ward=other)) == ("night", SWITCH)
    assert named(shift_at(tokyo(2026, 12, 10, 20, 0), ward=other)) == ("evening", SWITCH)


@pytest.mark.parametrize(
    ("slot", "previous", "following"),
    [
        (("night", DAY_BEFORE), ("evening", date(2026, 12, 8)), ("day", DAY_BEFORE)),
        (("day", DAY_BEFORE), ("night", DAY_BEFORE), ("evening", DAY_BEFORE)),
        (("evening", DAY_BEFORE), ("day", DAY_BEFORE), ("day", SWITCH)),
        (("day", SWITCH), ("evening", DAY_BEFORE), ("overnight", SWITCH)),
        (("overnight", SWITCH), ("day", SWITCH), ("day", date(2026, 12, 11))),
    ],
)
def test_the_previous_and_next_shift_are_right_on_both_sides_of_the_change(switching_ward, slot, previous, following):
    calendar = ShiftCalendar.for_ward(switching_ward)
    current = calendar.slot_named(*slot)
    assert named(slot_before(current, calendar=calendar)) == previous
    assert named(slot_after(current, calendar=calendar)) == following


def test_a_shift_the_ward_no_longer_runs_names_no_slot_after_the_change(switching_ward):
    calendar = ShiftCalendar.for_ward(switching_ward)
    assert calendar.slot_named("evening", DAY_BEFORE) is not None
    assert calendar.slot_named("evening", SWITCH) is None
    assert calendar.slot_named("overnight", DAY_BEFORE) is None
    overnight = calendar.slot_named("overnight", SWITCH)
    assert (overnight.starts, overnight.ends) == (tokyo(2026, 12, 10, 16, 30), tokyo(2026, 12, 11, 9, 0))


def test_from_two_shifts_back_to_three_the_first_deep_night_cuts_the_last_overnight_short(
    content, ward, checklist_admin, clock
):
    set_pattern(ward, "two-shift", date(2026, 12, 5), checklist_admin)
    set_pattern(ward, "three-shift", SWITCH, checklist_admin)
    assert named(shift_at(tokyo(2026, 12, 10, 0, 29), ward=ward)) == ("overnight", DAY_BEFORE)
    night = shift_at(tokyo(2026, 12, 10, 0, 30), ward=ward)
    assert named(night) == ("night", SWITCH)
    assert named(slot_before(night, ward=ward)) == ("overnight", DAY_BEFORE)
    assert named(shift_at(tokyo(2026, 12, 4, 20, 0), ward=ward)) == ("evening", date(2026, 12, 4))


def test_before_its_first_pattern_a_ward_ran_the_first_pattern(switching_ward):
    """Setting two shifts from 12-10 says nothing about the days before: they stay three-shift."""
    assert named(shift_at(tokyo(2026, 11, 1, 3, 0), ward=switching_ward)) == ("night", date(2026, 11, 1))


def test_a_change_of_times_moves_only_the_slots_from_its_date(content, ward, checklist_admin, clock):
    earlier_day_shift(checklist_admin, SWITCH)
    calendar = ShiftCalendar.for_ward(ward)
    before, after = calendar.slot_named("day", DAY_BEFORE), calendar.slot_named("day", SWITCH)
    assert (before.starts, before.ends) == (tokyo(2026, 12, 9, 8, 30), tokyo(2026, 12, 9, 17, 0))
    assert (after.starts, after.ends) == (tokyo(2026, 12, 10, 8, 0), tokyo(2026, 12, 10, 16, 45))
    assert named(shift_at(tokyo(2026, 12, 9, 8, 15), ward=ward)) == ("night", DAY_BEFORE)
    assert named(shift_at(tokyo(2026, 12, 10, 8, 15), ward=ward)) == ("day", SWITCH)
    assert before.shift != after.shift  # each record names the shift, with the times, it was made in


def test_a_two_shift_ward_is_not_moved_by_a_change_of_the_three_shift_pattern(switching_ward, checklist_admin):
    earlier_day_shift(checklist_admin, date(2026, 12, 12))
    assert named(shift_at(tokyo(2026, 12, 12, 8, 15), ward=switching_ward)) == ("overnight", date(2026, 12, 11))


def test_of_two_versions_from_the_same_date_the_later_one_is_in_force(content, ward, checklist_admin, clock):
    earlier_day_shift(checklist_admin, SWITCH)
    three = pattern("three-shift")
    shifts = [
        services.ShiftSpec(code="day", name_ja="日勤", starts_at=time(9, 0), ends_at=time(17, 30)),
        services.ShiftSpec(code="night", name_ja="夜勤", starts_at=time(17, 0), ends_at=time(9, 30)),
    ]
    services.shift_pattern_change(pattern=three, effective_from=SWITCH, shifts=shifts, by=checklist_admin)
    codes = [shift.code for shift in ShiftCalendar.for_ward(ward).shifts_on(SWITCH)]
    assert codes == ["day", "night"]


def test_a_calendar_reads_the_shifts_once_whatever_it_is_asked(switching_ward):
    with CaptureQueriesContext(connection) as queries:
        calendar = ShiftCalendar.for_ward(switching_ward)
        slot = calendar.shift_at(tokyo(2026, 12, 11, 3, 0))
        for _ in range(20):
            slot = calendar.slot_before(slot)
    assert named(slot) == ("evening", date(2026, 12, 3))  # 2 slots back to 12-09, then 3 a day
    assert len(queries) == 2  # every pattern's shifts; the ward's assignments
