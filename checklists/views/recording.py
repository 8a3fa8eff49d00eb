"""One tap on the patient page: record an item (done, not applicable, not done, with a note)
or correct a record. With htmx the changed row and the checklist's progress come back;
without JavaScript the same form posts and redirects to the patient page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import RecordForm, SlotForm
from ..models import CheckRecord, PatientChecklist, TemplateItem
from ..stay_shifts import StayCalendar
from .access import can_record, error_text, visible_admission, visible_admissions


def _record_with_form(request, write) -> str:
    """Check the posted status, note and token, then call ``write(status=, note=, token=)``:
    '' or the error to show."""
    form = RecordForm(request.POST)
    if not form.is_valid():
        return " ".join(message for errors in form.errors.values() for message in errors)
    try:
        write(status=form.cleaned_data["status"], note=form.cleaned_data["note"], token=form.cleaned_data["token"])
    except ValidationError as error:
        return error_text(error)
    return ""


def _gone(request, error: str):
    """The checklist was stopped meanwhile: htmx reloads the whole page."""
    if error:
        messages.error(request, error)
    response = render(request, "checklists/item_gone.html", {"error": error})
    response["HX-Refresh"] = "true"
    return response


def _item_response(request, admission_pk, checklist_pk, item_pk, error: str = ""):
    """The changed item row for htmx, or a redirect back to the patient page."""
    if not request.htmx:
        page = reverse("checklists:admission_detail", args=[admission_pk])
        if error:  # back to the top, where the message is, naming the item
            item = TemplateItem.objects.filter(pk=item_pk).first()
            messages.error(request, _("%(item)s: %(error)s") % {"item": item.text if item else "", "error": error})
            return redirect(page)
        return redirect(f"{page}#item-{checklist_pk}-{item_pk}")
    admission = visible_admission(request, admission_pk)
    slots = SlotForm(calendar=StayCalendar.for_admission(admission))  # as the patient page
    shift = selectors.patient_shift(admission, slots.slot, slots.previous)
    progress_ = next((p for p in shift.checklists if p.checklist.pk == checklist_pk), None)
    state = next((s for s in progress_.items if s.item.pk == item_pk), None) if progress_ else None
    if state is None:
        return _gone(request, error)
    context = {"state": state, "admission": admission, "error": error, "p": progress_, "oob": True}
    # The row, plus the checklist's progress chip swapped out of band.
    row = render_to_string("checklists/admission_detail.html#item-row", context, request)
    chip = render_to_string("checklists/admission_detail.html#progress-chip", context, request)
    return HttpResponse(row + chip)


@require_POST
@can_record
def item_record(request, checklist_pk, item_pk):
    visible = PatientChecklist.objects.filter(admission__in=visible_admissions(request))
    checklist = get_object_or_404(visible, pk=checklist_pk)
    item = get_object_or_404(TemplateItem.objects.filter(version_id=checklist.version_id), pk=item_pk)
    error = _record_with_form(
        request, lambda **data: services.item_record(checklist=checklist, item=item, by=request.user, **data)
    )
    return _item_response(request, checklist.admission_id, checklist.pk, item.pk, error)


@require_POST
@can_record
def record_correct(request, pk):
    visible = CheckRecord.objects.filter(checklist__admission__in=visible_admissions(request))
    record = get_object_or_404(visible.select_related("checklist"), pk=pk)
    error = _record_with_form(request, lambda **data: services.record_correct(record=record, by=request.user, **data))
    return _item_response(request, record.checklist.admission_id, record.checklist_id, record.item_id, error)
