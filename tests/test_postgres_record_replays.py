"""Parallel replays on PostgreSQL: the same tick and the same correction posted by eight
threads at once (each its own connection and test client, released together at a barrier)
make one record; every request answers as a success. The record service checks the token
after taking the checklist's row lock, so the posts that waited for the lock see the first
one's record; the unique constraint on the token stands behind it."""

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from checklists import services
from checklists.models import AuditEvent, CheckRecord

from .factories import NurseFactory
from .test_postgres_concurrency import THREADS, at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL's row locks; runs in make test's PostgreSQL pass",
    ),
]
HTMX = {"HTTP_HX_REQUEST": "true"}


def posting(user, url, data):
    """A logged-in client that posts ``data`` to ``url`` when called (in its thread)."""
    client = Client()
    client.force_login(user)
    return lambda: client.post(url, data, **HTMX)


def test_eight_posts_of_one_tick_at_once_make_one_record(nurse, fall_checklist):
    item = fall_checklist.version.items.get(key="call-bell-within-reach")
    url = reverse("checklists:item_record", args=[fall_checklist.pk, item.pk])
    data = {"status": "done", "token": str(uuid.uuid4())}

    responses = at_once(*(posting(nurse, url, data) for _ in range(THREADS)))

    assert [getattr(response, "status_code", response) for response in responses] == [200] * THREADS
    assert not any("alert-danger" in response.content.decode() for response in responses)
    assert CheckRecord.objects.filter(item=item).count() == 1
    assert AuditEvent.objects.filter(action="check_recorded").count() == 1


def test_eight_posts_of_one_correction_at_once_make_one_correction(nurse, fall_checklist):
    item = fall_checklist.version.items.get(key="call-bell-within-reach")
    wrong = services.item_record(checklist=fall_checklist, item=item, status="done", by=nurse)
    url = reverse("checklists:record_correct", args=[wrong.pk])
    data = {"status": "not_done", "note": "取り違え", "token": str(uuid.uuid4())}

    responses = at_once(*(posting(nurse, url, data) for _ in range(THREADS)))

    assert [getattr(response, "status_code", response) for response in responses] == [200] * THREADS
    assert not any("alert-danger" in response.content.decode() for response in responses)
    assert CheckRecord.objects.filter(corrects=wrong).count() == 1
    assert AuditEvent.objects.filter(action="check_corrected").count() == 1


def test_eight_posts_with_their_own_tokens_at_once_are_one_repeated_record(nurse, fall_checklist):
    """Eight tabs tapping the same item at once (issue 12): the same status by the same nurse
    within seconds is one record; the checklist's lock makes the others see it."""
    item = fall_checklist.version.items.get(key="call-bell-within-reach")
    url = reverse("checklists:item_record", args=[fall_checklist.pk, item.pk])

    responses = at_once(*(posting(nurse, url, {"status": "done", "token": str(uuid.uuid4())}) for _ in range(THREADS)))

    assert [getattr(response, "status_code", response) for response in responses] == [200] * THREADS
    assert CheckRecord.objects.filter(item=item).count() == 1


def test_eight_nurses_at_once_make_eight_records(fall_checklist, ward):
    item = fall_checklist.version.items.get(key="call-bell-within-reach")
    url = reverse("checklists:item_record", args=[fall_checklist.pk, item.pk])
    nurses = [NurseFactory() for _ in range(THREADS)]
    ward.staff.add(*nurses)

    at_once(*(posting(one, url, {"status": "done", "token": str(uuid.uuid4())}) for one in nurses))

    assert CheckRecord.objects.filter(item=item).count() == THREADS
