"""On shared ward PCs: a page that polls (the print run's progress, every second) does not keep
the session alive past its idle time, and the browser stores no logged-in page (its back button
shows nothing after logout)."""

import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from checklists import services
from checklists.middleware import IdleSessionMiddleware

from .factories import LeaderFactory

pytestmark = pytest.mark.django_db

POLL = {"HX-Request": "true", "X-WardSafe-Poll": "1"}


@pytest.fixture
def print_run(admission, ward):
    leader = LeaderFactory(username="leader-b")
    ward.staff.add(leader)
    job = services.print_run_request(ward=ward, admissions=[admission], by=leader, language="ja")
    return leader, job


def expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_the_print_run_page_marks_its_progress_poll(client, print_run):
    leader, job = print_run
    client.force_login(leader)
    html = client.get(reverse("checklists:print_job_detail", args=[job.pk])).content.decode()
    poller = re.search(r'<div id="print-job-progress"[^>]*>', html).group()
    assert 'hx-trigger="every 1s"' in poller
    assert """hx-headers='{"X-WardSafe-Poll": "1"}'""" in poller


def test_a_poll_does_not_push_the_idle_expiry_forward_and_a_nurses_request_does(client, print_run, monkeypatch):
    leader, job = print_run
    client.force_login(leader)
    url = reverse("checklists:print_job_detail", args=[job.pk])
    seen, expires = client.session[IdleSessionMiddleware.SEEN_KEY], expiry(client)
    later = time.time() + 2 * IdleSessionMiddleware.REFRESH_SECONDS
    monkeypatch.setattr(time, "time", lambda: later)
    for _ in range(3):
        assert client.get(url, headers=POLL).status_code == 200
    assert client.session[IdleSessionMiddleware.SEEN_KEY] == seen
    assert expiry(client) == expires  # the session was not saved: it ends on time

    client.get(url, headers={"HX-Request": "true"})  # the nurse reloads it herself
    assert client.session[IdleSessionMiddleware.SEEN_KEY] == int(later)
    assert expiry(client) > expires


def test_logged_in_pages_and_fragments_are_not_stored_by_the_browser(client, nurse, fall_checklist):
    client.force_login(nurse)
    page = client.get(reverse("checklists:admission_detail", args=[fall_checklist.admission.pk]))
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    item = fall_checklist.version.items.first()
    fragment = client.post(
        reverse("checklists:item_record", args=[fall_checklist.pk, item.pk]),
        {"status": "done"},
        headers={"HX-Request": "true"},
    )
    assert "no-store" in fragment["Cache-Control"]
