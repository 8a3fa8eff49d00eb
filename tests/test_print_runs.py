"""Whole-ward print runs: the nurse picks all or some patients, the request answers at once with
a queued job, a background task lays out the bedside sheets as ONE PDF and reports each sheet,
the job page polls the progress and then offers the download. A failing run is marked failed."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from checklists import printing, services, tasks
from checklists.models import Admission, AuditEvent, ChecklistTemplate, PrintJob

from .conftest import tokyo
from .factories import ADULT_BIRTH_DATE, NurseFactory, UserFactory, WardFactory
from .test_pdf_platform import assert_japanese_font_only, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def patients(admission, fall_checklist, beds, nurse, factors):
    """Three patients on the ward: 山田 (401, from conftest), 佐藤 (402), 鈴木 (403)."""
    others = []
    for bed, hospital_id, name in [(beds[1], "H200", "佐藤 花子"), (beds[2], "H300", "鈴木 一郎")]:
        other = services.patient_admit(
            hospital_id=hospital_id,
            name=name,
            birth_date=ADULT_BIRTH_DATE,
            bed=bed,
            risk_factors=[factors["dysarthria"]],
            by=nurse,
            at=tokyo(2026, 11, 20, 11, 0),
        )
        services.checklist_start(admission=other, template=ChecklistTemplate.objects.get(code="aspiration"), by=nurse)
        others.append(other)
    return [admission, *others]


def print_url(ward):
    return reverse("checklists:ward_print", args=[ward.pk])


def test_the_print_page_lists_the_wards_patients(client, nurse, patients):
    client.force_login(nurse)
    page = client.get(print_url(patients[0].ward)).content.decode()
    assert "401 山田 太郎" in page and "402 佐藤 花子" in page and "403 鈴木 一郎" in page


def test_a_request_answers_at_once_with_a_queued_job(client, nurse, patients, django_capture_on_commit_callbacks):
    client.force_login(nurse)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(print_url(patients[0].ward), {"all": "1"})
    job = PrintJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("checklists:print_job_detail", args=[job.pk])
    assert (job.status, job.done_count, job.total_count, job.pdf) == (PrintJob.Status.QUEUED, 0, 3, None)
    assert job.admission_ids == [p.pk for p in patients]
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "checklists.tasks.print_run" and queued.args_kwargs["args"] == [job.pk]
    assert queued.status == "READY"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PRINT_REQUESTED, object_id=str(job.pk)).exists()


def test_the_database_worker_then_makes_the_pdf(
    client, nurse, patients, django_capture_on_commit_callbacks, monkeypatch
):
    # Between tasks the worker closes connections it thinks stale; inside this test's
    # transaction that would be the test's own connection (PostgreSQL).
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    client.force_login(nurse)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(print_url(patients[0].ward), {"admissions": [patients[0].pk, patients[2].pk]})
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    job = PrintJob.objects.get()
    assert (job.status, job.done_count, job.total_count) == (PrintJob.Status.DONE, 2, 2)
    assert pdf_pages(bytes(job.pdf)) == 2
    text = pdf_text(bytes(job.pdf))
    assert "山田 太郎" in text and "鈴木 一郎" in text and "佐藤 花子" not in text
    assert_japanese_font_only(bytes(job.pdf))


@override_settings(TASKS=IMMEDIATE)
def test_the_job_page_polls_until_done_then_offers_the_download(client, nurse, patients):
    client.force_login(nurse)
    job = services.print_run_request(ward=patients[0].ward, admissions=patients[:1], by=nurse, language="ja")
    assert job.status == PrintJob.Status.QUEUED  # the task runs when the transaction commits
    detail = reverse("checklists:print_job_detail", args=[job.pk])
    fragment = client.get(detail, **HTMX).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "<html" not in fragment and "0/1" in fragment

    tasks.print_run.enqueue(job.pk)
    fragment = client.get(detail, **HTMX).content.decode()
    assert "hx-trigger" not in fragment and "1/1" in fragment
    download = reverse("checklists:print_job_download", args=[job.pk])
    assert download in fragment
    response = client.get(download)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="ward-east-4-')
    assert pdf_pages(response.content) == 1


def test_progress_is_reported_after_each_sheet(nurse, patients, monkeypatch):
    job = services.print_run_request(ward=patients[0].ward, admissions=patients, by=nurse, language="ja")
    seen = []
    original = services.print_run_progress

    def progress(*, job, done):
        original(job=job, done=done)
        seen.append(PrintJob.objects.get(pk=job.pk).done_count)

    monkeypatch.setattr(services, "print_run_progress", progress)
    assert tasks.print_run.call(job.pk) == 3
    assert seen == [1, 2, 3]
    job.refresh_from_db()
    assert job.status == PrintJob.Status.DONE and job.started_at <= job.finished_at


@override_settings(TASKS=IMMEDIATE)
def test_a_run_in_english_prints_english_sheets(client, nurse, patients, django_capture_on_commit_callbacks):
    client.force_login(nurse)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(print_url(patients[0].ward), {"admissions": [patients[1].pk]})
    job = PrintJob.objects.get()
    assert job.language == "en" and job.status == PrintJob.Status.DONE
    assert "Critical precautions" in pdf_text(bytes(job.pdf))


def test_a_failing_run_is_marked_failed_not_left_running(nurse, patients, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("printer on fire")

    monkeypatch.setattr(printing, "bedside_pdf", broken)
    job = services.print_run_request(ward=patients[0].ward, admissions=patients, by=nurse, language="ja")
    with pytest.raises(RuntimeError):
        tasks.print_run.call(job.pk)
    job.refresh_from_db()
    assert job.status == PrintJob.Status.FAILED and "PDF を作成できませんでした" in job.error and job.finished_at


def test_a_run_whose_patients_have_all_left_fails_with_a_reason(nurse, patients):
    job = services.print_run_request(ward=patients[0].ward, admissions=patients[1:2], by=nurse, language="en")
    services.admission_discharge(admission=patients[1], by=nurse)
    assert tasks.print_run.call(job.pk) == 0
    job.refresh_from_db()
    assert job.status == PrintJob.Status.FAILED and "on the ward" in job.error


def test_ticking_nobody_is_explained(client, in_english, nurse, patients):
    client.force_login(nurse)
    response = client.post(print_url(patients[0].ward), {})
    assert response.status_code == 200
    assert not PrintJob.objects.exists()
    assert "Tick at least one patient" in response.content.decode()


def test_another_wards_patient_cannot_be_slipped_into_a_run(nurse, patients):
    other_ward = WardFactory(code="west-2")
    with pytest.raises(ValidationError, match="Only patients on this ward"):
        services.print_run_request(ward=other_ward, admissions=patients, by=nurse, language="ja")
    assert not PrintJob.objects.exists()


def test_another_wards_nurse_cannot_see_or_download_a_run(client, nurse, patients):
    job = services.print_run_request(ward=patients[0].ward, admissions=patients[:1], by=nurse, language="ja")
    stranger = NurseFactory(username="nurse-west")
    WardFactory(code="west-2").staff.add(stranger)
    client.force_login(stranger)
    assert client.get(reverse("checklists:print_job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("checklists:print_job_download", args=[job.pk])).status_code == 404
    assert client.post(print_url(patients[0].ward), {"all": "1"}).status_code == 404


def test_printing_a_ward_needs_the_permission_to_view_admissions(client, patients):
    visitor = UserFactory(username="no-role")
    patients[0].ward.staff.add(visitor)
    client.force_login(visitor)
    assert client.get(print_url(patients[0].ward)).status_code == 403
    assert Admission.objects.count() == 3
