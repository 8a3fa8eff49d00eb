"""The audit trail: who did what and when, one append-only row per change."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .content import ChecklistTemplate
from .reference import Ward
from .stays import Admission


class AuditEventQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    def template_history(self, template):
        """What admins did to a template's content, newest first (nurses' records are left out)."""
        Action = AuditEvent.Action
        actions = [
            Action.TEMPLATE_CREATED,
            Action.TEMPLATE_IMPORTED,
            Action.TEMPLATE_EDITED,
            Action.TEMPLATE_EXPORTED,
            Action.DRAFT_CREATED,
            Action.DRAFT_EDITED,
            Action.VERSION_PUBLISHED,
            Action.VERSION_RETIRED,
            Action.CHECKLIST_MOVED,
        ]
        return self.filter(template=template, action__in=actions).select_related("actor", "ward").order_by("-at", "-id")


class AuditEvent(models.Model):
    """Who did what and when. Written by the service that makes the change, in the
    same transaction; append-only (no code path updates or deletes a row)."""

    class Action(models.TextChoices):
        PATIENT_ADMITTED = "patient_admitted", _("Patient admitted")
        PATIENT_TRANSFERRED = "patient_transferred", _("Patient transferred")
        PATIENT_DISCHARGED = "patient_discharged", _("Patient discharged")
        PATIENT_RENAMED = "patient_renamed", _("Patient renamed")
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
        VERSION_RETIRED = "version_retired", _("Version superseded")
        CONTENT_CHANGED = "content_changed", _("Content changed")
        TEMPLATE_EDITED = "template_edited", _("Template edited")
        TEMPLATE_EXPORTED = "template_exported", _("Template exported")
        CHECKLIST_MOVED = "checklist_moved", _("Patient moved to a new version")
        CHECK_TRANSCRIBED = "check_transcribed", _("Paper record transcribed")
        EXAMINATION_PLANNED = "examination_planned", _("Examination planned")
        EXAMINATION_REMOVED = "examination_removed", _("Examination removed")
        PRINT_REQUESTED = "print_requested", _("Print run requested")
        SHIFT_PATTERN_CREATED = "shift_pattern_created", _("Shift pattern created")
        SHIFT_PATTERN_CHANGED = "shift_pattern_changed", _("Shift times changed from a date")
        WARD_SHIFT_PATTERN_SET = "ward_shift_pattern_set", _("Ward's shift pattern set from a date")
        PDF_DOWNLOADED = "pdf_downloaded", _("PDF opened")
        PATIENT_LOOKED_UP = "patient_looked_up", _("Hospital ID looked up")
        ASSESSMENT_RECORDED = "assessment_recorded", _("Assessment recorded")
        ASSESSMENT_CORRECTED = "assessment_corrected", _("Assessment corrected")
        REASSESSMENT_DUE = "reassessment_due", _("Reassessment made due")
        SCALE_IMPORTED = "scale_imported", _("Scale imported")
        SCALE_EXPORTED = "scale_exported", _("Scale exported")
        SCALE_PUBLISHED = "scale_published", _("Scale version published")
        SCALE_SETTING_CHANGED = "scale_setting_changed", _("Ward's scale setting changed")
        CARE_ASSIGNED = "care_assigned", _("Patient assigned to a nurse")
        HANDOVER_NOTE_WRITTEN = "handover_note_written", _("Handover note written")
        HANDOVER_ACKNOWLEDGED = "handover_acknowledged", _("Handover acknowledged")
        SAFETY_EVENT_RECORDED = "safety_event_recorded", _("Safety event recorded")
        SAFETY_EVENT_CORRECTED = "safety_event_corrected", _("Safety event corrected")
        TEACH_BACK_RECORDED = "teach_back_recorded", _("Teach-back audit recorded")
        ITEM_DETAIL_SET = "item_detail_set", _("Per-patient item detail set")
        TEACH_BACK_CORRECTED = "teach_back_corrected", _("Teach-back audit corrected")

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

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["actor", "action", "at"], name="audit_actor_action_idx"),  # the lookup limit
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}: {self.object_repr}"
