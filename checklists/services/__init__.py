"""Every write WardSafe makes. Each function owns its transaction, checks the rules,
raises ValidationError with a translated message when they are broken (leaving
nothing half-written), and writes the audit event in the same transaction.

Callers use the package, not its modules: ``from checklists import services`` then
``services.item_record(...)``. One module per concern:

- ``audit``: the one writer of audit rows;
- ``reference``: wards and beds, risk factors;
- ``shift_patterns``: shift patterns and their versions, each ward's pattern, from a duty date;
- ``stays``: admission, risk factors, the stay's checklists, transfer, discharge (each move
  appends to the bed history);
- ``identity``: who is admitted (hospital ID format, a possible second record, a rename);
- ``lookup``: the admission form's hospital-ID lookup (throttled, audited, the birth date first);
- ``recording``: records on a checklist, corrections, paper (downtime) transcription;
- ``editor``: templates and their drafts, publishing, triggers, moving patients;
- ``editor_items``: a draft's items and their rules (who and when an item applies to);
- ``interchange``: template export and import (``wardsafe-template/3``, reads ``/2`` and ``/1``);
- ``printing``: planned examinations and whole-ward print runs.
- ``editor``: templates, drafts and their items, publishing, triggers, moving patients;
- ``interchange``: template export and import (``wardsafe-template/1``);
- ``printing``: planned examinations and whole-ward print runs;
- ``assessments``: filled assessments and their corrections, changed conditions, the fall hook;
- ``scales``: assessment scales in the editor (import into a draft, publish, export, ward settings);
- ``scale_drafts``: a scale's draft edited one question, or the bands, at a time.
- ``care``: who has which patient in a shift (受け持ち), handover notes and 申し送り済み;
- ``ward_changes``: the per-ward change counter every write above bumps (the board's ETag).
- ``item_details``: the per-patient detail of an item (「歩行器使用・見守り」), set from the patient page;
- ``events``: safety events (falls, aspiration, delirium) and their corrections, teach-back audits;
- ``item_slots``: the due item-slots the quality figures count, kept with each record and refreshed per shift;
- ``printing``: planned examinations and whole-ward print runs.

``ValidationError`` is re-exported because it is what every service raises.
"""

from django.core.exceptions import ValidationError

from .assessments import (
    assessment_correct,
    assessment_record,
    assessment_score,
    band_for,
    condition_change_note,
    fall_event_reassessment_due,
)
from .audit import audit_event_write
from .care import ASSIGN_NURSES, care_assign, handover_acknowledge, handover_note_write
from .editor import (
    checklist_move_to_version,
    template_create,
    template_draft_create,
    template_publish,
    template_triggers_set,
)
from .editor_items import (
    ITEM_FIELDS,
    RULE_FIELDS,
    template_item_add,
    template_item_move,
    template_item_remove,
    template_item_update,
)
from .events import (
    RECENT_FALL,
    injury_scale_ship,
    recent_fall_factor,
    safety_event_correct,
    safety_event_record,
    teach_back_correct,
    teach_back_record,
)
from .identity import POSSIBLY_THE_SAME_PERSON, RENAME_UNCONFIRMED, birth_date_check
from .interchange import template_export, template_import, template_import_document, template_upgrade
from .item_details import detail_length_check, item_detail_set
from .item_slots import item_slot_record, item_slots_catch_up, item_slots_refresh
from .lookup import PatientLookup, patient_lookup
from .printing import (
    examination_plan,
    examination_remove,
    pdf_download_audit,
    print_run_fail,
    print_run_finish,
    print_run_progress,
    print_run_request,
    print_run_retry,
    print_run_start,
    print_run_task_set,
    print_runs_fail_stale,
    print_runs_prune,
)
from .recording import (
    NOTE_MAX_LENGTH,
    RECORDED_MEANWHILE,
    REPEAT_SECONDS,
    RecordedMeanwhile,
    item_record,
    latest_in_slot,
    record_correct,
)
from .reference import reference_data_save, risk_factor_create, ward_create
from .round import rest_record_done
from .scale_drafts import (
    scale_bands_save,
    scale_document_save,
    scale_editable_version,
    scale_fingerprint,
    scale_question_move,
    scale_question_remove,
    scale_question_save,
)
from .scales import (
    scale_document,
    scale_export,
    scale_import,
    scale_publish,
    shipped_scales_load,
    ward_scale_setting_set,
)
from .shift_patterns import (
    ShiftSpec,
    first_shift_pattern_id,
    shift_pattern_change,
    shift_pattern_create,
    ward_shift_pattern_set,
)
from .stays import (
    admission_discharge,
    admission_risk_factor_note,
    admission_risk_factor_remove,
    admission_risk_factors_change,
    admission_transfer,
    checklist_start,
    checklist_stop,
    checklists_apply,
    ensure_admission_open,
    patient_admit,
)
from .transcription import item_transcribe, records_transcribe
from .ward_changes import ward_changed, wards_changed

__all__ = [
    "ASSIGN_NURSES",
    "ITEM_FIELDS",
    "NOTE_MAX_LENGTH",
    "POSSIBLY_THE_SAME_PERSON",
    "RECENT_FALL",
    "RECORDED_MEANWHILE",
    "RENAME_UNCONFIRMED",
    "REPEAT_SECONDS",
    "RULE_FIELDS",
    "PatientLookup",
    "RecordedMeanwhile",
    "ShiftSpec",
    "ValidationError",
    "admission_discharge",
    "admission_risk_factor_note",
    "admission_risk_factor_remove",
    "admission_risk_factors_change",
    "admission_transfer",
    "assessment_correct",
    "assessment_record",
    "assessment_score",
    "audit_event_write",
    "band_for",
    "birth_date_check",
    "care_assign",
    "checklist_move_to_version",
    "checklist_start",
    "checklist_stop",
    "checklists_apply",
    "condition_change_note",
    "detail_length_check",
    "ensure_admission_open",
    "examination_plan",
    "examination_remove",
    "fall_event_reassessment_due",
    "first_shift_pattern_id",
    "handover_acknowledge",
    "handover_note_write",
    "injury_scale_ship",
    "item_detail_set",
    "item_record",
    "item_slot_record",
    "item_slots_catch_up",
    "item_slots_refresh",
    "item_transcribe",
    "latest_in_slot",
    "patient_admit",
    "patient_lookup",
    "pdf_download_audit",
    "print_run_fail",
    "print_run_finish",
    "print_run_progress",
    "print_run_request",
    "print_run_retry",
    "print_run_start",
    "print_run_task_set",
    "print_runs_fail_stale",
    "print_runs_prune",
    "recent_fall_factor",
    "record_correct",
    "records_transcribe",
    "reference_data_save",
    "rest_record_done",
    "risk_factor_create",
    "safety_event_correct",
    "safety_event_record",
    "scale_bands_save",
    "scale_document",
    "scale_document_save",
    "scale_editable_version",
    "scale_export",
    "scale_fingerprint",
    "scale_import",
    "scale_publish",
    "scale_question_move",
    "scale_question_remove",
    "scale_question_save",
    "shift_pattern_change",
    "shift_pattern_create",
    "shipped_scales_load",
    "teach_back_correct",
    "teach_back_record",
    "template_create",
    "template_draft_create",
    "template_export",
    "template_import",
    "template_import_document",
    "template_item_add",
    "template_item_move",
    "template_item_remove",
    "template_item_update",
    "template_publish",
    "template_triggers_set",
    "template_upgrade",
    "ward_changed",
    "ward_create",
    "ward_scale_setting_set",
    "ward_shift_pattern_set",
    "wards_changed",
]
