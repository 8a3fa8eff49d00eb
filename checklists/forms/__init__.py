"""Forms check the shape of input; services check the rules.

One module per area, as the views are split: ``stays`` (admitting, risk factors, which
checklists run, transfer, discharge), ``recording`` (a tick), ``slots`` (which shift a page
shows), ``editor`` (checklist content), ``reference`` (risk factors as data),
``shift_patterns`` (shift patterns and each ward's pattern, from a duty date), ``printing``
(examinations, print runs, paper records), ``assessments`` (filling a scale, the scale
editor), ``scale_questions`` (a scale's draft one question or the bands at a time),
``events`` (safety events, teach-back, a quality page's period); ``fields`` holds what they
share.
"""

from .assessments import (
    AssessmentForm,
    ConditionChangeForm,
    ScaleDocumentForm,
    ScaleImportForm,
    ScalePublishForm,
    WardScaleSettingForm,
)
from .board import ALL, MINE, AssignmentsForm, BoardFilterForm, CareTakeForm, HandoverNoteForm
from .details import ItemDetailForm
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
from .events import MonthForm, PeriodForm, SafetyEventCorrectionForm, SafetyEventForm, TeachBackForm
from .fields import ModelMultipleChoiceField, RiskFactorChoiceField, RiskFactorsMixin
from .printing import ExaminationForm, PrintRunForm, TranscriptionForm
from .recording import RecordForm, RestForm
from .reference import RiskFactorForm
from .scale_questions import (
    BandFormSet,
    OptionFormSet,
    ScaleFingerprintForm,
    ScaleQuestionForm,
    factor_choices,
    question_key,
)
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
    "ALL",
    "MAX_IMPORT_BYTES",
    "MINE",
    "AdmissionForm",
    "AssessmentForm",
    "AssignmentsForm",
    "BandFormSet",
    "BaseShiftRows",
    "BoardFilterForm",
    "CareTakeForm",
    "ChecklistChoiceForm",
    "ConditionChangeForm",
    "DischargeForm",
    "EffectiveFromForm",
    "ExaminationForm",
    "HandoverNoteForm",
    "ItemDetailForm",
    "ItemMoveForm",
    "ModelMultipleChoiceField",
    "MonthForm",
    "MovePatientsForm",
    "OptionFormSet",
    "PeriodForm",
    "PrintRunForm",
    "PublishForm",
    "RecordForm",
    "RestForm",
    "RevisionForm",
    "RiskFactorChoiceField",
    "RiskFactorForm",
    "RiskFactorsForm",
    "RiskFactorsMixin",
    "SafetyEventCorrectionForm",
    "SafetyEventForm",
    "ScaleDocumentForm",
    "ScaleFingerprintForm",
    "ScaleImportForm",
    "ScalePublishForm",
    "ScaleQuestionForm",
    "ShiftPatternChangeForm",
    "ShiftPatternForm",
    "ShiftRowForm",
    "SlotForm",
    "TeachBackForm",
    "TemplateCreateForm",
    "TemplateExportForm",
    "TemplateImportForm",
    "TemplateItemForm",
    "TranscriptionForm",
    "TransferForm",
    "TriggersForm",
    "VersionDiffForm",
    "WardScaleSettingForm",
    "WardShiftPatternForm",
    "factor_choices",
    "question_key",
    "seed_document_names",
    "shift_rows",
]
