"""Pages. Thin: parse the request, call a queryset or a service, render or redirect.

Every page needs a login; nurses and shift leaders reach only their wards' patients
(another ward's patient is a 404). Writes need the role's permission (403 without).
htmx requests get the fragment that changed; the same forms work without JavaScript
(POST, then redirect).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import AdmissionForm, ChecklistChoiceForm, DischargeForm, RecordForm, RiskFactorsForm, TransferForm
from .models import (
    Admission,
    Bed,
    ChecklistTemplate,
    CheckRecord,
    Patient,
    PatientChecklist,
    ShiftDefinition,
    TemplateItem,
    Ward,
)
from .selectors import beds_and_patients
from .shifts import shift_at, slot_before, slot_named

HISTORY_SLOTS = 9  # three days of three shifts

can_record = permission_required("checklists.add_checkrecord", raise_exception=True)
can_admit = permission_required("checklists.add_admission", raise_exception=True)


def _ward(request, pk) -> Ward:
    return get_object_or_404(Ward.objects.visible_to(request.user), pk=pk)


def _admission(request, pk) -> Admission:
    return get_object_or_404(Admission.objects.visible_to(request.user).for_shift_work(), pk=pk)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _record_with_form(request, write) -> str:
    """Check the posted status and note, then call ``write(status=, note=)``: '' or the error to show."""
    form = RecordForm(request.POST)
    if not form.is_valid():
        return " ".join(message for errors in form.errors.values() for message in errors)
    try:
        write(status=form.cleaned_data["status"], note=form.cleaned_data["note"])
    except ValidationError as error:
        return _error_text(error)
    return ""


def _current_slots():
    shifts = list(ShiftDefinition.objects.active())
    slot = shift_at(shifts=shifts)
    return slot, slot_before(slot, shifts=shifts)


def login_locked_out(request, response=None, credentials=None):
    """django-axes calls this when a login is refused after too many failures."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


@login_required
def home(request):
    """Nurses and leaders land on their ward; a checklist admin without a ward on the editor."""
    ward = Ward.objects.visible_to(request.user).first()
    if ward is not None:
        return redirect("checklists:ward_board", pk=ward.pk)
    if request.user.has_perm("checklists.change_checklisttemplate"):
        return redirect("checklists:template_list")
    return render(request, "checklists/no_ward.html")


@login_required
def ward_board(request, pk):
    wards = list(Ward.objects.visible_to(request.user))  # for the switch buttons: no beds needed
    ward = next((w for w in wards if w.pk == pk), None)
    if ward is None:
        raise Http404
    prefetch_related_objects([ward], beds_and_patients())
    slot, previous = _current_slots()
    context = {"ward": ward, "wards": wards, "slot": slot, "previous": previous}
    return render(request, "checklists/ward_board.html", context | {"rows": selectors.ward_board(ward, slot, previous)})


@login_required
def ward_handover(request, pk):
    ward = _ward(request, pk)
    shifts = list(ShiftDefinition.objects.active())
    slot = slot_named(request.GET, shifts)
    if slot is None:
        if request.GET.get("date") or request.GET.get("shift"):
            messages.error(request, _("That shift or date does not exist; showing the current shift."))
        slot = shift_at(shifts=shifts)
    previous = slot_before(slot, shifts=shifts)
    entries = selectors.handover(ward, slot, previous)
    context = {"ward": ward, "slot": slot, "entries": entries, "shifts": shifts}
    return render(request, "checklists/ward_handover.html", context)


def _known_patient(hospital_id: str) -> Patient | None:
    hospital_id = hospital_id.strip()
    if not hospital_id or "\x00" in hospital_id:  # no ID has NUL, and PostgreSQL refuses it in a query
        return None
    return Patient.objects.filter(hospital_id=hospital_id).prefetch_related("admissions__ward").first()


