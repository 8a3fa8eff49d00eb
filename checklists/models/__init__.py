"""What is true on a ward, one module per concern: reference data (wards, beds, risk
factors), the shifts each ward runs (patterns with dated versions), stays, a stay's bed
history, checklist content, recording, assessment scales and what is recorded on them, the
audit trail and printing.
history, checklist content, recording, safety events and teach-back audits, the audit trail and printing.

Invariants live in the database as constraints; clinical foreign keys PROTECT. Every
write goes through ``checklists.services``; reads through the QuerySet defined beside
each model. ``from checklists.models import <Model>`` works for every model.
"""

from .assessment_records import (
    Assessment,
    AssessmentAnswer,
    AssessmentQuerySet,
    ReassessmentTrigger,
    ReassessmentTriggerQuerySet,
)
from .assessments import (
    Scale,
    ScaleBand,
    ScaleOption,
    ScaleQuerySet,
    ScaleQuestion,
    ScaleVersion,
    ScaleVersionQuerySet,
    WardBandCutoff,
    WardScaleSetting,
    WardScaleSettingQuerySet,
)
from .audit import AuditEvent, AuditEventQuerySet
from .care import (
    CareAssignment,
    CareAssignmentQuerySet,
    HandoverAcknowledgement,
    HandoverAcknowledgementQuerySet,
    HandoverNote,
    HandoverNoteQuerySet,
    StayChange,
    WardChangeCounter,
)
from .content import (
    ChecklistTemplate,
    ChecklistTemplateQuerySet,
    TemplateItem,
    TemplateItemQuerySet,
    TemplateVersion,
    TemplateVersionQuerySet,
)
from .details import ItemDetail, ItemDetailQuerySet
from .events import (
    InjuryLevel,
    SafetyEvent,
    SafetyEventQuerySet,
    TeachBackAudit,
    TeachBackAuditQuerySet,
)
from .history import Placement, PlacementQuerySet
from .item_rules import DueIn, ItemFactorRule
from .item_slots import ItemSlot, ItemSlotQuerySet, ItemSlotRefresh, StayItem
from .printing import PlannedExamination, PlannedExaminationQuerySet, PrintJob
from .recording import CheckRecord, CheckRecordQuerySet, PatientChecklist, PatientChecklistQuerySet
from .reference import (
    Bed,
    BedQuerySet,
    Bilingual,
    QuickReason,
    QuickReasonQuerySet,
    RiskFactor,
    Ward,
    WardQuerySet,
)
from .shift_patterns import (
    ShiftDefinition,
    ShiftPattern,
    ShiftPatternVersion,
    ShiftPatternVersionQuerySet,
    WardShiftPattern,
)
from .stays import (
    Admission,
    AdmissionQuerySet,
    AdmissionRiskFactor,
    AdmissionRiskFactorQuerySet,
    Patient,
    PatientQuerySet,
)

__all__ = [
    "Admission",
    "AdmissionQuerySet",
    "AdmissionRiskFactor",
    "AdmissionRiskFactorQuerySet",
    "Assessment",
    "AssessmentAnswer",
    "AssessmentQuerySet",
    "AuditEvent",
    "AuditEventQuerySet",
    "Bed",
    "BedQuerySet",
    "Bilingual",
    "CareAssignment",
    "CareAssignmentQuerySet",
    "CheckRecord",
    "CheckRecordQuerySet",
    "ChecklistTemplate",
    "ChecklistTemplateQuerySet",
    "DueIn",
    "HandoverAcknowledgement",
    "HandoverAcknowledgementQuerySet",
    "HandoverNote",
    "HandoverNoteQuerySet",
    "InjuryLevel",
    "ItemDetail",
    "ItemDetailQuerySet",
    "ItemFactorRule",
    "ItemSlot",
    "ItemSlotQuerySet",
    "ItemSlotRefresh",
    "Patient",
    "PatientChecklist",
    "PatientChecklistQuerySet",
    "PatientQuerySet",
    "Placement",
    "PlacementQuerySet",
    "PlannedExamination",
    "PlannedExaminationQuerySet",
    "PrintJob",
    "QuickReason",
    "QuickReasonQuerySet",
    "ReassessmentTrigger",
    "ReassessmentTriggerQuerySet",
    "RiskFactor",
    "SafetyEvent",
    "SafetyEventQuerySet",
    "Scale",
    "ScaleBand",
    "ScaleOption",
    "ScaleQuerySet",
    "ScaleQuestion",
    "ScaleVersion",
    "ScaleVersionQuerySet",
    "ShiftDefinition",
    "ShiftPattern",
    "ShiftPatternVersion",
    "ShiftPatternVersionQuerySet",
    "StayChange",
    "StayItem",
    "TeachBackAudit",
    "TeachBackAuditQuerySet",
    "TemplateItem",
    "TemplateItemQuerySet",
    "TemplateVersion",
    "TemplateVersionQuerySet",
    "Ward",
    "WardBandCutoff",
    "WardChangeCounter",
    "WardQuerySet",
    "WardScaleSetting",
    "WardScaleSettingQuerySet",
    "WardShiftPattern",
]
