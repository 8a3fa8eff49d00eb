"""The shift slot a page shows: the duty date and shift its query names
(``?date=YYYY-MM-DD&shift=code``, from the slot picker or a link), else the current slot —
on the page's ward, with the shifts that ward ran (or runs) on that date.

A page never fails on what the query says: a date or shift that is absent, unknown,
malformed, absurdly far (more than ten years from today) or not a shift the ward ran on that
date falls back to the current slot.
"""

from functools import cached_property

from django import forms
from django.utils import timezone

from ..models import ShiftDefinition
from ..shifts import ShiftCalendar, ShiftSlot

FARTHEST_DAYS = 3653  # ten years either side of today


class SlotForm(forms.Form):
    """Reads ``date`` and ``shift`` (bound to ``request.GET``, or a form's hidden fields);
    unbound, it names the current slot. ``slot`` is what the page shows.

    ``ward``: the page's ward; its calendar (two queries) answers every slot question of the
    request. A page that has a calendar already passes ``calendar`` instead."""

    date = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    shift = forms.ChoiceField(required=False)

    def __init__(self, *args, ward=None, calendar: ShiftCalendar | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.calendar = calendar if calendar is not None else ShiftCalendar.for_ward(ward)
        self.fields["shift"].choices = [(code, code) for code in self.calendar.codes()]

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day and abs((day - timezone.localdate()).days) > FARTHEST_DAYS:
            raise forms.ValidationError(self.fields["date"].error_messages["invalid"], code="invalid")
        return day

    @cached_property
    def named(self) -> ShiftSlot | None:
        """The slot the query names, or None when it names none the ward ran."""
        if not self.is_bound or not self.is_valid():
            return None
        day, code = self.cleaned_data["date"], self.cleaned_data["shift"]
        if not day or not code:
            return None
        return self.calendar.slot_named(code, day)

    @property
    def refused(self) -> bool:
        """The query asked for a date or shift, but names no slot: the page says so."""
        return self.is_bound and bool(self.data.get("date") or self.data.get("shift")) and self.named is None

    @cached_property
    def current(self) -> ShiftSlot:
        return self.calendar.shift_at()

    @cached_property
    def slot(self) -> ShiftSlot:
        return self.named or self.current

    @cached_property
    def previous(self) -> ShiftSlot:
        """The shift before the one shown: what it left open is carried over."""
        return self.calendar.slot_before(self.slot)

    @property
    def shifts(self) -> list[ShiftDefinition]:
        """The shifts of the shown slot's duty date, for the slot picker."""
        return self.calendar.shifts_on(self.slot.duty_date)

    def recent(self, count: int) -> list[ShiftSlot]:
        """The current slot and the ones before it, newest first: ``count`` in all."""
        slots = [self.current]
        while len(slots) < count:
            slots.append(self.calendar.slot_before(slots[-1]))
        return slots
