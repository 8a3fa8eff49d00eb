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
- ``recording``: records on a checklist, corrections, paper (downtime) transcription;
- ``editor``: templates, drafts and their items, publishing, triggers, moving patients;
- ``interchange``: template export and import (``wardsafe-template/1``);
- ``printing``: planned examinations and whole-ward print runs.

``ValidationError`` is re-exported because it is what every service raises.
"""

from django.core.exceptions import ValidationError

from .audit import audit_event_write
from .editor import (
    ITEM_FIELDS,
    checklist_move_to_version,
    template_create,
    template_draft_create,
    template_item_add,
    template_item_move,
    template_item_remove,
    template_item_update,
    template_publish,
    template_triggers_set,
)
from .identity import POSSIBLY_THE_SAME_PERSON, RENAME_UNCONFIRMED, birth_date_check
from .interchange import template_export, template_import, template_import_document
from .printing import (
    examination_plan,
    examination_remove,
    pdf_download_audit,
    print_run_fail,
    print_run_finish,
    print_run_progress,
    print_run_request,
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
    item_transcribe,
    latest_in_slot,
    record_correct,
    records_transcribe,
)
from .reference import reference_data_save, risk_factor_create, ward_create
from .round import rest_record_done
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

__all__ = [
    "ITEM_FIELDS",
    "NOTE_MAX_LENGTH",
    "POSSIBLY_THE_SAME_PERSON",
    "RECORDED_MEANWHILE",
    "RENAME_UNCONFIRMED",
    "REPEAT_SECONDS",
    "RecordedMeanwhile",
    "ShiftSpec",
    "ValidationError",
    "admission_discharge",
    "admission_risk_factor_note",
    "admission_risk_factor_remove",
    "admission_risk_factors_change",
    "admission_transfer",
    "audit_event_write",
    "birth_date_check",
    "checklist_move_to_version",
    "checklist_start",
    "checklist_stop",
    "checklists_apply",
    "ensure_admission_open",
    "examination_plan",
    "examination_remove",
    "first_shift_pattern_id",
    "item_record",
    "item_transcribe",
    "latest_in_slot",
    "patient_admit",
    "pdf_download_audit",
    "print_run_fail",
    "print_run_finish",
    "print_run_progress",
    "print_run_request",
    "print_run_start",
    "print_run_task_set",
    "print_runs_fail_stale",
    "print_runs_prune",
    "record_correct",
    "records_transcribe",
    "reference_data_save",
    "rest_record_done",
    "risk_factor_create",
    "shift_pattern_change",
    "shift_pattern_create",
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
    "ward_create",
    "ward_shift_pattern_set",
]
