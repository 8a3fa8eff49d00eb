"""Print runs do not poll forever, do not keep patients' PDFs forever, and every PDF a user
opens is in the audit trail (issue 13, findings 3 and 12).

A run with no progress for WARDSAFE_PRINT_STALE_MINUTES (its worker was killed, or none runs)
becomes "failed — try again" when its page is polled or `manage.py prune_print_runs` runs; the
page then stops polling. PDFs and finished task results older than WARDSAFE_PRINT_RETENTION_HOURS
are deleted by `prune_print_runs`; the PrintJob row stays and its page says "print again"."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from checklists import services, tasks
from checklists.models import AuditEvent, PrintJob

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
PDF = b"%PDF-1.4\n% stand-in\n%%EOF\n"


@pytest.fixture
def job(admission, nurse):
    return services.print_run_request(ward=admission.ward, admissions=[admission], by=nurse, language="en")


def aged(job, **fields):
    """Move the job's timestamps into the past (the fields are not editable through services)."""
    PrintJob.objects.filter(pk=job.pk).update(**fields)
    return PrintJob.objects.get(pk=job.pk)


def detail(client, job, **extra):
    return client.get(reverse("checklists:print_job_detail", args=[job.pk]), **extra)


def polls(page: str) -> bool:
    return 'hx-trigger="every 1s"' in page


# --- stale runs -------------------------------------------------------------------------------


def test_a_running_job_whose_worker_died_is_failed_when_its_page_polls(in_english, client, nurse, job, settings):
    settings.WARDSAFE_PRINT_STALE_MINUTES = 10
    services.print_run_start(job=job, total=1)
    aged(job, progress_at=timezone.now() - timedelta(minutes=11))
    client.force_login(nurse)
    page = detail(client, job, **HTMX).content.decode()
    job.refresh_from_db()
    assert job.status == PrintJob.Status.FAILED and job.finished_at is not None
    assert "No progress for 10 minutes" in job.error
    assert "Try again" in page and not polls(page)


def test_a_job_that_made_progress_recently_keeps_polling(client, nurse, job):
    services.print_run_start(job=job, total=3)
    aged(job, started_at=timezone.now() - timedelta(minutes=30))
    services.print_run_progress(job=job, done=1)  # a sheet just now: alive
    client.force_login(nurse)
    page = detail(client, job, **HTMX).content.decode()
    assert PrintJob.objects.get(pk=job.pk).status == PrintJob.Status.RUNNING
    assert polls(page)


def test_a_job_no_worker_ever_picked_up_fails_too(client, nurse, job):
    aged(job, requested_at=timezone.now() - timedelta(minutes=15))
    client.force_login(nurse)
    page = detail(client, job).content.decode()
    assert PrintJob.objects.get(pk=job.pk).status == PrintJob.Status.FAILED
    assert not polls(page)


def test_the_management_command_fails_every_stale_job_and_leaves_the_others(admission, nurse, job):
    fresh = services.print_run_request(ward=admission.ward, admissions=[admission], by=nurse, language="ja")
    aged(job, requested_at=timezone.now() - timedelta(hours=1))
    call_command("prune_print_runs", verbosity=0)
    assert PrintJob.objects.get(pk=job.pk).status == PrintJob.Status.FAILED
    assert PrintJob.objects.get(pk=fresh.pk).status == PrintJob.Status.QUEUED


def test_a_finished_or_failed_page_does_not_poll(client, nurse, job):
    services.print_run_start(job=job, total=1)
    services.print_run_finish(job=job, pdf=PDF)
    client.force_login(nurse)
    assert not polls(detail(client, job).content.decode())


# --- pruning ------------------------------------------------------------------------------------


