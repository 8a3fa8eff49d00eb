"""A nurse's assessments of a stay: filling a scale's published version in one screen,
correcting a filled assessment (a new one that points at it), and marking a changed condition
that makes the scales due again. Each post redirects to the patient page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import services
from ..forms import AssessmentForm, ConditionChangeForm
from ..models import Assessment, Scale, ScaleVersion
from .access import add_errors, can_record, posted, visible_admission, visible_admissions


def _saved(request, admission, assessment) -> None:
    text = _("%(scale)s: %(total)d points, %(band)s.")
    messages.success(
        request, text % {"scale": assessment.version.scale.name, "total": assessment.total, "band": assessment.band}
    )
    if assessment.noted_factor_codes:
        messages.info(request, _("Risk factors noted from the result. Check which checklists should run now."))


@can_record
def assessment_create(request, pk, scale_pk):
    admission = visible_admission(request, pk)
    scale = get_object_or_404(Scale, pk=scale_pk)  # by pk first: an ID beyond 64 bits is a 404, not an overflow
    version = get_object_or_404(ScaleVersion.objects.published().with_content(), scale=scale)
    form = AssessmentForm(posted(request), version=version)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_record(
                admission=admission,
                version=version,
                answers=form.answers(),
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            _saved(request, admission, assessment)
            return redirect("checklists:admission_detail", pk=admission.pk)
    context = {"admission": admission, "version": version, "scale": version.scale, "form": form}
    return render(request, "checklists/assessment_form.html", context)


@can_record
def assessment_correct(request, pk):
    assessment = get_object_or_404(Assessment.objects.filter(admission__in=visible_admissions(request)), pk=pk)
    admission = visible_admission(request, assessment.admission_id)
    version = ScaleVersion.objects.with_content().get(pk=assessment.version_id)
    initial = {
        answer.question.key: answer.option.key for answer in assessment.answers.select_related("option", "question")
    }
    form = AssessmentForm(posted(request), version=version, initial_answers=initial, correction=True)
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.assessment_correct(
                assessment=assessment, answers=form.answers(), note=form.cleaned_data["note"], by=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            _saved(request, admission, correction)
            return redirect("checklists:admission_detail", pk=admission.pk)
    context = {"admission": admission, "version": version, "scale": version.scale, "form": form}
    return render(request, "checklists/assessment_form.html", context | {"corrects": assessment})


@can_record
def condition_change_create(request, pk):
    admission = visible_admission(request, pk)
    form = ConditionChangeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.condition_change_note(admission=admission, note=form.cleaned_data["note"], by=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Changed condition marked: the assessments are due again."))
            return redirect("checklists:admission_detail", pk=admission.pk)
    return render(request, "checklists/condition_change_form.html", {"admission": admission, "form": form})
