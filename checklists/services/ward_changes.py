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
    changes = {"count": F("count") + 1} | ({} if stay is not None else {"rows_token": uuid.uuid4()})
    _update_or_make(WardChangeCounter, {"ward_id": getattr(ward, "pk", ward)}, changes, count=1)
    if stay is not None:
        _update_or_make(StayChange, {"admission_id": getattr(stay, "pk", stay)}, {"token": uuid.uuid4()})


def stay_began(admission: Admission) -> None:
    """The new stay's change token, made with the stay: its changes are one UPDATE each."""
    StayChange.objects.create(admission=admission)


def _update_or_make(model, key: dict, changes: dict, **first) -> None:
    """One UPDATE of the row; the first time, the row is made (``first``: its starting values).
    Unlike ``update_or_create``, no SELECT … FOR UPDATE before the write."""
    if model.objects.filter(**key).update(**changes):
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, **first)
    except IntegrityError:  # another write made it a moment ago
        model.objects.filter(**key).update(**changes)


def wards_changed() -> None:
    """Count one change of every ward's pages (the shifts of a pattern several wards may run)."""
    for ward_id in Ward.objects.values_list("pk", flat=True):
        ward_changed(ward_id)
