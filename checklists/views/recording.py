"""One tap on the patient page: record an item (done, not applicable, not done, with a quick
reason or a note) or correct a record. With htmx the changed row and the checklist's progress
come back, or the record dialog when the post needs the nurse again (an error, with what she
typed; a colleague's record made since the page was rendered); without JavaScript the same
forms post and redirect to the patient page, or show the dialog as a page."""

from django.contrib import messages
from django.contrib.auth.context_processors import PermLookupDict, PermWrapper
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import RecordForm, SlotForm
from ..models import Admission, CheckRecord, PatientChecklist, QuickReason, TemplateItem
from ..stay_shifts import StayCalendar
from .access import VIEW_WARD_PAGES, can_record, error_text, refuse_record, visible_admission, visible_admissions


def _record_with_form(request, write) -> tuple[RecordForm, str, CheckRecord | None, CheckRecord | None]:
    """Check the posted form, then call ``write(status=, note=, token=, ...)``: the form, the
    error to show ('' if none), the colleague's record the post would have gone over, and the
    record the write made or found (None if it wrote nothing)."""
    data = request.POST.copy()
    for name in ("token", "seen"):  # a row's button carries them in its address
        if name not in data and name in request.GET:
            data[name] = request.GET[name]
    form = RecordForm(data)
    if not form.is_valid():
        return form, " ".join(message for errors in form.errors.values() for message in errors), None, None
    cleaned = form.cleaned_data
    try:
        written = write(status=cleaned["status"], note=cleaned["note"], token=cleaned["token"], seen=cleaned["seen"])
    except services.RecordedMeanwhile as meanwhile:
        return form, "", meanwhile.record, None
    except ValidationError as error:
        return form, error_text(error), None, None
    return form, "", None, written


class _CheckedApp(PermLookupDict):
    def __init__(self, user, app_label, checked):
        super().__init__(user, app_label)
        self.checked = checked

    def __getitem__(self, perm_name):
        return f"{self.app_label}.{perm_name}" in self.checked or super().__getitem__(perm_name)


class CheckedPerms(PermWrapper):
    """The templates' ``perms``, answering the permissions this request has already checked
    (``selectors.recordable_item``) without loading all of the user's; any other from the user."""

    def __init__(self, user, checked):
        super().__init__(user)
        self.checked = frozenset(checked)

    def __getitem__(self, app_label):
        return _CheckedApp(self.user, app_label, self.checked)


def _gone(request, error: str):
    """The checklist was stopped meanwhile: htmx reloads the whole page."""
    if error:
        messages.error(request, error)
    response = render(request, "checklists/item_gone.html", {"error": error})
    response["HX-Refresh"] = "true"
    return response


def _item_state(admission, checklist_pk: int, item_pk: int, calendar: StayCalendar | None = None):
    """The checklist's progress and the item's state on the patient page now (or None, None)."""
    slots = SlotForm(calendar=calendar or StayCalendar.for_admission(admission))  # as the patient page
    shift = selectors.patient_shift(admission, slots.slot, slots.previous)
    selectors.details_attach([shift])  # the row shows the item's per-patient detail
    progress_ = next((p for p in shift.checklists if p.checklist.pk == checklist_pk), None)
    state = next((s for s in progress_.items if s.item.pk == item_pk), None) if progress_ else None
    return progress_, state


def _dialog(request, admission, state, *, form=None, error="", meanwhile=None, status=200):
    """The record dialog of one item: quick reasons, a note, the records and where the item comes
    from; a form that failed comes back with what was typed. Over htmx it replaces the dialog's
    contents (also as the answer to a post); otherwise it is a page of its own."""
    context = {
        "admission": admission,
        "state": state,
        "form": form,
        "error": error,
        "meanwhile": meanwhile,
        "quick_reasons": QuickReason.objects.offered(),
    }
    if not request.htmx:
        return render(request, "checklists/record_page.html", context, status=status)
    response = render(request, "checklists/_record_dialog.html", context)
    response["HX-Retarget"] = "#record-dialog"
    response["HX-Reswap"] = "innerHTML"
    return response


