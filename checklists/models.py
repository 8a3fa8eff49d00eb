"""What is true on a ward: wards and beds, patients and their stays, risk factors,
shifts, versioned checklist templates, the checklists patients are on, the check
records nurses make, and the audit trail.

Invariants live in the database as constraints; clinical foreign keys PROTECT.
Every write goes through ``checklists.services``; reads through ``checklists.querysets``.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import querysets


class Bilingual:
    """Models with ``<field>_ja`` / ``<field>_en`` pairs show the user's language.

    Japanese is the reference text; English falls back to it when empty.
    """

    def localized(self, field: str) -> str:
        language = (get_language() or settings.LANGUAGE_CODE)[:2]
        if language == "en":
            return getattr(self, f"{field}_en") or getattr(self, f"{field}_ja")
        return getattr(self, f"{field}_ja") or getattr(self, f"{field}_en")

    @property
    def name(self) -> str:
        return self.localized("name")

    @property
    def description(self) -> str:
        return self.localized("description")


class Ward(models.Model):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        related_name="wards",
        blank=True,
        help_text=_("Nurses and shift leaders who work on this ward."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = querysets.WardQuerySet.as_manager()

    class Meta:
        verbose_name = _("ward")
        verbose_name_plural = _("wards")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Bed(models.Model):
    ward = models.ForeignKey(Ward, verbose_name=_("ward"), on_delete=models.PROTECT, related_name="beds")
    code = models.CharField(_("bed"), max_length=20)
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = querysets.BedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        ordering = ["ward", "position", "code"]
        constraints = [
            models.UniqueConstraint(Lower("code"), "ward", name="bed_code_unique_per_ward_ignoring_case"),
        ]

    def __str__(self):
        return f"{self.ward.name} {self.code}"


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

    objects = querysets.AdmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("admission")
        verbose_name_plural = _("admissions")
        ordering = ["-admitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"], condition=Q(discharged_at__isnull=True), name="one_open_admission_per_patient"
            ),
            models.UniqueConstraint(
                fields=["bed"], condition=Q(discharged_at__isnull=True), name="one_open_admission_per_bed"
            ),
            models.CheckConstraint(
                condition=Q(discharged_at__isnull=True) | Q(discharged_at__gte=F("admitted_at")),
                name="discharge_not_before_admission",
            ),
        ]

    def __str__(self):
        return f"{self.patient.name} — {self.bed}"

    @property
    def is_open(self) -> bool:
        return self.discharged_at is None


class RiskFactor(Bilingual, models.Model):
    """Something about a patient that makes a checklist worth starting (editable by admins)."""

    class Group(models.TextChoices):
        FALL = "fall", _("Fall")
        ASPIRATION = "aspiration", _("Aspiration")
        DELIRIUM = "delirium", _("Delirium")
        DEHYDRATION = "dehydration", _("Dehydration")
        TREATMENT = "treatment", _("Treatment")
        PATIENT = "patient", _("Patient background")
        CONDITION = "condition", _("Condition")

    # The factor the app notes by itself from the birth date.
    CHILD = "child"

    code = models.SlugField(_("code"), max_length=40, unique=True)
    group = models.CharField(_("group"), max_length=20, choices=Group)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True, default="")
    description_ja = models.TextField(_("description (Japanese)"), blank=True, default="")
    description_en = models.TextField(_("description (English)"), blank=True, default="")
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("risk factor")
        verbose_name_plural = _("risk factors")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


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

    objects = querysets.AdmissionRiskFactorQuerySet.as_manager()

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


class ShiftDefinition(Bilingual, models.Model):
    """A shift of the ward's day; it may cross midnight (ends before it starts)."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=40, blank=True, default="")
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = querysets.ShiftDefinitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["position", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(starts_at=F("ends_at")), name="a_shift_has_a_length"),
        ]

    def __str__(self):
        return f"{self.name} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def crosses_midnight(self) -> bool:
        return self.ends_at < self.starts_at


