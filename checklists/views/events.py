"""Recording what happened on a stay: a safety event (a fall, a suspected aspiration, a
delirium episode), its correction, and a teach-back audit and its correction. Each form posts, then redirects to
the stay's history, where the entries show."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import services
from ..forms import SafetyEventCorrectionForm, SafetyEventForm, TeachBackForm
from ..forms.quality import TeachBackCorrectionForm
from ..models import SafetyEvent, TeachBackAudit
from .access import add_errors, visible_admission, visible_admissions

can_record_events = permission_required("checklists.add_safetyevent", raise_exception=True)
can_record_teach_back = permission_required("checklists.add_teachbackaudit", raise_exception=True)

FIELDS = ("kind", "occurred_at", "place", "description", "injury_level", "witness", "immediate_actions")


@can_record_events
def safety_event_create(request, pk):
    admission = visible_admission(request, pk)
    form = SafetyEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.safety_event_record(
                admission=admission, by=request.user, **{name: form.cleaned_data[name] for name in FIELDS}
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The event was recorded."))
            return redirect("checklists:admission_history", pk=admission.pk)
    return render(request, "checklists/safety_event_form.html", {"admission": admission, "form": form})


@can_record_events
def safety_event_correct(request, pk):
    event = get_object_or_404(
        SafetyEvent.objects.filter(admission__in=visible_admissions(request)).select_related("injury_level"), pk=pk
    )
    admission = visible_admission(request, event.admission_id)
    initial = {name: getattr(event, name) for name in FIELDS}
    form = SafetyEventCorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.safety_event_correct(
                event=event,
                reason=form.cleaned_data["reason"],
                withdraw=form.cleaned_data["withdraw"],
                by=request.user,
                **{name: form.cleaned_data[name] for name in FIELDS},
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The correction was recorded."))
            return redirect("checklists:admission_history", pk=admission.pk)
    context = {"admission": admission, "form": form, "event": event}
    return render(request, "checklists/safety_event_form.html", context)


@can_record_teach_back
def teach_back_create(request, pk):
    admission = visible_admission(request, pk)
    form = TeachBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.teach_back_record(admission=admission, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The teach-back audit was recorded."))
            return redirect("checklists:admission_history", pk=admission.pk)
    return render(request, "checklists/teach_back_form.html", {"admission": admission, "form": form})


@can_record_teach_back
def teach_back_correct(request, pk):
    """A teach-back audit's right answers, as a new audit that replaces it (append-only)."""
    audit = get_object_or_404(TeachBackAudit.objects.filter(admission__in=visible_admissions(request)), pk=pk)
    admission = visible_admission(request, audit.admission_id)
    initial = {name: getattr(audit, name) for name in ("asked", "names_risks", "names_plan", "sheet_current")}
    form = TeachBackCorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.teach_back_correct(audit=audit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The correction was recorded."))
            return redirect("checklists:admission_history", pk=admission.pk)
    context = {"admission": admission, "form": form, "audit": audit}
    return render(request, "checklists/teach_back_form.html", context)
