"""A database that is busy or unreachable: the nurse gets a 503 "busy, try again; use the paper
sheet if it persists" in her language, never a bare 500, and nothing of the request is half
written (the service's transaction rolled back). htmx answers carry the header wardsafe.js reads."""

import time

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from django.urls import reverse

from checklists.middleware import IdleSessionMiddleware
from checklists.models import AuditEvent, CheckRecord

pytestmark = pytest.mark.django_db


def failing(sql_start: str, error: Exception):
    """An execute wrapper: the first statement starting with ``sql_start`` fails with ``error``."""

    def wrapper(execute, sql, params, many, context):
        if sql.startswith(sql_start):
            raise error
        return execute(sql, params, many, context)

    return wrapper


def tick_url(checklist) -> str:
    return reverse("checklists:item_record", args=[checklist.pk, checklist.version.items.first().pk])


def tick(client, checklist, htmx=True, url=None):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url or tick_url(checklist), {"status": "done"}, headers=headers)


def test_a_tick_that_meets_a_locked_database_answers_503_and_writes_nothing(client, nurse, fall_checklist):
    client.force_login(nurse)
    records, events = CheckRecord.objects.count(), AuditEvent.objects.count()
    # The record is inserted, then the audit row meets the lock: the whole tick must roll back.
    with connection.execute_wrapper(
        failing('INSERT INTO "checklists_auditevent"', OperationalError("database is locked"))
    ):
        response = tick(client, fall_checklist)
    assert response.status_code == 503
    assert response["X-WardSafe-Error"] == "busy"
    assert response["Retry-After"]
    page = response.content.decode()
    assert "混み合って" in page and "紙" in page and "保存されていません" in page
    assert (CheckRecord.objects.count(), AuditEvent.objects.count()) == (records, events)


def test_a_lost_postgresql_connection_also_answers_503(nurse, fall_checklist):
    """The first query of the request (the session, read by middleware) meets it."""
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(nurse)
    url = tick_url(fall_checklist)
    with connection.execute_wrapper(failing("SELECT", InterfaceError("connection already closed"))):
        response = tick(client, fall_checklist, htmx=False, url=url)
    assert response.status_code == 503
    page = response.content.decode()
    assert "The system is busy" in page and "paper sheet" in page


def test_a_database_error_after_the_view_also_answers_503(nurse, fall_checklist, monkeypatch):
    """The session is saved after the view has answered; Django turns its failure into a 400."""
    client = Client(raise_request_exception=False)
    client.force_login(nurse)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + IdleSessionMiddleware.REFRESH_SECONDS + 1)  # session saved
    with connection.execute_wrapper(failing('UPDATE "django_session"', OperationalError("database is locked"))):
        response = client.get(reverse("checklists:admission_detail", args=[fall_checklist.admission.pk]))
    assert response.status_code == 503
    assert "混み合って" in response.content.decode()


def test_other_database_errors_stay_server_errors(nurse, fall_checklist):
    """A constraint or programming error is a bug to report, not a busy database."""
    from django.db import IntegrityError

    client = Client(raise_request_exception=False)
    client.force_login(nurse)
    with connection.execute_wrapper(failing('INSERT INTO "checklists_checkrecord"', IntegrityError("broken"))):
        response = tick(client, fall_checklist)
    assert response.status_code == 500
    assert "X-WardSafe-Error" not in response
    assert "サーバー" in response.content.decode()