class ChecklistTemplate(Bilingual, models.Model):
    """A checklist such as 転倒予防; its wording lives in numbered versions."""

    class Category(models.TextChoices):
        FALL = "fall", _("Fall prevention")
        ASPIRATION = "aspiration", _("Aspiration prevention")
        DELIRIUM = "delirium", _("Delirium prevention")
        DEHYDRATION = "dehydration", _("Dehydration prevention")
        EXPLANATION = "explanation", _("Explanation to patient and family")
        TREATMENT = "treatment", _("Treatment monitoring")
        CONDITION = "condition", _("Condition-specific care")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True, default="")
    description_ja = models.TextField(_("description (Japanese)"), blank=True, default="")
    description_en = models.TextField(_("description (English)"), blank=True, default="")
    triggers = models.ManyToManyField(
        RiskFactor,
        verbose_name=_("trigger risk factors"),
        related_name="triggered_templates",
        blank=True,
        help_text=_("A patient with any of these factors gets this checklist proposed."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = querysets.ChecklistTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


class TemplateVersion(models.Model):
    """A numbered version of a template: draft → published → retired, never back.

    A published version's items never change; editing makes a new draft.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    change_note = models.TextField(_("change note"), blank=True, default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    # Bumped by every edit of a draft; a save that read an older revision is refused.
    revision = models.PositiveIntegerField(_("revision"), default=1)

    objects = querysets.TemplateVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="version_numbers_unique_per_template"),
            models.UniqueConstraint(
                fields=["template"], condition=Q(status="published"), name="one_published_version_per_template"
            ),
            models.UniqueConstraint(fields=["template"], condition=Q(status="draft"), name="one_draft_per_template"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="published_versions_have_a_publication_time",
            ),
        ]

    def __str__(self):
        return f"{self.template.name} v{self.number} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class TemplateItem(Bilingual, models.Model):
    """One line of a checklist version, with why it matters and where it comes from."""

    class Frequency(models.TextChoices):
        EVERY_SHIFT = "every_shift", _("Every shift")
        DAILY = "daily", _("Once a day")
        ONCE = "once", _("Once per admission")
        AS_NEEDED = "as_needed", _("As needed")

    class Source(models.TextChoices):
        SEED = "seed", _("Source document")
        INSTITUTION = "institution", _("Added by the institution")

    version = models.ForeignKey(
        TemplateVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="items"
    )
    # Stable across versions: the diff and moving patients match items by key.
    key = models.SlugField(_("key"), max_length=60)
    position = models.PositiveIntegerField(_("position"), default=0)
    text_ja = models.TextField(_("text (Japanese)"))
    text_en = models.TextField(_("text (English)"), blank=True, default="")
    why_ja = models.TextField(_("why it matters (Japanese)"), blank=True, default="")
    why_en = models.TextField(_("why it matters (English)"), blank=True, default="")
    frequency = models.CharField(_("how often"), max_length=20, choices=Frequency, default=Frequency.EVERY_SHIFT)
    is_critical = models.BooleanField(_("critical"), default=False)
    only_if = models.ForeignKey(
        RiskFactor,
        verbose_name=_("applies only if the patient has"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    source = models.CharField(_("source"), max_length=20, choices=Source, default=Source.SEED)
    source_document = models.CharField(_("source document"), max_length=200, blank=True, default="")
    source_passage = models.TextField(_("quoted passage"), blank=True, default="")

    class Meta:
        verbose_name = _("template item")
        verbose_name_plural = _("template items")
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="item_keys_unique_per_version"),
            models.CheckConstraint(
                condition=(Q(source="seed") & ~Q(source_document=""))
                | Q(source="institution", source_document="", source_passage=""),
                name="item_provenance_is_a_document_or_the_institution",
            ),
        ]

    # The fields an admin edits (everything but the version and the position), in form order.
    CONTENT_FIELDS = (
        "key",
        "text_ja",
        "text_en",
        "why_ja",
        "why_en",
        "frequency",
        "is_critical",
        "only_if",
        "source",
        "source_document",
        "source_passage",
    )

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        return self.localized("text")

    @property
    def why(self) -> str:
        return self.localized("why")


class PatientChecklist(models.Model):
    """An admission on one template *version*: history keeps that version's wording."""

    admission = models.ForeignKey(
        Admission, verbose_name=_("admission"), on_delete=models.PROTECT, related_name="checklists"
    )
    # Kept beside the version so the database can say "one active checklist per template".
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.ForeignKey(
        TemplateVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="patient_checklists"
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("stopped by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    stop_reason = models.TextField(_("reason for stopping"), blank=True, default="")
    # Set when an admin moved the patient from an older version: the checklist this one continues.
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("continues"),
        on_delete=models.PROTECT,
        related_name="replaced_by",
        null=True,
        blank=True,
    )

    objects = querysets.PatientChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = _("patient checklist")
        verbose_name_plural = _("patient checklists")
        ordering = ["admission", "template__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["admission", "template"],
                condition=Q(stopped_at__isnull=True),
                name="one_active_checklist_per_template_and_admission",
            ),
            models.CheckConstraint(
                condition=Q(stopped_at__isnull=True) | ~Q(stop_reason=""),
                name="a_stopped_checklist_has_a_reason",
            ),
        ]

    def __str__(self):
        return f"{self.admission.patient.name}: {self.version}"

    @property
    def is_active(self) -> bool:
        return self.stopped_at is None


class CheckRecord(models.Model):
    """One nurse's record for one item in one shift. Never updated or deleted:
    a correction is a new record pointing at the one it corrects."""

    class Status(models.TextChoices):
        DONE = "done", _("Done")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")
        NOT_DONE = "not_done", _("Not done")

    checklist = models.ForeignKey(
        PatientChecklist, verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="records"
    )
    item = models.ForeignKey(TemplateItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="records")
    duty_date = models.DateField(_("duty date"))
    shift = models.ForeignKey(ShiftDefinition, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status)
    note = models.TextField(_("note"), blank=True, default="")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Source(models.TextChoices):
        SCREEN = "screen", _("Recorded on screen")
        PAPER = "paper", _("Transcribed from paper")

    # Paper records (downtime sheets) are typed in later: recorded_by/at then say who
    # transcribed them and when; duty_date and shift say when the care was given.
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.SCREEN)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        related_name="corrected_by",
        null=True,
        blank=True,
    )

    objects = querysets.CheckRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("check record")
        verbose_name_plural = _("check records")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["corrects"], name="a_record_is_corrected_at_most_once"),
            models.CheckConstraint(
                condition=Q(status="done") | ~Q(note=""), name="not_done_and_not_applicable_need_a_reason"
            ),
        ]
        indexes = [models.Index(fields=["checklist", "duty_date"], name="record_checklist_day_idx")]

    def __str__(self):
        return f"{self.item} — {self.get_status_display()}"


