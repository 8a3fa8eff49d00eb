"""The per-ward change counter: every write that changes what a ward's pages show (records and
corrections, admissions, transfers, discharges, checklists started, stopped or moved, care
assignments, handover notes and acknowledgements, paper transcription) calls ``ward_changed``
inside its own transaction, so the counter moves if and only if the write is committed. The
board's ETag is made from it (``selectors.board_etag``): a tab that polls an unchanged ward gets
304 without the board being rendered.

A write that changes one stay's own row of the board (its records, assessments, nurse, risk
factors, checklists) names the stay: the stay's token is renewed and the board draws that row
anew, the others come from the cache (``checklists.views.board_rows``). Any other write renews
the ward's rows token: every row is drawn anew."""

import uuid

from django.db import IntegrityError, transaction
from django.db.models import F

from ..models import Admission, StayChange, Ward, WardChangeCounter


def ward_changed(ward: Ward | int, *, stay: Admission | int | None = None) -> None:
    """Count one change of ``ward``'s pages; ``stay``: the change is that stay's own (its board
    row only). Callers are services, inside their transaction."""
    ward_id = getattr(ward, "pk", ward)
    changes = {"count": F("count") + 1} if stay is not None else {"count": F("count") + 1, "rows_token": uuid.uuid4()}
    if not WardChangeCounter.objects.filter(ward_id=ward_id).update(**changes):
        try:  # the ward's first change: its counter row is made now
            with transaction.atomic():
                WardChangeCounter.objects.create(ward_id=ward_id, count=1)
        except IntegrityError:  # another write made it a moment ago
            WardChangeCounter.objects.filter(ward_id=ward_id).update(**changes)
    if stay is not None:
        _stay_changed(getattr(stay, "pk", stay))


def stay_began(admission: Admission) -> None:
    """The new stay's change token, made with the stay: its changes are one UPDATE each."""
    StayChange.objects.create(admission=admission)


def _stay_changed(admission_id: int) -> None:
    if StayChange.objects.filter(admission_id=admission_id).update(token=uuid.uuid4()):
        return
    try:  # the stay's first change
        with transaction.atomic():
            StayChange.objects.create(admission_id=admission_id)
    except IntegrityError:
        StayChange.objects.filter(admission_id=admission_id).update(token=uuid.uuid4())


def wards_changed() -> None:
    """Count one change of every ward's pages (the shifts of a pattern several wards may run)."""
    for ward_id in Ward.objects.values_list("pk", flat=True):
        ward_changed(ward_id)
