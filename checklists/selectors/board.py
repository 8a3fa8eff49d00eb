"""The ward board: every bed of a ward in order, each with its patient's shift, read at a glance.

One row per bed: the patient, who has the patient this shift (受け持ち), a small progress bar per
checklist, the critical items still open — amber from the ward's warning time before the shift
ends, red from its overdue time —, what the previous shift left, and 「チェックリスト未確認」 for
a patient with risk factors but no checklist confirmed. The filters (my patients, high risk,
critical still open) and the search (name, reading, bed, hospital ID) work on the rows already
read: the board's query count does not depend on the number of beds or on the filters.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from .. import roles
from ..models import Admission, CheckRecord
from ..models.stays import hospital_id_normalise
from ..shifts import ShiftSlot
from .bed_history import Move, WardStay
from .patient_age import factor_codes_on
from .shift_work import ChecklistProgress, PatientShift, checklist_ids, patient_shifts

ON_TIME = ""
WARNING = "warning"  # amber: the end of the shift is near
OVERDUE = "overdue"  # red: the shift is (nearly) over


@dataclass
class ProgressBar:
    progress: ChecklistProgress

    @property
    def percent(self) -> int:
        due = self.progress.due_count
        return round(100 * self.progress.done_count / due) if due else 100


@dataclass
class BedRow:
    bed: object
    patient_shift: PatientShift | None
    arrived: Move | None = None  # the patient came to this bed during the slot (from another bed or ward)
    nurse: object = None  # who has the patient this shift (受け持ち), or None
    urgency: str = ON_TIME  # of the critical items still open
    unconfirmed: bool = False  # risk factors, but no checklist confirmed
    # The stay's risk levels from its assessments (ScaleStatus with a band): ``with_risk_levels``.
    risk_chips: list = field(default_factory=list)
    html: str = ""  # the row as the board shows it (``checklists.views.board_rows``)

    @property
    def admission(self) -> Admission | None:
        return self.patient_shift.admission if self.patient_shift else None

    @property
    def bars(self) -> list[ProgressBar]:
        return [ProgressBar(progress) for progress in self.patient_shift.checklists] if self.patient_shift else []

    @property
    def done_count(self) -> int:
        """Items done this shift over all the patient's checklists (the row's overall bar)."""
        return sum(bar.progress.done_count for bar in self.bars)

    @property
    def due_count(self) -> int:
        return sum(bar.progress.due_count for bar in self.bars)

    @property
    def is_high_risk(self) -> bool:
        return any(status.band.is_high_risk for status in self.risk_chips)

    @property
    def has_open_critical(self) -> bool:
        return bool(self.patient_shift and (self.patient_shift.open_critical or self.critical_left))

    @property
    def critical_left(self) -> list:
        """Critical items the previous shift left: overdue whatever the time."""
        if not self.patient_shift:
            return []
        return [state for state in self.patient_shift.left_by_previous_shift if state.item.is_critical]

    def matches(self, words: str) -> bool:
        return bed_matches(self.bed, self.admission, words)


def bed_matches(bed, admission: Admission | None, words: str) -> bool:
    """The search: the patient's name or reading (spaces and width ignored), the bed, or the
    hospital ID, containing what was typed."""
    if admission is None:
        return False
    patient = admission.patient
    typed = _folded(words)
    names = (_folded(patient.name), _folded(patient.name_kana), _folded(bed.code))
    return any(typed in name for name in names) or hospital_id_normalise(words) in patient.hospital_id


def _folded(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


@dataclass
class Board:
    rows: list[BedRow]
    shown: list[BedRow]
    mine: bool  # the rows are the user's patients
    has_patients_of_mine: bool
    nurses: dict  # admission id → nurse, this shift


def urgency_at(ward, slot: ShiftSlot, now: datetime | None = None) -> str:
    """How late it is for the slot's critical items on ``ward`` (its thresholds)."""
    now = now or timezone.now()
    if now >= slot.ends - timedelta(minutes=ward.overdue_minutes):
        return OVERDUE
    if now >= slot.ends - timedelta(minutes=ward.overdue_warning_minutes):
        return WARNING
    return ON_TIME


def bed_rows(
    ward, beds: list[tuple], slot: ShiftSlot, previous: ShiftSlot, stays: dict[int, WardStay] | None, nurses: dict
) -> list[BedRow]:
    """The rows of ``beds``, (bed, its open admission from ``for_shift_work`` or None) pairs,
    with ``nurses`` (``CareAssignment.objects.current_by_admission``). One query: the records."""
    admissions = [admission for _, admission in beds if admission]
    records = CheckRecord.objects.for_progress(checklist_ids(admissions), since=previous.duty_date)
    shifts = patient_shifts(admissions, records, slot, previous)
    urgency = urgency_at(ward, slot)
    stays = stays or {}
    rows = []
    for bed, admission in beds:
        stay = stays.get(admission.pk) if admission else None
        shift = shifts[admission.pk] if admission else None
        row = BedRow(
            bed=bed,
            patient_shift=shift,
            arrived=stay.arrived if stay else None,
            nurse=nurses.get(admission.pk) if admission else None,
        )
        if shift is not None:
            row.urgency = OVERDUE if row.critical_left else (urgency if shift.open_critical else ON_TIME)
            row.unconfirmed = not shift.checklists and bool(factor_codes_on(admission, slot.duty_date))
        rows.append(row)
    return rows


def with_risk_levels(rows: list[BedRow], summaries: dict) -> list[BedRow]:
    """The rows with each stay's risk levels (``selectors.assessment_summaries``, by admission pk)
    filled in, so that the high-risk filter can pick them."""
    for row in rows:
        if row.admission is not None and row.admission.pk in summaries:
            row.risk_chips = summaries[row.admission.pk].risk_levels
    return rows


def board_for(rows: list[BedRow], user, *, show: str, critical: bool, high_risk: bool, q: str) -> Board:
    """The rows the filters leave. ``show``: "mine", "all", or "" for the user's default (her
    patients when she has any this shift, else the whole ward)."""
    has_mine = any(row.nurse == user for row in rows if row.nurse is not None)
    mine = show == "mine" or (show == "" and has_mine)
    shown = [
        row
        for row in rows
        if (not mine or row.nurse == user)
        and (not critical or row.has_open_critical)
        and (not high_risk or row.is_high_risk)
        and (not q or row.matches(q))
    ]
    if not (mine or critical or high_risk or q):
        shown = rows  # the whole ward, empty beds included
    nurses = {row.admission.pk: row.nurse for row in rows if row.admission and row.nurse}
    return Board(rows=rows, shown=shown, mine=mine, has_patients_of_mine=has_mine, nurses=nurses)


def ward_nurses(ward) -> list:
    """The ward's nurses and shift leaders, family name first (whom a patient can be assigned to)."""
    users = get_user_model().objects.filter(wards=ward, groups__name__in=[roles.NURSE, roles.SHIFT_LEADER])
    return list(users.distinct().order_by("last_name", "first_name", "username"))
