"""The ward board's rows, each drawn once for what it shows and kept in Django's cache.

A row's key names everything the row is drawn from: the bed and its code, the stay and the
patient's name, reading and birth date, the stay's change token (renewed by each write of the
stay's own: a record, a correction, an assessment, an assignment, a risk factor, a checklist
started, stopped or moved), the ward's rows token (renewed by every other write: an admission, a
transfer, a discharge, the ward's or a scale's settings), the shift slot, how late it is for the
slot's critical items, today's date (assessments fall due by the day), the language, and the
nurse who has the patient with whether she is the one asking (the 受け持つ button).

The tokens are read before anything the rows show, so a write committed while a row is drawn
leaves the row newer than its key, never older; the next request draws it again. After a write,
only the rows it changed are drawn; the others come from the cache. No entry is ever deleted:
an old key is simply not asked for again, and the cache drops it (``KEEP_SECONDS``).
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .. import selectors
from ..models import Admission, Bed, CareAssignment
from ..shifts import ShiftCalendar, ward_calendar

ROW = "checklists/board/_row.html"
KEEP_SECONDS = 12 * 60 * 60  # a long shift; a row not asked for that long is dropped
KEY_VERSION = 1  # bump when the row's template or what it is drawn from changes


@dataclass
class BoardFrame:
    """What every row of a ward's board stands in, as long as the ward's rows token holds: the
    beds in order with their open stay (and patient), and the ward's shift calendar. Only
    ward-wide writes change them (an admission, a transfer, a discharge, a bed or the ward edited,
    a shift pattern changed), and each of those renews the token."""

    beds: list  # (bed, its open admission with the patient, or None)
    calendar: ShiftCalendar


def board_frame(ward, rows_token: str) -> BoardFrame:
    """The ward's frame, from the cache under its rows token, else read (four queries) and kept."""
    key = f"board-frame:{KEY_VERSION}:{ward.pk}:{rows_token}"
    frame = cache.get(key) if rows_token else None
    if frame is None:
        beds = Bed.objects.filter(ward=ward).order_by("position", "code")
        stays = Admission.objects.open().filter(ward=ward).select_related("patient")
        by_bed = {admission.bed_id: admission for admission in stays}
        # The calendar under its own key as well: the one-tap record reads it from there.
        calendar = ward_calendar(ward.pk, rows_token) if rows_token else ShiftCalendar.for_ward(ward)
        frame = BoardFrame(beds=[(bed, by_bed.get(bed.pk)) for bed in beds], calendar=calendar)
        if rows_token:
            cache.set(key, frame, KEEP_SECONDS)
    return frame


def ward_moves(ward, slot, rows_token: str) -> dict:
    """``selectors.ward_moves`` of the slot, from the cache under the ward's rows token (moves and
    discharges renew it), else read (one or two queries) and kept."""
    key = f"board-moves:{KEY_VERSION}:{ward.pk}:{rows_token}:{slot.starts.isoformat()}"
    moves = cache.get(key) if rows_token else None
    if moves is None:
        moves = selectors.ward_moves(ward, slot)
        if rows_token:
            cache.set(key, moves, KEEP_SECONDS)
    return moves


@dataclass
class CachedRow:
    """A row as the cache keeps it: its HTML and what the board's filters ask of it."""

    bed: object
    admission: Admission | None  # with its patient (the search)
    nurse: object
    html: str
    has_open_critical: bool
    is_high_risk: bool
    patient_shift = None  # not read: the row was drawn by an earlier request

    def matches(self, words: str) -> bool:
        return selectors.bed_matches(self.bed, self.admission, words)


def _key(*, ward, bed, admission, stay_token: str, rows_token: str, slot, urgency, user, nurse) -> str:
    patient = admission.patient if admission else None
    parts = [
        KEY_VERSION,
        ward.pk,
        rows_token,
        ward.overdue_warning_minutes,
        ward.overdue_minutes,
        bed.pk,
        bed.code,
        admission.pk if admission else "",
        stay_token,
        (patient.name, patient.name_kana, patient.hospital_id, patient.birth_date) if patient else "",
        slot.starts.isoformat(),
        slot.shift.pk,
        urgency,
        timezone.localdate().isoformat(),
        get_language(),
        (nurse.pk, nurse.get_full_name(), nurse.username) if nurse else "",
        nurse is not None and nurse.pk == user.pk,
    ]
    return "board-row:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def board_rows(*, ward, beds: list, slot, previous, stays: dict, rows_token: str, user) -> list:
    """The board's rows in bed order: ``beds`` from the ward's ``board_frame``; ``stays`` is the
    ward's bed history during ``slot``; ``rows_token`` from ``selectors.ward_changes``, read
    before anything else. Rows in the cache cost nothing more; the others are read and drawn
    (``selectors.bed_rows``) and kept."""
    admissions = [admission for _, admission in beds if admission]
    tokens = selectors.stay_tokens(admissions)  # before the nurses, records and assessments
    nurses = CareAssignment.objects.current_by_admission(admissions, slot)
    urgency = selectors.urgency_at(ward, slot)
    keys = {
        bed.pk: _key(
            ward=ward,
            bed=bed,
            admission=admission,
            stay_token=tokens.get(admission.pk, "") if admission else "",
            rows_token=rows_token,
            slot=slot,
            urgency=urgency,
            user=user,
            nurse=nurses.get(admission.pk) if admission else None,
        )
        for bed, admission in beds
    }
    kept = cache.get_many(list(keys.values()))
    missing = [(bed, admission) for bed, admission in beds if keys[bed.pk] not in kept]
    drawn = _drawn(ward, missing, slot, previous, stays, nurses, user) if missing else {}
    cache.set_many({keys[bed_pk]: _kept(row) for bed_pk, row in drawn.items()}, KEEP_SECONDS)
    rows = []
    for bed, admission in beds:
        if bed.pk in drawn:
            rows.append(drawn[bed.pk])
            continue
        facts = kept[keys[bed.pk]]
        nurse = nurses.get(admission.pk) if admission else None
        html = mark_safe(facts["html"])  # drawn by our own template, escaped there
        rows.append(CachedRow(bed=bed, admission=admission, nurse=nurse, html=html, **facts["filters"]))
    return rows


def _drawn(ward, beds: list[tuple], slot, previous, stays, nurses, user) -> dict:
    """The rows of ``beds`` read in full and drawn, by bed id."""
    full = Admission.objects.filter(pk__in=[admission.pk for _, admission in beds if admission]).for_shift_work()
    by_pk = {admission.pk: admission for admission in full}
    pairs = [(bed, by_pk.get(admission.pk) if admission else None) for bed, admission in beds]
    rows = selectors.bed_rows(ward, pairs, slot, previous, stays, nurses)
    summaries = selectors.assessment_summaries(row.admission for row in rows if row.admission)
    template = get_template(ROW)
    for row in selectors.with_risk_levels(rows, summaries):
        summary = summaries.get(row.admission.pk) if row.admission else None
        row.html = template.render({"row": row, "ward": ward, "user": user, "summary": summary})
    return {row.bed.pk: row for row in rows}


def _kept(row) -> dict:
    return {
        "html": str(row.html),
        "filters": {"has_open_critical": row.has_open_critical, "is_high_risk": row.is_high_risk},
    }
