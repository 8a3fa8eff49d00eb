"""The same post twice makes one record (issue 13, finding 6: a double tap 30 ms apart, or a
retry after a dropped response, made two). Every rendered record form carries its own token;
the record keeps it under a unique constraint, and a replay gets the first record back.

Sequential replays here (both databases); parallel ones in test_postgres_record_replays.py."""

import re
import uuid

import pytest
from django.urls import reverse

from checklists import services
from checklists.models import AuditEvent, CheckRecord
from checklists.shifts import shift_at

from .factories import NurseFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
TOKEN = re.compile(r'name="token" value="([0-9a-f-]{36})"')
URL_TOKEN = re.compile(r"\?token=([0-9a-f-]{36})")


@pytest.fixture
def item(fall_checklist):
    return fall_checklist.version.items.get(key="call-bell-within-reach")


def record_url(checklist, item):
    return reverse("checklists:item_record", args=[checklist.pk, item.pk])


def records(item):
    return CheckRecord.objects.filter(item=item)


@pytest.mark.parametrize("extra", [{}, HTMX], ids=["plain", "htmx"])
def test_the_same_post_twice_makes_one_record_and_one_audit_row(client, nurse, fall_checklist, item, extra):
    client.force_login(nurse)
    post = {"status": "done", "token": str(uuid.uuid4())}
    first = client.post(record_url(fall_checklist, item), post, **extra)
    again = client.post(record_url(fall_checklist, item), post, **extra)
    assert first.status_code == again.status_code
    assert first.status_code == (200 if extra else 302)
    assert records(item).count() == 1
    assert records(item).get().request_token == uuid.UUID(post["token"])
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CHECK_RECORDED).count() == 1
    if extra:
        assert "alert-danger" not in again.content.decode()  # a replay is a success, not an error


def test_two_forms_with_the_same_status_within_seconds_make_one_record(client, nurse, fall_checklist, item):
    """Two tabs, or a reload and a tap (issue 12): the same status by the same nurse for the same
    item and slot within services.REPEAT_SECONDS is the same record."""
    client.force_login(nurse)
    for _ in range(2):
        client.post(record_url(fall_checklist, item), {"status": "done", "token": str(uuid.uuid4())})
    assert records(item).count() == 1


def test_two_forms_with_different_statuses_make_two_records(client, nurse, fall_checklist, item):
    client.force_login(nurse)
    client.post(record_url(fall_checklist, item), {"status": "not_done", "note": "入眠中", "token": str(uuid.uuid4())})
    client.post(record_url(fall_checklist, item), {"status": "done", "token": str(uuid.uuid4())})
    assert records(item).count() == 2


def test_a_post_without_a_token_still_records_as_before(client, nurse, fall_checklist, item):
    client.force_login(nurse)  # a page rendered before the upgrade
    client.post(record_url(fall_checklist, item), {"status": "done"})
    client.post(record_url(fall_checklist, item), {"status": "not_done", "note": "入眠中"})
    assert list(records(item).values_list("request_token", flat=True)) == [None, None]


def test_a_token_sent_for_another_item_is_refused_with_a_message(in_english, client, nurse, fall_checklist, item):
    other = fall_checklist.version.items.exclude(pk=item.pk).unconditional().first()
    token = str(uuid.uuid4())
    client.force_login(nurse)
    client.post(record_url(fall_checklist, item), {"status": "done", "token": token})
    response = client.post(record_url(fall_checklist, other), {"status": "done", "token": token}, **HTMX)
    assert response.status_code == 200
    assert "This form was already sent" in response.content.decode()
    assert not records(other).exists()


def test_another_nurse_replaying_a_token_records_nothing_in_her_name(client, nurse, fall_checklist, item):
    token = uuid.uuid4()
    services.item_record(checklist=fall_checklist, item=item, status="done", by=nurse, token=token)
    other = NurseFactory()
    fall_checklist.admission.ward.staff.add(other)
    client.force_login(other)
    client.post(record_url(fall_checklist, item), {"status": "done", "token": str(token)})
    assert list(records(item).values_list("recorded_by", flat=True)) == [nurse.pk]


def test_a_correction_posted_twice_makes_one_correction(in_english, client, nurse, fall_checklist, item):
    wrong = services.item_record(checklist=fall_checklist, item=item, status="done", by=nurse)
    client.force_login(nurse)
    post = {"status": "not_done", "note": "取り違え", "token": str(uuid.uuid4())}
    url = reverse("checklists:record_correct", args=[wrong.pk])
    first = client.post(url, post, **HTMX).content.decode()
    again = client.post(url, post, **HTMX).content.decode()
    assert CheckRecord.objects.filter(corrects=wrong).count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CHECK_CORRECTED).count() == 1
    assert "already corrected" not in again and "alert-danger" not in again and "alert-danger" not in first


def test_a_second_correction_form_is_still_refused_as_before(in_english, client, nurse, fall_checklist, item):
    wrong = services.item_record(checklist=fall_checklist, item=item, status="done", by=nurse)
    client.force_login(nurse)
    url = reverse("checklists:record_correct", args=[wrong.pk])
    for _ in range(2):
        response = client.post(url, {"status": "not_done", "note": "x", "token": str(uuid.uuid4())}, **HTMX)
    assert "already corrected" in response.content.decode()
    assert CheckRecord.objects.filter(corrects=wrong).count() == 1


def test_every_record_form_on_the_page_has_its_own_token_and_a_re_rendered_row_gets_new_ones(
    client, nurse, fall_checklist, item
):
    client.force_login(nurse)
    page = client.get(reverse("checklists:admission_detail", args=[fall_checklist.admission.pk])).content.decode()
    # The round page: each row's Done button carries its token in its address (formaction, which
    # the plain post and, by wardsafe.js, htmx use); the dialogs bring their own forms' tokens.
    tokens = URL_TOKEN.findall(page)
    assert len(tokens) >= 5  # the done button of each open row shown
    assert len(set(tokens)) == len(tokens)
    row = client.post(record_url(fall_checklist, item) + f"?token={tokens[0]}", {"status": "done"}, **HTMX)
    assert set(URL_TOKEN.findall(row.content.decode())).isdisjoint(tokens)


def test_transcribed_records_have_no_token(admission, fall_checklist, item, nurse):
    slot = shift_at()
    [record] = services.records_transcribe(
        admission=admission,
        duty_date=slot.duty_date,
        shift=slot.shift,
        entries=[(fall_checklist, item, "done", "")],
        by=nurse,
    )
    assert record.request_token is None
