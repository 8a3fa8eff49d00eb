"""Which shift slot a page shows, from its ``?date=&shift=`` (SlotForm): the one they name,
else the current slot, and the page is told when the query named none."""

from datetime import date, timedelta
from itertools import pairwise

import pytest
from django.http import QueryDict
from django.utils import timezone

from checklists.forms import SlotForm
from checklists.shifts import shift_at, slot_before

pytestmark = pytest.mark.django_db


def test_without_a_query_the_page_shows_the_current_slot_and_the_one_before(content):
    slots = SlotForm()
    assert slots.slot == shift_at()
    assert slots.previous == slot_before(shift_at())
    assert not slots.refused


def test_a_date_and_shift_name_their_slot(content):
    slots = SlotForm(QueryDict("date=2026-11-20&shift=evening"))
    assert (slots.slot.duty_date, slots.slot.shift.code) == (date(2026, 11, 20), "evening")
    assert (slots.previous.duty_date, slots.previous.shift.code) == (date(2026, 11, 20), "day")
    assert not slots.refused


@pytest.mark.parametrize(
    "query",
    [
        "date=2026-11-20&shift=tea-time",  # no such shift
        "date=2026-02-30&shift=day",  # no such day
        "date=9999-12-31&shift=day",  # absurdly far
        "date=0001-01-01&shift=day",
        "date=x&shift=y",
        "date=2026-11-20",  # half a slot
        "shift=day",
    ],
)
def test_a_query_that_names_no_slot_falls_back_to_the_current_one_and_says_so(content, query):
    slots = SlotForm(QueryDict(query))
    assert slots.slot == shift_at()
    assert slots.refused


def test_an_empty_query_is_not_a_refusal(content):
    slots = SlotForm(QueryDict("date=&shift="))
    assert slots.slot == shift_at()
    assert not slots.refused


def test_a_date_within_ten_years_is_accepted(content):
    day = timezone.localdate() - timedelta(days=3650)
    slots = SlotForm(QueryDict(f"date={day.isoformat()}&shift=night"))
    assert slots.slot.duty_date == day


def test_the_recent_slots_are_the_current_one_and_those_before_it(content):
    recent = SlotForm(QueryDict("date=2026-11-20&shift=evening")).recent(4)
    assert len(recent) == 4
    assert recent[0] == shift_at()
    assert all(later.starts > earlier.starts for later, earlier in pairwise(recent))
