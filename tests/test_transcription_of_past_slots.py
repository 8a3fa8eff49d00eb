"""Typing in a past shift's paper column: the page offers the checklists that ran during that
shift (also one stopped or moved to a newer version since), not the ones running now; and a
column is typed in once — saving it again answers "already transcribed" and changes nothing,
and the database itself refuses the same sheet's item twice for one shift."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from checklists import services
from checklists.models import AuditEvent, ChecklistTemplate, CheckRecord, ShiftDefinition
from checklists.shifts import ShiftCalendar

from .conftest import tokyo
from .test_shift_patterns_with_dates import SWITCH, set_pattern
from .test_version_moves_keep_their_wording import BED_PATH, publish_v2

pytestmark = pytest.mark.django_db

NIGHT = {"date": "2026-11-21", "shift": "night"}  # 深夜 of 11-21, 00:30–09:00


def transcribe_url(admission) -> str:
    return reverse("checklists:admission_transcribe", args=[admission.pk])


def offered(client, admission, slot=NIGHT) -> dict:
    """Template code → the version number each checklist on the page is on."""
    form = client.get(transcribe_url(admission), slot).context["form"]
    return {progress.template.code: progress.checklist.version.number for progress, _rows in form.groups()}


def column(checklist, *items, status="done") -> dict:
    return NIGHT | {f"status_{checklist.pk}_{item.pk}": status for item in items}


@pytest.fixture
def paper_nurse(client, nurse):
    client.force_login(nurse)
    return client


def test_a_past_shift_offers_the_checklists_that_ran_then_not_the_ones_running_now(
    paper_nurse, fall_checklist, nurse, clock
):
    clock.now = tokyo(2026, 11, 21, 9, 30)
    services.checklist_stop(checklist=fall_checklist, by=nurse, reason="転倒リスク低下")
    delirium = ChecklistTemplate.objects.get(code="delirium")
    services.checklist_start(admission=fall_checklist.admission, template=delirium, by=nurse)
    clock.now = tokyo(2026, 11, 21, 10, 0)
    paper_nurse.force_login(nurse)
    assert offered(paper_nurse, fall_checklist.admission) == {"fall": 1}
    assert offered(paper_nurse, fall_checklist.admission, {"date": "2026-11-21", "shift": "day"}) == {
        "fall": 1,
        "delirium": 1,
    }
    item = fall_checklist.version.items.get(key=BED_PATH)
    response = paper_nurse.post(transcribe_url(fall_checklist.admission), column(fall_checklist, item))
    assert response.status_code == 302
    record = CheckRecord.objects.get(source="paper")
    assert (record.checklist, record.duty_date, record.shift.code) == (fall_checklist, date(2026, 11, 21), "night")


def test_a_shift_before_a_move_is_typed_onto_the_version_that_ran_then(
    paper_nurse, fall_checklist, nurse, checklist_admin, clock
):
    v2 = publish_v2(fall_checklist.template, checklist_admin)
    clock.now = tokyo(2026, 11, 21, 10, 0)
    [moved] = services.checklist_move_to_version(checklists=[fall_checklist], version=v2, by=checklist_admin)
    paper_nurse.force_login(nurse)
    assert offered(paper_nurse, fall_checklist.admission) == {"fall": 1}
    assert offered(paper_nurse, fall_checklist.admission, {"date": "2026-11-21", "shift": "day"}) == {"fall": 2}
    item = fall_checklist.version.items.get(key=BED_PATH)
    assert paper_nurse.post(transcribe_url(moved.admission), column(fall_checklist, item)).status_code == 302
    page = paper_nurse.get(transcribe_url(moved.admission), NIGHT).context["form"]
    [(_progress, rows)] = page.groups()
    state = next(state for state, _status, _note in rows if state.item.key == BED_PATH)
    assert state.latest.source == "paper"


def test_saving_a_column_twice_answers_already_transcribed_and_changes_nothing(
    paper_nurse, in_english, fall_checklist, frozen_clock
):
    items = list(fall_checklist.version.items.unconditional().filter(frequency="every_shift"))[:2]
    url = transcribe_url(fall_checklist.admission)
    assert paper_nurse.post(url, column(fall_checklist, *items)).status_code == 302
    records, events = CheckRecord.objects.count(), AuditEvent.objects.count()
    again = paper_nurse.post(url, column(fall_checklist, *items))
    assert again.status_code == 200
    assert "Already transcribed for this shift" in again.content.decode()
    assert (CheckRecord.objects.count(), AuditEvent.objects.count()) == (records, events)
    # One item new, one already typed in: the column is refused whole.
    third = fall_checklist.version.items.unconditional().filter(frequency="every_shift")[2]
    mixed = paper_nurse.post(url, column(fall_checklist, items[0], third))
    assert mixed.status_code == 200 and CheckRecord.objects.count() == records
    assert CheckRecord.objects.filter(source="paper").values_list("paper_sheet", flat=True).distinct().get() == (
        f"A{fall_checklist.admission_id}"
    )


def test_the_service_refuses_the_same_item_twice_for_a_shift(fall_checklist, nurse, frozen_clock):
    night = ShiftDefinition.objects.get(code="night")
    item = fall_checklist.version.items.get(key=BED_PATH)
    arguments = {"checklist": fall_checklist, "item": item, "duty_date": date(2026, 11, 21), "shift": night}
    services.item_transcribe(status="done", by=nurse, **arguments)
    with pytest.raises(ValidationError, match="already transcribed"):
        services.item_transcribe(status="not_done", note="拒否", by=nurse, **arguments)
    assert CheckRecord.objects.count() == 1


def test_the_database_refuses_the_same_sheets_item_twice_for_a_shift(fall_checklist, nurse, frozen_clock):
    night = ShiftDefinition.objects.get(code="night")
    item = fall_checklist.version.items.get(key=BED_PATH)
    fields = {
        "checklist": fall_checklist,
        "item": item,
        "duty_date": date(2026, 11, 21),
        "shift": night,
        "status": "done",
        "source": "paper",
        "paper_sheet": f"A{fall_checklist.admission_id}",
        "recorded_by": nurse,
    }
    CheckRecord.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckRecord.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckRecord.objects.create(**(fields | {"source": "screen", "duty_date": date(2026, 11, 20)}))


def test_a_paper_record_typed_in_before_sheets_were_named_still_counts(fall_checklist, nurse, frozen_clock):
    night = ShiftDefinition.objects.get(code="night")
    item = fall_checklist.version.items.get(key=BED_PATH)
    CheckRecord.objects.create(
        checklist=fall_checklist,
        item=item,
        duty_date=date(2026, 11, 21),
        shift=night,
        status="done",
        source="paper",
        recorded_by=nurse,
    )
    with pytest.raises(ValidationError, match="Already transcribed"):
        services.records_transcribe(
            admission=fall_checklist.admission,
            duty_date=date(2026, 11, 21),
            shift=night,
            entries=[(fall_checklist, item, "done", "")],
            by=nurse,
        )


def test_a_shift_the_ward_did_not_run_that_day_cannot_be_transcribed(fall_checklist, nurse, checklist_admin, clock):
    set_pattern(fall_checklist.admission.ward, "two-shift", SWITCH, checklist_admin)
    clock.now = tokyo(2026, 12, 11, 10, 0)
    evening = ShiftCalendar.for_ward(None).slot_named("evening", SWITCH).shift
    with pytest.raises(ValidationError, match="was not a shift of"):
        services.item_transcribe(
            checklist=fall_checklist,
            item=fall_checklist.version.items.get(key=BED_PATH),
            duty_date=SWITCH,
            shift=evening,
            status="done",
            by=nurse,
        )
    overnight = ShiftCalendar.for_ward(fall_checklist.admission.ward).slot_named("overnight", SWITCH).shift
    record = services.item_transcribe(
        checklist=fall_checklist,
        item=fall_checklist.version.items.get(key=BED_PATH),
        duty_date=SWITCH,
        shift=overnight,
        status="done",
        by=nurse,
    )
    assert record.shift.name_ja == "夜勤"
