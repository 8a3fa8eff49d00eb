""" "The rest: done" on the patient page: a confirmation that lists what it will record (the open
items that are not critical, of one checklist or of all), then one post that records them,
each as its own record. Over htmx the confirmation is a dialog and the page reloads after;
without JavaScript both are pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import selectors, services
from ..forms import RestForm, SlotForm
from ..models import PatientChecklist, TemplateItem
from .access import can_record, error_text, visible_admission


def _rest(admission, checklist_pk: str):
    """The items "the rest: done" would record now, for the checklist named (else all)."""
    slots = SlotForm(ward=admission.ward)
    shift = selectors.patient_shift(admission, slots.slot, slots.previous)
    return [state for state in shift.rest if not checklist_pk or str(state.checklist.pk) == checklist_pk]


def _entries(admission, parsed):
    """(checklist, item, seen) for the posted triples, of this stay only."""
    checklists = {c.pk: c for c in PatientChecklist.objects.filter(admission=admission, pk__in={p[0] for p in parsed})}
    items = {i.pk: i for i in TemplateItem.objects.filter(pk__in={p[1] for p in parsed})}
    entries = []
    for checklist_pk, item_pk, seen in parsed:
        checklist, item = checklists.get(checklist_pk), items.get(item_pk)
        if checklist is None or item is None:
            raise ValidationError(_("That checklist belongs to another patient."))
        entries.append((checklist, item, seen))
    return entries


def _done(request, admission, records, skipped):
    count = len(records)
    messages.success(
        request,
        ngettext("%(count)d item recorded as done.", "%(count)d items recorded as done.", count) % {"count": count},
    )
    if skipped:
        messages.warning(
            request,
            _("Recorded meanwhile by a colleague, so left as they are: %(items)s")
            % {"items": ", ".join(item.text for item in skipped)},
        )
    page = redirect("checklists:admission_detail", pk=admission.pk)
    if request.htmx:
        response = HttpResponse()
        response["HX-Redirect"] = page.url
        return response
    return page


@can_record
def rest_done(request, pk):
    admission = visible_admission(request, pk)
    checklist_pk = request.GET.get("checklist", "")
    error = ""
    if request.method == "POST":
        form = RestForm(request.POST)
        if form.is_valid():
            try:
                records, skipped = services.rest_record_done(
                    entries=_entries(admission, form.cleaned_data["entries"]), by=request.user
                )
            except ValidationError as refusal:
                error = error_text(refusal)
            else:
                return _done(request, admission, records, skipped)
        else:
            error = " ".join(form.non_field_errors())
    context = {
        "admission": admission,
        "rest": _rest(admission, checklist_pk),
        "error": error,
        "checklist": checklist_pk,
    }
    if request.htmx:
        response = render(request, "checklists/_rest_dialog.html", context)
        response["HX-Retarget"] = "#rest-dialog"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "checklists/rest_page.html", context)
