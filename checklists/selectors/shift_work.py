"""What is due for a patient in a shift slot, and what has been recorded for it.

Derived from prefetched rows (only ``patient_shift`` queries: the records): the admissions
come with their active risk factors and active checklists (with version items) from
``AdmissionQuerySet``, and the check records of the window from
``CheckRecordQuerySet.for_progress``. Pages and printouts read these objects; templates
do not compute.

Which records count for an item depends on how often it is due:
every shift and as needed — records of this slot; once a day — records of this duty
date; once per admission — all records of the checklist. A record that a later record
corrects no longer counts (it is shown struck through).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from ..models import Admission, ChecklistTemplate, CheckRecord, Patient, PatientChecklist, TemplateItem
from ..shifts import ShiftSlot
from .patient_age import factor_codes_on

# Short words for the risk badges on the board and the bedside sheet.
BADGE_LABELS = {
    ChecklistTemplate.Category.FALL: _("Fall"),
    ChecklistTemplate.Category.ASPIRATION: _("Aspiration"),
    ChecklistTemplate.Category.DELIRIUM: _("Delirium"),
    ChecklistTemplate.Category.DEHYDRATION: _("Dehydration"),
    ChecklistTemplate.Category.EXPLANATION: _("Explanation"),
    ChecklistTemplate.Category.TREATMENT: _("Treatment"),
    ChecklistTemplate.Category.CONDITION: _("Condition"),
}

BOARD_PREVIEW = 3  # items listed per cell on the board; the rest is a count
SETTLED = (CheckRecord.Status.DONE, CheckRecord.Status.NOT_APPLICABLE)
Frequency = TemplateItem.Frequency


@dataclass
class ItemState:
    item: TemplateItem
    checklist: PatientChecklist
    records: list[CheckRecord] = field(default_factory=list)  # this window, oldest first, incl. corrected ones
    superseded: set[int] = field(default_factory=set)

    @property
    def standing(self) -> list[CheckRecord]:
        return [record for record in self.records if record.pk not in self.superseded]

    @property
    def latest(self) -> CheckRecord | None:
        standing = self.standing
        return standing[-1] if standing else None

    @property
    def status(self) -> str | None:
        latest = self.latest
        return latest.status if latest else None

    @property
    def counts(self) -> bool:
        """As-needed items are offered but not counted in progress."""
        return self.item.frequency != Frequency.AS_NEEDED

    @property
    def is_settled(self) -> bool:
        return self.status in SETTLED

    @property
    def is_open(self) -> bool:
        return self.counts and not self.is_settled

    @property
    def is_open_critical(self) -> bool:
        return self.item.is_critical and self.is_open

    @property
    def row_id(self) -> str:
        return f"item-{self.checklist.pk}-{self.item.pk}"


@dataclass
class ChecklistProgress:
    checklist: PatientChecklist
    items: list[ItemState]

    @property
    def template(self) -> ChecklistTemplate:
        return self.checklist.template

    @property
    def done_count(self) -> int:
        return sum(state.counts and state.is_settled for state in self.items)

    @property
    def due_count(self) -> int:
        return sum(state.counts for state in self.items)

    @property
    def is_complete(self) -> bool:
        return self.done_count == self.due_count

    @property
    def open_critical(self) -> list[ItemState]:
        return [state for state in self.items if state.is_open_critical]


@dataclass
class PatientShift:
    """One patient in one shift slot: the board row, the patient page, the handover entry."""

    admission: Admission
    slot: ShiftSlot
    checklists: list[ChecklistProgress]
    left_by_previous_shift: list[ItemState]

    @property
    def age(self) -> int:
        """The patient's age on the slot's duty date."""
        return self.admission.patient.age_on(self.slot.duty_date)

    @property
    def age_band(self) -> Patient.AgeBand:
        """Child, adult or 70 and over, on the slot's duty date."""
        return self.admission.patient.age_band_on(self.slot.duty_date)

    @property
    def categories(self) -> list[str]:
        """Risk badges: the categories of the active checklists, in template order."""
        seen = []
        for progress in self.checklists:
            if progress.template.category not in seen:
                seen.append(progress.template.category)
        return seen

    @property
    def badges(self) -> list[tuple[str, str]]:
        return [(category, BADGE_LABELS[category]) for category in self.categories]

    @property
    def open_critical(self) -> list[ItemState]:
        return [state for progress in self.checklists for state in progress.open_critical]

    @property
    def open_critical_preview(self) -> list[ItemState]:
        return self.open_critical[:BOARD_PREVIEW]

    @property
    def open_critical_more(self) -> int:
        return max(0, len(self.open_critical) - BOARD_PREVIEW)

    @property
    def left_preview(self) -> list[ItemState]:
        return self.left_by_previous_shift[:BOARD_PREVIEW]

    @property
    def left_more(self) -> int:
        return max(0, len(self.left_by_previous_shift) - BOARD_PREVIEW)

    @property
    def not_done(self) -> list[ItemState]:
        return [s for p in self.checklists for s in p.items if s.status == CheckRecord.Status.NOT_DONE]

    @property
    def notes(self) -> list[CheckRecord]:
        return [r for p in self.checklists for s in p.items for r in s.standing if r.note]


