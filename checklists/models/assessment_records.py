"""What nurses record about assessments: a filled assessment (who, when, the answers, the total,
the band) and the events that make one due again (a changed condition, a fall). All three are
append-only: a correction is a new assessment pointing at the one it corrects, never an update
(PostgreSQL's triggers refuse UPDATE and DELETE, as for check records).

The admission is named by the string ``"checklists.Admission"``, as in ``recording``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .assessments import ScaleBand, ScaleOption, ScaleQuestion, ScaleVersion

ASSESSMENT_ALREADY_CORRECTED = _("This assessment was already corrected. Correct the newer one instead.")
CORRECTION_NEEDS_A_REASON = _("Give a short reason for the correction.")


class AssessmentQuerySet(models.QuerySet):
    def standing(self):
        """Assessments no later one corrects: the ones that count."""
        return self.filter(corrected_by__isnull=True)

    def for_summaries(self, admission_ids):
        return (
            self.filter(admission_id__in=list(admission_ids))
            .standing()
            .select_related("band", "version__scale", "recorded_by")
            .order_by("assessed_at", "id")
        )


class Assessment(models.Model):
    """One filled assessment of a stay on one scale version. Never updated or deleted."""

    admission = models.ForeignKey(
        "checklists.Admission", verbose_name=_("admission"), on_delete=models.PROTECT, related_name="assessments"
    )
    version = models.ForeignKey(
        ScaleVersion, verbose_name=_("scale version"), on_delete=models.PROTECT, related_name="assessments"
    )
    total = models.PositiveSmallIntegerField(_("total"))
    # The band with the ward's cut-offs in force when it was recorded.
    band = models.ForeignKey(ScaleBand, verbose_name=_("band"), on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(_("assessed at"), default=timezone.now)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True, default="")
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        related_name="corrected_by",
        null=True,
        blank=True,
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["assessed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["corrects"],
                name="an_assessment_is_corrected_at_most_once",
                violation_error_message=ASSESSMENT_ALREADY_CORRECTED,
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(note=""),
                name="a_corrected_assessment_gives_a_reason",
                violation_error_message=CORRECTION_NEEDS_A_REASON,
            ),
        ]

    def __str__(self):
        return f"{self.version.scale.name}: {self.total} ({self.band.name})"


class AssessmentAnswer(models.Model):
    """The option chosen for one question of an assessment (append-only, like the assessment)."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.PROTECT, related_name="answers"
    )
    question = models.ForeignKey(ScaleQuestion, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(ScaleOption, verbose_name=_("answer"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("assessment answer")
        verbose_name_plural = _("assessment answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="one_answer_per_question"),
        ]

    def __str__(self):
        return f"{self.question}: {self.option}"


class ReassessmentTriggerQuerySet(models.QuerySet):
    def for_admissions(self, admission_ids):
        return self.filter(admission_id__in=list(admission_ids)).order_by("at", "id")


class ReassessmentTrigger(models.Model):
    """Something that makes assessments due again: a changed condition a nurse marks, or a fall
    (noted by the fall-event service through ``services.fall_event_reassessment_due``)."""

    class Kind(models.TextChoices):
        CONDITION_CHANGED = "condition_changed", _("Changed condition")
        FALL = "fall", _("Fall")

    admission = models.ForeignKey(
        "checklists.Admission",
        verbose_name=_("admission"),
        on_delete=models.PROTECT,
        related_name="reassessment_triggers",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    at = models.DateTimeField(_("at"), default=timezone.now)
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("noted by"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True, default="")

    objects = ReassessmentTriggerQuerySet.as_manager()

    class Meta:
        verbose_name = _("reason to reassess")
        verbose_name_plural = _("reasons to reassess")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
