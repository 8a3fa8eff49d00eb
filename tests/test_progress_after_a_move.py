"""A patient moved to a newer template version keeps what was already recorded this shift,
today and during the stay: the new checklist continues the old one, matched by item key."""

import pytest

from checklists import selectors, services
from checklists.models import Admission
from checklists.shifts import shift_at, slot_before

from .conftest import tokyo

pytestmark = pytest.mark.django_db


def test_records_made_on_the_old_version_still_count_after_the_move(fall_checklist, nurse, checklist_admin):
    at = tokyo(2026, 11, 21, 10, 0)
    once = fall_checklist.version.items.filter(frequency="once").first()
    every = fall_checklist.version.items.unconditional().filter(frequency="every_shift").first()
    services.item_record(checklist=fall_checklist, item=once, status="done", by=nurse, at=at)
    services.item_record(checklist=fall_checklist, item=every, status="done", by=nurse, at=at)

    draft = services.template_draft_create(template=fall_checklist.template, by=checklist_admin)
    new_version = services.template_publish(version=draft, by=checklist_admin, change_note="文言の見直し")
    services.checklist_move_to_version(checklists=[fall_checklist], version=new_version, by=checklist_admin)

    slot = shift_at(tokyo(2026, 11, 21, 11, 0))
    admission = Admission.objects.for_shift_work().get(pk=fall_checklist.admission_id)
    from checklists.models import CheckRecord

    records = CheckRecord.objects.for_progress(selectors.checklist_ids([admission]), since=slot.duty_date)
    shift = selectors.patient_shifts([admission], records, slot, slot_before(slot))[admission.pk]
    (moved,) = shift.checklists
    assert moved.checklist.version == new_version
    states = {state.item.key: state for state in moved.items}
    assert states[once.key].status == "done"
    assert states[every.key].status == "done"
    assert states[every.key].item.version == new_version