@login_required
@can_admit
def admission_create(request, ward_pk):
    """Admit into an empty bed. "Look up" (a POST, so hospital IDs stay out of URLs and logs)
    prefills a known patient and shows the earlier stays."""
    ward = _ward(request, ward_pk)
    known = None
    if request.method == "POST" and "lookup" in request.POST:
        known = _known_patient(request.POST.get("hospital_id", ""))
        initial = {"hospital_id": request.POST.get("hospital_id", ""), "bed": request.POST.get("bed")}
        if known:
            initial |= {"name": known.name, "name_kana": known.name_kana, "birth_date": known.birth_date}
        form = AdmissionForm(initial=initial, ward=ward)
    elif request.method == "POST":
        form = AdmissionForm(request.POST, ward=ward)
        if form.is_valid():
            data = form.cleaned_data
            try:
                admission = services.patient_admit(
                    hospital_id=data["hospital_id"],
                    name=data["name"],
                    name_kana=data["name_kana"],
                    birth_date=data["birth_date"],
                    bed=data["bed"],
                    risk_factors=data["risk_factors"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(patient)s was admitted.") % {"patient": admission.patient.name})
                return redirect("checklists:admission_checklists", pk=admission.pk)
    else:
        form = AdmissionForm(initial={"bed": request.GET.get("bed")}, ward=ward)
    context = {"ward": ward, "form": form, "known": known}
    template = "checklists/admission_form.html#patient-fields" if request.htmx else "checklists/admission_form.html"
    return render(request, template, context)


@login_required
def admission_detail(request, pk):
    admission = _admission(request, pk)
    slot, previous = _current_slots()
    context = {"admission": admission, "shift": selectors.patient_shift(admission, slot, previous), "slot": slot}
    return render(request, "checklists/admission_detail.html", context)


@login_required
def admission_history(request, pk):
    admission = _admission(request, pk)
    shifts = list(ShiftDefinition.objects.active())
    slots = [shift_at(shifts=shifts)]
    while len(slots) < HISTORY_SLOTS:
        slots.append(slot_before(slots[-1], shifts=shifts))
    checklists = (
        PatientChecklist.objects.filter(admission=admission)
        .select_related("template", "version")
        .prefetch_related("version__items")
        .order_by("template__position", "started_at")
    )
    records = CheckRecord.objects.for_history([c.pk for c in checklists], since=slots[-1].duty_date)
    blocks = selectors.history(checklists, slots, list(records))
    return render(
        request, "checklists/admission_history.html", {"admission": admission, "slots": slots, "blocks": blocks}
    )


@login_required
@can_record
def admission_checklists(request, pk):
    """Which checklists run for this patient: the factors propose, the nurse decides."""
    admission = _admission(request, pk)
    templates = ChecklistTemplate.objects.filter(versions__status="published").prefetch_related("triggers").distinct()
    proposals = selectors.proposals_for(admission, templates)
    if request.method == "POST":
        form = ChecklistChoiceForm(request.POST)
        if form.is_valid():
            chosen, shown_active = set(form.cleaned_data["templates"]), set(form.cleaned_data["shown_active"])
            start = [p.template for p in proposals if p.template in chosen and p.active is None]
            stop = [p.active for p in proposals if p.active and p.template in shown_active and p.template not in chosen]
            try:
                services.checklists_apply(
                    admission=admission, start=start, stop=stop, reason=form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Checklists updated."))
                return redirect("checklists:admission_detail", pk=admission.pk)
    else:
        form = ChecklistChoiceForm(
            initial={
                "templates": [p.template for p in proposals if p.checked],
                "shown_active": [p.template for p in proposals if p.active],
            }
        )
    return render(
        request, "checklists/admission_checklists.html", {"admission": admission, "form": form, "proposals": proposals}
    )


@login_required
@can_record
def admission_risk_factors(request, pk):
    admission = _admission(request, pk)
    if request.method == "POST":
        form = RiskFactorsForm(request.POST)
        if form.is_valid():
            note, remove = form.changes(n.risk_factor for n in admission.active_risk_factor_notes)
            try:
                services.admission_risk_factors_change(admission=admission, note=note, remove=remove, by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.info(request, _("Risk factors saved. Check which checklists should run now."))
                return redirect("checklists:admission_checklists", pk=admission.pk)
    else:
        noted = [n.risk_factor for n in admission.active_risk_factor_notes]
        form = RiskFactorsForm(initial={"risk_factors": noted, "shown": noted})
    return render(request, "checklists/admission_risk_factors.html", {"admission": admission, "form": form})


@login_required
@can_admit
def admission_transfer(request, pk):
    admission = _admission(request, pk)
    beds = Bed.objects.visible_to(request.user).empty().select_related("ward").order_by("ward", "position")
    form = TransferForm(request.POST or None, beds=beds)
    if request.method == "POST" and form.is_valid():
        try:
            services.admission_transfer(admission=admission, bed=form.cleaned_data["bed"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Transferred to bed %(bed)s.") % {"bed": form.cleaned_data["bed"].code})
            return redirect("checklists:admission_detail", pk=admission.pk)
    return render(request, "checklists/admission_transfer.html", {"admission": admission, "form": form})


@login_required
@can_admit
def admission_discharge(request, pk):
    admission = _admission(request, pk)
    form = DischargeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.admission_discharge(admission=admission, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(patient)s was discharged.") % {"patient": admission.patient.name})
            return redirect("checklists:ward_board", pk=admission.ward_id)
    return render(request, "checklists/admission_discharge.html", {"admission": admission, "form": form})


def _item_response(request, admission_pk, checklist_pk, item_pk, error: str = ""):
    """The changed item row for htmx, or a redirect back to the patient page."""
    if not request.htmx:
        page = reverse("checklists:admission_detail", args=[admission_pk])
        if error:  # back to the top, where the message is, naming the item
            item = TemplateItem.objects.filter(pk=item_pk).first()
            messages.error(request, _("%(item)s: %(error)s") % {"item": item.text if item else "", "error": error})
            return redirect(page)
        return redirect(f"{page}#item-{checklist_pk}-{item_pk}")
    admission = _admission(request, admission_pk)
    slot, previous = _current_slots()
    shift = selectors.patient_shift(admission, slot, previous)
    progress_ = next((p for p in shift.checklists if p.checklist.pk == checklist_pk), None)
    state = next((s for s in progress_.items if s.item.pk == item_pk), None) if progress_ else None
    if state is None:  # the checklist was stopped meanwhile: reload the whole page
        if error:
            messages.error(request, error)
        response = render(request, "checklists/item_gone.html", {"error": error})
        response["HX-Refresh"] = "true"
        return response
    context = {"state": state, "admission": admission, "error": error, "p": progress_, "oob": True}
    # The row, plus the checklist's progress chip swapped out of band.
    row = render_to_string("checklists/admission_detail.html#item-row", context, request)
    chip = render_to_string("checklists/admission_detail.html#progress-chip", context, request)
    return HttpResponse(row + chip)


@login_required
@require_POST
@can_record
def item_record(request, checklist_pk, item_pk):
    checklist = get_object_or_404(
        PatientChecklist.objects.filter(admission__in=Admission.objects.visible_to(request.user)), pk=checklist_pk
    )
    item = get_object_or_404(checklist.version.items, pk=item_pk)
    error = _record_with_form(
        request, lambda **data: services.item_record(checklist=checklist, item=item, by=request.user, **data)
    )
    return _item_response(request, checklist.admission_id, checklist.pk, item.pk, error)


@login_required
@require_POST
@can_record
def record_correct(request, pk):
    record = get_object_or_404(
        CheckRecord.objects.filter(checklist__admission__in=Admission.objects.visible_to(request.user)).select_related(
            "checklist"
        ),
        pk=pk,
    )
    error = _record_with_form(request, lambda **data: services.record_correct(record=record, by=request.user, **data))
    return _item_response(request, record.checklist.admission_id, record.checklist_id, record.item_id, error)
