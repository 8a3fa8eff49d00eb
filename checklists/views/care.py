"""受け持ち: the shift leader's page of who has which patient this shift (or the next), a nurse
taking a patient herself from the board; the handover note for the next shift and 申し送り済み.
Every change is a service call (audited)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import AssignmentsForm, CareTakeForm, HandoverNoteForm, SlotForm
from ..models import Admission, CareAssignment
from .access import can_record, error_text, posted, visible_admissions, visible_ward

NEXT = "next"


def ward_assignments(request, pk):
    """``?when=next``: the next shift's assignments (planned before it starts)."""
    ward = visible_ward(request, pk)
    slots = SlotForm(ward=ward)
    upcoming = request.GET.get("when") == NEXT
    slot = slots.calendar.slot_after(slots.slot) if upcoming else slots.slot
    admissions = list(
        Admission.objects.open().on_ward(ward).with_patient_and_bed().order_by("bed__position", "bed__code")
    )
    current = CareAssignment.objects.current_by_admission(admissions, slot)
    data = posted(request)
    if data is not None and not request.user.has_perm(services.ASSIGN_NURSES):
        raise PermissionDenied
    form = AssignmentsForm(data, admissions=admissions, nurses=selectors.ward_nurses(ward), current=current)
    if data is not None and form.is_valid():
        try:
            for admission, nurse in form.changes():
                services.care_assign(admission=admission, slot=slot, nurse=nurse, by=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        return redirect(f"{request.path}?when=next" if upcoming else request.path)
    context = {"ward": ward, "slot": slot, "form": form, "upcoming": upcoming}
    context["may_assign"] = request.user.has_perm(services.ASSIGN_NURSES)
    return render(request, "checklists/ward_assignments.html", context)


@require_POST
@can_record
def care_take(request, pk):
    """The nurse takes the patient this shift (or gives the patient up), back to the board."""
    admission = get_object_or_404(visible_admissions(request).select_related("ward"), pk=pk)
    form = CareTakeForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(ValidationError(list(form.errors.get("action", [])))))
        return redirect("checklists:ward_board", pk=admission.ward_id)
    slot = SlotForm(ward=admission.ward).slot
    nurse = request.user if form.cleaned_data["action"] == CareTakeForm.TAKE else None
    try:
        services.care_assign(admission=admission, slot=slot, nurse=nurse, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("checklists:ward_board", pk=admission.ward_id)


def _back_to_handover(admission, slot, nurse: str = ""):
    query = f"?date={slot.duty_date:%Y-%m-%d}&shift={slot.shift.code}" + (f"&nurse={nurse}" if nurse else "")
    return redirect(reverse("checklists:ward_handover", args=[admission.ward_id]) + query + f"#bed-{admission.pk}")


@require_POST
@can_record
def handover_note(request, pk):
    """The nurse's note for the next shift, on the slot the form names (``date``, ``shift``)."""
    admission = get_object_or_404(visible_admissions(request).select_related("ward"), pk=pk)
    slot = SlotForm(request.POST, ward=admission.ward).slot
    form = HandoverNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(ValidationError(list(form.errors.get("text", [])))))
        return _back_to_handover(admission, slot)
    try:
        services.handover_note_write(admission=admission, slot=slot, text=form.cleaned_data["text"], by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    return _back_to_handover(admission, slot, request.POST.get("nurse", "")[:12])


@require_POST
@can_record
def handover_acknowledge(request, pk):
    """申し送り済み: the receiving nurse has taken over what the named slot handed over."""
    admission = get_object_or_404(visible_admissions(request).select_related("ward"), pk=pk)
    slot = SlotForm(request.POST, ward=admission.ward).slot
    try:
        services.handover_acknowledge(admission=admission, slot=slot, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    return _back_to_handover(admission, slot, request.POST.get("nurse", "")[:12])
