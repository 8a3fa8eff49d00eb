"""Reads that pages and printouts need, built from prefetched rows: what is due in a shift
and what has been recorded (``shift_work``), the ward board, the proposed checklists, a
stay's recent history, the handover, the bed history (who was on a ward during a shift), the
risk factors a patient's age gives on a duty date, the editor's shift pages and where each
stay stands on the assessment scales (``assessments``).
``from checklists import selectors`` then ``selectors.<name>``.
"""

from .assessments import (
    DUE,
    NOT_VALIDATED,
    UP_TO_DATE,
    AssessmentSummary,
    ScaleStatus,
    assessment_summaries,
    scale_status,
)
from .bed_history import Move, WardStay, last_move, left_the_ward, moves, stay_placements, ward_stays
from .board import (
    ON_TIME,
    OVERDUE,
    WARNING,
    BedRow,
    Board,
    ProgressBar,
    beds_and_patients,
    board_for,
    urgency_at,
    ward_board,
    ward_nurses,
    with_risk_levels,
)
from .board_tags import board_etag, board_unchanged, next_change_by_the_clock, ward_change_count
from .checklist_history import HistoryBlock, HistoryCell, HistoryColumn, HistoryRow, history
from .editor_patients import older_version_counts_by_ward
from .item_rules import Circumstances, Recipient, applying_items, item_applies, item_recipients
from .patient_age import age_band_on, factor_codes_on
from .proposals import Proposal, proposals_for
from .shift_handover import HandoverEntry, handover, has_started
from .shift_patterns import (
    CURRENT,
    EARLIER,
    UPCOMING,
    DatedRow,
    PatternOverview,
    WardOverview,
    patterns_overview,
    wards_overview,
)
from .shift_work import (
    BADGE_LABELS,
    BOARD_PREVIEW,
    SETTLED,
    ChecklistProgress,
    Frequency,
    ItemState,
    PatientShift,
    checklist_ids,
    lineage,
    lineage_prefetch,
    patient_shift,
    patient_shifts,
)

__all__ = [
    "BADGE_LABELS",
    "BOARD_PREVIEW",
    "CURRENT",
    "DUE",
    "EARLIER",
    "NOT_VALIDATED",
    "ON_TIME",
    "OVERDUE",  # the board's urgency; an assessment's overdue state is selectors.assessments.OVERDUE
    "SETTLED",
    "UPCOMING",
    "UP_TO_DATE",
    "WARNING",
    "AssessmentSummary",
    "BedRow",
    "Board",
    "ChecklistProgress",
    "Circumstances",
    "DatedRow",
    "Frequency",
    "HandoverEntry",
    "HistoryBlock",
    "HistoryCell",
    "HistoryColumn",
    "HistoryRow",
    "ItemState",
    "Move",
    "PatientShift",
    "PatternOverview",
    "ProgressBar",
    "Proposal",
    "Recipient",
    "ScaleStatus",
    "WardOverview",
    "WardStay",
    "age_band_on",
    "applying_items",
    "assessment_summaries",
    "beds_and_patients",
    "board_etag",
    "board_for",
    "board_unchanged",
    "checklist_ids",
    "factor_codes_on",
    "handover",
    "has_started",
    "history",
    "item_applies",
    "item_recipients",
    "last_move",
    "left_the_ward",
    "lineage",
    "lineage_prefetch",
    "moves",
    "next_change_by_the_clock",
    "older_version_counts_by_ward",
    "patient_shift",
    "patient_shifts",
    "patterns_overview",
    "proposals_for",
    "scale_status",
    "stay_placements",
    "urgency_at",
    "ward_board",
    "ward_change_count",
    "ward_nurses",
    "ward_stays",
    "wards_overview",
    "with_risk_levels",
]
