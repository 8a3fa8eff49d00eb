"""A change of shifts from a duty date rewrites nothing before it: after an admin moves the day
shift and switches 深夜 off from tomorrow, last week's history grid and handovers read as they
did; a ward switching from three shifts to two has its handover windows, records and "left by
the previous shift" right on both sides of the change; and every page follows the ward's own
pattern."""

import re
from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from checklists import printing, selectors, services
from checklists.models import Admission, ChecklistTemplate, CheckRecord, ShiftPattern
from checklists.shifts import ShiftCalendar

from .conftest import tokyo
from .factories import ADULT_BIRTH_DATE
from .test_shift_patterns_with_dates import DAY_BEFORE, SWITCH, set_pattern

pytestmark = pytest.mark.django_db


def every_shift_items(checklist) -> list:
    """The every-shift items an adult gets in every shift: no factor rule, not for some shifts only
    (the call bell, from age 6, is one of them)."""
    items = checklist.version.items.filter(frequency="every_shift", factor_rules__isnull=True, due_in="all")
    return list(items.filter(for_adults=True).order_by("position"))


@pytest.fixture
def stay(clock, content, beds, nurse, factors):
    """A patient on the fall checklist since 11-24, with a record in each shift of 11-28 to 11-30."""
    admission = services.patient_admit(
        hospital_id="H500",
        name="中村 明",
        birth_date=ADULT_BIRTH_DATE,
        bed=beds[0],
        risk_factors=[factors["unsteady_gait"]],
        by=nurse,
        at=tokyo(2026, 11, 24, 10, 0),
    )
    checklist = services.checklist_start(
        admission=admission, template=ChecklistTemplate.objects.get(code="fall"), by=nurse, at=admission.admitted_at
    )
    first, second = every_shift_items(checklist)[:2]
    for day in (28, 29, 30):
        for hour, item in ((3, first), (12, second), (20, first)):  # 深夜, 日勤, 準夜
            services.item_record(
                checklist=checklist, item=item, status="done", by=nurse, at=tokyo(2026, 11, day, hour, 0)
            )
    return checklist


def grid(client, admission) -> tuple:
    """The history page as data: the column headings and each row's statuses."""
    context = client.get(reverse("checklists:admission_history", args=[admission.pk])).context
    [block] = context["blocks"]
    columns = [(c.slot.duty_date, c.slot.shift.code, c.slot.starts, c.slot.ends) for c in block.columns]
    rows = [(row.item.key, [cell.record and cell.record.status for cell in row.cells]) for row in block.rows]
    return columns, rows


def handover_page(client, ward, day: date, code: str):
    return client.get(reverse("checklists:ward_handover", args=[ward.pk]), {"date": day.isoformat(), "shift": code})


