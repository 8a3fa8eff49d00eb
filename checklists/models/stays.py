"""A patient's stays: the patient, each admission to a bed of a ward, and the risk
factors noted on the admission.

A patient is known by the hospital ID, stored normalised (``hospital_id_normalise``) so that
``Ｈ０００１２３４``, ``H 0001234`` and ``h-0001234`` are the one patient ``H0001234``. The age
bands (child, adult, 70 and over) are read on a given day, never frozen at admission.

``AdmissionQuerySet`` prefetches what shift work shows of a stay (its risk factors and
checklists), so this module builds on ``content`` and ``recording``; ``recording`` names
the admission by the string ``"checklists.Admission"`` and never imports this module.
"""

import re
import unicodedata
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Prefetch, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .content import TemplateItem
from .recording import PatientChecklist
from .reference import Bed, RiskFactor, Ward

# Spaces and dashes typed inside an ID are not part of it: ASCII and ideographic spaces, the
# hyphen-minus and its look-alikes, and the long-vowel mark a Japanese keyboard types for "-".
HOSPITAL_ID_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc\uff70]")
HOSPITAL_ID_NOT_NORMALISED = _("A hospital ID is stored without spaces or hyphens, in capitals.")
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
BIRTH_DATE_IN_THE_FUTURE = _("The birth date cannot be in the future.")
BIRTH_DATE_TOO_EARLY = _("The birth date cannot be before 1900.")


def hospital_id_normalise(value: str) -> str:
    """The hospital ID as stored and looked up: Unicode NFKC (full-width letters and digits
    become ASCII), spaces and hyphens removed, letters in capitals. ``" Ｈ０００-１２３４"`` →
    ``"H0001234"``. Which IDs are valid after that is the hospital's format
    (``settings.WARDSAFE_HOSPITAL_ID_FORMAT``), checked when a new patient is admitted."""
    return HOSPITAL_ID_SEPARATORS.sub("", unicodedata.normalize("NFKC", value)).upper()


def person_name_key(name: str) -> str:
    """A name for comparing people: NFKC, without spaces, case-folded (山田 太郎 = 山田太郎)."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


class PatientQuerySet(models.QuerySet):
    def with_hospital_id(self, hospital_id: str):
        """The patient a typed hospital ID names, however it was typed (full width, spaces)."""
        return self.filter(hospital_id=hospital_id_normalise(hospital_id))

    def possibly_the_same_person(self, *, name: str, birth_date: date, hospital_id: str) -> list:
        """Patients with the same name and birth date under another hospital ID: perhaps one
        person registered twice, which the nurse is asked about before a new patient is made."""
        key = person_name_key(name)
        others = self.filter(birth_date=birth_date).exclude(hospital_id=hospital_id_normalise(hospital_id))
        return [patient for patient in others.order_by("hospital_id") if person_name_key(patient.name) == key]


class Patient(models.Model):
    class AgeBand(models.TextChoices):
        CHILD = "child", _("child")
        ADULT = "adult", _("adult")
        OLDER = "older", _("70 and over")

    # Under 15 counts as a child (小児), as in Japanese paediatric wards; 70 and over (高齢) is
    # the age many fall-risk scores count.
    CHILD_AGE_LIMIT = 15
    OLDER_AGE_FROM = 70

    hospital_id = models.CharField(_("hospital ID"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_kana = models.CharField(_("reading (kana)"), max_length=100, blank=True, default="")
    birth_date = models.DateField(_("birth date"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = PatientQuerySet.as_manager()

    class Meta:
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        ordering = ["hospital_id"]
        constraints = [
            # What hospital_id_normalise leaves (NFKC itself cannot be checked in SQL).
            models.CheckConstraint(
                condition=~Q(hospital_id="")
                & ~Q(hospital_id__contains=" ")
                & ~Q(hospital_id__contains="-")
                & Q(hospital_id=Upper("hospital_id")),
                name="hospital_id_is_normalised",
                violation_error_message=HOSPITAL_ID_NOT_NORMALISED,
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.hospital_id})"

    def age_on(self, day: date) -> int:
        had_birthday = (day.month, day.day) >= (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - (0 if had_birthday else 1)

    def is_child_on(self, day: date) -> bool:
        return self.age_on(day) < self.CHILD_AGE_LIMIT

    def age_band_on(self, day: date) -> "Patient.AgeBand":
        age = self.age_on(day)
        if age < self.CHILD_AGE_LIMIT:
            return self.AgeBand.CHILD
        return self.AgeBand.OLDER if age >= self.OLDER_AGE_FROM else self.AgeBand.ADULT

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def is_child(self) -> bool:
        return self.is_child_on(timezone.localdate())

    @property
    def age_band(self) -> "Patient.AgeBand":
        return self.age_band_on(timezone.localdate())

    def age_factor_codes_on(self, day: date) -> set[str]:
        """The age-derived risk factors (``RiskFactor.AGE_DERIVED``) that hold on ``day``."""
        code = AGE_BAND_FACTORS.get(self.age_band_on(day))
        return {code} if code else set()


AGE_BAND_FACTORS = {Patient.AgeBand.CHILD: RiskFactor.CHILD, Patient.AgeBand.OLDER: RiskFactor.AGED_70_PLUS}


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
                .prefetch_related(Prefetch("version__items", queryset=TemplateItem.objects.with_rules())),
                to_attr="active_checklists",
            )
        )

    def for_rule_preview(self):
        """What the editor's preview reads to say whom an item reaches: the patient, the bed, the
        active risk factors and the templates of the active checklists (four queries)."""
        return (
            self.select_related("patient", "bed", "ward")
            .with_active_risk_factors()
            .prefetch_related(
                Prefetch("checklists", queryset=PatientChecklist.objects.active(), to_attr="active_checklists")
            )
            .order_by("ward__code", "bed__position", "bed__code")
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
            .prefetch_related(Prefetch("version__items", queryset=TemplateItem.objects.with_rules()))
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

    @property
    def noted_risk_factor_notes(self) -> list:
        """The active notes a nurse made (from ``with_active_risk_factors``): the age-derived
        factors are shown as the age band instead, on the day a page shows."""
        return [n for n in self.active_risk_factor_notes if n.risk_factor.code not in RiskFactor.AGE_DERIVED]


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
