"""A scale's draft edited in forms, one question at a time (its text and its answers with
points and the factor each notes), the bands in one table, and questions added, removed or
moved. Every save checks the whole scale and becomes the draft (services.scale_drafts); a save
made on a page older than a colleague's save is refused with a word, not applied over it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..forms import (
    BandFormSet,
    OptionFormSet,
    ScaleFingerprintForm,
    ScaleQuestionForm,
    factor_choices,
    question_key,
)
from ..models import Scale
from .access import add_errors, can_edit, posted


def _editable(scale):
    version = services.scale_editable_version(scale)
    if version is None:
        raise Http404(_("This scale has no version to edit."))
    return version, services.scale_fingerprint(version)


def _question(request, version, question_pk):
    """The question among the editable version's. Each save rewrites the draft's rows, so a page
    opened before a colleague's save names a row that is gone: the question is then the one with
    the key the page posts (and the save is refused as stale, the input kept on the form)."""
    question = next((q for q in version.questions.all() if q.pk == question_pk), None)
    if question is None and request.method == "POST":
        key = request.POST.get("question_key")
        question = next((q for q in version.questions.all() if q.key == key), None)
    if question is None:
        raise Http404(_("This question is no longer in the draft."))
    return question


def _saved(request, scale, draft, anchor=""):
    messages.success(request, _("Draft version %(number)d saved. Check it, then publish.") % {"number": draft.number})
    return redirect(reverse("checklists:scale_detail", args=[scale.pk]) + anchor)


def _question_page(request, scale, version, fingerprint, question=None):
    """The form of ``question`` (None: a new one) and its answers; saved on a valid POST."""
    options = question.options.all() if question else []
    initial = {"fingerprint": fingerprint} | (
        {"key": question.key, "question_key": question.key, "text_ja": question.text_ja, "text_en": question.text_en}
        if question
        else {}
    )
    form = ScaleQuestionForm(posted(request), initial=initial, new=question is None)
    formset = OptionFormSet(
        posted(request),
        prefix="answers",
        form_kwargs={"factors": factor_choices()},
        initial=[
            {"key": o.key, "label_ja": o.label_ja, "label_en": o.label_en, "points": o.points}
            | {"notes_factor": o.notes_factor.code if o.notes_factor_id else ""}
            for o in options
        ],
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        key = question.key if question else question_key(form, position=len(version.questions.all()) + 1)
        data = {"key": key, "text_ja": form.cleaned_data["text_ja"], "text_en": form.cleaned_data["text_en"]}
        try:
            draft = services.scale_question_save(
                scale=scale,
                key=question.key if question else None,
                question=data | {"options": formset.rows()},
                fingerprint=form.cleaned_data["fingerprint"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, scale, draft, f"#question-{key}")
    context = {"scale": scale, "version": version, "question": question, "form": form, "formset": formset}
    return render(request, "checklists/editor/scale_question_form.html", context)


@can_edit
def scale_question_edit(request, pk, question_pk):
    scale = get_object_or_404(Scale, pk=pk)
    version, fingerprint = _editable(scale)
    return _question_page(request, scale, version, fingerprint, _question(request, version, question_pk))


@can_edit
def scale_question_add(request, pk):
    scale = get_object_or_404(Scale, pk=pk)
    version, fingerprint = _editable(scale)
    return _question_page(request, scale, version, fingerprint)


@can_edit
@require_POST
def scale_question_remove(request, pk, question_pk):
    return _question_action(request, pk, question_pk, services.scale_question_remove)


@can_edit
@require_POST
def scale_question_move(request, pk, question_pk):
    step = {"up": -1, "down": 1}.get(request.POST.get("step"))
    if step is None:
        messages.error(request, _("Say whether the question moves up or down."))
        return redirect("checklists:scale_detail", pk=pk)
    return _question_action(request, pk, question_pk, services.scale_question_move, step=step)


def _question_action(request, pk, question_pk, action, **kwargs):
    scale = get_object_or_404(Scale, pk=pk)
    key = _question(request, _editable(scale)[0], question_pk).key
    try:
        draft = action(scale=scale, key=key, fingerprint=request.POST.get("fingerprint", ""), by=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("checklists:scale_detail", pk=scale.pk)
    return _saved(request, scale, draft)


@can_edit
def scale_bands_edit(request, pk):
    scale = get_object_or_404(Scale, pk=pk)
    version, fingerprint = _editable(scale)
    form = ScaleFingerprintForm(posted(request), initial={"fingerprint": fingerprint})
    formset = BandFormSet(
        posted(request),
        prefix="bands",
        form_kwargs={"factors": factor_choices()},
        initial=[
            {"key": b.key, "name_ja": b.name_ja, "name_en": b.name_en, "min_total": b.min_total}
            | {"high_risk": b.is_high_risk, "notes_factor": b.notes_factor.code if b.notes_factor_id else ""}
            for b in version.bands.all()
        ],
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            draft = services.scale_bands_save(
                scale=scale, bands=formset.rows(), fingerprint=form.cleaned_data["fingerprint"], by=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, scale, draft, "#bands")
    context = {"scale": scale, "version": version, "form": form, "formset": formset}
    return render(request, "checklists/editor/scale_bands_form.html", context)
