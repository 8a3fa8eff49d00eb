"""A patient moved from a three-shift ward (東4: 日勤 / 準夜 / 深夜) to a two-shift ward (西2:
日勤 / 夜勤) keeps the three-shift slots for the time before the move: the history grid, "left by
the previous shift", transcription of a past shift and the patient's slots read the pattern of
the ward the patient lay on then, never the pattern of the ward the patient is on now."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from checklists import services
from checklists.models import ChecklistTemplate, CheckRecord, ShiftDefinition
from checklists.stay_shifts import StayCalendar

from .conftest import tokyo
from .factories import ADULT_BIRTH_DATE, BedFactory, WardFactory
from .test_shift_patterns_with_dates import set_pattern

pytestmark = pytest.mark.django_db

MOVED_AT = tokyo(2026, 12, 3, 10, 0)  # during both wards’ 日勤 of 12-03


def named(slot) -> tuple:
    """(pattern, shift code, duty date) of a slot."""
    return (slot.shift.version.pattern.code, slot.shift.code, slot.duty_date)


@pytest.fixture
def two_shift_ward(clock, content, checklist_admin, nurse):
    ward = WardFactory(code="west-2", name="西2病棟")
    BedFactory(ward=ward, code="201", position=1)
    set_pattern(ward, "two-shift", date(2026, 12, 2), checklist_admin)
    ward.staff.add(nurse)
    return ward


@pytest.fixture
def moved(clock, content, beds, nurse, factors, two_shift_ward):
    """Admitted to 東4 on 12-02 10:00 with the fall checklist; a record in each three-shift slot
    until the move to 西2 at 12-03 10:00, then one in each two-shift slot."""
    clock.now = tokyo(2026, 12, 2, 10, 0)
    admission = services.patient_admit(
        hospital_id="H700",
        name="佐藤 花子",
        birth_date=ADULT_BIRTH_DATE,
        bed=beds[0],
        risk_factors=[factors["unsteady_gait"]],
        by=nurse,
    )
    checklist = services.checklist_start(
        admission=admission, template=ChecklistTemplate.objects.get(code="fall"), by=nurse
    )
    item = checklist.version.items.unconditional().filter(frequency="every_shift").order_by("position")[0]
    for moment in (tokyo(2026, 12, 2, 12), tokyo(2026, 12, 2, 20), tokyo(2026, 12, 3, 3), tokyo(2026, 12, 3, 9, 30)):
        clock.now = moment
        services.item_record(checklist=checklist, item=item, status="done", by=nurse, at=moment)
    clock.now = MOVED_AT
    services.admission_transfer(admission=admission, bed=two_shift_ward.beds.get(), by=nurse, at=MOVED_AT)
    for moment in (tokyo(2026, 12, 3, 12), tokyo(2026, 12, 3, 20)):
        clock.now = moment
        services.item_record(checklist=checklist, item=item, status="done", by=nurse, at=moment)
    return checklist, item


def test_each_record_was_filed_in_the_slot_of_the_ward_the_patient_was_on(moved):
    checklist, _item = moved
    filed = [(r.shift.version.pattern.code, r.shift.code, r.duty_date) for r in checklist.records.order_by("pk")]
    assert filed == [
        ("three-shift", "day", date(2026, 12, 2)),
        ("three-shift", "evening", date(2026, 12, 2)),
        ("three-shift", "night", date(2026, 12, 3)),
        ("three-shift", "day", date(2026, 12, 3)),
        ("two-shift", "day", date(2026, 12, 3)),
        ("two-shift", "overnight", date(2026, 12, 3)),
    ]


def test_the_history_grid_shows_the_old_wards_shifts_before_the_move(client, nurse, moved, clock):
    checklist, item = moved
    clock.now = tokyo(2026, 12, 4, 10, 0)
    client.force_login(nurse)
    context = client.get(reverse("checklists:admission_history", args=[checklist.admission.pk])).context
    [block] = context["blocks"]
    columns = [named(column.slot) for column in block.columns]
    assert columns[:7] == [
        ("two-shift", "day", date(2026, 12, 4)),
        ("two-shift", "overnight", date(2026, 12, 3)),
        ("two-shift", "day", date(2026, 12, 3)),
        ("three-shift", "day", date(2026, 12, 3)),  # until the move at 10:00
        ("three-shift", "night", date(2026, 12, 3)),
        ("three-shift", "evening", date(2026, 12, 2)),
        ("three-shift", "day", date(2026, 12, 2)),
    ]
    [row] = [row for row in block.rows if row.item.key == item.key]
    statuses = [cell.record and cell.record.status for cell in row.cells][:7]
    assert statuses == [None, "done", "done", "done", "done", "done", "done"]  # every record in its column


def test_left_by_the_previous_shift_is_the_old_wards_shift_just_after_the_move(client, nurse, moved, clock):
    checklist, item = moved
    clock.now = tokyo(2026, 12, 3, 10, 30)
    client.force_login(nurse)
    context = client.get(reverse("checklists:admission_detail", args=[checklist.admission.pk])).context
    assert named(context["slot"]) == ("two-shift", "day", date(2026, 12, 3))
    calendar = StayCalendar.for_admission(checklist.admission)
    assert named(calendar.slot_before(context["slot"])) == ("three-shift", "day", date(2026, 12, 3))
    left = [state.item.pk for state in context["shift"].left_by_previous_shift]
    assert left, "the other every-shift items were left open on 東4"
    assert item.pk not in left  # done on 東4 at 09:30, in its 日勤


def test_slots_walk_back_across_the_move_and_forward_again(moved):
    checklist, _item = moved
    calendar = StayCalendar.for_admission(checklist.admission)
    slot = calendar.shift_at(tokyo(2026, 12, 3, 20, 0))
    walked = [named(slot)]
    for _ in range(5):
        slot = calendar.slot_before(slot)
        walked.append(named(slot))
    assert walked == [
        ("two-shift", "overnight", date(2026, 12, 3)),
        ("two-shift", "day", date(2026, 12, 3)),
        ("three-shift", "day", date(2026, 12, 3)),
        ("three-shift", "night", date(2026, 12, 3)),
        ("three-shift", "evening", date(2026, 12, 2)),
        ("three-shift", "day", date(2026, 12, 2)),
    ]
    forward = calendar.slot_after(calendar.shift_at(tokyo(2026, 12, 3, 3, 0)))
    assert named(forward) == ("three-shift", "day", date(2026, 12, 3))
    assert named(calendar.slot_after(forward)) == ("two-shift", "day", date(2026, 12, 3))
    assert named(calendar.slot_named("evening", date(2026, 12, 2))) == ("three-shift", "evening", date(2026, 12, 2))
    assert calendar.slot_named("overnight", date(2026, 12, 2)) is None  # on 東4 then: no 夜勤
    assert calendar.slot_named("evening", date(2026, 12, 3)) is None  # on 西2 by then: no 準夜
    assert [s.code for s in calendar.shifts_on(date(2026, 12, 2))] == ["night", "day", "evening"]
    assert [(s.version.pattern.code, s.code) for s in calendar.shifts_on(date(2026, 12, 3))] == [
        ("three-shift", "night"),
        ("three-shift", "day"),
        ("two-shift", "day"),
        ("two-shift", "overnight"),
    ]


def test_a_past_three_shift_slot_can_be_transcribed_after_the_move(client, nurse, moved, clock):
    checklist, item = moved
    clock.now = tokyo(2026, 12, 4, 10, 0)
    client.force_login(nurse)
    page = client.get(
        reverse("checklists:admission_transcribe", args=[checklist.admission.pk]),
        {"date": "2026-12-02", "shift": "evening"},
    )
    assert named(page.context["slot"]) == ("three-shift", "evening", date(2026, 12, 2))
    other = checklist.version.items.filter(frequency="every_shift").exclude(pk=item.pk).order_by("position")[0]
    evening = ShiftDefinition.objects.get(code="evening", version__pattern__code="three-shift")
    record = services.item_transcribe(
        checklist=checklist, item=other, duty_date=date(2026, 12, 2), shift=evening, status="done", by=nurse
    )
    assert (record.shift, record.duty_date, record.source) == (evening, date(2026, 12, 2), CheckRecord.Source.PAPER)
    overnight = ShiftDefinition.objects.get(code="overnight", version__pattern__code="two-shift")
    with pytest.raises(ValidationError):  # the patient was on 東4 then: 西2's 夜勤 is not a slot of the stay
        services.item_transcribe(
            checklist=checklist, item=other, duty_date=date(2026, 12, 2), shift=overnight, status="done", by=nurse
        )