def _item_response(request, admission_pk, checklist_pk, item_pk, form, error="", meanwhile=None, *, shown=None):
    """The changed item row for htmx (or the dialog again), or a redirect back to the patient page.
    ``shown``: (admission, calendar) the view has already read for the page (else read here)."""
    if meanwhile is not None or (error and request.htmx):
        admission, calendar = shown or (visible_admission(request, admission_pk), None)
        progress_, state = _item_state(admission, checklist_pk, item_pk, calendar)
        if state is None:
            return _gone(request, error)
        return _dialog(request, admission, state, form=form, error=error, meanwhile=meanwhile)
    if not request.htmx:
        page = reverse("checklists:admission_detail", args=[admission_pk])
        if error:  # back to the top, where the message is, naming the item
            item = TemplateItem.objects.filter(pk=item_pk).first()
            messages.error(request, _("%(item)s: %(error)s") % {"item": item.text if item else "", "error": error})
            return redirect(page)
        return redirect(f"{page}#item-{checklist_pk}-{item_pk}")
    admission, calendar = shown or (visible_admission(request, admission_pk), None)
    progress_, state = _item_state(admission, checklist_pk, item_pk, calendar)
    if state is None:
        return _gone(request, error)
    context = {"state": state, "admission": admission, "p": progress_, "oob": True}
    if shown:  # the one-tap record checked the role in its access query
        context["perms"] = CheckedPerms(request.user, {"checklists.add_checkrecord", VIEW_WARD_PAGES})
    # The row, plus the checklist's progress chip swapped out of band.
    row = render_to_string("checklists/admission_detail.html#item-row", context, request)
    chip = render_to_string("checklists/admission_detail.html#progress-chip", context, request)
    return HttpResponse(row + chip)


@can_record
def item_dialog(request, checklist_pk, item_pk):
    """The record dialog of an item (fetched when the nurse opens it, not sent with every row)."""
    visible = PatientChecklist.objects.filter(admission__in=visible_admissions(request))
    checklist = get_object_or_404(visible, pk=checklist_pk)
    admission = visible_admission(request, checklist.admission_id)
    _progress, state = _item_state(admission, checklist.pk, item_pk)
    if state is None:
        return _gone(request, "")
    return _dialog(request, admission, state)


@require_POST
def item_record(request, checklist_pk, item_pk):
    """The one tap. The service locks the checklist within those the nurse may record on, so
    its access check is part of that query; only a post that wrote nothing (an error, a
    colleague's record) runs the check on its own (``selectors.recordable_item``), to say
    whose stay the answer shows. Over htmx the changed row is read after the write."""
    try:
        form, error, meanwhile, record = _record_with_form(
            request,
            lambda **data: services.item_record(
                checklist=checklist_pk,
                item=item_pk,
                by=request.user,
                within=selectors.recordable_checklists(request.user),
                **data,
            ),
        )
    except ObjectDoesNotExist:  # not a checklist of the nurse's wards, or not its item
        refuse_record(request)
    if record is not None:
        admission_id = record.checklist.admission_id
    elif (item := selectors.recordable_item(request.user, checklist_pk=checklist_pk, item_pk=item_pk)) is not None:
        admission_id = item.admission_id
    else:
        refuse_record(request)
    shown = None
    if request.htmx:  # the role was checked with the access, above: the row needs no other check
        admission = Admission.objects.for_shift_work().get(pk=admission_id)
        shown = (admission, StayCalendar.for_admission(admission))
    return _item_response(request, admission_id, checklist_pk, item_pk, form, error, meanwhile, shown=shown)


@require_POST
@can_record
def record_correct(request, pk):
    visible = CheckRecord.objects.filter(checklist__admission__in=visible_admissions(request))
    record = get_object_or_404(visible.select_related("checklist"), pk=pk)

    def write(*, seen, **data):  # a correction names the record it corrects: nothing else to check
        services.record_correct(record=record, by=request.user, **data)

    form, error, _meanwhile, _record = _record_with_form(request, write)
    return _item_response(request, record.checklist.admission_id, record.checklist_id, record.item_id, form, error)
