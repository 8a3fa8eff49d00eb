"""Writes behind the printouts: the examinations planned for a stay (the family handout's
"what happens next") and whole-ward print runs, a PrintJob from request to PDF."""

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Admission, AuditEvent, PlannedExamination, PrintJob, Ward
from .audit import audit_event_write
from .stays import ensure_admission_open


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
    if planned_on is not None and planned_on < timezone.localdate(admission.admitted_at):
        raise ValidationError(_("The planned date cannot be before the admission."))
    examination = PlannedExamination(
        admission=admission, name=name, planned_on=planned_on, purpose=purpose, created_by=by
    )
    examination.full_clean()
    examination.save()
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
    from django.conf import settings

    from ..tasks import print_run  # the task module calls back into these services

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
    transaction.on_commit(lambda: print_run.enqueue(job.pk))
    return job


@transaction.atomic
def print_run_start(*, job: PrintJob, total: int, at: datetime | None = None) -> PrintJob:
    job = PrintJob.objects.select_for_update().get(pk=job.pk)
    if job.status != PrintJob.Status.QUEUED:
        raise ValidationError(_("This print run has already started."))
    job.status, job.started_at = PrintJob.Status.RUNNING, at or timezone.now()
    job.total_count, job.done_count = total, 0
    job.save(update_fields=["status", "started_at", "total_count", "done_count"])
    return job


def print_run_progress(*, job: PrintJob, done: int) -> None:
    """Sheets laid out so far; committed at once so that the nurse's page sees it."""
    PrintJob.objects.filter(pk=job.pk, status=PrintJob.Status.RUNNING).update(done_count=done)


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
