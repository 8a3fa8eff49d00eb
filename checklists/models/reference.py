"""Reference data every ward shares: wards and their beds, the risk factors a patient
can have, and ``Bilingual`` for models worded in two languages (the shifts a ward runs are
in ``shift_patterns``).

The other model modules build on these; this one imports none of them.
"""

from django.conf import settings
from django.db import models
from django.db.models import FilteredRelation, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


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


class WardQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Nurses and leaders see the wards they work on; superusers see all."""
        if user.is_superuser:
            return self
        return self.filter(staff=user)


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
    # When the board warns about critical items still open: amber this many minutes before the
    # shift ends, red from this many minutes before it (0: at the end).
    overdue_warning_minutes = models.PositiveSmallIntegerField(
        _("warn before the shift ends (minutes)"),
        default=120,
        help_text=_("Critical items still open this long before the end of the shift turn amber on the board."),
    )
    overdue_minutes = models.PositiveSmallIntegerField(
        _("overdue before the shift ends (minutes)"),
        default=0,
        help_text=_("Critical items still open this long before the end of the shift (0: at the end) turn red."),
    )

    objects = WardQuerySet.as_manager()

    class Meta:
        verbose_name = _("ward")
        verbose_name_plural = _("wards")
        ordering = ["code"]
        # Being on a ward's staff is not enough to read its pages: the role must give this too
        # (nurse, shift leader). A ward member with no role gets 403 (views/access.py). The
        # quality pages need their own permission (nurses, leaders, checklist admins).
        permissions = [
            ("view_ward_pages", _("Can read the ward's pages, PDFs and print runs")),
            ("view_quality_pages", _("Can read the quality figures, charts and monthly reports")),
        ]

    def __str__(self):
        return self.name


class BedQuerySet(models.QuerySet):
    def empty(self):
        """Beds without an open admission. Admissions are a later concern (``stays``), so the
        query goes through the ``admissions`` relation instead of importing the model."""
        open_admission = FilteredRelation("admissions", condition=Q(admissions__discharged_at__isnull=True))
        return self.alias(open_admission=open_admission).filter(open_admission__isnull=True)

    def visible_to(self, user):
        return self.filter(ward__in=Ward.objects.visible_to(user))


class Bed(models.Model):
    ward = models.ForeignKey(Ward, verbose_name=_("ward"), on_delete=models.PROTECT, related_name="beds")
    code = models.CharField(_("bed"), max_length=20)
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = BedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        ordering = ["ward", "position", "code"]
        constraints = [
            models.UniqueConstraint(Lower("code"), "ward", name="bed_code_unique_per_ward_ignoring_case"),
        ]

    def __str__(self):
        return f"{self.ward.name} {self.code}"


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

    # Factors the app derives from the birth date, on each duty date: never noted by hand, and
    # a note of one made before they were derived (the child factor at admission) is not read.
    CHILD = "child"
    AGED_70_PLUS = "aged_70_plus"
    AGE_DERIVED = (CHILD, AGED_70_PLUS)

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


class QuickReasonQuerySet(models.QuerySet):
    def offered(self):
        """The chips the record dialog offers, in the admins' order."""
        return self.filter(is_active=True).order_by("position", "pk")


class QuickReason(Bilingual, models.Model):
    """A one-tap reason for "not done" or "not applicable" (入眠中, 拒否, ...), editable by admins.
    The record keeps the words, in the nurse's language, as its note: editing a reason later
    changes no record."""

    class Status(models.TextChoices):  # the CheckRecord statuses that need a reason
        NOT_DONE = "not_done", _("Not done")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    name_ja = models.CharField(_("reason (Japanese)"), max_length=60)
    name_en = models.CharField(_("reason (English)"), max_length=60, blank=True, default="")
    status = models.CharField(_("records as"), max_length=20, choices=Status, default=Status.NOT_DONE)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = QuickReasonQuerySet.as_manager()

    class Meta:
        verbose_name = _("quick reason")
        verbose_name_plural = _("quick reasons")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name