class AuditEvent(models.Model):
    """Who did what and when. Written by the service that makes the change, in the
    same transaction; append-only (no code path updates or deletes a row)."""

    class Action(models.TextChoices):
        PATIENT_ADMITTED = "patient_admitted", _("Patient admitted")
        PATIENT_TRANSFERRED = "patient_transferred", _("Patient transferred")
        PATIENT_DISCHARGED = "patient_discharged", _("Patient discharged")
        RISK_FACTOR_NOTED = "risk_factor_noted", _("Risk factor noted")
        RISK_FACTOR_REMOVED = "risk_factor_removed", _("Risk factor removed")
        CHECKLIST_STARTED = "checklist_started", _("Checklist started")
        CHECKLIST_STOPPED = "checklist_stopped", _("Checklist stopped")
        CHECK_RECORDED = "check_recorded", _("Check recorded")
        CHECK_CORRECTED = "check_corrected", _("Check corrected")
        TEMPLATE_CREATED = "template_created", _("Template created")
        TEMPLATE_IMPORTED = "template_imported", _("Template imported")
        DRAFT_CREATED = "draft_created", _("Draft created")
        DRAFT_EDITED = "draft_edited", _("Draft edited")
        VERSION_PUBLISHED = "version_published", _("Version published")
        VERSION_RETIRED = "version_retired", _("Version retired")
        CONTENT_CHANGED = "content_changed", _("Content changed")
        TEMPLATE_EDITED = "template_edited", _("Template edited")
        TEMPLATE_EXPORTED = "template_exported", _("Template exported")
        CHECKLIST_MOVED = "checklist_moved", _("Patient moved to a new version")
        CHECK_TRANSCRIBED = "check_transcribed", _("Paper record transcribed")
        EXAMINATION_PLANNED = "examination_planned", _("Examination planned")
        EXAMINATION_REMOVED = "examination_removed", _("Examination removed")
        PRINT_REQUESTED = "print_requested", _("Print run requested")

    at = models.DateTimeField(_("at"), default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    action = models.CharField(_("action"), max_length=40, choices=Action)
    ward = models.ForeignKey(
        Ward, verbose_name=_("ward"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    admission = models.ForeignKey(
        Admission, verbose_name=_("admission"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object ID"), max_length=40)
    object_repr = models.CharField(_("object"), max_length=200)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = querysets.AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}: {self.object_repr}"


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

    objects = querysets.PlannedExaminationQuerySet.as_manager()

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
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True, default="")
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("print run")
        verbose_name_plural = _("print runs")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.ward} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total_count) if self.total_count else 0
