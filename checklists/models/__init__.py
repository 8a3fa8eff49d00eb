"""What is true on a ward, one module per concern: reference data (wards, beds, risk
factors), the shifts each ward runs (patterns with dated versions), stays, a stay's bed
history, checklist content, recording, the audit trail and printing.

Invariants live in the database as constraints; clinical foreign keys PROTECT. Every
write goes through ``checklists.services``; reads through the QuerySet defined beside
each model. ``from checklists.models import <Model>`` works for every model.
"""

from .audit import AuditEvent, AuditEventQuerySet
from .content import (
    ChecklistTemplate,
    ChecklistTemplateQuerySet,
    TemplateItem,
    TemplateVersion,
    TemplateVersionQuerySet,
)
from .history import Placement, PlacementQuerySet
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
    "AuditEvent",
    "AuditEventQuerySet",
    "Bed",
    "BedQuerySet",
    "Bilingual",
    "CheckRecord",
    "CheckRecordQuerySet",
    "ChecklistTemplate",
    "ChecklistTemplateQuerySet",
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
    "RiskFactor",
    "ShiftDefinition",
    "ShiftPattern",
    "ShiftPatternVersion",
    "ShiftPatternVersionQuerySet",
    "TemplateItem",
    "TemplateVersion",
    "TemplateVersionQuerySet",
    "Ward",
    "WardQuerySet",
    "WardShiftPattern",
]
