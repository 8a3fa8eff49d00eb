"""The patient page as a round (issue 12, points 1, 2 and the stale-post part of 5): a done row
says who and when, quick reasons in one tap, a note that is too long is refused (never cut) with
what was typed kept, "the rest: done" leaves critical items out, a repeat within seconds is the
same record, a post based on a stale view asks instead of recording over a colleague."""

import re
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from checklists import services
from checklists.models import Admission, AuditEvent, CheckRecord, QuickReason
from checklists.names import staff_name

from .factories import NurseFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
CALL_BELL = "call-bell-within-reach"  # every shift, critical


@pytest.fixture
def item(fall_checklist):
    return fall_checklist.version.items.get(key=CALL_BELL)


@pytest.fixture
def colleague(ward):
    user = NurseFactory(username="nurse-b", first_name="京子", last_name="主任")
    ward.staff.add(user)
    return user


@pytest.fixture
def asleep():
    return QuickReason.objects.get(name_ja="入眠中")


def record_url(checklist, item, **query):
    url = reverse("checklists:item_record", args=[checklist.pk, item.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_staff_are_named_family_name_first(nurse):
    nurse.first_name, nurse.last_name = "花子", "看護"
    assert staff_name(nurse) == "看護 花子"
    nurse.first_name = nurse.last_name = ""
    assert staff_name(nurse) == nurse.get_username()


def test_the_shipped_quick_reasons_are_offered_in_order():
    assert [r.name_ja for r in QuickReason.objects.offered()] == ["入眠中", "検査で離床中", "拒否", "医師指示"]
    assert QuickReason.objects.get(name_ja="医師指示").status == "not_applicable"


def test_a_done_row_names_the_time_and_the_nurse_and_offers_a_correction(client, nurse, fall_checklist, item):
    nurse.first_name, nurse.last_name = "花子", "看護"
    nurse.save()
    client.force_login(nurse)
    response = client.post(record_url(fall_checklist, item, token=uuid.uuid4(), seen=0), {"status": "done"}, **HTMX)
    record = CheckRecord.objects.get(item=item)
    html = response.content.decode()
    time = timezone.localtime(record.recorded_at).strftime("%H:%M")
    assert f"実施済 {time} 看護 花子" in html
    assert 'data-action="correct"' in html
    assert 'data-action="done"' not in html  # the next tap is a correction, not another record
    assert record.request_token is not None  # the token in the button's address counted


def test_a_quick_reason_records_its_status_and_words_in_one_tap(client, nurse, fall_checklist, item, asleep):
    client.force_login(nurse)
    client.post(record_url(fall_checklist, item), {"quick": asleep.pk, "seen": 0, "token": uuid.uuid4()}, **HTMX)
    record = CheckRecord.objects.get(item=item)
    assert (record.status, record.note, record.recorded_by) == ("not_done", "入眠中", nurse)


def test_a_quick_reason_keeps_what_was_typed_after_it(client, nurse, fall_checklist, item, asleep):
    client.force_login(nurse)
    client.post(record_url(fall_checklist, item), {"quick": asleep.pk, "note": "22時再訪", "seen": 0}, **HTMX)
    assert CheckRecord.objects.get(item=item).note == "入眠中 — 22時再訪"


def test_a_note_too_long_is_refused_with_the_text_kept_in_the_open_dialog(client, nurse, fall_checklist, item):
    client.force_login(nurse)
    long_note = "あ" * (services.NOTE_MAX_LENGTH + 12)
    response = client.post(record_url(fall_checklist, item), {"status": "not_done", "note": long_note}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#record-dialog"
    assert long_note in html  # not cut
    assert "512" in html and "500" in html  # says how long it is, and the limit
    assert "maxlength" not in html
    assert not CheckRecord.objects.filter(item=item).exists()


def test_a_repeat_within_seconds_is_the_same_record(nurse, fall_checklist, item):
    at = timezone.now()
    first = services.item_record(checklist=fall_checklist, item=item, status="done", by=nurse, at=at)
    again = services.item_record(
        checklist=fall_checklist, item=item, status="done", by=nurse, at=at + timedelta(seconds=3)
    )
    later = services.item_record(
        checklist=fall_checklist,
        item=item,
        status="done",
        by=nurse,
        at=at + timedelta(seconds=services.REPEAT_SECONDS + 1),
    )
    assert again == first
    assert later != first
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CHECK_RECORDED).count() == 2


def test_a_post_over_a_colleagues_newer_record_asks(client, nurse, colleague, fall_checklist, item):
    """The page showed no record (seen=0); a colleague recorded since: nothing is written, and
    the dialog says who and when, offering theirs or mine as a correction."""
    theirs = services.item_record(checklist=fall_checklist, item=item, status="done", by=colleague)
    client.force_login(nurse)
    response = client.post(record_url(fall_checklist, item), {"status": "not_done", "note": "拒否", "seen": 0}, **HTMX)
    html = response.content.decode()
    assert response["HX-Retarget"] == "#record-dialog"
    assert 'data-testid="recorded-meanwhile"' in html
    assert "主任 京子" in html
    assert timezone.localtime(theirs.recorded_at).strftime("%H:%M") in html
    assert list(CheckRecord.objects.filter(item=item)) == [theirs]

    # "Record mine as a correction" posts the same status and note as a correction of theirs.
    token = re.search(r'name="token" value="([0-9a-f-]{36})"', html).group(1)
    client.post(
        reverse("checklists:record_correct", args=[theirs.pk]),
        {"status": "not_done", "note": "拒否", "token": token},
        **HTMX,
    )
    mine = CheckRecord.objects.get(corrects=theirs)
    assert (mine.status, mine.note, mine.recorded_by) == ("not_done", "拒否", nurse)


def test_a_post_that_saw_the_latest_record_is_applied(nurse, colleague, fall_checklist, item):
    theirs = services.item_record(checklist=fall_checklist, item=item, status="not_done", note="入眠中", by=colleague)
    mine = services.item_record(checklist=fall_checklist, item=item, status="done", by=nurse, seen=theirs.pk)
    assert mine != theirs


def test_a_stale_post_without_seen_is_not_checked(nurse, colleague, fall_checklist, item):
    services.item_record(checklist=fall_checklist, item=item, status="done", by=colleague)
    services.item_record(checklist=fall_checklist, item=item, status="not_done", note="x", by=nurse)
    assert CheckRecord.objects.filter(item=item).count() == 2


def test_the_rest_done_lists_no_critical_item_and_records_the_others(client, nurse, admission, fall_checklist):
    client.force_login(nurse)
    url = reverse("checklists:rest_done", args=[admission.pk])
    confirmation = client.get(url, **HTMX).content.decode()
    entries = re.findall(r'name="entry"\s+value="([0-9-]+)"', confirmation)
    critical = {str(i.pk) for i in fall_checklist.version.items.filter(is_critical=True)}
    assert entries
    assert not {entry.split("-")[1] for entry in entries} & critical

    response = client.post(url, {"entry": entries}, **HTMX)
    assert response["HX-Redirect"] == reverse("checklists:admission_detail", args=[admission.pk])
    made = CheckRecord.objects.filter(checklist__admission=admission)
    assert made.count() == len(entries)
    assert set(made.values_list("status", "recorded_by")) == {("done", nurse.pk)}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CHECK_RECORDED).count() == len(entries)


def test_the_rest_done_refuses_a_critical_item(client, nurse, admission, fall_checklist, item):
    client.force_login(nurse)
    response = client.post(
        reverse("checklists:rest_done", args=[admission.pk]), {"entry": f"{fall_checklist.pk}-{item.pk}-0"}, **HTMX
    )
    assert "alert-danger" in response.content.decode()
    assert not CheckRecord.objects.exists()


def test_the_rest_done_leaves_what_a_colleague_recorded_meanwhile(nurse, colleague, admission, fall_checklist):
    items = list(fall_checklist.version.items.unconditional().filter(is_critical=False)[:2])
    theirs = services.item_record(checklist=fall_checklist, item=items[0], status="not_done", note="拒否", by=colleague)
    records, skipped = services.rest_record_done(entries=[(fall_checklist, one, 0) for one in items], by=nurse)
    assert skipped == [items[0]]
    assert [r.item for r in records] == [items[1]]
    assert CheckRecord.objects.filter(item=items[0]).get() == theirs


def test_the_patient_page_is_small_and_puts_due_items_first(client, nurse, admission, fall_checklist, item):
    client.force_login(nurse)
    html = client.get(reverse("checklists:admission_detail", args=[admission.pk])).content.decode()
    assert len(html.encode()) <= 60 * 1024
    assert html.count('id="round"') == 1
    assert "<details" in html or "folded" not in html
    assert 'data-action="rest-done"' in html


@pytest.fixture
def demo(content, settings):
    settings.DEBUG = True  # the demo is for development; pytest-django runs with DEBUG off
    call_command("load_demo", verbosity=0)


def test_every_demo_patient_page_is_at_most_60_kb(demo, client):
    """Issue 14 item 2: 188 KB before for bed 401 (57 items in 7 checklists); the rows carry no
    forms or details of their own now (the record dialog is fetched when opened)."""
    client.force_login(get_user_model().objects.get(username="nurse"))
    sizes = {
        admission.bed.code: len(client.get(reverse("checklists:admission_detail", args=[admission.pk])).content)
        for admission in Admission.objects.filter(discharged_at__isnull=True).select_related("bed")
    }
    assert len(sizes) == 8
    assert max(sizes.values()) <= 60 * 1024, sizes