def _applies(item: TemplateItem, factor_codes: set[str]) -> bool:
    return item.only_if_id is None or item.only_if.code in factor_codes


def _in_window(record: CheckRecord, item: TemplateItem, slot: ShiftSlot) -> bool:
    if item.frequency == Frequency.ONCE:
        return True
    if item.frequency == Frequency.DAILY:
        return record.duty_date == slot.duty_date
    return record.duty_date == slot.duty_date and record.shift_id == slot.shift.pk


def _item_states(checklist, factor_codes, slot, records_by_item, superseded) -> list[ItemState]:
    states = []
    for item in checklist.version.items.all():
        if not _applies(item, factor_codes):
            continue
        in_window = [r for r in records_by_item.get((checklist.pk, item.key), []) if _in_window(r, item, slot)]
        states.append(ItemState(item=item, checklist=checklist, records=in_window, superseded=superseded))
    return states


def _left_undone(checklist, factor_codes, current, previous, records_by_item, superseded) -> list[ItemState]:
    """Every-shift items the previous slot left not done or unrecorded (if the checklist ran then)."""
    # The previous shift was current until this slot started: a checklist started later
    # (even during the handover overlap) was never that shift's to record.
    if checklist.started_at >= current.starts:
        return []
    states = _item_states(checklist, factor_codes, previous, records_by_item, superseded)
    return [state for state in states if state.item.frequency == Frequency.EVERY_SHIFT and not state.is_settled]


def patient_shifts(admissions, records, slot: ShiftSlot, previous: ShiftSlot | None = None) -> dict[int, PatientShift]:
    """PatientShift per admission id, from prefetched admissions and the window's records."""
    # A checklist moved to a newer version continues the one it replaces: the records made on
    # the old version (this shift, today, once per stay) still count, matched by item key.
    continues = {
        checklist.replaces_id: checklist.pk
        for admission in admissions
        for checklist in admission.active_checklists
        if checklist.replaces_id
    }
    records_by_item = defaultdict(list)
    superseded = set()
    for record in sorted(records, key=lambda r: (r.recorded_at, r.pk)):
        checklist_id = continues.get(record.checklist_id, record.checklist_id)
        records_by_item[(checklist_id, record.item.key)].append(record)
        if record.corrects_id:
            superseded.add(record.corrects_id)
    result = {}
    for admission in admissions:
        # The age-derived factors as they stand on each slot's duty date.
        codes = factor_codes_on(admission, slot.duty_date)
        codes_before = factor_codes_on(admission, previous.duty_date) if previous is not None else codes
        progress, left = [], []
        for checklist in admission.active_checklists:
            items = _item_states(checklist, codes, slot, records_by_item, superseded)
            progress.append(ChecklistProgress(checklist=checklist, items=items))
            if previous is not None and admission.admitted_at < slot.starts:
                left += _left_undone(checklist, codes_before, slot, previous, records_by_item, superseded)
        result[admission.pk] = PatientShift(
            admission=admission, slot=slot, checklists=progress, left_by_previous_shift=left
        )
    return result


def checklist_ids(admissions) -> list[int]:
    """The active checklists and the ones they continue (after a move to a newer version)."""
    ids = []
    for admission in admissions:
        for checklist in admission.active_checklists:
            ids += [checklist.pk, checklist.replaces_id] if checklist.replaces_id else [checklist.pk]
    return ids


def patient_shift(admission, slot: ShiftSlot, previous: ShiftSlot) -> PatientShift:
    """``admission`` comes from ``AdmissionQuerySet.for_shift_work``. One query: the records."""
    records = CheckRecord.objects.for_progress(checklist_ids([admission]), since=previous.duty_date)
    return patient_shifts([admission], records, slot, previous)[admission.pk]
