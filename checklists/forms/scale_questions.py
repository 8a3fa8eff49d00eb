"""The scale editor's forms for one question at a time: the question's text and its answers
(a formset: label, points, the risk factor an answer notes), and the bands (a formset: name,
lowest total, high risk, the factor a band notes). They check the shape; the whole document is
checked by ``scale_content.parse_scale`` when the service saves it."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ..models import RiskFactor
from ..scale_content import MAX_BANDS, MAX_OPTIONS_PER_QUESTION, MAX_POINTS

BLANK_ANSWERS = 2  # empty rows offered under a question's answers for new ones


def _table_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.template = "bootstrap5/table_inline_formset.html"
    return helper


def factor_choices() -> list[tuple[str, str]]:
    """The risk factors an answer or band may note (read once, for every row of a formset)."""
    factors = [(f.code, f.name) for f in RiskFactor.objects.order_by("group", "position", "code")]
    return [("", _("(none)")), *factors]


def _key(value: str, fallback: str) -> str:
    return slugify(value or "") or fallback


class ScaleFingerprintForm(forms.Form):
    """``fingerprint``: the draft as the page showed it (a colleague's later save refuses this one)."""

    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ScaleQuestionForm(ScaleFingerprintForm):
    """The question itself; ``question_key`` names it when a colleague's save replaced its row."""

    key = forms.SlugField(
        label=_("Key"),
        max_length=60,
        required=False,
        help_text=_("Letters, digits and hyphens; kept in the records. Empty: made from the position."),
    )
    text_ja = forms.CharField(label=_("Question (Japanese)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    text_en = forms.CharField(
        label=_("Question (English)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    question_key = forms.CharField(widget=forms.HiddenInput, max_length=60, required=False)

    def __init__(self, *args, new=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["key", "text_ja", "text_en", "fingerprint", "question_key"])
        if not new:
            self.fields["key"].disabled = True


class ScaleOptionForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=60, required=False)
    label_ja = forms.CharField(label=_("Answer (Japanese)"), max_length=200)
    label_en = forms.CharField(label=_("Answer (English)"), max_length=200, required=False)
    points = forms.IntegerField(label=_("Points"), min_value=0, max_value=MAX_POINTS, initial=0)

    def __init__(self, *args, factors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notes_factor"] = forms.ChoiceField(
            label=_("Notes the risk factor"), required=False, choices=factors
        )


class ScaleBandForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=40, required=False)
    name_ja = forms.CharField(label=_("Band (Japanese)"), max_length=40)
    name_en = forms.CharField(label=_("Band (English)"), max_length=40, required=False)
    min_total = forms.IntegerField(label=_("From total"), min_value=0, max_value=MAX_POINTS)
    high_risk = forms.BooleanField(label=_("High risk"), required=False)

    def __init__(self, *args, factors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notes_factor"] = forms.ChoiceField(
            label=_("Notes the risk factor"), required=False, choices=factors
        )


class _RowsFormSet(forms.BaseFormSet):
    """Rows whose blank extra forms are left out; "delete" removes a row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _table_helper()

    def rows(self) -> list[dict]:
        kept = [form.cleaned_data for form in self.forms if getattr(form, "cleaned_data", None)]
        kept = [data for data in kept if not data.get("DELETE")]
        return [self.row(data, n) for n, data in enumerate(kept, start=1)]


class ScaleOptionFormSet(_RowsFormSet):
    def clean(self):
        super().clean()
        if not any(self.errors) and not self.rows():
            raise forms.ValidationError(_("A question needs at least one answer."))

    def row(self, data: dict, n: int) -> dict:
        option = {
            "key": _key(data["key"], f"a{n}"),
            "label_ja": data["label_ja"],
            "label_en": data["label_en"],
            "points": data["points"],
        }
        return option | ({"notes_factor": data["notes_factor"]} if data["notes_factor"] else {})


class ScaleBandFormSet(_RowsFormSet):
    def clean(self):
        super().clean()
        if not any(self.errors) and not self.rows():
            raise forms.ValidationError(_("A scale needs at least one band."))

    def row(self, data: dict, n: int) -> dict:
        band = {
            "key": _key(data["key"], f"band-{n}"),
            "name_ja": data["name_ja"],
            "name_en": data["name_en"],
            "min_total": data["min_total"],
            "high_risk": data["high_risk"],
        }
        return band | ({"notes_factor": data["notes_factor"]} if data["notes_factor"] else {})


OptionFormSet = forms.formset_factory(
    ScaleOptionForm,
    formset=ScaleOptionFormSet,
    extra=BLANK_ANSWERS,
    can_delete=True,
    max_num=MAX_OPTIONS_PER_QUESTION,
    validate_max=True,
    absolute_max=MAX_OPTIONS_PER_QUESTION,
)
BandFormSet = forms.formset_factory(
    ScaleBandForm,
    formset=ScaleBandFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_BANDS,
    validate_max=True,
    absolute_max=MAX_BANDS,
)


def question_key(form: ScaleQuestionForm, *, position: int) -> str:
    return _key(form.cleaned_data.get("key"), f"q{position}")
