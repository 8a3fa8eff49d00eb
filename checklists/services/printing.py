"""Writes behind the printouts: the examinations planned for a stay (the family handout's
"what happens next") and whole-ward print runs, a PrintJob from request to PDF.

The PDF of a print run is made in the background by the task ``checklists.tasks.print_run``,
which calls ``print_run_start`` / ``_progress`` / ``_finish`` / ``_fail`` below to move its job
along. ``print_run_request`` queues that task but does not import ``tasks``: ``tasks`` imports
the services, so importing it back would be a cycle. Instead the task is handed to this module
once at start-up: ``ChecklistsConfig.ready()`` calls ``print_run_task_set(tasks.print_run)``.
(Its import of ``tasks`` sits in ``ready()`` because Django loads the models before it, not to
dodge a cycle: nothing imports ``apps.py``, and the services never reach ``tasks``.)

Why this and not the alternatives:

- importing ``tasks`` inside ``print_run_request`` (as before) or ``import_string``-ing its
  dotted path is the same cycle, only hidden until the first print run;
- having each caller pass the task in, or enqueue it after the service returns, would make the
  view, the scripts and the tests all know about the task, and a caller could forget it;
- a signal would silently queue nothing when no receiver is connected; a missing task here is a
  loud ImproperlyConfigured instead.

The enqueue still happens on commit of the transaction that creates the PrintJob and its audit
row, as before: a job that is rolled back is never queued, and the worker never sees a job id
before its row is committed."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models.functions import Coalesce
from django.tasks import Task
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from ..models import Admission, AuditEvent, PlannedExamination, PrintJob, Ward
from .audit import audit_event_write
from .stays import ensure_admission_open
from .ward_changes import ward_changed

_print_run_task: Task | None = None


def print_run_task_set(task: Task) -> None:
    """Name the background task that makes a print run's PDF (``tasks.print_run``).

    Called once by ``ChecklistsConfig.ready()``; see the module docstring for why it is handed
    over rather than imported."""
    global _print_run_task
    _print_run_task = task


# A plan reaches at most this far (a typing slip gives 9999); a past date at most a year back.
PLAN_AHEAD = timedelta(days=2 * 366)
PLAN_BEHIND = timedelta(days=366)


def examination_date_check(planned_on: date, *, admitted_on: date, today: date | None = None) -> None:
    """Refuse a planned date before the admission, more than a year ago or more than two years ahead."""
    today = today or timezone.localdate()
    if planned_on < admitted_on:
        raise ValidationError(_("The planned date cannot be before the admission."))
    if planned_on < today - PLAN_BEHIND:
        raise ValidationError(_("The planned date cannot be more than a year ago."))
    if planned_on > today + PLAN_AHEAD:
        raise ValidationError(_("The planned date cannot be more than two years ahead."))


@transaction.atomic
def examination_plan(
    *, admission: Admission, name: str, planned_on: date | None, by, purpose: str = ""
) -> PlannedExamination:
    """Add an examination to the stay's plan (the family handout lists them in date order)."""
    admission = Admission.objects.select_related("ward", "patient").get(pk=admission.pk)
    ensure_admission_open(admission)
    name, purpose = name.strip(), purpose.strip()
    if not name:
        raise ValidationError(_("Enter the name of the examination."))
    if planned_on is not None:
        examination_date_check(planned_on, admitted_on=timezone.localdate(admission.admitted_at))
    examination = PlannedExamination(
        admission=admission, name=name, planned_on=planned_on, purpose=purpose, created_by=by
    )
    examination.full_clean()
    examination.save()
    ward_changed(admission.ward_id, stay=admission)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.EXAMINATION_PLANNED,
        obj=examination,
        ward=admission.ward,
        admission=admission,
        data={"name": name, "planned_on": planned_on.isoformat() if planned_on else None, "purpose": purpose},
    )
    return examination


@transaction.atomic
def examination_remove(*, examination: PlannedExamination, by, at: datetime | None = None) -> PlannedExamination:
    """Take an examination off the plan; the row stays (removed_at/by)."""
    examination = (
        PlannedExamination.objects.select_for_update(of=("self",))
        .select_related("admission__ward")
        .get(pk=examination.pk)
    )
    if examination.removed_at is not None:
        raise ValidationError(_("This examination was already removed from the plan."))
    examination.removed_at, examination.removed_by = at or timezone.now(), by
    examination.save(update_fields=["removed_at", "removed_by"])
    ward_changed(examination.admission.ward_id, stay=examination.admission_id)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.EXAMINATION_REMOVED,
        obj=examination,
        ward=examination.admission.ward,
        admission=examination.admission,
        data={"name": examination.name},
    )
    return examination


@transaction.atomic
def print_run_request(*, ward: Ward, admissions: Iterable[Admission], by, language: str) -> PrintJob:
    """Queue a whole-ward print of bedside sheets; a background task makes the PDF."""
    task = _print_run_task
    if task is None:
        raise ImproperlyConfigured("No print-run task was handed over (ChecklistsConfig.ready() does it).")
    admissions = sorted(admissions, key=lambda admission: (admission.bed.position, admission.bed.code))
    if not admissions:
        raise ValidationError(_("Choose at least one patient."))
    if any(admission.ward_id != ward.pk or not admission.is_open for admission in admissions):
        raise ValidationError(_("Only patients on this ward can be printed in this run."))
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    job = PrintJob.objects.create(
        ward=ward,
        requested_by=by,
        language=language,
        admission_ids=[admission.pk for admission in admissions],
        total_count=len(admissions),
    )
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.PRINT_REQUESTED,
        obj=job,
        ward=ward,
        data={"admissions": job.admission_ids, "language": language},
    )
    transaction.on_commit(lambda: task.enqueue(job.pk))
    return job


