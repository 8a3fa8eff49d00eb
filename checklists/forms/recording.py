"""The form behind a tick: the status a nurse records for an item, the reason a
"not applicable" or "not done" needs, and the form's token that makes a replay harmless."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import CheckRecord
from ..models.recording import REASON_REQUIRED
from ..services import NOTE_MAX_LENGTH


class RecordForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CheckRecord.Status.choices)
    note = forms.CharField(label=_("Note or reason"), max_length=NOTE_MAX_LENGTH, required=False)
    # One per rendered form ({% record_token %}): the same post twice makes one record. Optional,
    # so that a page rendered before the upgrade (or a script) still records.
    token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") in (CheckRecord.Status.NOT_APPLICABLE, CheckRecord.Status.NOT_DONE)
            and not (cleaned.get("note") or "").strip()
        ):
            self.add_error("note", REASON_REQUIRED)
        return cleaned
