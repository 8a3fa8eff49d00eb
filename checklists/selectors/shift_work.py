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

A checklist moved to a newer version continues the one it replaces, and that one may continue
another (v1 → v2 → v3): the records of every version count, matched by item key, and each
keeps the wording of the item it was made on. ``checklist_ids`` reads these earlier versions
(one query, two when there are any) and the others find them on the admission.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Admission, ChecklistTemplate, CheckRecord, ItemDetail, Patient, PatientChecklist, TemplateItem
from ..names import staff_name
from ..shifts import ShiftSlot
from .item_rules import Circumstances, item_applies

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
# What a row's button says once the item has a record: 「実施済 07:02 看護 花子」.
RECORDED_LABELS = {
    CheckRecord.Status.DONE: _("Done (recorded)"),
    CheckRecord.Status.NOT_APPLICABLE: _("Not applicable"),
    CheckRecord.Status.NOT_DONE: _("Not done"),
}


@dataclass
class ItemState:
    item: TemplateItem
    checklist: PatientChecklist
    records: list[CheckRecord] = field(default_factory=list)  # this window, oldest first, incl. corrected ones
    superseded: set[int] = field(default_factory=set)
    detail: ItemDetail | None = None  # the patient's detail of the item, when read (item_details)

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
    def seen(self) -> int:
        """The pk of the record this view shows as standing (0: none): a post says what it saw."""
        latest = self.latest
        return latest.pk if latest else 0

    @property
    def summary(self) -> str:
        """「実施済 07:02 看護 花子」: the standing record, in a word, a time and a name."""
        latest = self.latest
        if latest is None:
            return ""
        at = timezone.localtime(latest.recorded_at).strftime("%H:%M")
        return f"{RECORDED_LABELS[latest.status]} {at} {staff_name(latest.recorded_by)}"

    @property
    def is_folded(self) -> bool:
        """Folded away on the round: as-needed items, and once-per-stay items already settled."""
        return self.item.frequency == Frequency.AS_NEEDED or (self.item.frequency == Frequency.ONCE and self.is_settled)

    @property
    def row_id(self) -> str:
        return f"item-{self.checklist.pk}-{self.item.pk}"

    @property
    def lines(self) -> list[tuple[CheckRecord, TemplateItem | None]]:
        """Each record of the window, with the item it was made on when that is another version's
        (before a move): the record is shown in that version's wording."""
        return [(record, record.item if record.item_id != self.item.pk else None) for record in self.records]


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

    @property
    def round_order(self) -> list[ItemState]:
        """The rows of the round, unfolded: due items first (critical ones first), then the settled."""
        shown = [state for state in self.items if not state.is_folded]
        return sorted(shown, key=lambda state: (not state.is_open, not state.item.is_critical))

    @property
    def folded(self) -> list[ItemState]:
        return [state for state in self.items if state.is_folded]

    @property
    def rest(self) -> list[ItemState]:
        """What "the rest: done" records: open items that are not critical and have no record of
        this window (an item recorded "not done" with a reason is left as the nurse said)."""
        return [state for state in self.items if state.is_open and not state.item.is_critical and not state.latest]


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
    def rest(self) -> list[ItemState]:
        return [state for progress in self.checklists for state in progress.rest]

    @property
    def not_done(self) -> list[ItemState]:
        return [s for p in self.checklists for s in p.items if s.status == CheckRecord.Status.NOT_DONE]

    @property
    def notes(self) -> list[CheckRecord]:
        return [r for p in self.checklists for s in p.items for r in s.standing if r.note]


def _in_window(record: CheckRecord, item: TemplateItem, slot: ShiftSlot) -> bool:
    if item.frequency == Frequency.ONCE:
        return True
    if item.frequency == Frequency.DAILY:
        return record.duty_date == slot.duty_date
    return record.duty_date == slot.duty_date and record.shift_id == slot.shift.pk


def _item_states(checklist, circumstances, slot, records_by_item, superseded, *, shown=None) -> list[ItemState]:
    """The states of ``checklist``'s items in ``slot``; the records are filed under the checklist
    ``shown`` on the page (the newest of a chain of versions; by default ``checklist`` itself)."""
    shown = shown or checklist
    states = []
    for item in checklist.version.items.all():
        if not item_applies(item, circumstances):
            continue
        in_window = [r for r in records_by_item.get((shown.pk, item.key), []) if _in_window(r, item, slot)]
        states.append(ItemState(item=item, checklist=checklist, records=in_window, superseded=superseded))
    return states


def lineage_prefetch() -> Prefetch:
    """An admission's checklists that a move to a newer version replaced, with their items."""
    items = TemplateItem.objects.with_rules()
    replaced = (
        PatientChecklist.objects.filter(replaced_by__isnull=False)
        .select_related("version")
        .prefetch_related(Prefetch("version__items", queryset=items))
    )
    return Prefetch("checklists", queryset=replaced, to_attr="replaced_checklists")


