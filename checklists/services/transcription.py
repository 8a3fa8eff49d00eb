"""Records typed in from a paper (downtime) sheet: once per sheet, item and slot, in the slot
written on the paper. Records are events, as on screen (``recording``)."""

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Admission, AuditEvent, CheckRecord, PatientChecklist, ShiftDefinition, TemplateItem
from ..models.recording import ALREADY_TRANSCRIBED
from ..stay_shifts import StayCalendar
from .audit import audit_event_write
from .item_slots import item_slot_record
from .recording import clean_record
from .ward_changes import ward_changed


def paper_sheet_code(admission: Admission) -> str:
    """The code of the stay's downtime sheet, printed on it ("A12"): the sheet a paper record names."""
    return f"A{admission.pk}"


def _paper_slot(checklist: PatientChecklist, duty_date: date, shift: ShiftDefinition, at: datetime, calendar):
    """The slot the paper names, if the ward ran that shift on that date and it has begun."""
    slot = calendar.slot_named(shift.code, duty_date)
    if slot is None or slot.shift.pk != shift.pk:
        raise ValidationError(
            _("%(shift)s was not a shift of %(ward)s on %(date)s.")
            % {"shift": shift.name, "ward": checklist.admission.ward, "date": duty_date.isoformat()}
        )
    if slot.starts > at:
        raise ValidationError(
            _("%(slot)s has not started yet: only care already given can be transcribed.") % {"slot": slot}
        )
    return slot


def _already_transcribed(admission: Admission, slot, pairs) -> set[tuple[int, str]]:
    """(template id, item key) of ``pairs`` that this stay's paper already holds for the slot: on any
    version of the checklist, from this sheet or typed in before sheets were named. One query."""
    pairs = set(pairs)
    found = CheckRecord.objects.filter(
        source=CheckRecord.Source.PAPER,
        checklist__admission=admission,
        duty_date=slot.duty_date,
        shift__code=slot.shift.code,
        checklist__template_id__in={template for template, _key in pairs},
        item__key__in={key for _template, key in pairs},
    ).values_list("checklist__template_id", "item__key")
    return pairs & set(found)


def _transcribe(
    *, checklist: PatientChecklist, item: TemplateItem, slot, status: str, note: str, by, at
) -> CheckRecord:
    """One paper record, once: the database refuses the sheet's item twice for a slot."""
    if item.version_id != checklist.version_id:
        raise ValidationError(_("This item does not belong to the patient's checklist version."))
    if slot.ends <= checklist.started_at or (checklist.stopped_at is not None and slot.starts >= checklist.stopped_at):
        raise ValidationError(
            _("%(template)s was not running during %(slot)s.") % {"template": checklist.template.name, "slot": slot}
        )
    try:
        with transaction.atomic():
            record = CheckRecord.objects.create(
                checklist=checklist,
                item=item,
                duty_date=slot.duty_date,
                shift=slot.shift,
                status=status,
                note=note,
                source=CheckRecord.Source.PAPER,
                paper_sheet=paper_sheet_code(checklist.admission),
                recorded_by=by,
                recorded_at=at,
            )
    except IntegrityError as error:  # typed in by someone else a moment ago
        raise ValidationError(ALREADY_TRANSCRIBED, code="already_transcribed") from error
    item_slot_record(record=record, checklist=checklist)
    ward_changed(checklist.admission.ward_id, stay=checklist.admission_id)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.CHECK_TRANSCRIBED,
        obj=record,
        ward=checklist.admission.ward,
        admission=checklist.admission,
        template=checklist.template,
        data={
            "item": item.key,
            "status": status,
            "duty_date": slot.duty_date.isoformat(),
            "shift": slot.shift.code,
            "sheet": record.paper_sheet,
        },
    )
    return record


def _locked(checklist_ids) -> dict[int, PatientChecklist]:
    """The checklists, locked: a record cannot slip onto one that is being stopped."""
    return {
        checklist.pk: checklist
        for checklist in PatientChecklist.objects.select_for_update(of=("self",))
        .select_related("admission__ward", "template")
        .filter(pk__in=list(checklist_ids))
    }


@transaction.atomic
def item_transcribe(
    *,
    checklist: PatientChecklist,
    item: TemplateItem,
    duty_date: date,
    shift: ShiftDefinition,
    status: str,
    by,
    note: str = "",
    at: datetime | None = None,
) -> CheckRecord:
    """Type in a record from a paper (downtime) sheet. The care was given in the slot written on
    the paper (``duty_date``, ``shift``: a shift the ward ran that day), not now; recorded_by/at
    say who transcribed it, and when. The sheet's item is typed in once per slot."""
    note = clean_record(status, note)
    at = at or timezone.now()
    checklist = _locked([checklist.pk])[checklist.pk]
    slot = _paper_slot(checklist, duty_date, shift, at, StayCalendar.for_admission(checklist.admission))
    if _already_transcribed(checklist.admission, slot, [(checklist.template_id, item.key)]):
        raise ValidationError(ALREADY_TRANSCRIBED, code="already_transcribed")
    return _transcribe(checklist=checklist, item=item, slot=slot, status=status, note=note, by=by, at=at)


@transaction.atomic
def records_transcribe(
    *, admission: Admission, duty_date: date, shift: ShiftDefinition, entries: Iterable[tuple], by
) -> list[CheckRecord]:
    """One column of a paper sheet, all of it or nothing: ``entries`` are
    (checklist, item, status, note) for the items the paper marks. A column saved again is
    refused ("already transcribed") and changes nothing."""
    entries = list(entries)
    if not entries:
        raise ValidationError(_("Mark at least one item as it is on the paper."))
    if any(checklist.admission_id != admission.pk for checklist, *_rest in entries):
        raise ValidationError(_("That checklist belongs to another patient."))
    at = timezone.now()
    checklists = _locked(checklist.pk for checklist, *_rest in entries)
    first = next(iter(checklists.values()))
    slot = _paper_slot(first, duty_date, shift, at, StayCalendar.for_admission(first.admission))
    already = _already_transcribed(admission, slot, [(c.template_id, item.key) for c, item, *_rest in entries])
    if already:
        names = [item.text for checklist, item, *_rest in entries if (checklist.template_id, item.key) in already]
        raise ValidationError(
            _("Already transcribed for this shift: %(items)s. Nothing was saved; leave those items unmarked.")
            % {"items": ", ".join(names)},
            code="already_transcribed",
        )
    records = []
    for checklist, item, status, note in entries:
        try:
            note = clean_record(status, note)
            records.append(
                _transcribe(
                    checklist=checklists[checklist.pk], item=item, slot=slot, status=status, note=note, by=by, at=at
                )
            )
        except ValidationError as error:
            raise ValidationError(
                _("%(item)s: %(error)s") % {"item": item.text, "error": " ".join(error.messages)}
            ) from error
    return records
