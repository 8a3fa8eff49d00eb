"""Who has which patient in a shift slot (受け持ち), and the handover between shifts: the note a
nurse leaves for the next shift, and the receiving nurse's 申し送り済み. Each is a new row (the
tables are append-only), audited and counted as a change of the ward in the same transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Admission, AuditEvent, CareAssignment, HandoverAcknowledgement, HandoverNote
from ..shifts import ShiftSlot
from .audit import audit_event_write
from .stays import ensure_admission_open
from .ward_changes import ward_changed

ASSIGN_NURSES = "checklists.assign_nurses"
NOT_ON_THE_WARD = gettext_lazy("%(nurse)s does not work on %(ward)s.")
NOT_STARTED = gettext_lazy("This shift has not started yet: there is nothing to hand over.")


def _locked_open(admission: Admission) -> Admission:
    admission = Admission.objects.select_for_update(of=("self",)).select_related("ward").get(pk=admission.pk)
    ensure_admission_open(admission)
    return admission


def _slot_data(slot: ShiftSlot) -> dict:
    return {"duty_date": slot.duty_date.isoformat(), "shift": slot.shift.code}


@transaction.atomic
def care_assign(*, admission: Admission, slot: ShiftSlot, nurse, by, at=None) -> CareAssignment:
    """``nurse`` has the patient in ``slot`` from now on (None: nobody). A nurse may take a
    patient herself, or give one up; assigning someone else needs the leader's permission."""
    admission = _locked_open(admission)
    if nurse != by and not by.has_perm(ASSIGN_NURSES) and not (nurse is None and _has(admission, slot, by)):
        raise ValidationError(_("Only the shift leader assigns patients to other nurses."))
    if nurse is not None and not (nurse.is_superuser or admission.ward.staff.filter(pk=nurse.pk).exists()):
        raise ValidationError(NOT_ON_THE_WARD % {"nurse": nurse.get_username(), "ward": admission.ward})
    assignment = CareAssignment.objects.create(
        admission=admission,
        duty_date=slot.duty_date,
        shift=slot.shift,
        nurse=nurse,
        assigned_by=by,
        assigned_at=at or timezone.now(),
    )
    ward_changed(admission.ward_id, stay=admission)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.CARE_ASSIGNED,
        obj=assignment,
        ward=admission.ward,
        admission=admission,
        data={**_slot_data(slot), "nurse": nurse.get_username() if nurse else None},
    )
    return assignment


def _has(admission: Admission, slot: ShiftSlot, user) -> bool:
    return CareAssignment.objects.current_by_admission([admission], slot).get(admission.pk) == user


@transaction.atomic
def handover_note_write(*, admission: Admission, slot: ShiftSlot, text: str, by, at=None) -> HandoverNote:
    """The note for the shift after ``slot`` (an empty text takes an earlier note back)."""
    at = at or timezone.now()
    admission = _locked_open(admission)
    if at < slot.starts:
        raise ValidationError(NOT_STARTED)
    text = text.strip()
    if len(text) > HandoverNote.TEXT_MAX_LENGTH:
        raise ValidationError(
            _("The note is %(length)d characters long; at most %(limit)d fit.")
            % {"length": len(text), "limit": HandoverNote.TEXT_MAX_LENGTH}
        )
    note = HandoverNote.objects.create(
        admission=admission,
        duty_date=slot.duty_date,
        shift=slot.shift,
        text=text,
        written_by=by,
        written_at=at,
    )
    ward_changed(admission.ward_id, stay=admission)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.HANDOVER_NOTE_WRITTEN,
        obj=note,
        ward=admission.ward,
        admission=admission,
        data={**_slot_data(slot), "text": text},
    )
    return note


@transaction.atomic
def handover_acknowledge(*, admission: Admission, slot: ShiftSlot, by, at=None) -> HandoverAcknowledgement:
    """申し送り済み: ``by`` has received what ``slot`` handed over about the patient. Once per
    nurse: a second tap returns the first acknowledgement."""
    at = at or timezone.now()
    admission = _locked_open(admission)
    if at < slot.starts:
        raise ValidationError(NOT_STARTED)
    earlier = HandoverAcknowledgement.objects.filter(
        admission=admission, duty_date=slot.duty_date, shift=slot.shift, acknowledged_by=by
    ).first()
    if earlier is not None:
        return earlier
    acknowledgement = HandoverAcknowledgement.objects.create(
        admission=admission, duty_date=slot.duty_date, shift=slot.shift, acknowledged_by=by, acknowledged_at=at
    )
    ward_changed(admission.ward_id, stay=admission)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.HANDOVER_ACKNOWLEDGED,
        obj=acknowledgement,
        ward=admission.ward,
        admission=admission,
        data=_slot_data(slot),
    )
    return acknowledgement