def test_pdfs_and_task_results_older_than_the_retention_are_deleted_and_the_row_stays(admission, nurse, job, settings):
    settings.WARDSAFE_PRINT_RETENTION_HOURS = 24
    services.print_run_start(job=job, total=1)
    services.print_run_finish(job=job, pdf=PDF)
    recent = services.print_run_request(ward=admission.ward, admissions=[admission], by=nurse, language="ja")
    services.print_run_start(job=recent, total=1)
    services.print_run_finish(job=recent, pdf=PDF)
    aged(job, finished_at=timezone.now() - timedelta(hours=25))
    # The task rows (queued on commit, which a test transaction never reaches).
    old_result = DBTaskResult.objects.get(id=tasks.print_run.enqueue(job.pk).id)
    recent_result = DBTaskResult.objects.get(id=tasks.print_run.enqueue(recent.pk).id)
    DBTaskResult.objects.filter(pk=old_result.pk).update(
        status="SUCCESSFUL", finished_at=timezone.now() - timedelta(hours=25)
    )
    assert services.print_runs_prune() == (1, 1)
    job.refresh_from_db()
    assert job.pdf is None and job.expired_at is not None and job.status == PrintJob.Status.DONE
    assert bytes(PrintJob.objects.get(pk=recent.pk).pdf) == PDF
    assert not DBTaskResult.objects.filter(pk=old_result.pk).exists()
    assert DBTaskResult.objects.filter(pk=recent_result.pk).exists()  # not finished: kept
    assert services.print_runs_prune() == (0, 0)


def test_an_expired_run_says_print_again_and_its_download_goes_back_to_the_page(in_english, client, nurse, job):
    services.print_run_start(job=job, total=1)
    services.print_run_finish(job=job, pdf=PDF)
    aged(job, finished_at=timezone.now() - timedelta(days=2))
    call_command("prune_print_runs", verbosity=0)
    client.force_login(nurse)
    page = detail(client, job).content.decode()
    assert "This PDF has expired" in page and "Print again" in page
    download = client.get(reverse("checklists:print_job_download", args=[job.pk]))
    assert download.status_code == 302 and download.url == reverse("checklists:print_job_detail", args=[job.pk])


def test_a_pdf_past_the_retention_is_not_served_even_before_the_prune_runs(client, nurse, job):
    services.print_run_start(job=job, total=1)
    services.print_run_finish(job=job, pdf=PDF)
    aged(job, finished_at=timezone.now() - timedelta(days=2))
    client.force_login(nurse)
    assert client.get(reverse("checklists:print_job_download", args=[job.pk])).status_code == 302


# --- downloads in the audit trail ---------------------------------------------------------------


def downloads():
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.PDF_DOWNLOADED).order_by("id"))


def test_a_print_run_download_is_audited_with_who_the_ward_and_the_patients(client, nurse, job, admission):
    services.print_run_start(job=job, total=1)
    services.print_run_finish(job=job, pdf=PDF)
    client.force_login(nurse)
    assert client.get(reverse("checklists:print_job_download", args=[job.pk])).content == PDF
    [event] = downloads()
    assert (event.actor, event.ward, event.object_type, event.object_id) == (
        nurse,
        admission.ward,
        "checklists.printjob",
        str(job.pk),
    )
    assert event.data == {"kind": "print_run", "admissions": [admission.pk]}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("checklists:admission_bedside_pdf", "bedside"),
        ("checklists:admission_handout_pdf", "handout"),
        ("checklists:admission_downtime_pdf", "downtime"),
    ],
)
def test_each_pdf_of_one_patient_is_audited(client, nurse, fall_checklist, admission, name, kind):
    client.force_login(nurse)
    assert client.get(reverse(name, args=[admission.pk])).status_code == 200
    [event] = downloads()
    assert (event.actor, event.ward, event.admission, event.data) == (nurse, admission.ward, admission, {"kind": kind})


def test_the_handover_pdf_is_audited_with_its_shift(client, nurse, admission):
    client.force_login(nurse)
    assert client.get(reverse("checklists:ward_handover_pdf", args=[admission.ward.pk])).status_code == 200
    [event] = downloads()
    assert (event.actor, event.ward, event.admission, event.data["kind"]) == (nurse, admission.ward, None, "handover")
    assert set(event.data) == {"kind", "duty_date", "shift"}


def test_a_refused_download_writes_nothing(client, nurse, job):
    client.force_login(nurse)  # the job is still queued: no PDF yet
    assert client.get(reverse("checklists:print_job_download", args=[job.pk])).status_code == 404
    assert downloads() == []
