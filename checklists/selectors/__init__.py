"""Reads that pages and printouts need, built from prefetched rows: what is due in a shift
and what has been recorded (``shift_work``), the ward board, the proposed checklists, a
stay's recent history, the handover, the bed history (who was on a ward during a shift) and
the risk factors a patient's age gives on a duty date. ``from checklists import selectors``
then ``selectors.<name>``.
"""

from .bed_history import Move, WardStay, last_move, left_the_ward, moves, stay_placements, ward_stays
from .board import BedRow, beds_and_patients, ward_board
from .checklist_history import HistoryBlock, HistoryRow, history
from .patient_age import age_band_on, factor_codes_on
from .proposals import Proposal, proposals_for
from .shift_handover import HandoverEntry, handover
from .shift_work import (
    BADGE_LABELS,
    BOARD_PREVIEW,
    SETTLED,
    ChecklistProgress,
    Frequency,
    ItemState,
    PatientShift,
    checklist_ids,
    patient_shift,
    patient_shifts,
)

__all__ = [
    "BADGE_LABELS",
    "BOARD_PREVIEW",
    "SETTLED",
    "BedRow",
    "ChecklistProgress",
    "Frequency",
    "HandoverEntry",
    "HistoryBlock",
    "HistoryRow",
    "ItemState",
    "Move",
    "PatientShift",
    "Proposal",
    "WardStay",
    "age_band_on",
    "beds_and_patients",
    "checklist_ids",
    "factor_codes_on",
    "handover",
    "history",
    "last_move",
    "left_the_ward",
    "moves",
    "patient_shift",
    "patient_shifts",
    "proposals_for",
    "stay_placements",
    "ward_board",
    "ward_stays",
]
