"""The gather step of the printouts: every query up front, into plain objects that the PDF
templates display — the bedside sheet (its critical items, its compact list by checklist and
its numbered footnotes to each item's provenance), the patient and family handout, and the
downtime (paper) sheet with the shift slots it covers. The sheet and the handout print each
item's bedside instruction (not the record wording) with the patient's detail beside it; the
downtime sheet keeps the record wording (its ticks are typed back in as records) and prints no
box where an item is not due in a slot (a night-only item in a day shift).

The admissions come from ``AdmissionQuerySet.for_shift_work``; which items apply to the patient
comes from ``selectors``. Nothing here lays out or renders: ``layout`` fits a bedside sheet on one
page, ``render`` turns these objects into PDF bytes.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import prefetch_related_objects
from django.utils import timezone

from .. import selectors
from ..models import (
    Admission,
    ChecklistTemplate,
    Patient,
    PatientChecklist,
    PlannedExamination,
    RiskFactor,
    TemplateItem,
)
from ..shifts import ShiftCalendar, ShiftSlot, shift_at
from .family_wording import CALL_WHEN, FAMILY_ACTIONS, ONLY_WITH_ITEM

RISK_FACTORS_SHOWN = 8  # on the sheet's header; the badges already show every area
DOWNTIME_SLOTS = 3
Category = ChecklistTemplate.Category


# --- the bedside sheet -------------------------------------------------------------------


@dataclass
class Note:
    """A footnote: where one or more items come from (a seed passage, or the institution)."""

    number: int
    document: str  # "" when the institution added the item
    passage: str  # the quoted passage, whitespace collapsed; the sheet prints its start


@dataclass
class SheetItem:
    item: TemplateItem
    checklist: PatientChecklist
    note: Note
    detail: str = ""  # the patient's detail of the item (「歩行器使用・見守り」), printed beside it

    @property
    def category(self) -> str:
        return self.checklist.template.category


@dataclass
class ItemGroup:
    """The items of one checklist in the compact list; ``continued`` when a column starts mid-group."""

    checklist: PatientChecklist
    items: list[SheetItem]
    continued: bool = False


@dataclass
class SourceGroup:
    document: str  # "" for the institution's own items
    notes: list[Note]


@dataclass
class BedsideSheet:
    admission: Admission
    printed_at: datetime
    badges: list[tuple[str, str]]
    age_band: str  # "child" or "70 and over" on the day printed, leading the factors; "" for an adult
    risk_factors: list[RiskFactor]  # the first RISK_FACTORS_SHOWN
    more_risk_factors: int
    critical: list[SheetItem]
    groups: list[ItemGroup]
    checklists: list[PatientChecklist]
    sources: list[SourceGroup]


class _Notes:
    """Numbers provenances in the order items are printed; items quoting the same passage share one."""

    def __init__(self):
        self.by_key: dict[tuple[str, str], Note] = {}

    def note_for(self, item: TemplateItem) -> Note:
        key = (
            ("", "") if item.source == TemplateItem.Source.INSTITUTION else (item.source_document, item.source_passage)
        )
        if key not in self.by_key:
            self.by_key[key] = Note(number=len(self.by_key) + 1, document=key[0], passage=" ".join(key[1].split()))
        return self.by_key[key]

    def groups(self) -> list[SourceGroup]:
        """Seed documents by name, the institution last."""
        by_document: dict[str, list[Note]] = {}
        for note in self.by_key.values():
            by_document.setdefault(note.document, []).append(note)
        documents = sorted(by_document, key=lambda name: (name == "", name))
        return [SourceGroup(document=name, notes=by_document[name]) for name in documents]


def bedside_sheets(admissions: Iterable[Admission], *, at: datetime | None = None) -> list[BedsideSheet]:
    """One sheet per admission: critical items first (large), then the other items by checklist.

    ``admissions`` come from ``for_shift_work()`` (four queries when a queryset is passed);
    two more per ward read its shifts. Check records are not printed, so none are read.
    """
    admissions = list(admissions)
    at = at or timezone.now()
    wards: dict[int, list[Admission]] = {}
    for admission in admissions:
        wards.setdefault(admission.ward_id, []).append(admission)
    shifts = {}
    for on_ward in wards.values():
        shifts |= selectors.patient_shifts(on_ward, [], shift_at(at, ward=on_ward[0].ward), whole_day=True)
    selectors.details_attach(shifts.values())  # one query for every sheet
    return [_bedside_sheet(shifts[admission.pk], timezone.localtime(at)) for admission in admissions]


def _detail(state: selectors.ItemState) -> str:
    return state.detail.text if state.detail is not None else ""


def _sheet_item(state: selectors.ItemState, notes: _Notes) -> SheetItem:
    return SheetItem(item=state.item, checklist=state.checklist, note=notes.note_for(state.item), detail=_detail(state))


def _bedside_sheet(patient_shift: selectors.PatientShift, printed_at: datetime) -> BedsideSheet:
    notes = _Notes()
    states = [state for checklist in patient_shift.checklists for state in checklist.items]
    critical = [_sheet_item(state, notes) for state in states if state.item.is_critical]
    groups = []
    for checklist in patient_shift.checklists:
        entries = [_sheet_item(state, notes) for state in checklist.items if not state.item.is_critical]
        if entries:
            groups.append(ItemGroup(checklist=checklist.checklist, items=entries))
    admission = patient_shift.admission
    # The age band is printed beside the factors; a stored child note is not read (selectors.patient_age).
    factors = [note.risk_factor for note in admission.noted_risk_factor_notes]
    return BedsideSheet(
        admission=admission,
        printed_at=printed_at,
        badges=patient_shift.badges,
        age_band="" if patient_shift.age_band == Patient.AgeBand.ADULT else str(patient_shift.age_band.label),
        risk_factors=factors[:RISK_FACTORS_SHOWN],
        more_risk_factors=max(0, len(factors) - RISK_FACTORS_SHOWN),
        critical=critical,
        groups=groups,
        checklists=[checklist.checklist for checklist in patient_shift.checklists],
        sources=notes.groups(),
    )


# --- the handout and the downtime sheet --------------------------------------------------


HANDOUT_WHY = 1  # reasons ("why we are careful") per area, besides the patient's own risk factors
HANDOUT_ACTIONS = 3  # things the ward does, per area


@dataclass
class HandoutLine:
    """An item as the handout prints it: its bedside instruction and the patient's detail."""

    item: TemplateItem
    detail: str = ""


