"""Printing pages and downloads: the PDFs of one patient (bedside sheet, family handout,
downtime sheet), the handover as a PDF, whole-ward print runs made in the background, the
planned examinations (the handout's "what happens next") and typing paper records back in.

``printing`` gathers, renders and writes; these views wrap the bytes. Every PDF needs a patient
or ward the user may see (another ward's is a 404). File names carry the bed, ward code and
date only: no patient names or hospital IDs.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import printing, selectors, services
from ..forms import ExaminationForm, PrintRunForm, SlotForm, TranscriptionForm
from ..models import Admission, PlannedExamination, PrintJob
from ..stay_shifts import StayCalendar
from .access import (
    can_print_run,
    can_record,
    error_text,
    visible_admission,
    visible_admissions,
    visible_ward,
    visible_wards,
)

RECENT_SLOTS = 4  # offered as shortcuts on the transcription page


def _pdf_response(data: bytes, *parts) -> HttpResponse:
    """``inline`` so that the browser's viewer opens it for printing; ASCII-only file name."""
    name = "-".join(slugify(str(part)) or "x" for part in parts) + ".pdf"
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _today() -> str:
    return timezone.localdate().strftime("%Y%m%d")


# --- PDFs of one patient, and the handover -------------------------------------------------


def _audited(request, kind: str, admission: Admission) -> None:
    """The audit row of a one-patient PDF. The bed is on the admission's ward (loaded already):
    set it, so that the row's description does not read the ward a second time."""
    admission.bed.ward = admission.ward
    services.pdf_download_audit(by=request.user, kind=kind, obj=admission, ward=admission.ward, admission=admission)


@never_cache
def admission_bedside_pdf(request, pk):
    admission = visible_admission(request, pk)
    data = printing.bedside_pdf([admission])
    _audited(request, "bedside", admission)
    return _pdf_response(data, "bedside", admission.bed.code, _today())


@never_cache
def admission_handout_pdf(request, pk):
    admission = visible_admission(request, pk)
    data = printing.handout_pdf(admission)
    _audited(request, "handout", admission)
    return _pdf_response(data, "handout", admission.bed.code, _today())


@never_cache
def admission_downtime_pdf(request, pk):
    admission = visible_admission(request, pk)
    data = printing.downtime_pdf(admission)
    _audited(request, "downtime", admission)
    return _pdf_response(data, "paper", admission.bed.code, _today())


@never_cache
def ward_handover_pdf(request, pk):
    """The handover of the shift ``?date=&shift=`` names (the handover page's link), else the current one."""
    ward = visible_ward(request, pk)
    slots = SlotForm(request.GET, ward=ward)
    data = printing.handover_pdf(ward=ward, slot=slots.slot, previous=slots.previous)
    shift = {"duty_date": slots.slot.duty_date.isoformat(), "shift": slots.slot.shift.code}
    services.pdf_download_audit(by=request.user, kind="handover", obj=ward, ward=ward, data=shift)
    return _pdf_response(data, "handover", ward.code, slots.slot.duty_date.strftime("%Y%m%d"), slots.slot.shift.code)


# --- whole-ward print runs -------------------------------------------------------------------


def _jobs(request):
    """Print runs of the wards the user sees; the PDF bytes are read only for a download."""
    return PrintJob.objects.filter(ward__in=visible_wards(request)).select_related("ward").defer("pdf")


