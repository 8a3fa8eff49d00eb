"""A stay's bed history: one placement per bed the patient lay in, from when, and who put them
there. Admission writes the first, each transfer appends one; nothing is ever updated or deleted
(on PostgreSQL the triggers of migration 0006 refuse it).

A placement has no end of its own: it ends when the next placement of the stay starts, or when
the stay is discharged, and is open while neither has happened. ``PlacementQuerySet.with_end``
derives the end in the query, so that "who was on this ward (or in this bed) between these two
moments" is one query for the handover of any past shift, the board and printouts.
``Admission.ward`` and ``Admission.bed`` stay as the cache of the last placement (where the
patient is now), written in the same transaction.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .reference import Bed, Ward
from .stays import Admission

# The rule the database enforces (one placement per stay and moment), in the service's words.
ONE_MOVE_PER_MOMENT = _("The patient was moved at this very moment already. Reload and try again.")


def _overlapping(start: datetime, end: datetime) -> Q:
    """Placements (annotated with ``ends_at``) that held the patient at some moment of [start, end)."""
    return Q(starts_at__lt=end) & (Q(ends_at__isnull=True) | Q(ends_at__gt=start))


class PlacementQuerySet(models.QuerySet):
    def with_end(self):
        """Each placement with ``ends_at``: the next placement's start, else the discharge, else None."""
        following = Placement.objects.filter(admission=OuterRef("admission"), starts_at__gt=OuterRef("starts_at"))
        next_start = Subquery(following.order_by("starts_at").values("starts_at")[:1])
        return self.annotate(ends_at=Coalesce(next_start, F("admission__discharged_at")))

    def during(self, start: datetime, end: datetime):
        """Placements that held their patient at some moment between ``start`` and ``end``."""
        return self.with_end().filter(_overlapping(start, end))

    def on_ward_during(self, ward: Ward, start: datetime, end: datetime):
        """Who was on ``ward`` at some moment between ``start`` and ``end`` (a shift, a day)."""
        return self.during(start, end).filter(ward=ward)

    def in_bed_during(self, bed: Bed, start: datetime, end: datetime):
        return self.during(start, end).filter(bed=bed)

    def of_stays_on_ward_during(self, ward: Ward, start: datetime, end: datetime, admission_ids=None):
        """Every placement of the stays that were on ``ward`` between ``start`` and ``end``, in
        order, each with ``ends_at`` and ``here``: whether it is one of those on the ward then.
        The placements before and after say where a patient came from and went to.
        ``admission_ids``: of those stays only."""
        stays = Placement.objects.on_ward_during(ward, start, end)
        if admission_ids is not None:
            stays = stays.filter(admission__in=admission_ids)
        stays = stays.values("admission_id")
        here = ExpressionWrapper(Q(ward=ward) & _overlapping(start, end), output_field=models.BooleanField())
        return (
            self.filter(admission__in=stays)
            .with_end()
            .annotate(here=here)
            .select_related("ward", "bed", "placed_by", "admission__patient")
            .order_by("admission_id", "starts_at")
        )


class Placement(models.Model):
    """From ``starts_at`` the stay's patient lay in ``bed`` of ``ward``, put there by ``placed_by``."""

    class Kind(models.TextChoices):
        ADMITTED = "admitted", _("Admitted")
        TRANSFERRED = "transferred", _("Transferred")

    admission = models.ForeignKey(
        Admission, verbose_name=_("admission"), on_delete=models.PROTECT, related_name="placements"
    )
    ward = models.ForeignKey(Ward, verbose_name=_("ward"), on_delete=models.PROTECT, related_name="+")
    bed = models.ForeignKey(Bed, verbose_name=_("bed"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    starts_at = models.DateTimeField(_("from"), default=timezone.now)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("bed history")
        ordering = ["admission", "starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["admission", "starts_at"],
                name="one_placement_per_stay_and_moment",
                violation_error_message=ONE_MOVE_PER_MOMENT,
            ),
        ]
        indexes = [
            models.Index(fields=["ward", "starts_at"], name="placement_ward_idx"),
            models.Index(fields=["starts_at"], name="placement_starts_idx"),  # the moves of a shift
        ]

    def __str__(self):
        return (
            f"{self.admission_id}: {self.ward.name} {self.bed.code} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"
        )
