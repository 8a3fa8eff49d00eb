"""Templates as files, in the editor: export a template (all its versions or the published
one) as JSON, and import such a file into a draft: of a new template, or of an existing one."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..forms import TemplateExportForm, TemplateImportForm
from ..models import ChecklistTemplate
from .access import add_errors, can_edit, error_text, posted
from .editor_versions import version_url


@can_edit
@require_POST
def template_export(request, pk):
    template = get_object_or_404(ChecklistTemplate, pk=pk)
    form = TemplateExportForm(request.POST)
    scope = form.cleaned_data["scope"] if form.is_valid() else "all"
    try:
        document = services.template_export(template=template, by=request.user, published_only=scope == "published")
    except ValidationError as error:
        messages.error(request, error_text(error))
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
    form = TemplateImportForm(*posted(request, files=True))
    if request.method == "POST" and form.is_valid():
        try:
            template, draft, notes = services.template_import_document(data=form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            for note in notes:
                messages.warning(request, note)
            messages.success(
                request,
                _("The file's items are now draft version %(number)d of %(template)s. Check them, then publish.")
                % {"number": draft.number, "template": template},
            )
            return redirect(version_url(draft))
    return render(request, "checklists/editor/template_import.html", {"form": form})
