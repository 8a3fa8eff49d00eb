"""A print run the database drops mid-way (PostgreSQL restarting during the scale run) is made
again once the database answers, from the first sheet, not lost and not marked failed; an
outage that outlasts the retries ends the task (the pruner fails the run later, as before)."""

import pytest
from django.db import OperationalError

from checklists import printing, services, tasks
from checklists.models import PrintJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(admission, fall_checklist, nurse):
    return services.print_run_request(ward=admission.ward, admissions=[admission], by=nurse, language="ja")


@pytest.fixture
def waits(monkeypatch):
    waited = []
    # The real wait closes the connection (and with it the test's transaction): count instead.
    monkeypatch.setattr(tasks, "wait_for_database", lambda: waited.append(True))
    return waited


def test_a_run_dropped_by_the_database_is_made_again(job, waits, monkeypatch):
    calls = []

    def flaky(admissions, on_progress):
        calls.append(PrintJob.objects.get(pk=job.pk).status)
        on_progress(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return b"%PDF-1.7 made"

    monkeypatch.setattr(printing, "bedside_pdf", flaky)
    assert tasks.print_run.call(job.pk) == 1
    job.refresh_from_db()
    assert job.status == PrintJob.Status.DONE and bytes(job.pdf) == b"%PDF-1.7 made"
    assert calls == [PrintJob.Status.RUNNING, PrintJob.Status.RUNNING] and len(waits) == 1
    assert job.error == ""


def test_an_outage_longer_than_the_retries_ends_the_task(job, waits, monkeypatch):
    def down(admissions, on_progress):
        raise OperationalError("the database system is starting up")

    monkeypatch.setattr(printing, "bedside_pdf", down)
    with pytest.raises(OperationalError):
        tasks.print_run.call(job.pk)
    assert len(waits) == tasks.RETRIES - 1
    job.refresh_from_db()
    assert job.status == PrintJob.Status.RUNNING  # not "failed" for an outage: the pruner decides later


def test_another_error_still_fails_the_run_at_once(job, waits, monkeypatch):
    def broken(admissions, on_progress):
        raise RuntimeError("printer on fire")

    monkeypatch.setattr(printing, "bedside_pdf", broken)
    with pytest.raises(RuntimeError):
        tasks.print_run.call(job.pk)
    job.refresh_from_db()
    assert job.status == PrintJob.Status.FAILED and waits == []


def test_a_retry_leaves_a_finished_run_as_it_is(job):
    services.print_run_start(job=job, total=1)
    services.print_run_finish(job=job, pdf=b"%PDF")
    assert services.print_run_retry(job=job).status == PrintJob.Status.DONE
