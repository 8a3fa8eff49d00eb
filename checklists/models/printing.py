"""What printing needs beyond the checklists: the examinations planned for a stay (for
the family handout) and the whole-ward print runs made in the background.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .reference import Ward
from .stays import Admission


class PlannedExaminationQuerySet(models.QuerySet):
    def current(self):
        return self.filter(removed_at__isnull=True)


class PlannedExamination(models.Model):
    """An examination planned for this stay, for the family handout's "what happens next"."""

    admission = models.ForeignKey(
        Admission, verbose_name=_("admission"), on_delete=models.PROTECT, related_name="planned_examinations"
    )
    name = models.CharField(_("examination"), max_length=100)
    planned_on = models.DateField(_("planned date"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = PlannedExaminationQuerySet.as_manager()

    class Meta:
        verbose_name = _("planned examination")
        verbose_name_plural = _("planned examinations")
        ordering = [F("planned_on").asc(nulls_last=True), "created_at"]

    def __str__(self):
        return self.name


class PrintJob(models.Model):
    """A whole-ward print run made in the background; the nurse polls its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    ward = models.ForeignKey(Ward, verbose_name=_("ward"), on_delete=models.PROTECT, related_name="print_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, editable=False)
    language = models.CharField(_("language"), max_length=10, default="ja")
    admission_ids = models.JSONField(_("admissions"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    done_count = models.PositiveIntegerField(_("sheets done"), default=0)
    total_count = models.PositiveIntegerField(_("sheets"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # The last sign of life from the worker (queued, started, a sheet laid out): a job without
    # one for settings.WARDSAFE_PRINT_STALE_MINUTES is failed (services.print_runs_fail_stale).
    progress_at = models.DateTimeField(_("last progress at"), null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True, default="")
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    # The PDF was deleted after settings.WARDSAFE_PRINT_RETENTION_HOURS (services.print_runs_prune);
    # the row stays for the audit trail.
    expired_at = models.DateTimeField(_("PDF deleted at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("print run")
        verbose_name_plural = _("print runs")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.ward} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        """Done or failed: nothing more will happen, so the page stops polling."""
        return self.status in {self.Status.DONE, self.Status.FAILED}

    def is_stale(self, now: datetime) -> bool:
        """Queued or running with no sign of life for the configured minutes."""
        last = self.progress_at or self.started_at or self.requested_at
        minutes = settings.WARDSAFE_PRINT_STALE_MINUTES
        return not self.is_finished and now - last >= timedelta(minutes=minutes)

    def is_expired(self, now: datetime) -> bool:
        """Its PDF was deleted, or is past the retention time and about to be."""
        if self.expired_at is not None:
            return True
        hours = settings.WARDSAFE_PRINT_RETENTION_HOURS
        return self.finished_at is not None and now - self.finished_at >= timedelta(hours=hours)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total_count) if self.total_count else 0
