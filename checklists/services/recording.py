"""What a nurse records on a running checklist: one item for the ward's current shift, a
correction of an earlier record, and records typed in from a paper (downtime) sheet, once per
sheet, item and slot.

Records are events: each is a new CheckRecord row, never updated or deleted; a correction is a
new row pointing at the one it corrects."""

from datetime import datetime, timedelta
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, FilteredRelation, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AuditEvent, CheckRecord, PatientChecklist, TemplateItem
from ..models.recording import ALREADY_CORRECTED, ALREADY_RECORDED, REASON_REQUIRED
from ..names import staff_name
from ..shifts import ShiftCalendar, shift_at, ward_calendar
from ..stay_shifts import StayCalendar
from .audit import audit_event_write
from .item_slots import item_slot_record
from .stays import ensure_admission_open
from .ward_changes import stay_change_counted, ward_change_counted, ward_changed

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


def _in_slot(checklist_id: int, item: TemplateItem, slot) -> Q:
    """The standing records of ``item`` that count in ``slot`` (by its frequency's window)."""
    standing = Q(checklist_id=checklist_id, item__key=item.key, corrected_by__isnull=True)
    if item.frequency == TemplateItem.Frequency.DAILY:
        return standing & Q(duty_date=slot.duty_date)
    if item.frequency != TemplateItem.Frequency.ONCE:
        return standing & Q(duty_date=slot.duty_date, shift=slot.shift)
    return standing


def latest_in_slot(checklist: PatientChecklist, item: TemplateItem, slot) -> CheckRecord | None:
    """The standing record that counts for ``item`` in ``slot`` (by its frequency's window), if any.
    Records of earlier versions of the checklist (before a move) are not looked at."""
    records = CheckRecord.objects.filter(_in_slot(checklist.pk, item, slot))
    return records.select_related("recorded_by").order_by("-recorded_at", "-pk").first()


def _replay_or_latest(token: UUID | None, *, checklist_id: int, item: TemplateItem, slot, by):
    """One query for both checks of a new record: the record an earlier post of the same form
    (``token``) made, if any (then the first element), else the standing record in the slot."""
    if token is None:
        return None, CheckRecord.objects.filter(_in_slot(checklist_id, item, slot)).select_related(
            "recorded_by"
        ).order_by("-recorded_at", "-pk").first()
    first = (
        CheckRecord.objects.filter(Q(request_token=token) | _in_slot(checklist_id, item, slot))
        .annotate(replay=Case(When(request_token=token, then=Value(0)), default=Value(1)))
        .select_related("recorded_by")
        .order_by("replay", "-recorded_at", "-pk")
        .first()
    )
    if first is not None and first.request_token == token:
        return _same_form(first, checklist_id=checklist_id, item_id=item.pk, by_id=by.pk), None
    return None, first


def _is_repeat(record: CheckRecord | None, *, item, slot, status: str, by, at: datetime) -> bool:
    return (
        record is not None
        and record.item_id == item.pk
        and record.corrects_id is None
        and (record.duty_date, record.shift_id) == (slot.duty_date, slot.shift.pk)
        and record.status == status
        and record.recorded_by_id == by.pk
        # Either side of ``at``: of parallel posts the one that took the lock first may carry
        # the later clock reading (each post reads the clock before it waits for the lock).
        and abs(at - record.recorded_at) <= timedelta(seconds=REPEAT_SECONDS)
    )


def clean_record(status: str, note: str) -> str:
    """The note of a record of ``status``, stripped; refused when too long, or missing for a
    status that needs a reason."""
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
    if first is None:
        return None
    return _same_form(first, checklist_id=checklist_id, item_id=item_id, by_id=by.pk, corrects_id=corrects_id)


def _same_form(first: CheckRecord, *, checklist_id: int, item_id: int, by_id: int, corrects_id=None):
    """``first`` (the record a form's token made) if the post is that form's again; the same
    token on another item, checklist or user is a forged or broken form: refused."""
    if (first.checklist_id, first.item_id, first.recorded_by_id, first.corrects_id) != (
        checklist_id,
        item_id,
        by_id,
        corrects_id,
    ):
        raise ValidationError(ALREADY_RECORDED)
    return first