@dataclass
class HandoutArea:
    checklist: PatientChecklist
    reasons: list[RiskFactor]  # the patient's factors that started this checklist
    why: list[str]
    ward_does: list[HandoutLine]
    family_can_do: list[str]
    call_when: str

    @property
    def category(self) -> str:
        return self.checklist.template.category


@dataclass
class Handout:
    admission: Admission
    printed_at: datetime
    areas: list[HandoutArea]
    examinations: list[PlannedExamination]


def handout(admission: Admission, *, at: datetime | None = None) -> Handout:
    """The areas the patient's checklists cover, in plain words, and the planned examinations.

    ``admission`` comes from ``for_shift_work()``; five queries: the ward's shifts (two), the
    items' per-patient details, the templates' trigger factors and the examinations. The
    explanation checklist is the nurses' own guide to this conversation, so it is not an area of
    its own. Each item prints its bedside instruction and the patient's detail; the family
    wording follows the item rules for the patient (family_wording.ONLY_WITH_ITEM).
    """
    at = at or timezone.now()
    patient_shift = selectors.patient_shifts([admission], [], shift_at(at, ward=admission.ward), whole_day=True)[
        admission.pk
    ]
    selectors.details_attach([patient_shift])
    prefetch_related_objects([p.checklist.template for p in patient_shift.checklists], "triggers")
    codes = selectors.factor_codes_on(admission, patient_shift.slot.duty_date)
    areas = []
    for checklist_progress in patient_shift.checklists:
        template = checklist_progress.template
        if template.category == Category.EXPLANATION:
            continue
        states = sorted(checklist_progress.items, key=lambda s: (not s.item.is_critical, s.item.position))
        items = [state.item for state in states]
        why = list(dict.fromkeys(item.why for item in items if item.why))[:HANDOUT_WHY]
        areas.append(
            HandoutArea(
                checklist=checklist_progress.checklist,
                reasons=[factor for factor in template.triggers.all() if factor.code in codes],
                why=why,
                ward_does=[
                    HandoutLine(item=state.item, detail=_detail(state))
                    for state in states
                    if state.item.frequency != TemplateItem.Frequency.AS_NEEDED
                ][:HANDOUT_ACTIONS],
                family_can_do=[
                    str(text)
                    for text in FAMILY_ACTIONS.get(template.category, [])
                    if ONLY_WITH_ITEM.get(id(text), None) in (None, *(item.key for item in items))
                ],
                call_when=str(CALL_WHEN.get(template.category, "")),
            )
        )
    examinations = list(PlannedExamination.objects.current().filter(admission=admission))
    return Handout(admission=admission, printed_at=timezone.localtime(at), areas=areas, examinations=examinations)


@dataclass
class DowntimeRow:
    """An item across the sheet's slots: ``due[i]`` is False where the item is not asked in
    slot ``i`` (a night-only item in a day shift): that column prints no box."""

    item: TemplateItem
    due: list[bool]


@dataclass
class DowntimeGroup:
    checklist: PatientChecklist
    items: list[TemplateItem]
    rows: list[DowntimeRow]


@dataclass
class DowntimeSheet:
    admission: Admission
    printed_at: datetime
    slots: list[ShiftSlot]
    groups: list[DowntimeGroup]

    @property
    def checklists(self) -> list[PatientChecklist]:
        return [group.checklist for group in self.groups]


def downtime_slots(
    at: datetime | None = None, *, calendar: ShiftCalendar, count: int = DOWNTIME_SLOTS
) -> list[ShiftSlot]:
    """The ward's current shift slot and the ones after it (in the pattern in force on each date)."""
    slots = [calendar.shift_at(at)]
    while len(slots) < count:
        slots.append(calendar.slot_after(slots[-1]))
    return slots


def downtime_sheet(admission: Admission, *, at: datetime | None = None, count: int = DOWNTIME_SLOTS) -> DowntimeSheet:
    """Every item that applies to the patient, by checklist, for the next ``count`` shift slots.

    ``admission`` comes from ``for_shift_work()``; two queries: the ward's shifts.
    """
    at = at or timezone.now()
    slots = downtime_slots(at, calendar=ShiftCalendar.for_ward(admission.ward), count=count)
    patient_shift = selectors.patient_shifts([admission], [], slots[0], whole_day=True)[admission.pk]
    circumstances = [selectors.Circumstances.of(admission, slot.duty_date, slot.shift) for slot in slots]
    groups = [
        DowntimeGroup(
            checklist=p.checklist,
            items=[state.item for state in p.items],
            rows=[
                DowntimeRow(item=state.item, due=[selectors.item_applies(state.item, c) for c in circumstances])
                for state in p.items
            ],
        )
        for p in patient_shift.checklists
    ]
    return DowntimeSheet(admission=admission, printed_at=timezone.localtime(at), slots=slots, groups=groups)
