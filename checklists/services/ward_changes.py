"""The per-ward change counter: every write that changes what a ward's pages show (records and
corrections, admissions, transfers, discharges, checklists started, stopped or moved, care
assignments, handover notes and acknowledgements, paper transcription) calls ``ward_changed``
inside its own transaction, so the counter moves if and only if the write is committed. The
board's ETag is made from it (``selectors.board_etag``): a tab that polls an unchanged ward gets
304 without the board being rendered."""

from django.db import IntegrityError, transaction
from django.db.models import F

from ..models import Ward, WardChangeCounter


def ward_changed(ward: Ward | int) -> None:
    """Count one change of ``ward``'s pages. Callers are services, inside their transaction."""
    ward_id = getattr(ward, "pk", ward)
    if WardChangeCounter.objects.filter(ward_id=ward_id).update(count=F("count") + 1):
        return
    try:  # the ward's first change: its counter row is made now
        with transaction.atomic():
            WardChangeCounter.objects.create(ward_id=ward_id, count=1)
    except IntegrityError:  # another write made it a moment ago
        WardChangeCounter.objects.filter(ward_id=ward_id).update(count=F("count") + 1)


def wards_changed() -> None:
    """Count one change of every ward's pages (the shifts of a pattern several wards may run)."""
    for ward_id in Ward.objects.values_list("pk", flat=True):
        ward_changed(ward_id)
