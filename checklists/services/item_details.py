"""The per-patient detail of a checklist item (「歩行器使用・見守り」, 「とろみ中間」): a nurse sets
or changes it from the patient page. Each change is a new row (the table is append-only; the
latest row is the current detail, an empty text clears it), audited and counted as a change of
the ward in the same transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Admission, AuditEvent, ItemDetail, PatientChecklist, TemplateItem
from .audit import audit_event_write
from .stays import ensure_admission_open
from .ward_changes import ward_changed

TOO_LONG = gettext_lazy("The detail is %(length)d characters long; at most %(limit)d fit. Shorten it.")


def detail_length_check(text: str) -> str:
    """The detail as stored (spaces trimmed), or ValidationError saying the limit: never cut."""
    text = " ".join(text.split())
    if len(text) > ItemDetail.TEXT_MAX_LENGTH:
        raise ValidationError(TOO_LONG % {"length": len(text), "limit": ItemDetail.TEXT_MAX_LENGTH})
    return text


@transaction.atomic
def item_detail_set(*, checklist: PatientChecklist, item: TemplateItem, text: str, by, at=None) -> ItemDetail | None:
    """Set (or, with an empty text, clear) the patient's detail of ``item`` on ``checklist``.
    The same text as the current detail writes nothing and returns the current row (None when
    there is none to clear)."""
    text = detail_length_check(text)
    admission = Admission.objects.select_for_update(of=("self",)).select_related("ward", "patient")
    admission = admission.get(pk=checklist.admission_id)
    ensure_admission_open(admission)
    checklist = PatientChecklist.objects.select_related("template").get(pk=checklist.pk)
    if checklist.stopped_at is not None:
        raise ValidationError(_("This checklist has been stopped; its items take no details."))
    if item.version_id != checklist.version_id:
        raise ValidationError(_("This item is not on the patient's checklist."))
    if not item.asks_detail:
        raise ValidationError(_("This item asks for no per-patient detail."))
    current = ItemDetail.objects.history_of(admission=admission, template=checklist.template, item_key=item.key)
    current = current.first()
    if (current.text if current else "") == text:
        return current
    detail = ItemDetail.objects.create(
        admission=admission,
        template=checklist.template,
        item_key=item.key,
        text=text,
        written_by=by,
        written_at=at or timezone.now(),
    )
    ward_changed(admission.ward_id, stay=admission)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.ITEM_DETAIL_SET,
        obj=detail,
        ward=admission.ward,
        admission=admission,
        template=checklist.template,
        data={"item": item.key, "text": text, "previous": current.text if current else ""},
        at=detail.written_at,
    )
    return detail
