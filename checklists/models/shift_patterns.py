"""Which shifts a ward runs, and since when.

A *shift pattern* is a named day of shifts (三交代 日勤 / 準夜 / 深夜, 二交代 日勤 / 夜勤). Its times
live in numbered *versions*, each in force from a duty date: a change of times, a shift added or
switched off is a new version from a chosen duty date, so the slots before it keep the times they
had. A ward runs one pattern at a time, from a duty date (``WardShiftPattern``). Versions, their
shifts and the ward assignments are history: rows are only ever added (PostgreSQL refuses an
UPDATE or DELETE, migration 0008). ``checklists.shifts.ShiftCalendar`` reads them and answers
"which shift is it" for a ward at any moment.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .reference import Bilingual, Ward

# The rule the database enforces, in the words the shift form shows next to the end time.
SHIFT_NEEDS_A_LENGTH = _("A shift must end at another time than it starts.")


class ShiftPattern(Bilingual, models.Model):
    """A named day of shifts that wards run (三交代, 二交代). Its name may change; its times
    change only by a new version."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60, blank=True, default="")
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("shift pattern")
        verbose_name_plural = _("shift patterns")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class ShiftPatternVersionQuerySet(models.QuerySet):
    def with_shifts(self):
        return self.select_related("pattern", "created_by").prefetch_related("shifts")


class ShiftPatternVersion(models.Model):
    """The shifts of a pattern from a duty date on: in force from ``effective_from`` until a
    later version takes over (of two from the same date, the higher number)."""

    pattern = models.ForeignKey(
        ShiftPattern, verbose_name=_("shift pattern"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("in force from (duty date)"))
    note = models.TextField(_("note"), blank=True, default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = ShiftPatternVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift pattern version")
        verbose_name_plural = _("shift pattern versions")
        ordering = ["pattern", "effective_from", "number"]
        constraints = [
            models.UniqueConstraint(fields=["pattern", "number"], name="shift_pattern_version_numbers_unique"),
        ]

    def __str__(self):
        return f"{self.pattern} v{self.number} ({self.effective_from:%Y-%m-%d})"


class ShiftDefinition(Bilingual, models.Model):
    """One shift of a pattern version; it may cross midnight (ends before it starts). Never
    changed once made: check records name the shift (with its times) they were made in."""

    version = models.ForeignKey(
        ShiftPatternVersion, verbose_name=_("pattern version"), on_delete=models.PROTECT, related_name="shifts"
    )
    code = models.SlugField(_("code"), max_length=20)
    name_ja = models.CharField(_("name (Japanese)"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=40, blank=True, default="")
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    position = models.PositiveIntegerField(_("position"), default=0)
    # Night-only items (after a night-time sedative, night stimulation) are asked in these
    # shifts only: 準夜, 深夜, 夜勤 in the shipped patterns.
    is_night = models.BooleanField(
        _("night shift"), default=False, help_text=_("Items due in night shifts only are asked in this shift.")
    )

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["version", "position", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(starts_at=F("ends_at")),
                name="a_shift_has_a_length",
                violation_error_message=SHIFT_NEEDS_A_LENGTH,
            ),
            models.UniqueConstraint(fields=["version", "code"], name="shift_codes_unique_per_pattern_version"),
        ]

    def __str__(self):
        return f"{self.name} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def crosses_midnight(self) -> bool:
        return self.ends_at < self.starts_at


class WardShiftPattern(models.Model):
    """A ward runs ``pattern`` from the duty date ``effective_from`` until its next assignment
    (of two from the same date, the later one)."""

    ward = models.ForeignKey(Ward, verbose_name=_("ward"), on_delete=models.PROTECT, related_name="shift_patterns")
    pattern = models.ForeignKey(
        ShiftPattern, verbose_name=_("shift pattern"), on_delete=models.PROTECT, related_name="ward_assignments"
    )
    effective_from = models.DateField(_("in force from (duty date)"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("ward shift pattern")
        verbose_name_plural = _("ward shift patterns")
        ordering = ["ward", "effective_from", "pk"]

    def __str__(self):
        return f"{self.ward}: {self.pattern} ({self.effective_from:%Y-%m-%d})"
