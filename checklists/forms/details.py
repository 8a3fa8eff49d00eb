"""The per-patient detail of an item (「歩行器使用・見守り」): one line, set or cleared."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ItemDetail
from ..services import ValidationError, detail_length_check


class ItemDetailForm(forms.Form):
    # No maxlength in the page: a longer detail is refused with its length, never cut.
    text = forms.CharField(
        label=_("Detail for this patient"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, prompt: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = _("At most %(limit)d characters. Leave empty to clear the detail.") % {
            "limit": ItemDetail.TEXT_MAX_LENGTH
        }
        if prompt:
            self.fields["text"].widget.attrs["placeholder"] = prompt

    def clean_text(self) -> str:
        try:
            return detail_length_check(self.cleaned_data["text"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
