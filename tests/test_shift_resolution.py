"""Which shift and duty date it is, at every boundary of 日勤 08:30–17:00,
準夜 16:30–01:00 and 深夜 00:30–09:00 (overlaps are handover time)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from checklists.models import ShiftDefinition
from checklists.shifts import ShiftCalendar, shift_at, slot_before

from .conftest import tokyo

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("moment", "shift_code", "duty_date"),
    [
        (tokyo(2026, 11, 21, 8, 29), "night", date(2026, 11, 21)),
        (tokyo(2026, 11, 21, 8, 30), "day", date(2026, 11, 21)),
        (tokyo(2026, 11, 21, 9, 0), "day", date(2026, 11, 21)),
        (tokyo(2026, 11, 21, 12, 0), "day", date(2026, 11, 21)),
        (tokyo(2026, 11, 21, 16, 29, 59), "day", date(2026, 11, 21)),
        (tokyo(2026, 11, 21, 16, 30), "evening", date(2026, 11, 21)),
        (tokyo(2026, 11, 21, 17, 0), "evening", date(2026, 11, 21)),
        (tokyo(2026, 11, 21, 23, 59, 59), "evening", date(2026, 11, 21)),
        (tokyo(2026, 11, 22, 0, 0), "evening", date(2026, 11, 21)),
        (tokyo(2026, 11, 22, 0, 29), "evening", date(2026, 11, 21)),
        (tokyo(2026, 11, 22, 0, 30), "night", date(2026, 11, 22)),
        (tokyo(2026, 11, 22, 1, 0), "night", date(2026, 11, 22)),
        (tokyo(2026, 11, 22, 5, 0), "night", date(2026, 11, 22)),
        (tokyo(2026, 11, 22, 8, 30), "day", date(2026, 11, 22)),
    ],
)
def test_the_current_shift_is_the_one_that_started_most_recently(content, moment, shift_code, duty_date):
    slot = shift_at(moment)
    assert (slot.shift.code, slot.duty_date) == (shift_code, duty_date)


def test_a_moment_given_in_utc_is_read_in_ward_time(content):
    # 2026-11-21 15:45 UTC is 00:45 on the 22nd in Tokyo: the night shift of the 22nd.
    slot = shift_at(datetime(2026, 11, 21, 15, 45, tzinfo=ZoneInfo("UTC")))
    assert (slot.shift.code, slot.duty_date) == ("night", date(2026, 11, 22))


def test_an_evening_shift_runs_past_midnight_into_the_next_day(content):
    slot = shift_at(tokyo(2026, 12, 31, 23, 0))
    assert slot.starts == tokyo(2026, 12, 31, 16, 30)
    assert slot.ends == tokyo(2027, 1, 1, 1, 0)
    assert slot.duty_date == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("moment", "previous_code", "previous_date"),
    [
        (tokyo(2026, 11, 21, 10, 0), "night", date(2026, 11, 21)),
        (tokyo(2026, 11, 21, 20, 0), "day", date(2026, 11, 21)),
        (tokyo(2026, 11, 22, 3, 0), "evening", date(2026, 11, 21)),
        (tokyo(2026, 11, 22, 0, 15), "day", date(2026, 11, 21)),
    ],
)
def test_the_previous_shift_is_the_one_current_just_before_this_one_began(
    content, moment, previous_code, previous_date
):
    previous = slot_before(shift_at(moment))
    assert (previous.shift.code, previous.duty_date) == (previous_code, previous_date)


def test_a_gap_between_shifts_belongs_to_the_shift_that_ended_last(db):
    shifts = [
        ShiftDefinition(code="day", name_ja="日勤", starts_at=time(9, 0), ends_at=time(17, 0)),
        ShiftDefinition(code="night", name_ja="夜勤", starts_at=time(21, 0), ends_at=time(9, 0)),
    ]
    slot = shift_at(tokyo(2026, 11, 21, 18, 0), calendar=ShiftCalendar.of(shifts))
    assert (slot.shift.code, slot.duty_date) == ("day", date(2026, 11, 21))


def test_a_two_shift_ward_is_resolved_the_same_way(db):
    shifts = [
        ShiftDefinition(code="day", name_ja="日勤", starts_at=time(8, 30), ends_at=time(17, 0)),
        ShiftDefinition(code="night", name_ja="夜勤", starts_at=time(16, 30), ends_at=time(9, 0)),
    ]
    moment, calendar = tokyo(2026, 11, 22, 8, 45), ShiftCalendar.of(shifts)
    slot = shift_at(moment, calendar=calendar)
    assert (slot.shift.code, slot.duty_date) == ("day", date(2026, 11, 22))
    assert slot_before(slot, calendar=calendar).duty_date == date(2026, 11, 21)
    assert shift_at(moment - timedelta(minutes=20), calendar=calendar).shift.code == "night"


def test_without_shifts_the_question_has_a_clear_answer(db):
    with pytest.raises(ValidationError, match="No shifts are defined"):
        shift_at(tokyo(2026, 11, 21, 9, 0))
