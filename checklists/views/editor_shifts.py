"""The shifts wards run, in the editor: the shift patterns (三交代, 二交代) with their versions,
each ward's pattern, a new pattern, a change of a pattern's shifts from a duty date and a
ward's change of pattern from a duty date. Nothing is edited in place: each save is a new row,
in force from the chosen date, written by a service with its audit row."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors, services
from ..forms import ShiftPatternChangeForm, ShiftPatternForm, WardShiftPatternForm, shift_rows
from ..models import ShiftPattern, Ward
from .access import add_errors, can_edit_shifts, posted

NEW_PATTERN_ROWS = 3


@can_edit_shifts
def shift_list(request):
    today = timezone.localdate()
    context = {"patterns": selectors.patterns_overview(today), "wards": selectors.wards_overview(today)}
    return render(request, "checklists/editor/shift_list.html", context)


def _saved(request, form, rows, save) -> bool:
    """Call ``save()`` if the form and the shift rows are valid; a refusal goes on the form."""
    if request.method != "POST" or not (form.is_valid() and rows.is_valid()):
        return False
    try:
        save()
    except ValidationError as error:
        add_errors(form, error)
        return False
    return True


@can_edit_shifts
def shift_pattern_create(request):
    form, rows = ShiftPatternForm(posted(request)), shift_rows(posted(request), extra=NEW_PATTERN_ROWS)

    def save():
        data = form.cleaned_data
        services.shift_pattern_create(
            code=data["code"], name_ja=data["name_ja"], name_en=data["name_en"], shifts=rows.specs(), by=request.user
        )

    if _saved(request, form, rows, save):
        messages.success(request, _("Shift pattern %(name)s created.") % {"name": form.cleaned_data["name_ja"]})
        return redirect("checklists:shift_list")
    return render(request, "checklists/editor/shift_pattern_form.html", {"form": form, "rows": rows})


@can_edit_shifts
def shift_pattern_change(request, pk):
    """The pattern's shifts from a duty date on; the form starts from the version in force last."""
    pattern = get_object_or_404(ShiftPattern, pk=pk)
    last = None if request.method == "POST" else pattern.versions.order_by("effective_from", "number").last()
    latest = last.shifts.all() if last else []
    form, rows = ShiftPatternChangeForm(posted(request)), shift_rows(posted(request), shifts=latest)

    def save():
        data = form.cleaned_data
        services.shift_pattern_change(
            pattern=pattern,
            effective_from=data["effective_from"],
            shifts=rows.specs(),
            note=data["note"],
            by=request.user,
        )

    if _saved(request, form, rows, save):
        date = form.cleaned_data["effective_from"]
        messages.success(request, _("%(pattern)s changes from %(date)s.") % {"pattern": pattern, "date": date})
        return redirect("checklists:shift_list")
    return render(
        request, "checklists/editor/shift_pattern_form.html", {"form": form, "rows": rows, "pattern": pattern}
    )


@can_edit_shifts
def ward_shift_pattern_set(request, pk):
    """The ward's patterns so far, and a change of pattern from a duty date."""
    ward = get_object_or_404(Ward, pk=pk)
    form = WardShiftPatternForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.ward_shift_pattern_set(
                ward=ward, pattern=data["pattern"], effective_from=data["effective_from"], by=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            text = _("%(ward)s runs %(pattern)s from %(date)s.")
            messages.success(request, text % {"ward": ward, "pattern": data["pattern"], "date": data["effective_from"]})
            return redirect("checklists:shift_list")
    [overview] = selectors.wards_overview(timezone.localdate(), Ward.objects.filter(pk=ward.pk))
    return render(request, "checklists/editor/ward_shift_pattern.html", {"form": form, "overview": overview})
