"""The forms behind a tick: the status a nurse records for an item (or a quick reason, which
brings its own status and words), the reason a "not applicable" or "not done" needs, the form's
token that makes a replay harmless, and the record the page showed (``seen``) so that a post
based on a stale view is not applied over a colleague's record; and the list "the rest: done"
confirms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import CheckRecord, QuickReason
from ..models.recording import REASON_REQUIRED
from ..services import NOTE_MAX_LENGTH

STATUS_REQUIRED = _("Choose done, not applicable or not done.")


class RecordForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CheckRecord.Status.choices, required=False)
    quick = forms.ModelChoiceField(label=_("Quick reason"), queryset=QuickReason.objects.offered(), required=False)
    # No maxlength in the page: a longer note is refused with the count, never cut silently.
    note = forms.CharField(label=_("Note or reason"), max_length=NOTE_MAX_LENGTH, required=False)
    # One per rendered form ({% record_token %}): the same post twice makes one record. Optional,
    # so that a page rendered before the upgrade (or a script) still records.
    token = forms.UUIDField(required=False, widget=forms.HiddenInput)
    seen = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if quick := cleaned.get("quick"):
            typed = (cleaned.get("note") or "").strip()
            cleaned["status"] = quick.status
            cleaned["note"] = f"{quick.name} — {typed}" if typed else quick.name
            if len(cleaned["note"]) > NOTE_MAX_LENGTH:
                self.add_error("note", _("Keep the note under %(max)d characters.") % {"max": NOTE_MAX_LENGTH})
        if not cleaned.get("status") and "status" not in self.errors:
            self.add_error("status", STATUS_REQUIRED)
        if (
            cleaned.get("status") in (CheckRecord.Status.NOT_APPLICABLE, CheckRecord.Status.NOT_DONE)
            and not (cleaned.get("note") or "").strip()
        ):
            self.add_error("note", REASON_REQUIRED)
        return cleaned


class RestForm(forms.Form):
    """The items the confirmation listed, each as "<checklist>-<item>-<seen>"."""

    entry = forms.CharField(required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.entries = data.getlist("entry") if data is not None else []

    def clean(self):
        parsed = []
        for entry in self.entries:
            parts = entry.split("-")
            if len(parts) != 3 or not all(part.isdigit() and len(part) < 12 for part in parts):
                raise forms.ValidationError(_("The list of items was damaged: reload the page."))
            parsed.append(tuple(int(part) for part in parts))
        if not parsed:
            raise forms.ValidationError(_("Nothing is left to record as done."))
        self.cleaned_data["entries"] = parsed
        return self.cleaned_data
