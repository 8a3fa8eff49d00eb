"""A patient's stay: admitting into an empty bed, the patient page and its history, the risk
factors and the checklists they propose, moving to another bed and discharge.

htmx requests get the fragment that changed; the same forms work without JavaScript (POST,
then redirect).
"""

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import selectors, services
from ..forms import AdmissionForm, ChecklistChoiceForm, DischargeForm, RiskFactorsForm, SlotForm, TransferForm
from ..models import Admission, Bed, ChecklistTemplate, CheckRecord, Patient, PatientChecklist
from ..stay_shifts import StayCalendar
from .access import can_admit, can_record, visible_admission, visible_ward

HISTORY_SLOTS = 9  # three days of three shifts


def _typed_birth_date(data) -> date | None:
    """The birth date typed next to the hospital ID, if it is a date."""
    try:
        return forms.DateField(required=False).clean(data.get("birth_date", ""))
    except ValidationError:
        return None


def _lookup(request, ward) -> tuple[services.PatientLookup, AdmissionForm]:
    """What the lookup of a posted hospital ID may show (the patient only once the birth date
    typed with it matches), and the form, prefilled with the patient then."""
    data = request.POST
    lookup = services.patient_lookup(
        hospital_id=data.get("hospital_id", ""), birth_date=_typed_birth_date(data), by=request.user, ward=ward
    )
    known = lookup.patient
    initial = {"hospital_id": known.hospital_id if known else data.get("hospital_id", ""), "bed": data.get("bed")}
    initial["birth_date"] = data.get("birth_date", "")
    if known:
        initial |= {"name": known.name, "name_kana": known.name_kana, "birth_date": known.birth_date}
    return lookup, AdmissionForm(initial=initial, ward=ward)


# What the page shows above the confirmation box when the service asks before admitting.
RENAMED_FIELDS = {"name": gettext_lazy("Patient name"), "name_kana": gettext_lazy("Reading (kana)")}


def _confirmation(error: ValidationError) -> dict:
    """The context for the question a refusal asks (a possible second record, a rename), if any."""
    for one in error.error_list:
        if one.code == services.POSSIBLY_THE_SAME_PERSON:
            same = Patient.objects.filter(pk__in=one.params["patients"]).prefetch_related("admissions__ward")
            return {"asks": "new_person", "same_people": same}
        if one.code == services.RENAME_UNCONFIRMED:
            renamed = [(RENAMED_FIELDS[field], old, new) for field, (old, new) in one.params["renamed"].items()]
            return {"asks": "rename", "renamed": renamed}
    return {}