def handover_text(client, ward, day: date, code: str) -> str:
    """The handover page without its per-request CSRF token."""
    page = handover_page(client, ward, day, code).content.decode()
    return re.sub(r'"X-CSRFToken": "[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def day_from_eight_without_deep_night(admin, day):
    """From ``day``: 日勤 08:00–16:45, 準夜 16:30–01:00, and no 深夜."""
    shifts = [
        services.ShiftSpec(code="day", name_ja="日勤", starts_at=time(8, 0), ends_at=time(16, 45)),
        services.ShiftSpec(code="evening", name_ja="準夜", starts_at=time(16, 30), ends_at=time(1, 0)),
    ]
    three = ShiftPattern.objects.get(code="three-shift")
    services.shift_pattern_change(pattern=three, effective_from=day, shifts=shifts, by=admin)


def test_a_shift_edit_leaves_last_weeks_history_grid_and_handovers_as_they_were(
    client, nurse, stay, checklist_admin, clock
):
    clock.now = tokyo(2026, 12, 1, 1, 0)  # 準夜 of 11-30: the grid reaches back to 11-28
    client.force_login(nurse)
    before = grid(client, stay.admission)
    handover_before = handover_text(client, stay.admission.ward, date(2026, 11, 29), "night")
    assert "中村 明" in handover_before
    day_from_eight_without_deep_night(checklist_admin, date(2026, 12, 2))
    assert grid(client, stay.admission) == before
    assert handover_text(client, stay.admission.ward, date(2026, 11, 29), "night") == handover_before
    assert sum(status == "done" for _key, cells in before[1] for status in cells) == 8

    clock.now = tokyo(2026, 12, 8, 10, 0)  # a week later, last week's slots read the same
    client.force_login(nurse)  # the idle timeout ended the session meanwhile
    calendar = ShiftCalendar.for_ward(stay.admission.ward)
    last_week = [calendar.slot_named(code, date(2026, 11, 29)) for code in ("evening", "day", "night")]
    assert [(s.starts, s.ends) for s in last_week] == [
        (tokyo(2026, 11, 29, 16, 30), tokyo(2026, 11, 30, 1, 0)),
        (tokyo(2026, 11, 29, 8, 30), tokyo(2026, 11, 29, 17, 0)),
        (tokyo(2026, 11, 29, 0, 30), tokyo(2026, 11, 29, 9, 0)),
    ]
    records = CheckRecord.objects.for_history([stay.pk], since=date(2026, 11, 29))
    [block] = selectors.history([stay], last_week, list(records))
    recorded = {row.item.key: [cell.record is not None for cell in row.cells] for row in block.rows}
    first, second = every_shift_items(stay)[:2]
    assert (recorded[first.key], recorded[second.key]) == ([True, False, True], [False, True, False])
    handover = handover_page(client, stay.admission.ward, date(2026, 11, 29), "night")
    assert handover.context["slot"] == last_week[2]


def test_after_the_change_the_grid_shows_the_new_shifts_and_the_old_ones_before_it(
    client, nurse, stay, checklist_admin, clock
):
    day_from_eight_without_deep_night(checklist_admin, date(2026, 12, 2))
    clock.now = tokyo(2026, 12, 2, 10, 0)
    client.force_login(nurse)
    columns, _rows = grid(client, stay.admission)
    assert [(day.day, code) for day, code, _starts, _ends in columns[:5]] == [
        (2, "day"),
        (1, "evening"),
        (1, "day"),
        (1, "night"),
        (30, "evening"),
    ]
    assert columns[0][2:] == (tokyo(2026, 12, 2, 8, 0), tokyo(2026, 12, 2, 16, 45))
    assert columns[2][2:] == (tokyo(2026, 12, 1, 8, 30), tokyo(2026, 12, 1, 17, 0))


@pytest.fixture
def switching_stay(stay, checklist_admin):
    set_pattern(stay.admission.ward, "two-shift", SWITCH, checklist_admin)
    return stay


def test_the_handover_windows_follow_the_pattern_of_each_duty_date(in_english, nurse, switching_stay, clock):
    client = in_english
    clock.now = tokyo(2026, 12, 10, 20, 0)
    client.force_login(nurse)
    ward = switching_stay.admission.ward
    evening = handover_page(client, ward, DAY_BEFORE, "evening")
    assert (evening.context["slot"].starts, evening.context["slot"].ends) == (
        tokyo(2026, 12, 9, 16, 30),
        tokyo(2026, 12, 10, 1, 0),
    )
    assert [shift.code for shift in evening.context["shifts"]] == ["day", "evening", "night"]
    day = handover_page(client, ward, SWITCH, "day")
    assert (day.context["slot"].starts, day.context["slot"].ends) == (
        tokyo(2026, 12, 10, 8, 30),
        tokyo(2026, 12, 10, 17, 0),
    )
    assert [shift.code for shift in day.context["shifts"]] == ["day", "overnight"]
    refused = handover_page(client, ward, SWITCH, "evening")
    assert refused.context["slot"].shift.code == "overnight"  # the current shift instead
    assert "That shift or date does not exist" in str(list(refused.context["messages"]))


def test_records_and_what_the_previous_shift_left_are_right_on_both_sides_of_the_change(
    client, nurse, switching_stay, clock
):
    first, second = every_shift_items(switching_stay)[:2]
    services.item_record(checklist=switching_stay, item=first, status="done", by=nurse, at=tokyo(2026, 12, 9, 20))
    late = services.item_record(
        checklist=switching_stay, item=second, status="done", by=nurse, at=tokyo(2026, 12, 10, 3)
    )
    assert (late.duty_date, late.shift.code) == (DAY_BEFORE, "evening")  # the night between belongs to 準夜
    day = services.item_record(checklist=switching_stay, item=first, status="done", by=nurse, at=tokyo(2026, 12, 10, 9))
    assert (day.duty_date, day.shift.code) == (SWITCH, "day")

    clock.now = tokyo(2026, 12, 10, 10, 0)  # 日勤 of 12-10: the previous shift is the 準夜 of 12-09
    client.force_login(nurse)
    shift = client.get(reverse("checklists:admission_detail", args=[switching_stay.admission_id])).context["shift"]
    left = {state.item.key for state in shift.left_by_previous_shift}
    assert first.key not in left and second.key not in left
    assert left == {state.item.key for state in shift.left_by_previous_shift if state.item.frequency == "every_shift"}
    assert len(left) == len(every_shift_items(switching_stay)) - 2

    clock.now = tokyo(2026, 12, 10, 20, 0)  # 夜勤 of 12-10: the previous shift is 日勤 of 12-10
    client.force_login(nurse)
    page = client.get(reverse("checklists:admission_detail", args=[switching_stay.admission_id]))
    assert page.context["slot"].shift.code == "overnight"
    left = {state.item.key for state in page.context["shift"].left_by_previous_shift}
    assert first.key not in left and second.key in left
    board = client.get(reverse("checklists:ward_board", args=[switching_stay.admission.ward_id])).content.decode()
    assert "夜勤" in board


def test_the_downtime_sheet_prints_the_next_shifts_of_the_new_pattern(switching_stay, clock):
    clock.now = tokyo(2026, 12, 9, 20, 0)
    sheet = printing.downtime_sheet(Admission.objects.for_shift_work().get(pk=switching_stay.admission_id))
    assert [(s.duty_date, s.shift.code) for s in sheet.slots] == [
        (DAY_BEFORE, "evening"),
        (SWITCH, "day"),
        (SWITCH, "overnight"),
    ]
    assert sheet.slots[0].ends - sheet.slots[0].starts == timedelta(hours=8, minutes=30)
