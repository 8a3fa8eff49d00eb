"""A version of a checklist template and its items, in the editor: a version's page with the
provenance of each item, a draft's items added, edited, removed and reordered, publishing
with a change note, and the preview of what the nurse's patient page will show.

Every draft form carries the revision it was read at, so a stale save is refused; a version
that is no longer a draft sends the admin back to its page.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import diff, provenance, selectors, services
from ..forms import ItemMoveForm, PublishForm, RevisionForm, TemplateItemForm
from ..models import Admission, TemplateItem, TemplateVersion
from .access import add_errors, can_edit, error_text, posted


def version_url(version: TemplateVersion, item_key: str = "") -> str:
    """The version's editor page, scrolled to one item if ``item_key`` names it."""
    url = reverse("checklists:version_detail", args=[version.pk])
    return f"{url}#item-{item_key}" if item_key else url


def _version(pk) -> TemplateVersion:
    return get_object_or_404(TemplateVersion.objects.with_items(), pk=pk)


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
    return redirect(version_url(version))


@can_edit
def item_add(request, pk):
    version = _version(pk)
    if response := _draft_or_redirect(request, version):
        return response
    form = TemplateItemForm(posted(request), initial={"revision": version.revision, "source": "seed"})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.template_item_add(
                version=version,
                by=request.user,
                expected_revision=form.cleaned_data["revision"],
                **form.item_fields(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Item added."))
            return redirect(version_url(version, item.key))
    context = {"version": version, "template": version.template, "form": form}
    return render(request, "checklists/editor/item_form.html", context)


@can_edit
def item_edit(request, pk):
    item = get_object_or_404(TemplateItem.objects.with_rules().select_related("version__template"), pk=pk)
    version = item.version
    if response := _draft_or_redirect(request, version):
        return response
    initial = TemplateItemForm.initial_for(item) | {"revision": version.revision}
    form = TemplateItemForm(posted(request), initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.template_item_update(
                item=item, by=request.user, expected_revision=form.cleaned_data["revision"], **form.item_fields()
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Item saved."))
            return redirect(version_url(version, item.key))
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
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Item removed from the draft. Published versions keep it."))
    return redirect(version_url(item.version))


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
        messages.error(request, error_text(error))
    return redirect(version_url(item.version, item.key))


def _publish(request, version: TemplateVersion, form) -> bool:
    """Publish the draft with the form's change note; False, with the refusal on the form, if refused."""
    try:
        services.template_publish(
            version=version,
            by=request.user,
            change_note=form.cleaned_data["change_note"],
            expected_revision=form.cleaned_data["revision"],
        )
    except ValidationError as error:
        add_errors(form, error)
        return False
    return True


@can_edit
def version_publish(request, pk):
    """The draft's changes against the published version, its provenance warnings, and publishing."""
    version = _version(pk)
    if response := _draft_or_redirect(request, version):
        return response
    published = TemplateVersion.objects.with_items().published().filter(template=version.template).first()
    form = PublishForm(posted(request), initial={"revision": version.revision})
    if request.method == "POST" and form.is_valid() and _publish(request, version, form):
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
    recipients: list = field(default_factory=list)  # the admitted patients it would reach today
    records = ()
    superseded = frozenset()
    is_settled = False
    latest = None

    @property
    def row_id(self) -> str:
        return f"preview-{self.item.key}"


@can_edit
def version_preview(request, pk):
    """The version as the nurse's patient page shows it (without the record buttons), with the
    admitted patients each item would reach today, after its rules."""
    version = get_object_or_404(TemplateVersion.objects.with_items().prefetch_related("template__triggers"), pk=pk)
    admissions = Admission.objects.open().for_rule_preview()
    recipients = selectors.item_recipients(version, admissions, timezone.localdate())
    rows = [PreviewRow(item=item, recipients=recipients[item.pk]) for item in version.items.all()]
    due = sum(item.frequency != TemplateItem.Frequency.AS_NEEDED for item in version.items.all())
    context = {"version": version, "template": version.template, "rows": rows, "due_count": due}
    return render(request, "checklists/editor/version_preview.html", context)
