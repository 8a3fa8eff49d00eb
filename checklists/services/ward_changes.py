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

from django.db import IntegrityError, connection, transaction

from ..models import Admission, StayChange, Ward, WardChangeCounter


def ward_changed(ward: Ward | int, *, stay: Admission | int | None = None) -> str:
    """Count one change of ``ward``'s pages; ``stay``: the change is that stay's own (its board
    row only). Callers are services, inside their transaction. The ward's rows token after the
    change (the key of what the ward's rows are drawn from, e.g. ``shifts.ward_calendar``)."""
    rows_token = ward_change_counted(ward, rows=stay is None)
    if stay is not None:
        stay_change_counted(stay)
    return rows_token


def ward_change_counted(ward: Ward | int, *, rows: bool) -> str:
    """One more change on the ward's counter (``rows``: every row of its board is drawn anew, a
    new rows token), and the rows token after it. The counter's row stays locked until the
    transaction ends, so callers lock the rows they write (a checklist, a stay) before they count."""
    ward_id = getattr(ward, "pk", ward)
    rows_token = _counted(ward_id, rows=rows)
    if rows_token is None:  # the ward's first change: its counter is made (here or by a parallel write)
        try:
            with transaction.atomic():
                WardChangeCounter.objects.create(ward_id=ward_id)
        except IntegrityError:
            pass
        rows_token = _counted(ward_id, rows=rows)
    return rows_token


def _counted(ward_id: int, *, rows: bool) -> str | None:
    """UPDATE … RETURNING: the count and the rows token written and the token read back in one
    statement (the ORM's ``update()`` returns no columns). None: the ward has no counter yet."""
    token_field = WardChangeCounter._meta.get_field("rows_token")
    quote = connection.ops.quote_name
    count, token = quote("count"), quote("rows_token")
    renew, params = (f", {token} = %s", [token_field.get_db_prep_value(uuid.uuid4(), connection)]) if rows else ("", [])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(WardChangeCounter._meta.db_table)} SET {count} = {count} + 1{renew} "
            f"WHERE {quote('ward_id')} = %s RETURNING {token}",
            [*params, ward_id],
        )
        found = cursor.fetchone()
    return None if found is None else token_field.to_python(found[0]).hex


def stay_change_counted(stay: Admission | int) -> None:
    """The stay's change token renewed: its board row is drawn anew."""
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
