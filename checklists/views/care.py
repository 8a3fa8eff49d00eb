"""受け持ち: the shift leader's page of who has which patient this shift (or the next), and a
nurse taking a patient herself from the board. Every change is a service call (audited)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import AssignmentsForm, CareTakeForm, SlotForm
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