def lineage(checklist: PatientChecklist, known: dict[int, PatientChecklist]) -> list[PatientChecklist]:
    """``checklist`` and the versions it continues, newest first (as far as ``known`` has them)."""
    chain = [checklist]
    while chain[-1].replaces_id in known and len(chain) <= len(known):
        chain.append(known[chain[-1].replaces_id])
    return chain


def _chains(admission) -> list[list[PatientChecklist]]:
    """The checklists a page shows for the admission, each with the versions it continues. Of
    a move during the slot (both versions ran in it), only the newer one is shown."""
    checklists = list(admission.active_checklists)
    known = {c.pk: c for c in getattr(admission, "replaced_checklists", [])} | {c.pk: c for c in checklists}
    continued = {checklist.replaces_id for checklist in checklists}
    return [lineage(checklist, known) for checklist in checklists if checklist.pk not in continued]


def _left_undone(chain, circumstances, current, previous, records_by_item, superseded) -> list[ItemState]:
    """Every-shift items the previous slot left not done or unrecorded (if the checklist ran then),
    in the version the previous shift worked on: a move since changes neither what it left nor
    its wording."""
    # The previous shift was current until this slot started: a checklist started later
    # (even during the handover overlap) was never that shift's to record.
    if chain[-1].started_at >= current.starts:
        return []
    worked_on = next(checklist for checklist in chain if checklist.started_at < current.starts)
    states = _item_states(worked_on, circumstances, previous, records_by_item, superseded, shown=chain[0])
    return [state for state in states if state.item.frequency == Frequency.EVERY_SHIFT and not state.is_settled]


def _with_items(records, chains) -> list[CheckRecord]:
    """``records`` (``for_progress``: without their items) with each record's item set from the
    items the chains' checklists already hold (shared, with their versions); an item not among
    them (none expected) is read in one query."""
    records = list(records)
    known = {
        item.pk: item
        for by_admission in chains.values()
        for chain in by_admission
        for checklist in chain
        for item in checklist.version.items.all()
    }
    missing = {record.item_id for record in records if record.item_id not in known}
    if missing:
        known |= TemplateItem.objects.select_related("version").in_bulk(missing)
    for record in records:
        record.item = known[record.item_id]
    return records


def patient_shifts(
    admissions, records, slot: ShiftSlot, previous: ShiftSlot | None = None, *, whole_day: bool = False
) -> dict[int, PatientShift]:
    """PatientShift per admission id, from prefetched admissions and the window's records.
    ``whole_day``: the items due in any shift of the slot's duty date (a sheet for the wall)."""
    chains = {admission.pk: _chains(admission) for admission in admissions}
    # Records made on an earlier version (this shift, today, once per stay) count for the
    # checklist that continues it, matched by item key.
    shown = {
        checklist.pk: chain[0].pk for by_admission in chains.values() for chain in by_admission for checklist in chain
    }
    records_by_item = defaultdict(list)
    superseded = set()
    records = _with_items(records, chains)
    for record in sorted(records, key=lambda r: (r.recorded_at, r.pk)):
        records_by_item[(shown.get(record.checklist_id, record.checklist_id), record.item.key)].append(record)
        if record.corrects_id:
            superseded.add(record.corrects_id)
    result = {}
    for admission in admissions:
        # The factors, the age and the shift as they stand in each slot (on its duty date).
        now = Circumstances.of(admission, slot.duty_date, None if whole_day else slot.shift)
        before = Circumstances.of(admission, previous.duty_date, previous.shift) if previous is not None else now
        progress, left = [], []
        for chain in chains[admission.pk]:
            items = _item_states(chain[0], now, slot, records_by_item, superseded)
            progress.append(ChecklistProgress(checklist=chain[0], items=items))
            if previous is not None and admission.admitted_at < slot.starts:
                left += _left_undone(chain, before, slot, previous, records_by_item, superseded)
        result[admission.pk] = PatientShift(
            admission=admission, slot=slot, checklists=progress, left_by_previous_shift=left
        )
    return result


def checklist_ids(admissions) -> list[int]:
    """The checklists shown and every earlier version they continue (after moves to newer
    versions): whose records count. Reads the earlier versions onto the admissions."""
    admissions = list(admissions)
    prefetch_related_objects([a for a in admissions if not hasattr(a, "replaced_checklists")], lineage_prefetch())
    return [checklist.pk for admission in admissions for chain in _chains(admission) for checklist in chain]


def patient_shift(admission, slot: ShiftSlot, previous: ShiftSlot) -> PatientShift:
    """``admission`` comes from ``AdmissionQuerySet.for_shift_work``. One query: the records."""
    records = CheckRecord.objects.for_progress(checklist_ids([admission]), since=previous.duty_date)
    return patient_shifts([admission], records, slot, previous)[admission.pk]
