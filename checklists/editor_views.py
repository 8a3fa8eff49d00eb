"""The checklist editor under /editor/: where checklist admins (nurse educators,
patient-safety managers) change checklist content while nurses keep working.

Editing a published template makes a draft; the draft's items are added, edited,
reordered and removed, then published with a change note. Patients stay on the version
they started until an admin moves them. Every page needs a login (anonymous users go to
the login page) and the permission to change templates (nurses and leaders get 403).
Every draft form carries the revision it was read at, so a stale save is refused.
Views are thin: parse, call a service or queryset, render or redirect.
"""

import json
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import audit_wording, diff, provenance, services
from .forms import (
    ItemMoveForm,
    MovePatientsForm,
    PublishForm,
    RevisionForm,
    RiskFactorForm,
    ShiftDefinitionForm,
    TemplateCreateForm,
    TemplateExportForm,
    TemplateImportForm,
    TemplateItemForm,
    TriggersForm,
    VersionDiffForm,
)
from .models import (
    AuditEvent,
    ChecklistTemplate,
    PatientChecklist,
    RiskFactor,
    ShiftDefinition,
    TemplateItem,
    TemplateVersion,
)
from .views import _error_text

EDIT_TEMPLATES = "checklists.change_checklisttemplate"
HISTORY_PAGE_SIZE = 25


def editor_required(*permissions):
    """Login first (anonymous → login page), then the permissions (missing → 403)."""

    def decorate(view):
        return login_required(permission_required([EDIT_TEMPLATES, *permissions], raise_exception=True)(view))

    return decorate


can_edit = editor_required()


def _add_errors(form, error: ValidationError) -> None:
    """A service's errors on the form fields they name, the rest above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _posted(request, *, files: bool = False):
    """The form data of a POST (bound even when empty: nothing ticked), else None (unbound)."""
    if request.method != "POST":
        return (None, None) if files else None
    return (request.POST, request.FILES) if files else request.POST


def _version(pk) -> TemplateVersion:
    return get_object_or_404(TemplateVersion.objects.with_items(), pk=pk)


def _editor_url(version: TemplateVersion, item_key: str = "") -> str:
    url = reverse("checklists:version_detail", args=[version.pk])
    return f"{url}#item-{item_key}" if item_key else url


# --- templates ---------------------------------------------------------------------------


@can_edit
def template_list(request):
    templates = ChecklistTemplate.objects.for_editor_list()
    return render(request, "checklists/editor/template_list.html", {"templates": templates})


@can_edit
def template_create(request):
    form = TemplateCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            template = services.template_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(template)s created. Add its items to the draft.") % {"template": template})
            return redirect(_editor_url(template.versions.get()))
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
        messages.error(request, _error_text(error))
        return redirect("checklists:template_detail", pk=template.pk)
    return redirect(_editor_url(draft))


@can_edit
def template_triggers(request, pk):
    template = get_object_or_404(ChecklistTemplate.objects.prefetch_related("triggers"), pk=pk)
    current = sorted(factor.pk for factor in template.triggers.all())
    initial = {"risk_factors": current, "seen": ",".join(map(str, current))}
    form = TriggersForm(_posted(request), initial=initial, template=template)
    if request.method == "POST" and form.is_valid():
        try:
            services.template_triggers_set(
                template=template,
                triggers=form.cleaned_data["risk_factors"],
                expected_triggers=form.cleaned_data["seen"],
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Triggers saved. They decide which checklists are proposed from now on."))
            return redirect("checklists:template_detail", pk=template.pk)
    return render(request, "checklists/editor/template_triggers.html", {"template": template, "form": form})


# --- a version and its items ---------------------------------------------------------------


@can_edit
def version_detail(request, pk):
    """A version's items with their provenance; for a draft, the editor."""
    version = get_object_or_404(TemplateVersion.objects.with_items().select_related("created_by"), pk=pk)
    items = list(version.items.all())
    notes = provenance.provenance_notes(items)
    context = {
        "version": version,
        "template": version.template,
        "rows": [(item, notes.get(item.pk, [])) for item in items],
        "warning_count": len(notes),
    }
    return render(request, "checklists/editor/version_detail.html", context)


def _draft_or_redirect(request, version: TemplateVersion):
    if version.is_editable:
        return None
    messages.error(
        request, _("Version %(number)d is no longer a draft; it cannot change.") % {"number": version.number}
    )
    return redirect(_editor_url(version))


