"""What nurses record: the checklists a stay is on (each on one template version) and the
check records made for their items, shift by shift. Records are never updated or deleted.

The admission is named by the string ``"checklists.Admission"``: ``stays`` imports this
module (its querysets prefetch the checklists), so this one cannot import ``stays``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .content import ChecklistTemplate, TemplateItem, TemplateVersion
from .shift_patterns import ShiftDefinition

# Rules the database enforces, in the words a nurse reads when a form or service refuses first.
REASON_REQUIRED = _("Give a short reason for “not applicable” or “not done”.")
STOP_REASON_REQUIRED = _("Give a reason for stopping the checklist.")
ALREADY_CORRECTED = _("This record was already corrected. Correct the newer record instead.")
ALREADY_TRANSCRIBED = _("This item of this paper sheet was already transcribed for that shift.")
ALREADY_RECORDED = _("This form was already sent. Reload the page to record again.")


class PatientChecklistQuerySet(models.QuerySet):
    def active(self):
        return self.filter(stopped_at__isnull=True)

    def on_older_versions(self, template):
        """Running checklists of ``template`` on a version that is no longer the published one."""
        return (
            self.active()
            .filter(template=template)
            .exclude(version__status="published")
            .select_related("admission__ward", "admission__bed", "version")
            .order_by("admission__ward__code", "admission__bed__position", "admission__bed__code")
        )


class PatientChecklist(models.Model):
    """An admission on one template *version*: history keeps that version's wording."""

    admission = models.ForeignKey(
        "checklists.Admission", verbose_name=_("admission"), on_delete=models.PROTECT, related_name="checklists"
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

    objects = PatientChecklistQuerySet.as_manager()

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
                violation_error_message=STOP_REASON_REQUIRED,
            ),
        ]

    def __str__(self):
        return f"{self.admission.patient.name}: {self.version}"

    @property
    def is_active(self) -> bool:
        return self.stopped_at is None


class CheckRecordQuerySet(models.QuerySet):
    def standing(self):
        """Records that no later record corrects: the ones that count."""
        return self.filter(Q(corrected_by__isnull=True))

    def for_shift(self, duty_date, shift):
        return self.filter(duty_date=duty_date, shift=shift)

    def for_progress(self, checklist_ids, *, since):
        """The records that progress needs: from duty date ``since`` on, plus every
        record of once-per-admission items. Their items are not joined: the checklists'
        prefetched items are (``selectors.patient_shifts`` sets them), so that a 40-bed board
        does not build an item and a version for each of its thousand records."""
        return (
            self.filter(checklist_id__in=list(checklist_ids))
            .filter(Q(duty_date__gte=since) | Q(item__frequency="once"))
            .select_related("recorded_by", "shift")
        )

    def for_history(self, checklist_ids, *, since):
        return self.filter(checklist_id__in=list(checklist_ids), duty_date__gte=since).select_related(
            "recorded_by", "shift", "item__version"
        )


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
    # The downtime sheet a paper record was typed in from: the stay's code printed on the sheet
    # ("A12"). With the item and the slot it is the record's key, so a column typed in twice
    # is refused by the database. Empty for records made on screen, and for paper records
    # typed in before sheets were named (the key cannot cover those; the service still checks).
    paper_sheet = models.CharField(_("paper sheet"), max_length=20, blank=True, default="")
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        related_name="corrected_by",
        null=True,
        blank=True,
    )
    # The token of the form that posted it (one per rendered form): a replay of the same post (a
    # double tap, a retry after a lost response) finds this record instead of making a second.
    # Null for records from before tokens, transcribed ones and those made by scripts.
    request_token = models.UUIDField(_("form token"), null=True, blank=True, editable=False)

    objects = CheckRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("check record")
        verbose_name_plural = _("check records")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["corrects"],
                name="a_record_is_corrected_at_most_once",
                violation_error_message=ALREADY_CORRECTED,
            ),
            models.UniqueConstraint(
                fields=["request_token"],
                name="a_posted_form_makes_one_record",
                violation_error_message=ALREADY_RECORDED,
            ),
            models.CheckConstraint(
                condition=Q(status="done") | ~Q(note=""),
                name="not_done_and_not_applicable_need_a_reason",
                violation_error_message=REASON_REQUIRED,
            ),
            models.UniqueConstraint(
                fields=["paper_sheet", "item", "duty_date", "shift"],
                condition=~Q(paper_sheet=""),
                name="a_paper_sheet_is_transcribed_once_per_item_and_slot",
                violation_error_message=ALREADY_TRANSCRIBED,
            ),
            models.CheckConstraint(
                condition=Q(source="paper") | Q(paper_sheet=""),
                name="only_paper_records_name_a_sheet",
            ),
        ]
        indexes = [
            models.Index(fields=["checklist", "duty_date"], name="record_checklist_day_idx"),
            # The quality figures read a period of duty dates across every ward.
            models.Index(fields=["duty_date", "shift"], name="record_duty_date_idx"),
        ]

    def __str__(self):
        return f"{self.item} — {self.get_status_display()}"