def _admit(request, form) -> tuple[Admission | None, dict]:
    """Admit the patient the valid form describes; else None, with the refusal on the form and
    the question to ask if the nurse may overrule it by confirming."""
    data = form.cleaned_data
    try:
        admission = services.patient_admit(
            hospital_id=data["hospital_id"],
            name=data["name"],
            name_kana=data["name_kana"],
            birth_date=data["birth_date"],
            bed=data["bed"],
            risk_factors=data["risk_factors"],
            confirm_new_person=data["confirm_new_person"],
            confirm_rename=data["confirm_rename"],
            by=request.user,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None, _confirmation(error)
    return admission, {}


@can_admit
def admission_create(request, ward_pk):
    """Admit into an empty bed. "Look up" (a POST, so hospital IDs stay out of URLs and logs)
    prefills a known patient and shows the earlier stays."""
    ward = visible_ward(request, ward_pk)
    lookup, confirmation = None, {}
    if request.method == "POST" and "lookup" in request.POST:
        lookup, form = _lookup(request, ward)
    elif request.method == "POST":
        form = AdmissionForm(request.POST, ward=ward)
        if form.is_valid():
            admission, confirmation = _admit(request, form)
            if admission:
                messages.success(request, _("%(patient)s was admitted.") % {"patient": admission.patient.name})
                return redirect("checklists:admission_checklists", pk=admission.pk)
    else:
        form = AdmissionForm(initial={"bed": request.GET.get("bed")}, ward=ward)
    known = lookup.patient if lookup else None
    context = {"ward": ward, "form": form, "known": known, "lookup": lookup} | confirmation
    template = "checklists/admission_form.html#patient-fields" if request.htmx else "checklists/admission_form.html"
    return render(request, template, context)


def admission_detail(request, pk):
    """The patient page; 304 when the tab's tag (If-None-Match) still holds (selectors.patient_etag)."""
    tagged = {"user": request.user, "language": request.LANGUAGE_CODE, "fragment": "htmx" if request.htmx else "page"}
    sent = request.headers.get("If-None-Match")
    if tag := selectors.patient_unchanged(admission_id=pk, if_none_match=sent, **tagged):
        response = HttpResponseNotModified()
        response["ETag"] = tag
        return response
    changes = selectors.stay_change_count(pk)  # before anything the page shows
    admission = visible_admission(request, pk)
    placements = selectors.stay_placements(admission)
    # The current shift of the ward the patient is on; the previous one of the ward the patient was on then.
    slots = SlotForm(calendar=StayCalendar.for_placements(placements))
    context = {"admission": admission, "shift": selectors.patient_shift(admission, slots.slot, slots.previous)}
    selectors.details_attach([context["shift"]])  # each item's per-patient detail, beside it
    # The checklists came with the patient: the page says from where.
    context["last_move"] = selectors.last_move(placements)
    context["assessments"] = selectors.assessment_summaries([admission])[admission.pk]
    until = selectors.patient_page_until(admission.ward, slots.slot, slots.calendar)
    ward_id, count = changes or (admission.ward_id, "")
    tags = {"admission_id": pk, "ward_id": ward_id, "count": count, "until": until}
    # The live refresh (htmx, every 20 s) asks with the tag of the htmx answer it swaps from.
    context["poll_etag"] = selectors.patient_etag(**tags, **(tagged | {"fragment": "htmx"}))
    response = render(request, "checklists/admission_detail.html", context | {"slot": slots.slot})
    response["ETag"] = selectors.patient_etag(**tags, **tagged)
    return response


def admission_history(request, pk):
    """The stay's beds (the bed history), its safety events and teach-back audits, then the last
    three days, shift by shift: what was recorded for each item, on whichever ward the patient was."""
    admission = visible_admission(request, pk)
    placements = selectors.stay_placements(admission)
    # Each past slot in the pattern of the ward the patient lay on then.
    slots = SlotForm(calendar=StayCalendar.for_placements(placements)).recent(HISTORY_SLOTS)
    checklists = (
        PatientChecklist.objects.filter(admission=admission)
        .select_related("template", "version")
        .prefetch_related("version__items")
        .order_by("template__position", "started_at")
    )
    records = CheckRecord.objects.for_history([c.pk for c in checklists], since=slots[-1].duty_date)
    blocks = selectors.history(checklists, slots, list(records))
    context = {"admission": admission, "slots": slots, "blocks": blocks, "placements": placements}
    context["last_move"] = selectors.last_move(placements)
    context["stay_events"] = selectors.stay_events(admission)
    return render(request, "checklists/admission_history.html", context)


def _apply_choice(request, admission, proposals, form) -> bool:
    """Start the newly ticked checklists and stop the unticked ones that were shown running."""
    chosen, shown_active = set(form.cleaned_data["templates"]), set(form.cleaned_data["shown_active"])
    start = [p.template for p in proposals if p.template in chosen and p.active is None]
    stop = [p.active for p in proposals if p.active and p.template in shown_active and p.template not in chosen]
    try:
        services.checklists_apply(
            admission=admission, start=start, stop=stop, reason=form.cleaned_data["reason"], by=request.user
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@can_record
def admission_checklists(request, pk):
    """Which checklists run for this patient: the factors propose, the nurse decides."""
    admission = visible_admission(request, pk)
    templates = ChecklistTemplate.objects.filter(versions__status="published").prefetch_related("triggers").distinct()
    proposals = selectors.proposals_for(admission, templates)
    if request.method == "POST":
        form = ChecklistChoiceForm(request.POST)
        if form.is_valid() and _apply_choice(request, admission, proposals, form):
            messages.success(request, _("Checklists updated."))
            return redirect("checklists:admission_detail", pk=admission.pk)
    else:
        initial = {
            "templates": [p.template for p in proposals if p.checked],
            "shown_active": [p.template for p in proposals if p.active],
        }
        form = ChecklistChoiceForm(initial=initial)
    context = {"admission": admission, "form": form, "proposals": proposals}
    return render(request, "checklists/admission_checklists.html", context)


@can_record
def admission_risk_factors(request, pk):
    admission = visible_admission(request, pk)
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


@can_admit
def admission_transfer(request, pk):
    admission = visible_admission(request, pk)
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


@can_admit
def admission_discharge(request, pk):
    admission = visible_admission(request, pk)
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
