"""What happened to a patient that the checklists exist to prevent, and whether the patient
and family understood the plan: safety events (a fall, a suspected aspiration, a delirium
episode) with the hospital's own injury-level scale, and teach-back audits.

Both are append-only (on PostgreSQL the triggers of this branch's migration refuse UPDATE and
DELETE): a wrong event is put right by a correction, a new row that ``corrects`` the old one
and may withdraw it ("recorded in error"). Only standing rows (no later correction) count.
An event keeps the ward the patient lay on at that moment and which checklists, on which
versions, were running then (``active_checklists``), so that later moves do not rewrite it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .reference import Bilingual, Ward
from .stays import Admission

FALL_NEEDS_INJURY_LEVEL = _("Choose the injury level of the fall.")
CORRECTION_NEEDS_REASON = _("Give the reason for the correction.")
ONLY_A_CORRECTION_WITHDRAWS = _("Only a correction can withdraw an event.")
EVENT_ALREADY_CORRECTED = _("This event was already corrected. Correct the newer entry instead.")
TEACH_BACK_ALREADY_CORRECTED = _("This teach-back audit was already corrected. Correct the newer one instead.")


class InjuryLevel(Bilingual, models.Model):
    """One level of the hospital's injury scale (shipped: 影響度分類 0–5), editable by checklist
    admins; ``harm`` maps it to none / minor / major / death, which the figures count."""

    class Harm(models.TextChoices):
        NONE = "none", _("No injury")
        MINOR = "minor", _("Minor injury")
        MAJOR = "major", _("Major injury")
        DEATH = "death", _("Death")

    INJURIOUS = (Harm.MINOR, Harm.MAJOR, Harm.DEATH)

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True, default="")
    description_ja = models.TextField(_("description (Japanese)"), blank=True, default="")
    description_en = models.TextField(_("description (English)"), blank=True, default="")
    harm = models.CharField(_("harm"), max_length=10, choices=Harm)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("injury level")
        verbose_name_plural = _("injury levels")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


class SafetyEventQuerySet(models.QuerySet):
    def standing(self):
        """Entries no later correction replaces, withdrawn ones left out: the events that count."""
        return self.filter(corrected_by__isnull=True, withdrawn=False)

    def on_wards(self, wards):
        return self.filter(ward__in=wards)

    def between(self, start, end):
        return self.filter(occurred_at__gte=start, occurred_at__lt=end)

    def for_display(self):
        return self.select_related("ward", "injury_level", "recorded_by", "corrects").order_by("-occurred_at", "-id")


class SafetyEvent(models.Model):
    class Kind(models.TextChoices):
        FALL = "fall", _("Fall (転倒・転落)")
        ASPIRATION = "aspiration", _("Suspected aspiration (誤嚥・誤嚥性肺炎疑い)")
        DELIRIUM = "delirium", _("Delirium episode (せん妄発症)")

    class Place(models.TextChoices):
        BEDSIDE = "bedside", _("At the bedside")
        TOILET = "toilet", _("Toilet")
        BATHROOM = "bathroom", _("Bathroom")
        CORRIDOR = "corridor", _("Corridor")
        DAY_ROOM = "day_room", _("Day room")
        OTHER = "other", _("Elsewhere")

    class Witness(models.TextChoices):
        STAFF = "staff", _("Seen by staff")
        FAMILY = "family", _("Seen by family")
        OTHER = "other", _("Seen by someone else")
        NOBODY = "nobody", _("Not witnessed")

    admission = models.ForeignKey(
        Admission, verbose_name=_("admission"), on_delete=models.PROTECT, related_name="safety_events"
    )
    # Where the patient lay when it happened (the bed history), not where they are now.
    ward = models.ForeignKey(Ward, verbose_name=_("ward"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("event"), max_length=20, choices=Kind)
    occurred_at = models.DateTimeField(_("when"))
    # The ward-time date of ``occurred_at``, written by the service: the day the figures count
    # the event in and the end of the look-back at the checklist's completion.
    occurred_on = models.DateField(_("date"), editable=False)
    place = models.CharField(_("where"), max_length=20, choices=Place)
    description = models.TextField(_("what happened"))
    injury_level = models.ForeignKey(
        InjuryLevel, verbose_name=_("injury level"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    witness = models.CharField(_("witnessed"), max_length=10, choices=Witness)
    immediate_actions = models.TextField(_("immediate actions"), blank=True, default="")
    # [{"checklist": id, "template": code, "version": number}] running at ``occurred_at``.
    active_checklists = models.JSONField(_("checklists running then"), default=list, blank=True, editable=False)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        related_name="corrected_by",
        null=True,
        blank=True,
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True, default="")
    withdrawn = models.BooleanField(_("recorded in error"), default=False)

    objects = SafetyEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("safety event")
        verbose_name_plural = _("safety events")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["corrects"],
                name="an_event_is_corrected_at_most_once",
                violation_error_message=EVENT_ALREADY_CORRECTED,
            ),
            models.CheckConstraint(
                condition=~Q(kind="fall") | Q(injury_level__isnull=False) | Q(withdrawn=True),
                name="a_fall_has_an_injury_level",
                violation_error_message=FALL_NEEDS_INJURY_LEVEL,
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(correction_reason=""),
                name="a_correction_has_a_reason",
                violation_error_message=CORRECTION_NEEDS_REASON,
            ),
            models.CheckConstraint(
                condition=Q(withdrawn=False) | Q(corrects__isnull=False),
                name="only_a_correction_withdraws",
                violation_error_message=ONLY_A_CORRECTION_WITHDRAWS,
            ),
        ]
        indexes = [models.Index(fields=["ward", "occurred_at"], name="safety_event_ward_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {timezone.localtime(self.occurred_at):%Y-%m-%d %H:%M}"


class TeachBackAuditQuerySet(models.QuerySet):
    def standing(self):
        """Audits no later one corrects: the answers that count."""
        return self.filter(corrected_by__isnull=True)

    def on_wards(self, wards):
        return self.filter(ward__in=wards)

    def between(self, start, end):
        return self.filter(audited_at__gte=start, audited_at__lt=end)


class TeachBackAudit(models.Model):
    """The three teach-back questions asked of a patient or family (Fall TIPS' monthly audit):
    can they name the risks, the plan, and was the bedside sheet current and posted? An audit
    is compliant when all three are yes."""

    class Asked(models.TextChoices):
        PATIENT = "patient", _("Patient")
        FAMILY = "family", _("Family")

    admission = models.ForeignKey(
        Admission, verbose_name=_("admission"), on_delete=models.PROTECT, related_name="teach_back_audits"
    )
    ward = models.ForeignKey(Ward, verbose_name=_("ward"), on_delete=models.PROTECT, related_name="+")
    asked = models.CharField(_("asked"), max_length=10, choices=Asked)
    names_risks = models.BooleanField(_("names the risks"))
    names_plan = models.BooleanField(_("names the plan"))
    sheet_current = models.BooleanField(_("bedside sheet current and posted"))
    audited_at = models.DateTimeField(_("audited at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    # A correction is a new audit (same stay, ward and time) that replaces the one it corrects.
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        related_name="corrected_by",
        null=True,
        blank=True,
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True, default="")

    objects = TeachBackAuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("teach-back audit")
        verbose_name_plural = _("teach-back audits")
        ordering = ["-audited_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["corrects"],
                name="a_teach_back_is_corrected_at_most_once",
                violation_error_message=TEACH_BACK_ALREADY_CORRECTED,
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(correction_reason=""),
                name="a_teach_back_correction_has_a_reason",
                violation_error_message=CORRECTION_NEEDS_REASON,
            ),
        ]
        indexes = [models.Index(fields=["ward", "audited_at"], name="teach_back_ward_idx")]

    def __str__(self):
        return f"{self.get_asked_display()} {timezone.localtime(self.audited_at):%Y-%m-%d}"

    @property
    def is_compliant(self) -> bool:
        return self.names_risks and self.names_plan and self.sheet_current
