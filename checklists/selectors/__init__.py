"""Reads that pages and printouts need, built from prefetched rows: what is due in a shift
and what has been recorded (``shift_work``), the ward board, the proposed checklists, a
stay's recent history and the handover. ``from checklists import selectors`` then
``selectors.<name>``.
"""

from .board import BedRow, beds_and_patients, ward_board
from .checklist_history import HistoryBlock, HistoryRow, history
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
    "PatientShift",
    "Proposal",
    "beds_and_patients",
    "checklist_ids",
    "handover",
    "history",
    "patient_shift",
    "patient_shifts",
    "proposals_for",
    "ward_board",
]
