"""A patient's stays: the patient, each admission to a bed of a ward, and the risk
factors noted on the admission.

``AdmissionQuerySet`` prefetches what shift work shows of a stay (its risk factors and
checklists), so this module builds on ``content`` and ``recording``; ``recording`` names
the admission by the string ``"checklists.Admission"`` and never imports this module.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .content import TemplateItem
from .recording import PatientChecklist
from .reference import Bed, RiskFactor, Ward


class Patient(models.Model):
    # Under 15 counts as a child (小児), as in Japanese paediatric wards.
    CHILD_AGE_LIMIT = 15

    hospital_id = models.CharField(_("hospital ID"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_kana = models.CharField(_("reading (kana)"), max_length=100, blank=True, default="")
    birth_date = models.DateField(_("birth date"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        ordering = ["hospital_id"]

    def __str__(self):
        return f"{self.name} ({self.hospital_id})"

    def age_on(self, day: date) -> int:
        had_birthday = (day.month, day.day) >= (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - (0 if had_birthday else 1)

    def is_child_on(self, day: date) -> bool:
        return self.age_on(day) < self.CHILD_AGE_LIMIT

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def is_child(self) -> bool:
        return self.is_child_on(timezone.localdate())


# The services' words when one of the constraints below refuses a second open admission.
# (A constraint's message can name only the constraint, not the bed or the patient.)
DISCHARGE_BEFORE_ADMISSION = _("The discharge time cannot be before the admission.")
TAKEN_BY_ANOTHER_ADMISSION = _("The bed or the patient was just taken by another admission. Reload and try again.")


class AdmissionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(discharged_at__isnull=True)

    def on_ward(self, ward):
        return self.filter(ward=ward)

    def with_patient_and_bed(self):
        return self.select_related("patient", "bed", "ward")

    def with_active_risk_factors(self):
        return self.prefetch_related(
            Prefetch(
                "risk_factor_notes",
                queryset=AdmissionRiskFactor.objects.active().select_related("risk_factor"),
                to_attr="active_risk_factor_notes",
            )
        )

    def with_active_checklists(self):
        """Active checklists with their template, version and the version's items."""
        return self.prefetch_related(
            Prefetch(
                "checklists",
                queryset=PatientChecklist.objects.active()
                .select_related("template", "version")
                .prefetch_related(Prefetch("version__items", queryset=TemplateItem.objects.select_related("only_if"))),
                to_attr="active_checklists",
            )
        )

    def for_shift_work(self):
        """Everything a board row, patient page or handover entry shows, in a fixed number of queries."""
        return self.select_related("patient", "bed", "ward").with_active_risk_factors().with_active_checklists()

    def visible_to(self, user):
        return self.filter(ward__in=Ward.objects.visible_to(user))

    def live_during(self, slot):
        """Stays that were on the ward at some moment of the slot (a past shift's handover)."""
        return self.filter(admitted_at__lt=slot.ends).filter(
            Q(discharged_at__isnull=True) | Q(discharged_at__gt=slot.starts)
        )

    def for_slot_work(self, slot):
        """Like ``for_shift_work``, but with the risk factors and checklists as they were
        during ``slot`` (into the same attributes), not as they are now."""
        during = {"started_at__lt": slot.ends}
        notes = AdmissionRiskFactor.objects.filter(noted_at__lt=slot.ends).filter(
            Q(removed_at__isnull=True) | Q(removed_at__gt=slot.starts)
        )
        checklists = (
            PatientChecklist.objects.filter(**during)
            .filter(Q(stopped_at__isnull=True) | Q(stopped_at__gt=slot.starts))
            .select_related("template", "version")
            .prefetch_related(Prefetch("version__items", queryset=TemplateItem.objects.select_related("only_if")))
        )
        return self.select_related("patient", "bed", "ward").prefetch_related(
            Prefetch(
                "risk_factor_notes", queryset=notes.select_related("risk_factor"), to_attr="active_risk_factor_notes"
            ),
            Prefetch("checklists", queryset=checklists, to_attr="active_checklists"),
        )


class Admission(models.Model):
    """One stay of a patient on a ward. Discharge keeps everything."""

    patient = models.ForeignKey(Patient, verbose_name=_("patient"), on_delete=models.PROTECT, related_name="admissions")
    ward = models.ForeignKey(Ward, verbose_name=_("ward"), on_delete=models.PROTECT, related_name="admissions")
    bed = models.ForeignKey(Bed, verbose_name=_("bed"), on_delete=models.PROTECT, related_name="admissions")
    admitted_at = models.DateTimeField(_("admitted at"), default=timezone.now)
    admitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("admitted by"), on_delete=models.PROTECT, related_name="+"
    )
    discharged_at = models.DateTimeField(_("discharged at"), null=True, blank=True)
    discharged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("discharged by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = AdmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("admission")
        verbose_name_plural = _("admissions")
        ordering = ["-admitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(discharged_at__isnull=True),
                name="one_open_admission_per_patient",
                violation_error_message=TAKEN_BY_ANOTHER_ADMISSION,
            ),
            models.UniqueConstraint(
                fields=["bed"],
                condition=Q(discharged_at__isnull=True),
                name="one_open_admission_per_bed",
                violation_error_message=TAKEN_BY_ANOTHER_ADMISSION,
            ),
            models.CheckConstraint(
                condition=Q(discharged_at__isnull=True) | Q(discharged_at__gte=F("admitted_at")),
                name="discharge_not_before_admission",
                violation_error_message=DISCHARGE_BEFORE_ADMISSION,
            ),
        ]

    def __str__(self):
        return f"{self.patient.name} — {self.bed}"

    @property
    def is_open(self) -> bool:
        return self.discharged_at is None


class AdmissionRiskFactorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(removed_at__isnull=True)


class AdmissionRiskFactor(models.Model):
    """A risk factor noted on an admission; removing it keeps the row (removed_at/by)."""

    admission = models.ForeignKey(
        Admission, verbose_name=_("admission"), on_delete=models.PROTECT, related_name="risk_factor_notes"
    )
    risk_factor = models.ForeignKey(
        RiskFactor, verbose_name=_("risk factor"), on_delete=models.PROTECT, related_name="+"
    )
    noted_at = models.DateTimeField(_("noted at"), default=timezone.now)
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("noted by"), on_delete=models.PROTECT, related_name="+"
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

    objects = AdmissionRiskFactorQuerySet.as_manager()

    class Meta:
        verbose_name = _("noted risk factor")
        verbose_name_plural = _("noted risk factors")
        ordering = ["admission", "risk_factor__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["admission", "risk_factor"],
                condition=Q(removed_at__isnull=True),
                name="a_risk_factor_is_noted_once_per_admission",
            ),
        ]

    def __str__(self):
        return f"{self.admission}: {self.risk_factor}"
