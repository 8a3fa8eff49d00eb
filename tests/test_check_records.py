"""Check records are append-only events: recording, reasons, corrections, concurrency."""

import pytest
from django.core.exceptions import ValidationError

from checklists import services
from checklists.models import AuditEvent, ChecklistTemplate, CheckRecord, TemplateItem

from .conftest import tokyo
from .factories import NurseFactory

pytestmark = pytest.mark.django_db


def first_item(checklist) -> TemplateItem:
    return checklist.version.items.order_by("position").first()


def test_one_record_is_stored_with_the_shift_and_duty_date_of_its_moment(fall_checklist, nurse):
    record = services.item_record(
        checklist=fall_checklist,
        item=first_item(fall_checklist),
        status="done",
        by=nurse,
        at=tokyo(2026, 11, 22, 0, 45),
    )
    assert (record.shift.code, record.duty_date.isoformat()) == ("night", "2026-11-22")
    assert record.recorded_by == nurse
    event = AuditEvent.objects.get(action="check_recorded")
    assert (event.actor, event.admission, event.data["status"]) == (nurse, fall_checklist.admission, "done")


@pytest.mark.parametrize("status", ["not_applicable", "not_done"])
def test_not_applicable_and_not_done_need_a_reason(fall_checklist, nurse, status):
    with pytest.raises(ValidationError, match="short reason"):
        services.item_record(checklist=fall_checklist, item=first_item(fall_checklist), status=status, by=nurse)
    assert not CheckRecord.objects.exists()
    assert not AuditEvent.objects.filter(action="check_recorded").exists()


def test_an_unknown_status_is_refused(fall_checklist, nurse):
    with pytest.raises(ValidationError, match="Choose done"):
        services.item_record(checklist=fall_checklist, item=first_item(fall_checklist), status="maybe", by=nurse)


def test_an_overlong_note_is_refused(fall_checklist, nurse):
    with pytest.raises(ValidationError, match="under 500"):
        services.item_record(
            checklist=fall_checklist, item=first_item(fall_checklist), status="done", note="あ" * 501, by=nurse
        )


def test_two_nurses_recording_the_same_item_both_keep_their_record(fall_checklist, nurse):
    other = NurseFactory()
    item = first_item(fall_checklist)
    at = tokyo(2026, 11, 21, 10, 0)
    services.item_record(checklist=fall_checklist, item=item, status="done", by=nurse, at=at)
    services.item_record(checklist=fall_checklist, item=item, status="not_done", note="入浴中", by=other, at=at)
    assert CheckRecord.objects.filter(item=item).count() == 2


def test_a_correction_is_a_new_record_pointing_at_the_old_one(fall_checklist, nurse):
    item = first_item(fall_checklist)
    wrong = services.item_record(
        checklist=fall_checklist, item=item, status="done", by=nurse, at=tokyo(2026, 11, 21, 10, 0)
    )
    fixed = services.record_correct(record=wrong, status="not_done", note="別患者と取り違え", by=nurse)
    wrong.refresh_from_db()
    assert wrong.status == "done"  # the old record is untouched
    assert fixed.corrects == wrong
    assert (fixed.duty_date, fixed.shift) == (wrong.duty_date, wrong.shift)
    assert list(CheckRecord.objects.standing()) == [fixed]
    with pytest.raises(ValidationError, match="already corrected"):
        services.record_correct(record=wrong, status="done", by=nurse)


def test_nothing_can_be_recorded_on_a_discharged_patient(fall_checklist, nurse):
    services.admission_discharge(admission=fall_checklist.admission, by=nurse, at=tokyo(2026, 11, 22, 10, 0))
    with pytest.raises(ValidationError, match="discharged"):
        services.item_record(checklist=fall_checklist, item=first_item(fall_checklist), status="done", by=nurse)


def test_an_item_from_another_version_is_refused(fall_checklist, nurse):
    other_item = ChecklistTemplate.objects.get(code="delirium").versions.get().items.first()
    with pytest.raises(ValidationError, match="does not belong"):
        services.item_record(checklist=fall_checklist, item=other_item, status="done", by=nurse)


def test_a_stopped_checklist_takes_no_records(fall_checklist, nurse):
    services.checklist_stop(checklist=fall_checklist, by=nurse, reason="リスク消失")
    with pytest.raises(ValidationError, match="stopped"):
        services.item_record(checklist=fall_checklist, item=first_item(fall_checklist), status="done", by=nurse)


def test_the_database_refuses_a_not_done_record_without_a_reason(fall_checklist, nurse, content):
    from django.db import IntegrityError, transaction

    from checklists.shifts import shift_at

    slot = shift_at(tokyo(2026, 11, 21, 10, 0))
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckRecord.objects.create(
            checklist=fall_checklist,
            item=first_item(fall_checklist),
            duty_date=slot.duty_date,
            shift=slot.shift,
            status="not_done",
            recorded_by=nurse,
        )
