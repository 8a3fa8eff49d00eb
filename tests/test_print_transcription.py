"""Typing paper records back in (紙記録の転記): each record keeps the shift written on the paper,
says who transcribed it and when, is marked as from paper on the patient page and in the
history, and a paper column is saved whole or not at all."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from checklists import services
from checklists.models import AuditEvent, CheckRecord, ShiftDefinition

from .factories import NurseFactory, UserFactory, WardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def night():
    return ShiftDefinition.objects.get(code="night")


@pytest.fixture
def every_shift_items(fall_checklist):
    return list(fall_checklist.version.items.unconditional().filter(frequency="every_shift"))


@pytest.fixture
def transcriber(ward):
    user = NurseFactory(username="nurse-b")
    ward.staff.add(user)
    return user


def transcribe_url(admission, **params):
    url = reverse("checklists:admission_transcribe", args=[admission.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_a_transcribed_record_keeps_the_papers_shift_and_says_who_typed_it(
    fall_checklist, every_shift_items, night, transcriber, frozen_clock
):
    record = services.item_transcribe(
        checklist=fall_checklist,
        item=every_shift_items[0],
        duty_date=date(2026, 11, 21),
        shift=night,
        status="done",
        by=transcriber,
    )
    assert (record.duty_date, record.shift, record.source) == (date(2026, 11, 21), night, CheckRecord.Source.PAPER)
    assert (record.recorded_by, record.recorded_at) == (transcriber, frozen_clock)
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHECK_TRANSCRIBED)
    assert event.actor == transcriber and event.data["shift"] == "night" and event.data["duty_date"] == "2026-11-21"


def test_a_shift_that_has_not_started_cannot_be_transcribed(fall_checklist, every_shift_items, nurse, frozen_clock):
    evening = ShiftDefinition.objects.get(code="evening")
    with pytest.raises(ValidationError, match="has not started yet"):
        services.item_transcribe(
            checklist=fall_checklist,
            item=every_shift_items[0],
            duty_date=date(2026, 11, 21),
            shift=evening,
            status="done",
            by=nurse,
        )


def test_a_shift_before_the_checklist_started_cannot_be_transcribed(
    fall_checklist, every_shift_items, night, nurse, frozen_clock
):
    with pytest.raises(ValidationError, match="was not running"):
        services.item_transcribe(
            checklist=fall_checklist,
            item=every_shift_items[0],
            duty_date=date(2026, 11, 19),
            shift=night,
            status="done",
            by=nurse,
        )


def test_not_done_from_paper_still_needs_its_reason(fall_checklist, every_shift_items, night, nurse, frozen_clock):
    with pytest.raises(ValidationError, match="reason"):
        services.item_transcribe(
            checklist=fall_checklist,
            item=every_shift_items[0],
            duty_date=date(2026, 11, 21),
            shift=night,
            status="not_done",
            by=nurse,
        )
    assert not CheckRecord.objects.exists()


def test_the_page_saves_a_paper_column_and_marks_it_on_the_patient_page_and_history(
    client, fall_checklist, every_shift_items, transcriber, frozen_clock
):
    admission = fall_checklist.admission
    first, second = every_shift_items[:2]
    client.force_login(transcriber)
    page = client.get(transcribe_url(admission, date="2026-11-21", shift="day")).content.decode()
    assert f'data-item="{first.key}"' in page and "2026年11月21日 日勤" in page
    response = client.post(
        transcribe_url(admission),
        {
            "date": "2026-11-21",
            "shift": "day",
            f"status_{fall_checklist.pk}_{first.pk}": "done",
            f"status_{fall_checklist.pk}_{second.pk}": "not_done",
            f"note_{fall_checklist.pk}_{second.pk}": "検査で不在",
        },
    )
    assert response.status_code == 302
    assert response.url == transcribe_url(admission, date="2026-11-21", shift="day")
    records = CheckRecord.objects.order_by("item__position")
    assert [(r.item, r.status, r.source, r.recorded_by) for r in records] == [
        (first, "done", "paper", transcriber),
        (second, "not_done", "paper", transcriber),
    ]
    detail = client.get(reverse("checklists:admission_detail", args=[admission.pk])).content.decode()
    assert detail.count("紙から転記") == 2
    history = client.get(reverse("checklists:admission_history", args=[admission.pk])).content.decode()
    assert history.count("紙から転記") == 2


def test_a_column_with_one_bad_entry_saves_nothing(client, fall_checklist, every_shift_items, nurse, frozen_clock):
    admission = fall_checklist.admission
    first, second = every_shift_items[:2]
    client.force_login(nurse)
    response = client.post(
        transcribe_url(admission),
        {
            "date": "2026-11-21",
            "shift": "night",
            f"status_{fall_checklist.pk}_{first.pk}": "done",
            f"status_{fall_checklist.pk}_{second.pk}": "not_applicable",
        },
    )
    assert response.status_code == 200
    assert second.text_ja in response.content.decode()  # the error names the item
    assert not CheckRecord.objects.exists()


def test_an_empty_column_is_explained(client, in_english, fall_checklist, nurse, frozen_clock):
    client.force_login(nurse)
    response = client.post(transcribe_url(fall_checklist.admission), {"date": "2026-11-21", "shift": "night"})
    assert response.status_code == 200
    assert "Mark at least one item" in response.content.decode()


def test_transcribing_needs_the_recording_permission_and_the_ward(client, fall_checklist):
    visitor = UserFactory(username="no-role")
    fall_checklist.admission.ward.staff.add(visitor)
    client.force_login(visitor)
    assert client.get(transcribe_url(fall_checklist.admission)).status_code == 403
    stranger = NurseFactory(username="nurse-west")
    WardFactory(code="west-2").staff.add(stranger)
    client.force_login(stranger)
    assert client.get(transcribe_url(fall_checklist.admission)).status_code == 404