@can_print_run
def ward_print(request, pk):
    """Choose all or some patients; the PDF is made in the background (see ``tasks``)."""
    ward = visible_ward(request, pk)
    admissions = Admission.objects.open().on_ward(ward).with_patient_and_bed().order_by("bed__position", "bed__code")
    form = PrintRunForm(request.POST if request.method == "POST" else None, admissions=admissions)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.print_run_request(
                ward=ward,
                admissions=form.cleaned_data["admissions"],
                by=request.user,
                language=translation.get_language(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("checklists:print_job_detail", pk=job.pk)
    jobs = _jobs(request).filter(ward=ward).select_related("requested_by")[:5]
    return render(request, "checklists/print/ward_print.html", {"ward": ward, "form": form, "jobs": jobs})


def print_job_detail(request, pk):
    """The run's progress; htmx polls the fragment every second until the run is done or failed.
    A run with no progress for the configured minutes is failed here, so the polling ends."""
    job = get_object_or_404(_jobs(request), pk=pk)
    now = timezone.now()
    if job.is_stale(now):
        services.print_runs_fail_stale(job_ids=[job.pk], at=now)
        job = get_object_or_404(_jobs(request), pk=pk)
    template = "checklists/print/print_job.html#progress" if request.htmx else "checklists/print/print_job.html"
    return render(request, template, {"job": job, "ward": job.ward, "expired": job.is_expired(now)})


@never_cache
def print_job_download(request, pk):
    """The run's PDF; once deleted (or past the retention time) the job page says "print again"."""
    job = get_object_or_404(_jobs(request).filter(status=PrintJob.Status.DONE).defer(None), pk=pk)
    if job.pdf is None or job.is_expired(timezone.now()):
        return redirect("checklists:print_job_detail", pk=job.pk)
    services.pdf_download_audit(
        by=request.user, kind="print_run", obj=job, ward=job.ward, data={"admissions": job.admission_ids}
    )
    stamp = timezone.localtime(job.requested_at).strftime("%Y%m%d-%H%M")
    return _pdf_response(bytes(job.pdf), "ward", job.ward.code, stamp)


# --- planned examinations ----------------------------------------------------------------------


def _examinations_page(request, admission, form, status=200):
    """The list and the form: a whole page, or for htmx the fragment the patient page embeds."""
    context = {
        "admission": admission,
        "examinations": PlannedExamination.objects.current().filter(admission=admission),
        "form": form,
    }
    if request.htmx:
        return render(request, "checklists/print/examinations.html#examinations", context, status=status)
    return render(request, "checklists/print/examinations.html", context, status=status)


def admission_examinations(request, pk):
    return _examinations_page(request, visible_admission(request, pk), ExaminationForm())


@require_POST
@can_record
def examination_create(request, pk):
    admission = visible_admission(request, pk)
    form = ExaminationForm(request.POST)
    if form.is_valid():
        try:
            services.examination_plan(admission=admission, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.htmx:
                return _examinations_page(request, admission, ExaminationForm())
            messages.success(request, _("Examination added to the plan."))
            return redirect("checklists:admission_examinations", pk=admission.pk)
    return _examinations_page(request, admission, form)


@require_POST
@can_record
def examination_remove(request, pk):
    visible = PlannedExamination.objects.filter(admission__in=visible_admissions(request))
    examination = get_object_or_404(visible.select_related("admission"), pk=pk)
    try:
        services.examination_remove(examination=examination, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    if request.htmx:
        return _examinations_page(request, visible_admission(request, examination.admission_id), ExaminationForm())
    return redirect("checklists:admission_examinations", pk=examination.admission_id)


# --- typing paper records back in ----------------------------------------------------------------


def _transcribed(request, count: int, admission, slot):
    """Say how many records came in, and show the same slot again (another sheet, or a check)."""
    messages.success(
        request,
        ngettext("%(n)d record transcribed from paper.", "%(n)d records transcribed from paper.", count) % {"n": count},
    )
    query = urlencode({"date": slot.duty_date.isoformat(), "shift": slot.shift.code})
    return redirect(f"{reverse('checklists:admission_transcribe', args=[admission.pk])}?{query}")


@can_record
def admission_transcribe(request, pk):
    """紙記録の転記: one shift slot of a downtime sheet at a time, each record marked as from paper,
    onto the checklists that ran during that slot (also ones stopped or moved to a newer version
    since). The slot comes from ``?date=&shift=`` (the shortcuts) or the form's hidden fields."""
    stay = get_object_or_404(visible_admissions(request).with_patient_and_bed(), pk=pk)
    slots = SlotForm(request.POST or request.GET, calendar=StayCalendar.for_admission(stay))
    slot = slots.slot
    admission = Admission.objects.for_slot_work(slot).get(pk=stay.pk)  # as it was during the slot
    patient_shift = selectors.patient_shift(admission, slot, slots.previous)
    form = TranscriptionForm(request.POST if request.method == "POST" else None, patient_shift=patient_shift)
    if request.method == "POST" and form.is_valid():
        try:
            records = services.records_transcribe(
                admission=admission, duty_date=slot.duty_date, shift=slot.shift, entries=form.entries(), by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _transcribed(request, len(records), admission, slot)
    recent = slots.recent(RECENT_SLOTS)
    context = {"admission": admission, "slot": slot, "recent": recent, "shifts": slots.shifts, "form": form}
    return render(request, "checklists/print/transcribe.html", context)