@transaction.atomic
def item_record(
    *,
    checklist: PatientChecklist | int,
    item: TemplateItem | int,
    status: str,
    by,
    note: str = "",
    at: datetime | None = None,
    token: UUID | None = None,
    seen: int | None = None,
    calendar: ShiftCalendar | StayCalendar | None = None,
    within: QuerySet[PatientChecklist] | None = None,
) -> CheckRecord:
    """Record one item for the shift running at ``at``. Every record is kept, except a replay:
    a ``token`` (one per rendered form) that already made a record returns that record, and so
    does a repeat (the same status by the same nurse for the item and slot within
    ``REPEAT_SECONDS``); nothing is written. ``seen``: the pk of the standing record the nurse's
    page showed for the item (0: none); when another stands now, ``RecordedMeanwhile`` is
    raised instead of recording over it (None: not checked, e.g. scripts).
    The checks run after the checklist's lock, so of two parallel posts the second sees the
    first's record (PostgreSQL; SQLite writes one at a time anyway); the unique constraint on
    the token is the backstop. ``checklist`` and ``item`` may be pks: the checklist is read
    again, locked, with the item, anyway.
    ``within``: the checklists the caller may record on (``selectors.recordable_checklists``);
    a checklist outside it raises ``PatientChecklist.DoesNotExist``, an item given by pk that
    is not the checklist's ``TemplateItem.DoesNotExist`` (the view's 403 / 404).
    ``calendar``: the caller's calendar, else the ward's from the cache under its rows token.
    Queries: the locked checklist with its item (and the access check), the ward's counter
    (which hands back the rows token), the replay and the standing record (one), the record,
    the stay's token and the audit row; the calendar when the cache does not have it."""
    note = clean_record(status, note)
    item_pk = getattr(item, "pk", item)
    # Locked: a record cannot slip onto a checklist that is being stopped (or a stay being discharged).
    checklist = (
        (PatientChecklist.objects.all() if within is None else within)
        .annotate(tapped_item=FilteredRelation("version__items", condition=Q(version__items__pk=item_pk)))
        .select_for_update(of=("self",))
        .select_related("admission__ward", "admission__patient", "template", "tapped_item")
        .get(pk=getattr(checklist, "pk", checklist))
    )
    # Read after the lock: parallel posts then carry times in the order they were written.
    at = at or timezone.now()
    ensure_admission_open(checklist.admission)
    if not checklist.is_active:
        raise ValidationError(_("This checklist was stopped; start it again to record on it."))
    tapped = getattr(checklist, "tapped_item", None)  # not set when the join found no item
    if tapped is None:
        if isinstance(item, TemplateItem):
            raise ValidationError(_("This item does not belong to the patient's checklist version."))
        raise TemplateItem.DoesNotExist(f"item {item_pk} is not on checklist {checklist.pk}")
    item = tapped
    admission = checklist.admission
    # Counted first (after the lock), so the rows token it hands back keys the ward's calendar.
    rows_token = ward_change_counted(admission.ward_id, rows=False)
    slot = shift_at(at, calendar=calendar or ward_calendar(admission.ward_id, rows_token))
    first, latest = _replay_or_latest(token, checklist_id=checklist.pk, item=item, slot=slot, by=by)
    if first is not None:
        first.checklist = checklist  # its own (``_same_form``)
        return first
    if _is_repeat(latest, item=item, slot=slot, status=status, by=by, at=at):
        latest.checklist = checklist  # the slot's records are the checklist's (``_in_slot``)
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
    item_slot_record(record=record, checklist=checklist)
    stay_change_counted(admission)  # its board row is drawn anew
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.CHECK_RECORDED,
        obj=record,
        ward=admission.ward,
        admission=admission,
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
    note = clean_record(status, note)
    record = CheckRecord.objects.select_related(
        "checklist__admission__ward", "checklist__template", "item", "shift"
    ).get(pk=record.pk)
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
                shift=record.shift,
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
    item_slot_record(record=correction, checklist=record.checklist)
    ward_changed(record.checklist.admission.ward_id, stay=record.checklist.admission_id)
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
