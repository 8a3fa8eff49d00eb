"""Forms check the shape of input; services check the rules.

One module per area, as the views are split: ``stays`` (admitting, risk factors, which
checklists run, transfer, discharge), ``recording`` (a tick), ``slots`` (which shift a page
shows), ``editor`` (checklist content), ``reference`` (risk factors as data),
``shift_patterns`` (shift patterns and each ward's pattern, from a duty date), ``printing``
(examinations, print runs, paper records); ``fields`` holds what they share.
"""

from .editor import (
    MAX_IMPORT_BYTES,
    ItemMoveForm,
    MovePatientsForm,
    PublishForm,
    RevisionForm,
    TemplateCreateForm,
    TemplateExportForm,
    TemplateImportForm,
    TemplateItemForm,
    TriggersForm,
    VersionDiffForm,
    seed_document_names,
)
from .fields import ModelMultipleChoiceField, RiskFactorChoiceField, RiskFactorsMixin
from .printing import ExaminationForm, PrintRunForm, TranscriptionForm
from .recording import RecordForm, RestForm
from .reference import RiskFactorForm
from .shift_patterns import (
    BaseShiftRows,
    EffectiveFromForm,
    ShiftPatternChangeForm,
    ShiftPatternForm,
    ShiftRowForm,
    WardShiftPatternForm,
    shift_rows,
)
from .slots import SlotForm
from .stays import AdmissionForm, ChecklistChoiceForm, DischargeForm, RiskFactorsForm, TransferForm

__all__ = [
    "MAX_IMPORT_BYTES",
    "AdmissionForm",
    "BaseShiftRows",
    "ChecklistChoiceForm",
    "DischargeForm",
    "EffectiveFromForm",
    "ExaminationForm",
    "ItemMoveForm",
    "ModelMultipleChoiceField",
    "MovePatientsForm",
    "PrintRunForm",
    "PublishForm",
    "RecordForm",
    "RestForm",
    "RevisionForm",
    "RiskFactorChoiceField",
    "RiskFactorForm",
    "RiskFactorsForm",
    "RiskFactorsMixin",
    "ShiftPatternChangeForm",
    "ShiftPatternForm",
    "ShiftRowForm",
    "SlotForm",
    "TemplateCreateForm",
    "TemplateExportForm",
    "TemplateImportForm",
    "TemplateItemForm",
    "TranscriptionForm",
    "TransferForm",
    "TriggersForm",
    "VersionDiffForm",
    "WardShiftPatternForm",
    "seed_document_names",
    "shift_rows",
]
