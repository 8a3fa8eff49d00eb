"""Assessment scales in the editor: the list, a scale's page (provenance, the published
version, each ward's settings), its draft as a ``wardsafe-scale/1`` document (questions,
answers with points, bands; checked whole before it is saved), publishing with a change note,
export and import of files, and a ward's own timing and band cut-offs."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import scale_content, services
from ..forms import ScaleDocumentForm, ScaleImportForm, ScalePublishForm, WardScaleSettingForm
from ..models import RiskFactor, Scale, ScaleVersion, Ward, WardScaleSetting
from .access import add_errors, can_edit, error_text, posted


def _versions(scale) -> dict:
    versions = {v.status: v for v in ScaleVersion.objects.filter(scale=scale).exclude(status="retired").with_content()}
    return {"published": versions.get("published"), "draft": versions.get("draft")}


def _parse(data, form, *, code=None):
    """The document's spec, or None with every problem on the form."""
    try:
        spec = scale_content.parse_scale(data, factor_codes=set(RiskFactor.objects.values_list("code", flat=True)))
    except ValidationError as error:
        add_errors(form, error)
        return None
    if code is not None and spec.code != code:
        form.add_error(None, _("The code must stay %(code)s; import a file to make another scale.") % {"code": code})
        return None
    return spec


@can_edit
def scale_list(request):
    return render(request, "checklists/editor/scale_list.html", {"scales": Scale.objects.for_editor_list()})


@can_edit
def scale_detail(request, pk):
    scale = get_object_or_404(Scale, pk=pk)
    settings = {s.ward_id: s for s in WardScaleSetting.objects.filter(scale=scale)}
    wards = [(ward, settings.get(ward.pk)) for ward in Ward.objects.order_by("code")]
    versions = _versions(scale)
    editable = versions["draft"] or versions["published"]
    context = {
        "scale": scale,
        "wards": wards,
        # Edits start from the draft; with none, the published version's questions are editable
        # (the first save makes the draft).
        "published_is_editable": versions["draft"] is None,
        "fingerprint": services.scale_fingerprint(editable) if editable else "",
        **versions,
    }
    return render(request, "checklists/editor/scale_detail.html", context)


@can_edit
def scale_draft_edit(request, pk):
    scale = get_object_or_404(Scale, pk=pk)
    versions = _versions(scale)
    shown = versions["draft"] or versions["published"]
    initial = {"fingerprint": services.scale_fingerprint(shown)}
    if shown:
        initial["document"] = json.dumps(services.scale_document(shown), ensure_ascii=False, indent=2)
    form = ScaleDocumentForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        spec = _parse(form.cleaned_data["document"], form, code=scale.code)
        try:
            draft = spec and services.scale_document_save(
                scale=scale, spec=spec, fingerprint=form.cleaned_data["fingerprint"], by=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if draft is not None:
                text = _("Draft version %(number)d saved. Check it, then publish.")
                messages.success(request, text % {"number": draft.number})
                return redirect("checklists:scale_detail", pk=scale.pk)
    return render(request, "checklists/editor/scale_draft.html", {"scale": scale, "form": form, **versions})


@can_edit
def scale_publish(request, pk):
    scale = get_object_or_404(Scale, pk=pk)
    draft = _versions(scale)["draft"]
    if draft is None:
        messages.error(request, _("This scale has no draft to publish."))
        return redirect("checklists:scale_detail", pk=scale.pk)
    form = ScalePublishForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.scale_publish(version=draft, by=request.user, change_note=form.cleaned_data["change_note"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Version %(number)d of %(scale)s is published.") % {"number": draft.number, "scale": scale}
            )
            return redirect("checklists:scale_detail", pk=scale.pk)
    return render(request, "checklists/editor/scale_publish.html", {"scale": scale, "draft": draft, "form": form})


@can_edit
@require_POST
def scale_export(request, pk):
    scale = get_object_or_404(Scale, pk=pk)
    versions = _versions(scale)
    version = versions["published"] or versions["draft"]
    if version is None:
        messages.error(request, error_text(ValidationError(_("This scale has no version to export."))))
        return redirect("checklists:scale_detail", pk=scale.pk)
    document = services.scale_export(version=version, by=request.user)
    filename = f"wardsafe-scale-{scale.code}-v{version.number}-{timezone.localdate():%Y%m%d}.json"
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@can_edit
def scale_import(request):
    form = ScaleImportForm(*posted(request, files=True))
    if request.method == "POST" and form.is_valid():
        spec = _parse(form.cleaned_data["file"], form)
        if spec is not None:
            draft = services.scale_import(spec=spec, by=request.user)
            text = _("The file is now draft version %(number)d of %(scale)s. Check it, then publish.")
            messages.success(request, text % {"number": draft.number, "scale": draft.scale})
            return redirect("checklists:scale_detail", pk=draft.scale_id)
    return render(request, "checklists/editor/scale_import.html", {"form": form})


@can_edit
def ward_scale_setting(request, pk, ward_pk):
    scale = get_object_or_404(Scale, pk=pk)
    ward = get_object_or_404(Ward, pk=ward_pk)
    published = _versions(scale)["published"]
    bands = list(published.bands.all()) if published else []
    setting = WardScaleSetting.objects.filter(ward=ward, scale=scale).prefetch_related("cutoffs").first()
    cutoffs = setting.cutoff_by_band_key() if setting else {}
    initial = {
        "due_within_days": setting.due_within_days if setting else scale.due_within_days,
        "reassess_every_days": setting.reassess_every_days if setting else scale.reassess_every_days,
    } | {f"band-{band.key}": cutoffs.get(band.key, band.min_total) for band in bands}
    form = WardScaleSettingForm(posted(request), initial=initial, bands=bands)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.ward_scale_setting_set(
                ward=ward,
                scale=scale,
                due_within_days=data["due_within_days"],
                reassess_every_days=data["reassess_every_days"],
                cutoffs=form.cutoffs(),
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(ward)s's settings for %(scale)s saved.") % {"ward": ward, "scale": scale})
            return redirect("checklists:scale_detail", pk=scale.pk)
    context = {"scale": scale, "ward": ward, "form": form}
    return render(request, "checklists/editor/ward_scale_setting.html", context)
