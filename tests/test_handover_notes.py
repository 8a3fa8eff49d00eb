"""The handover page: a nurse's note for the next shift (a new note stands, the earlier ones
are kept), each reason shown once, 申し送り済み by the receiving nurse, a shift that has not
started shown as not started, and the handover of one nurse's patients (to print per nurse)."""

import pytest
from django.urls import reverse

from checklists import services
from checklists.forms import SlotForm
from checklists.models import AuditEvent, HandoverNote

from .factories import NurseFactory

pytestmark = pytest.mark.django_db


def handover(client, ward, **query):
    return client.get(reverse("checklists:ward_handover", args=[ward.pk]), query)


def slot_fields(slot) -> dict:
    return {"date": f"{slot.duty_date:%Y-%m-%d}", "shift": slot.shift.code}


def test_a_note_for_the_next_shift_is_kept_and_the_latest_stands(client, nurse, fall_checklist, frozen_clock):
    admission, ward = fall_checklist.admission, fall_checklist.admission.ward
    slot = SlotForm(ward=ward).slot
    client.force_login(nurse)
    url = reverse("checklists:handover_note", args=[admission.pk])
    client.post(url, {"text": "夜間トイレ歩行あり", **slot_fields(slot)})
    response = client.post(url, {"text": "トイレ歩行は付き添いで", **slot_fields(slot)})
    assert response.status_code == 302 and "#bed-" in response.url
    html = handover(client, ward).content.decode()
    assert "トイレ歩行は付き添いで" in html and "夜間トイレ歩行あり</div>" not in html
    assert HandoverNote.objects.filter(admission=admission).count() == 2
    too_long = client.post(url, {"text": "あ" * 1001, **slot_fields(slot)}, follow=True)
    assert HandoverNote.objects.filter(admission=admission).count() == 2
    assert "1000" in too_long.content.decode()


def test_each_reason_is_shown_once(client, nurse, fall_checklist, frozen_clock):
    item = fall_checklist.version.items.filter(frequency="every_shift").order_by("position").first()
    services.item_record(checklist=fall_checklist, item=item, status="not_done", note="入眠中のため", by=nurse)
    client.force_login(nurse)
    assert handover(client, fall_checklist.admission.ward).content.decode().count("入眠中のため") == 1


def test_the_receiving_nurse_marks_it_handed_over(client, nurse, fall_checklist, frozen_clock):
    admission, ward = fall_checklist.admission, fall_checklist.admission.ward
    slot = SlotForm(ward=ward).slot
    receiver = NurseFactory(username="nurse-r", first_name="花子", last_name="看護")
    ward.staff.add(receiver)
    client.force_login(receiver)
    url = reverse("checklists:handover_acknowledge", args=[admission.pk])
    client.post(url, slot_fields(slot))
    client.post(url, slot_fields(slot))  # a second tap: still one
    assert AuditEvent.objects.filter(action=AuditEvent.Action.HANDOVER_ACKNOWLEDGED).count() == 1
    html = handover(client, ward).content.decode()
    assert "申し送り済み" in html and "看護 花子" in html


def test_a_shift_that_has_not_started_is_shown_as_not_started(client, nurse, fall_checklist, frozen_clock):
    ward = fall_checklist.admission.ward
    client.force_login(nurse)
    response = handover(client, ward, date="2026-11-21", shift="evening")
    html = response.content.decode()
    assert 'data-testid="not-started"' in html
    assert "未開始" in html
    assert 'data-testid="acknowledgement"' not in html  # nothing to take over, nothing looks undone
    later = client.post(
        reverse("checklists:handover_note", args=[fall_checklist.admission.pk]),
        {"text": "先に書く", "date": "2026-11-21", "shift": "evening"},
    )
    assert later.status_code == 302 and not HandoverNote.objects.exists()


def test_the_handover_of_one_nurses_patients(client, nurse, fall_checklist, beds, factors, frozen_clock):
    ward = fall_checklist.admission.ward
    other = services.patient_admit(
        hospital_id="H555",
        name="別 患者",
        birth_date=fall_checklist.admission.patient.birth_date,
        bed=beds[1],
        risk_factors=[],
        by=nurse,
    )
    slot = SlotForm(ward=ward).slot
    services.care_assign(admission=fall_checklist.admission, slot=slot, nurse=nurse, by=nurse)
    client.force_login(nurse)
    html = handover(client, ward, nurse=str(nurse.pk), **slot_fields(slot)).content.decode()
    assert "山田 太郎" in html and other.patient.name not in html
    assert 'data-testid="handover-nurse"' in html
    assert other.patient.name in handover(client, ward).content.decode()


def test_the_shifts_safety_events_are_on_the_handover(client, nurse, fall_checklist, injury_levels, frozen_clock):
    ward = fall_checklist.admission.ward
    services.safety_event_record(
        admission=fall_checklist.admission,
        kind="fall",
        occurred_at=frozen_clock,
        place="toilet",
        description="トイレ前で尻もち",
        witness="nobody",
        injury_level=injury_levels["1"],
        by=nurse,
    )
    client.force_login(nurse)
    html = handover(client, ward).content.decode()
    assert 'data-testid="ward-events"' in html and "トイレ前で尻もち" in html
    # The event belongs to this shift, not to the one before.
    earlier = handover(client, ward, **slot_fields(SlotForm(ward=ward).previous)).content.decode()
    assert "トイレ前で尻もち" not in earlier
