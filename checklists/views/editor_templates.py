"""The checklist editor's templates (under /editor/): the list, creating one, its page of
versions, starting a draft, its trigger risk factors, comparing two versions, moving patients
still on an older version, and its history of changes.

Checklist admins (nurse educators, patient-safety managers) change content while nurses keep
working: editing a published template makes a draft; patients stay on the version they
started until an admin moves them. Nurses and leaders get 403 on every editor page.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .. import audit_wording, diff, selectors, services
from ..forms import MovePatientsForm, TemplateCreateForm, TemplateExportForm, TriggersForm, VersionDiffForm
from ..models import AuditEvent, ChecklistTemplate, PatientChecklist, RiskFactor, TemplateVersion
from .access import add_errors, can_edit, error_text, posted
from .editor_versions import version_url

HISTORY_PAGE_SIZE = 25


@can_edit
def template_list(request):
    templates = ChecklistTemplate.objects.for_editor_list()
    return render(request, "checklists/editor/template_list.html", {"templates": templates})


@can_edit
def template_create(request):
    form = TemplateCreateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            template = services.template_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(template)s created. Add its items to the draft.") % {"template": template})
            return redirect(version_url(template.versions.get()))
    return render(request, "checklists/editor/template_form.html", {"form": form})


@can_edit
def template_detail(request, pk):
    template = get_object_or_404(ChecklistTemplate.objects.prefetch_related("triggers"), pk=pk)
    versions = list(
        template.versions.with_patient_counts().select_related("created_by", "published_by").order_by("-number")
    )
    context = {
        "template": template,
        "versions": versions,
        "published": next((v for v in versions if v.status == TemplateVersion.Status.PUBLISHED), None),
        "draft": next((v for v in versions if v.is_editable), None),
        "on_older": sum(v.active_patients for v in versions if v.status == TemplateVersion.Status.RETIRED),
        "export_form": TemplateExportForm(),
    }
    return render(request, "checklists/editor/template_detail.html", context)


@can_edit
@require_POST
def template_draft_create(request, pk):
    template = get_object_or_404(ChecklistTemplate, pk=pk)
    try:
        draft = services.template_draft_create(template=template, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("checklists:template_detail", pk=template.pk)
    return redirect(version_url(draft))


@can_edit
def template_triggers(request, pk):
    template = get_object_or_404(ChecklistTemplate.objects.prefetch_related("triggers"), pk=pk)
    current = sorted(factor.pk for factor in template.triggers.all())
    initial = {"risk_factors": current, "seen": ",".join(map(str, current))}
    form = TriggersForm(posted(request), initial=initial, template=template)
    if request.method == "POST" and form.is_valid():
        try:
            services.template_triggers_set(
                template=template,
                triggers=form.cleaned_data["risk_factors"],
                expected_triggers=form.cleaned_data["seen"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Triggers saved. They decide which checklists are proposed from now on."))
            return redirect("checklists:template_detail", pk=template.pk)
    return render(request, "checklists/editor/template_triggers.html", {"template": template, "form": form})


# --- comparing versions, patients on older versions, history ---------------------------------


def _default_pair(versions):
    """The published version against the draft, or the two newest versions."""
    if not versions:
        return None, None
    by_status = {v.status: v for v in versions}
    new = by_status.get(TemplateVersion.Status.DRAFT) or versions[0]
    old = by_status.get(TemplateVersion.Status.PUBLISHED)
    if old is None or old == new:
        old = next((v for v in versions if v.number < new.number), None)
    return old, new


@can_edit
def template_diff(request, pk):
    """Two versions side by side: by default the published one against the draft."""
    template = get_object_or_404(ChecklistTemplate, pk=pk)
    versions = template.versions.order_by("-number")
    if "new" in request.GET:
        form = VersionDiffForm(request.GET, versions=versions)
        old, new = (form.cleaned_data["old"], form.cleaned_data["new"]) if form.is_valid() else (None, None)
    else:
        old, new = _default_pair(list(versions))
        form = VersionDiffForm(initial={"old": old, "new": new}, versions=versions)
    changes = None
    if new is not None:
        loaded = TemplateVersion.objects.with_items().in_bulk([v.pk for v in (old, new) if v is not None])
        changes = diff.compare(loaded[old.pk] if old else None, loaded[new.pk])
    context = {"template": template, "form": form, "changes": changes}
    return render(request, "checklists/editor/template_diff.html", context)


@can_edit
def template_patients(request, pk):
    """Patients whose running checklist is on an older version; move the chosen ones."""
    template = get_object_or_404(ChecklistTemplate, pk=pk)
    published = TemplateVersion.objects.published().filter(template=template).first()
    checklists = PatientChecklist.objects.on_older_versions(template)
    form = MovePatientsForm(posted(request), checklists=checklists)
    if request.method == "POST" and form.is_valid():
        try:
            if published is None:
                raise ValidationError(_("This template has no published version to move patients to."))
            moved = services.checklist_move_to_version(
                checklists=form.cleaned_data["checklists"], version=published, by=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            message = ngettext(
                "%(count)d patient moved to version %(number)d. Earlier records keep the old wording.",
                "%(count)d patients moved to version %(number)d. Earlier records keep the old wording.",
                len(moved),
            )
            messages.success(request, message % {"count": len(moved), "number": published.number})
            return redirect("checklists:template_patients", pk=template.pk)
    checklists = list(checklists)
    context = {"template": template, "published": published, "checklists": checklists, "form": form}
    context["counts"] = selectors.older_version_counts_by_ward(checklists)
    return render(request, "checklists/editor/template_patients.html", context)


@can_edit
def template_history(request, pk):
    template = get_object_or_404(ChecklistTemplate, pk=pk)
    page = Paginator(AuditEvent.objects.template_history(template), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    factor_names = {factor.code: factor.name for factor in RiskFactor.objects.all()}
    entries = [(event, audit_wording.event_summary(event, factor_names)) for event in page]
    context = {"template": template, "page": page, "entries": entries}
    return render(request, "checklists/editor/template_history.html", context)
