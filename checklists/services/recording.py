"""What a nurse records on a running checklist: one item for the ward's current shift, a
correction of an earlier record, and records typed in from a paper (downtime) sheet, once per
sheet, item and slot.

Records are events: each is a new CheckRecord row, never updated or deleted; a correction is a
new row pointing at the one it corrects."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Admission, AuditEvent, CheckRecord, PatientChecklist, ShiftDefinition, TemplateItem
from ..models.recording import ALREADY_CORRECTED, ALREADY_RECORDED, ALREADY_TRANSCRIBED, REASON_REQUIRED
from ..names import staff_name
from ..shifts import shift_at
from ..stay_shifts import StayCalendar
from .audit import audit_event_write
from .stays import ensure_admission_open
from .ward_changes import ward_changed

NOTE_MAX_LENGTH = 500
# The same status for the same item and slot by the same nurse within this many seconds is a
# repeat (a double tap, a retry after a lost answer, two tabs): the first record stands.
REPEAT_SECONDS = 10
RECORDED_MEANWHILE = "recorded_meanwhile"


class RecordedMeanwhile(ValidationError):
    """The post was based on a view that did not show ``record``, made since by a colleague (or
    in another tab): nothing was written; the nurse chooses between theirs and a correction."""

    def __init__(self, record: CheckRecord):
        super().__init__(
            _("Recorded meanwhile by %(who)s at %(time)s: %(status)s.")
            % {
                "who": staff_name(record.recorded_by),
                "time": timezone.localtime(record.recorded_at).strftime("%H:%M"),
                "status": record.get_status_display(),
            },
            code=RECORDED_MEANWHILE,
        )
        self.record = record


def latest_in_slot(checklist: PatientChecklist, item: TemplateItem, slot) -> CheckRecord | None:
    """The standing record that counts for ``item`` in ``slot`` (by its frequency's window), if any.
    Records of earlier versions of the checklist (before a move) are not looked at."""
    records = CheckRecord.objects.filter(checklist=checklist, item__key=item.key, corrected_by__isnull=True)
    if item.frequency == TemplateItem.Frequency.DAILY:
        records = records.filter(duty_date=slot.duty_date)
    elif item.frequency != TemplateItem.Frequency.ONCE:
        records = records.filter(duty_date=slot.duty_date, shift=slot.shift)
    return records.select_related("recorded_by").order_by("-recorded_at", "-pk").first()


def _is_repeat(record: CheckRecord | None, *, item, slot, status: str, by, at: datetime) -> bool:
    return (
        record is not None
        and record.item_id == item.pk
        and record.corrects_id is None
        and (record.duty_date, record.shift_id) == (slot.duty_date, slot.shift.pk)
        and record.status == status
        and record.recorded_by_id == by.pk
        and at - timedelta(seconds=REPEAT_SECONDS) <= record.recorded_at <= at
    )


def _clean_record(status: str, note: str) -> str:
    if status not in CheckRecord.Status.values:
        raise ValidationError(_("Choose done, not applicable or not done."))
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(_("Keep the note under %(max)d characters.") % {"max": NOTE_MAX_LENGTH})
    if status != CheckRecord.Status.DONE and not note:
        raise ValidationError(REASON_REQUIRED)
    return note


def _replayed(token: UUID | None, *, checklist_id: int, item_id: int, by, corrects_id: int | None = None):
    """The record an earlier post of the same form made, or None. The same token on another
    item, checklist or user is not a replay but a forged or broken form: refused."""
    if token is None:
        return None
    first = CheckRecord.objects.filter(request_token=token).first()
    if first is not None and (first.checklist_id, first.item_id, first.recorded_by_id, first.corrects_id) != (
        checklist_id,
        item_id,
        by.pk,
        corrects_id,
    ):
        raise ValidationError(ALREADY_RECORDED)
    return first


@transaction.atomic
def item_record(
    *,
    checklist: PatientChecklist,
    item: TemplateItem,
    status: str,
    by,
    note: str = "",
    at: datetime | None = None,
    token: UUID | None = None,
    seen: int | None = None,
) -> CheckRecord:
    """Record one item for the shift running at ``at``. Every record is kept, except a replay:
    a ``token`` (one per rendered form) that already made a record returns that record, and so
    does a repeat (the same status by the same nurse for the item and slot within
    ``REPEAT_SECONDS``); nothing is written. ``seen``: the pk of the standing record the nurse's
    page showed for the item (0: none); when another stands now, ``RecordedMeanwhile`` is
    raised instead of recording over it (None: not checked, e.g. scripts).
    The checks run after the checklist's lock, so of two parallel posts the second sees the
    first's record (PostgreSQL; SQLite writes one at a time anyway); the unique constraint on
    the token is the backstop."""
    note = _clean_record(status, note)
    at = at or timezone.now()
    # Locked: a record cannot slip onto a checklist that is being stopped (or a stay being discharged).
    checklist = (
        PatientChecklist.objects.select_for_update(of=("self",))
        .select_related("admission__ward", "admission__patient", "template")
        .get(pk=checklist.pk)
    )
    ensure_admission_open(checklist.admission)
    if not checklist.is_active:
        raise ValidationError(_("This checklist was stopped; start it again to record on it."))
    if item.version_id != checklist.version_id:
        raise ValidationError(_("This item does not belong to the patient's checklist version."))
    if first := _replayed(token, checklist_id=checklist.pk, item_id=item.pk, by=by):
        return first
    slot = shift_at(at, ward=checklist.admission.ward)
    latest = latest_in_slot(checklist, item, slot)
    if _is_repeat(latest, item=item, slot=slot, status=status, by=by, at=at):
        return latest
    if seen is not None and latest is not None and latest.pk != seen:
        raise RecordedMeanwhile(latest)
    record = CheckRecord.objects.create(
        checklist=checklist,
        item=item,
        duty_date=slot.duty_date,
        shift=slot.shift,
        status=status,
        note=note,
        recorded_by=by,
        recorded_at=at,
        request_token=token,
    )
    ward_changed(checklist.admission.ward_id)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.CHECK_RECORDED,
        obj=record,
        ward=checklist.admission.ward,
        admission=checklist.admission,
        template=checklist.template,
        data={"item": item.key, "status": status, "duty_date": slot.duty_date.isoformat(), "shift": slot.shift.code},
    )
    return record


@transaction.atomic
def record_correct(
    *, record: CheckRecord, status: str, by, note: str = "", at=None, token: UUID | None = None
) -> CheckRecord:
    """A correction is a new record for the same item, shift and duty date that points at the old one.
    A replay of the same correction form (``token``) returns the first correction."""
    note = _clean_record(status, note)
    record = CheckRecord.objects.select_related("checklist__admission__ward", "checklist__template", "item").get(
        pk=record.pk
    )
    ensure_admission_open(record.checklist.admission)
    replay = {"checklist_id": record.checklist_id, "item_id": record.item_id, "by": by, "corrects_id": record.pk}
    if first := _replayed(token, **replay):
        return first
    if record.corrected_by.exists():
        # The same form may have been posted a moment ago and committed since the check above.
        if first := _replayed(token, **replay):
            return first
        raise ValidationError(ALREADY_CORRECTED)
    try:
        with transaction.atomic():
            correction = CheckRecord.objects.create(
                checklist=record.checklist,
                item=record.item,
                duty_date=record.duty_date,
                shift_id=record.shift_id,
                status=status,
                note=note,
                recorded_by=by,
                recorded_at=at or timezone.now(),
                corrects=record,
                request_token=token,
            )
    except IntegrityError as error:
        # Two posts of one correction form at once: the other one's correction is this one's.
        if first := _replayed(token, **replay):
            return first
        raise ValidationError(_("Someone corrected this record a moment ago. Reload to see it.")) from error
    ward_changed(record.checklist.admission.ward_id)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.CHECK_CORRECTED,
        obj=correction,
        ward=record.checklist.admission.ward,
        admission=record.checklist.admission,
        template=record.checklist.template,
        data={"corrects": record.pk, "from": record.status, "to": status},
    )
    return correction


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
    ward_changed(checklist.admission.ward_id)
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
    note = _clean_record(status, note)
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
            note = _clean_record(status, note)
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
