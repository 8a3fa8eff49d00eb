"""The per-patient detail of an item (「歩行器使用・見守り」), set or changed from the patient page:
a small page of its own (the patient page links to it from each item that asks for a detail),
plain POST and redirect back to the item's row."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from .. import selectors, services
from ..forms import ItemDetailForm
from ..models import PatientChecklist, TemplateItem
from .access import add_errors, can_record, posted, visible_admissions


@can_record
def item_detail(request, checklist_pk, item_pk):
    visible = PatientChecklist.objects.filter(admission__in=visible_admissions(request), stopped_at__isnull=True)
    checklist = get_object_or_404(
        visible.select_related("admission__patient", "admission__bed", "admission__ward", "template"), pk=checklist_pk
    )
    item = get_object_or_404(TemplateItem.objects.filter(version_id=checklist.version_id), pk=item_pk)
    if not item.asks_detail:
        raise Http404("This item asks for no per-patient detail.")
    history = selectors.item_detail_history(checklist, item)
    form = ItemDetailForm(
        posted(request), prompt=item.detail_prompt, initial={"text": history[0].text if history else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.item_detail_set(checklist=checklist, item=item, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            page = reverse("checklists:admission_detail", args=[checklist.admission_id])
            return redirect(f"{page}#item-{checklist.pk}-{item.pk}")
    context = {"checklist": checklist, "admission": checklist.admission, "item": item, "form": form, "history": history}
    return render(request, "checklists/item_detail.html", context)