@transaction.atomic
def print_run_start(*, job: PrintJob, total: int, at: datetime | None = None) -> PrintJob:
    job = PrintJob.objects.select_for_update().get(pk=job.pk)
    if job.status != PrintJob.Status.QUEUED:
        raise ValidationError(_("This print run has already started."))
    job.status, job.started_at = PrintJob.Status.RUNNING, at or timezone.now()
    job.progress_at = job.started_at
    job.total_count, job.done_count = total, 0
    job.save(update_fields=["status", "started_at", "progress_at", "total_count", "done_count"])
    return job


@transaction.atomic
def print_run_retry(*, job: PrintJob) -> PrintJob:
    """Put a run that the database dropped mid-way (PostgreSQL restarting) back to waiting, so
    that its worker makes it again from the first sheet; a run that ended stays as it is."""
    job = PrintJob.objects.select_for_update().get(pk=job.pk)
    if job.status == PrintJob.Status.RUNNING:
        job.status, job.done_count = PrintJob.Status.QUEUED, 0
        job.save(update_fields=["status", "done_count"])
    return job


def print_run_progress(*, job: PrintJob, done: int) -> None:
    """Sheets laid out so far; committed at once so that the nurse's page sees it."""
    running = PrintJob.objects.filter(pk=job.pk, status=PrintJob.Status.RUNNING)
    running.update(done_count=done, progress_at=timezone.now())


@transaction.atomic
def print_run_finish(*, job: PrintJob, pdf: bytes, at: datetime | None = None) -> PrintJob:
    job = PrintJob.objects.select_for_update().get(pk=job.pk)
    job.status, job.finished_at = PrintJob.Status.DONE, at or timezone.now()
    job.pdf, job.done_count = pdf, job.total_count
    job.save(update_fields=["status", "finished_at", "pdf", "done_count"])
    return job


@transaction.atomic
def print_run_fail(*, job: PrintJob, error: str, at: datetime | None = None) -> PrintJob:
    job = PrintJob.objects.select_for_update().get(pk=job.pk)
    job.status, job.finished_at, job.error = PrintJob.Status.FAILED, at or timezone.now(), error[:2000]
    job.save(update_fields=["status", "finished_at", "error"])
    return job


def print_runs_fail_stale(*, job_ids: Iterable[int] | None = None, at: datetime | None = None) -> int:
    """Fail the print runs (all, or those of ``job_ids``) that are queued or running with no
    progress for ``settings.WARDSAFE_PRINT_STALE_MINUTES``: their worker was killed, or none is
    running. The page then stops polling and says "try again". Returns how many were failed.

    Called by the job page when it sees a stale job, and by ``manage.py prune_print_runs``. A
    worker that was only slow and finishes later still delivers its PDF (``print_run_finish``)."""
    now = at or timezone.now()
    cutoff = now - timedelta(minutes=settings.WARDSAFE_PRINT_STALE_MINUTES)
    stale = PrintJob.objects.filter(status__in=[PrintJob.Status.QUEUED, PrintJob.Status.RUNNING])
    if job_ids is not None:
        stale = stale.filter(pk__in=list(job_ids))
    stale = stale.alias(last=Coalesce("progress_at", "started_at", "requested_at")).filter(last__lte=cutoff)
    failed = 0
    for job in stale.defer("pdf"):
        with translation.override(job.language):
            error = _(
                "No progress for %(minutes)d minutes: the print worker has stopped. Try again; "
                "if it fails again, tell the administrator."
            ) % {"minutes": settings.WARDSAFE_PRINT_STALE_MINUTES}
        # The status in the filter: a job that moved on meanwhile is left alone.
        failed += PrintJob.objects.filter(pk=job.pk, status=job.status).update(
            status=PrintJob.Status.FAILED, finished_at=now, error=error
        )
    return failed


@transaction.atomic
def print_runs_prune(*, at: datetime | None = None) -> tuple[int, int]:
    """Delete the PDFs of print runs finished more than ``settings.WARDSAFE_PRINT_RETENTION_HOURS``
    ago (they hold names and risks) and the finished task results of that age. The PrintJob
    rows stay, with ``expired_at`` set, for the audit trail. Returns (PDFs, task results)."""
    now = at or timezone.now()
    cutoff = now - timedelta(hours=settings.WARDSAFE_PRINT_RETENTION_HOURS)
    old_jobs = PrintJob.objects.filter(expired_at__isnull=True, finished_at__lte=cutoff)
    pdfs = old_jobs.filter(pdf__isnull=False).count()
    old_jobs.update(pdf=None, expired_at=now)
    results, _by_model = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    return pdfs, results


def pdf_download_audit(*, by, kind: str, obj, ward: Ward, admission: Admission | None = None, data=None):
    """One audit row per PDF a user opens (a print run, a bedside sheet, a handout, a downtime
    sheet, a handover): who, which ward, which patient or patients. The row is the only write,
    and one INSERT is atomic by itself: no transaction of its own, so the download costs one
    query more, not three."""
    return audit_event_write(
        actor=by,
        action=AuditEvent.Action.PDF_DOWNLOADED,
        obj=obj,
        ward=ward,
        admission=admission,
        data={"kind": kind, **(data or {})},
    )
