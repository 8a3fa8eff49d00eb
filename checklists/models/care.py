"""What the ward's live pages need beyond the clinical record: a change counter per ward (every
write that changes what a ward's pages show bumps it, in the write's own transaction, so a page
can answer "nothing changed" cheaply, and a token per stay and per ward that says which board
rows must be drawn anew), and who has which patient in which shift (受け持ち).

Care assignments are append-only: a change of nurse, or "nobody", is a new row, and the latest
row of a patient's shift slot says who has the patient. The rows are the history of who had whom.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .reference import Ward
from .shift_patterns import ShiftDefinition
from .stays import Admission


class WardChangeCounter(models.Model):
    """How many times a ward's pages have changed; only ``services.ward_changed`` writes it."""

    ward = models.OneToOneField(
        Ward, verbose_name=_("ward"), on_delete=models.CASCADE, primary_key=True, related_name="change_counter"
    )
    count = models.PositiveBigIntegerField(_("changes"), default=0)
    # New at each change that is not one stay's own (an admission, a transfer, the ward's settings):
    # every row of the ward's board is drawn anew. A random token, not a count, so that a restored
    # backup can never bring back a token a cached row was drawn under.
    rows_token = models.UUIDField(_("rows token"), default=uuid.uuid4)

    class Meta:
        verbose_name = _("ward change counter")
        verbose_name_plural = _("ward change counters")

    def __str__(self):
        return f"{self.ward}: {self.count}"


class StayChange(models.Model):
    """New at each change of one stay's own (a record, an assessment, an assignment): its board
    row is drawn anew, the other rows come from the cache. Only ``services.ward_changed`` writes it."""

    admission = models.OneToOneField(
        Admission, verbose_name=_("admission"), on_delete=models.CASCADE, primary_key=True, related_name="change"
    )
    token = models.UUIDField(_("token"), default=uuid.uuid4)

    class Meta:
        verbose_name = _("stay change")
        verbose_name_plural = _("stay changes")

    def __str__(self):
        return f"{self.admission_id}: {self.token}"


class CareAssignmentQuerySet(models.QuerySet):
    def for_slot(self, slot):
        return self.filter(duty_date=slot.duty_date, shift=slot.shift)

    def current_by_admission(self, admissions, slot) -> dict:
        """The admission id → the nurse who has the patient in ``slot`` (absent: nobody). One query."""
        rows = (
            self.for_slot(slot)
            .filter(admission__in=list(admissions))
            .select_related("nurse")
            .order_by("admission_id", "assigned_at", "pk")
        )
        latest = {row.admission_id: row for row in rows}
        return {admission_id: row.nurse for admission_id, row in latest.items() if row.nurse_id is not None}


class CareAssignment(models.Model):
    """From ``assigned_at``, ``nurse`` has the patient of ``admission`` in the shift slot
    (``duty_date``, ``shift``); no nurse: nobody has the patient any more. Never updated."""

    admission = models.ForeignKey(
        Admission, verbose_name=_("admission"), on_delete=models.PROTECT, related_name="care_assignments"
    )
    duty_date = models.DateField(_("duty date"))
    shift = models.ForeignKey(ShiftDefinition, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="+")
    nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nurse"),
        on_delete=models.PROTECT,
        related_name="care_assignments",
        null=True,
        blank=True,
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now, editable=False)

    objects = CareAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("care assignment")
        verbose_name_plural = _("care assignments")
        ordering = ["duty_date", "shift", "admission", "assigned_at", "pk"]
        # Taking a patient oneself is add_careassignment (nurses); assigning others is the leader's.
        permissions = [("assign_nurses", _("Can assign nurses to patients"))]
        indexes = [models.Index(fields=["duty_date", "shift", "admission"], name="assignment_slot_idx")]

    def __str__(self):
        return f"{self.duty_date} {self.shift.code} {self.admission_id}: {self.nurse_id or '-'}"


class HandoverNoteQuerySet(models.QuerySet):
    def for_slot(self, slot):
        return self.filter(duty_date=slot.duty_date, shift=slot.shift)

    def latest_by_admission(self, admissions, slot) -> dict:
        """The admission id → the note written in ``slot`` that stands (the latest). One query."""
        rows = self.for_slot(slot).filter(admission__in=list(admissions)).select_related("written_by")
        return {row.admission_id: row for row in rows.order_by("admission_id", "written_at", "pk")}


class HandoverNote(models.Model):
    """What the nurse of a shift slot tells the next shift about a patient, in her own words.
    A new note on the same slot stands instead of the earlier one, which is kept (append-only)."""

    TEXT_MAX_LENGTH = 1000

    admission = models.ForeignKey(
        Admission, verbose_name=_("admission"), on_delete=models.PROTECT, related_name="handover_notes"
    )
    duty_date = models.DateField(_("duty date"))
    shift = models.ForeignKey(ShiftDefinition, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note for the next shift"), max_length=TEXT_MAX_LENGTH, blank=True, default="")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(_("written at"), default=timezone.now, editable=False)

    objects = HandoverNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover note")
        verbose_name_plural = _("handover notes")
        ordering = ["duty_date", "shift", "admission", "written_at", "pk"]
        indexes = [models.Index(fields=["duty_date", "shift", "admission"], name="handover_note_slot_idx")]

    def __str__(self):
        return f"{self.duty_date} {self.shift.code} {self.admission_id}"


class HandoverAcknowledgementQuerySet(models.QuerySet):
    def by_admission(self, admissions, slot) -> dict:
        """The admission id → the first 申し送り済み of the handover of ``slot``. One query."""
        rows = (
            self.filter(duty_date=slot.duty_date, shift=slot.shift, admission__in=list(admissions))
            .select_related("acknowledged_by")
            .order_by("admission_id", "-acknowledged_at", "-pk")
        )
        return {row.admission_id: row for row in rows}


class HandoverAcknowledgement(models.Model):
    """申し送り済み: the receiving nurse has taken over what the slot (``duty_date``, ``shift``)
    handed over about the patient. Never updated."""

    admission = models.ForeignKey(
        Admission, verbose_name=_("admission"), on_delete=models.PROTECT, related_name="handover_acknowledgements"
    )
    duty_date = models.DateField(_("duty date"))
    shift = models.ForeignKey(ShiftDefinition, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="+")
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("acknowledged by"), on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now, editable=False)

    objects = HandoverAcknowledgementQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover acknowledgement")
        verbose_name_plural = _("handover acknowledgements")
        ordering = ["duty_date", "shift", "admission", "acknowledged_at", "pk"]

    def __str__(self):
        return f"{self.duty_date} {self.shift.code} {self.admission_id}: {self.acknowledged_by_id}"
