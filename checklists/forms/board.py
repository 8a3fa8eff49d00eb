"""What the board shows: whose patients (mine, or the whole ward), only the high-risk or only
those with critical items still open, and a search by name, reading, bed or hospital ID.

``show`` left out means the nurse's default board: her patients when she has any this shift,
else the whole ward (the view decides, from the shift's assignments)."""

from django import forms
from django.utils.translation import gettext_lazy as _

MINE = "mine"
ALL = "all"


class BoardFilterForm(forms.Form):
    show = forms.ChoiceField(required=False, choices=[(MINE, _("My patients")), (ALL, _("Whole ward"))])
    critical = forms.BooleanField(required=False, label=_("Critical still open"))
    high_risk = forms.BooleanField(required=False, label=_("High risk"))
    q = forms.CharField(required=False, max_length=50, strip=True, label=_("Search"))

    def __init__(self, data=None, **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)
        self.is_valid()

    def value(self, name: str):
        """The cleaned value, or the field's empty value when the query gave a wrong one."""
        return getattr(self, "cleaned_data", {}).get(name) or self.fields[name].to_python(None)

    @property
    def key(self) -> str:
        """The filters as they enter the board's ETag (one board per distinct key)."""
        return "|".join(str(self.value(name)) for name in ("show", "critical", "high_risk", "q"))


class CareTakeForm(forms.Form):
    """A nurse takes the patient this shift, or gives the patient up."""

    TAKE = "take"
    RELEASE = "release"
    action = forms.ChoiceField(choices=[(TAKE, _("Take this patient")), (RELEASE, _("Give this patient up"))])


class AssignmentsForm(forms.Form):
    """The shift leader's 受け持ち: one choice of nurse per patient (blank: nobody)."""

    def __init__(self, data=None, *, admissions, nurses, current: dict):
        super().__init__(data)
        choices = [("", _("Nobody"))] + [(str(nurse.pk), _staff_label(nurse)) for nurse in nurses]
        self.nurses = {str(nurse.pk): nurse for nurse in nurses}
        self.admissions = list(admissions)
        for admission in self.admissions:
            had = current.get(admission.pk)
            self.fields[self.field_name(admission)] = forms.ChoiceField(
                required=False, choices=choices, initial=str(had.pk) if had else "", label=admission.patient.name
            )

    @staticmethod
    def field_name(admission) -> str:
        return f"nurse_{admission.pk}"

    def rows(self) -> list:
        """(admission, bound field) in bed order, for the page."""
        return [(admission, self[self.field_name(admission)]) for admission in self.admissions]

    def changes(self) -> list:
        """(admission, nurse or None) for every patient whose nurse the post changes."""
        return [
            (admission, self.nurses.get(self.cleaned_data[self.field_name(admission)]))
            for admission in self.admissions
            if self.cleaned_data[self.field_name(admission)] != self.fields[self.field_name(admission)].initial
        ]


def _staff_label(user) -> str:
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


class HandoverNoteForm(forms.Form):
    """The note for the next shift; ``date`` and ``shift`` name the slot it is written in."""

    text = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}), label=_("Note for the next shift")
    )