@can_edit
def item_add(request, pk):
    version = _version(pk)
    if response := _draft_or_redirect(request, version):
        return response
    form = TemplateItemForm(_posted(request), initial={"revision": version.revision, "source": "seed"})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.template_item_add(
                version=version,
                by=request.user,
                expected_revision=form.cleaned_data["revision"],
                **form.item_fields(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Item added."))
            return redirect(_editor_url(version, item.key))
    context = {"version": version, "template": version.template, "form": form}
    return render(request, "checklists/editor/item_form.html", context)


@can_edit
def item_edit(request, pk):
    item = get_object_or_404(TemplateItem.objects.select_related("version__template", "only_if"), pk=pk)
    version = item.version
    if response := _draft_or_redirect(request, version):
        return response
    initial = {name: getattr(item, name) for name in services.ITEM_FIELDS} | {
        "only_if": item.only_if_id,
        "revision": version.revision,
    }
    form = TemplateItemForm(_posted(request), initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.template_item_update(
                item=item, by=request.user, expected_revision=form.cleaned_data["revision"], **form.item_fields()
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Item saved."))
            return redirect(_editor_url(version, item.key))
    context = {"version": version, "template": version.template, "form": form, "item": item}
    return render(request, "checklists/editor/item_form.html", context)


@can_edit
@require_POST
def item_remove(request, pk):
    item = get_object_or_404(TemplateItem.objects.select_related("version"), pk=pk)
    form = RevisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Reload the draft and try again."))
        services.template_item_remove(item=item, by=request.user, expected_revision=form.cleaned_data["revision"])
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Item removed from the draft. Published versions keep it."))
    return redirect(_editor_url(item.version))


@can_edit
@require_POST
def item_move(request, pk):
    item = get_object_or_404(TemplateItem.objects.select_related("version"), pk=pk)
    form = ItemMoveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Reload the draft and try again."))
        services.template_item_move(
            item=item,
            direction=form.cleaned_data["direction"],
            by=request.user,
            expected_revision=form.cleaned_data["revision"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect(_editor_url(item.version, item.key))


@can_edit
def version_publish(request, pk):
    version = _version(pk)
    if response := _draft_or_redirect(request, version):
        return response
    published = TemplateVersion.objects.with_items().published().filter(template=version.template).first()
    form = PublishForm(_posted(request), initial={"revision": version.revision})
    if request.method == "POST" and form.is_valid():
        try:
            services.template_publish(
                version=version,
                by=request.user,
                change_note=form.cleaned_data["change_note"],
                expected_revision=form.cleaned_data["revision"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(number)d is published. Patients already on a checklist stay on their version.")
                % {"number": version.number},
            )
            return redirect("checklists:template_detail", pk=version.template_id)
    context = {
        "version": version,
        "template": version.template,
        "form": form,
        "changes": diff.compare(published, version),
        "warning_count": len(provenance.provenance_notes(version.items.all())),
    }
    return render(request, "checklists/editor/version_publish.html", context)


@dataclass
class PreviewRow:
    """What the patient page's item row reads, for an item nobody has recorded yet."""

    item: TemplateItem
    records = ()
    superseded = frozenset()
    is_settled = False
    latest = None

    @property
    def row_id(self) -> str:
        return f"preview-{self.item.key}"


@can_edit
def version_preview(request, pk):
    """The version as the nurse's patient page shows it (without the record buttons)."""
    version = _version(pk)
    rows = [PreviewRow(item=item) for item in version.items.all()]
    due = sum(item.frequency != TemplateItem.Frequency.AS_NEEDED for item in version.items.all())
    context = {"version": version, "template": version.template, "rows": rows, "due_count": due}
    return render(request, "checklists/editor/version_preview.html", context)


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
    form = MovePatientsForm(_posted(request), checklists=checklists)
    if request.method == "POST" and form.is_valid():
        try:
            if published is None:
                raise ValidationError(_("This template has no published version to move patients to."))
            moved = services.checklist_move_to_version(
                checklists=form.cleaned_data["checklists"], version=published, by=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            message = ngettext(
                "%(count)d patient moved to version %(number)d. Earlier records keep the old wording.",
                "%(count)d patients moved to version %(number)d. Earlier records keep the old wording.",
                len(moved),
            )
            messages.success(request, message % {"count": len(moved), "number": published.number})
            return redirect("checklists:template_patients", pk=template.pk)
    context = {"template": template, "published": published, "checklists": list(checklists), "form": form}
    return render(request, "checklists/editor/template_patients.html", context)


@can_edit
def template_history(request, pk):
    template = get_object_or_404(ChecklistTemplate, pk=pk)
    page = Paginator(AuditEvent.objects.template_history(template), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    factor_names = {factor.code: factor.name for factor in RiskFactor.objects.all()}
    entries = [(event, audit_wording.event_summary(event, factor_names)) for event in page]
    context = {"template": template, "page": page, "entries": entries}
    return render(request, "checklists/editor/template_history.html", context)


# --- export and import -------------------------------------------------------------------------


@can_edit
@require_POST
def template_export(request, pk):
    template = get_object_or_404(ChecklistTemplate, pk=pk)
    form = TemplateExportForm(request.POST)
    scope = form.cleaned_data["scope"] if form.is_valid() else "all"
    try:
        document = services.template_export(template=template, by=request.user, published_only=scope == "published")
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("checklists:template_detail", pk=template.pk)
    # The code is an ASCII slug, so the file name needs no encoding.
    filename = f"wardsafe-{template.code}-{scope}-{timezone.localdate():%Y%m%d}.json"
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@can_edit
def template_import(request):
    form = TemplateImportForm(*_posted(request, files=True))
    if request.method == "POST" and form.is_valid():
        try:
            template, draft = services.template_import_document(data=form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if draft is None:
                messages.success(request, _("%(template)s imported with all its versions.") % {"template": template})
                return redirect("checklists:template_detail", pk=template.pk)
            messages.success(
                request,
                _("The file's items are now draft version %(number)d of %(template)s. Check them, then publish.")
                % {"number": draft.number, "template": template},
            )
            return redirect(_editor_url(draft))
    return render(request, "checklists/editor/template_import.html", {"form": form})


# --- risk factors and shifts ---------------------------------------------------------------------

can_edit_factors = editor_required("checklists.change_riskfactor", "checklists.add_riskfactor")
can_edit_shifts = editor_required("checklists.change_shiftdefinition", "checklists.add_shiftdefinition")


def _reference_form(request, form, *, template_name: str, done_url: str, context: dict):
    """Create or edit a risk factor or shift; the service saves and audits it."""
    if request.method == "POST" and form.is_valid():
        try:
            services.reference_data_save(obj=form.instance, by=request.user, changed=form.changed_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(object)s saved.") % {"object": form.instance})
            return redirect(done_url)
    return render(request, template_name, context | {"form": form})


@can_edit_factors
def risk_factor_list(request):
    factors = RiskFactor.objects.order_by("group", "position", "code")
    return render(request, "checklists/editor/risk_factor_list.html", {"factors": factors})


@can_edit_factors
def risk_factor_create(request):
    form = RiskFactorForm(_posted(request))
    done = reverse("checklists:risk_factor_list")
    return _reference_form(
        request, form, template_name="checklists/editor/risk_factor_form.html", done_url=done, context={}
    )


@can_edit_factors
def risk_factor_edit(request, pk):
    factor = get_object_or_404(RiskFactor, pk=pk)
    form = RiskFactorForm(_posted(request), instance=factor)
    done = reverse("checklists:risk_factor_list")
    return _reference_form(
        request,
        form,
        template_name="checklists/editor/risk_factor_form.html",
        done_url=done,
        context={"factor": factor},
    )


@can_edit_shifts
def shift_list(request):
    shifts = ShiftDefinition.objects.order_by("position", "starts_at")
    return render(request, "checklists/editor/shift_list.html", {"shifts": shifts})


@can_edit_shifts
def shift_create(request):
    form = ShiftDefinitionForm(_posted(request))
    done = reverse("checklists:shift_list")
    return _reference_form(request, form, template_name="checklists/editor/shift_form.html", done_url=done, context={})


@can_edit_shifts
def shift_edit(request, pk):
    shift = get_object_or_404(ShiftDefinition, pk=pk)
    form = ShiftDefinitionForm(_posted(request), instance=shift)
    done = reverse("checklists:shift_list")
    return _reference_form(
        request, form, template_name="checklists/editor/shift_form.html", done_url=done, context={"shift": shift}
    )
