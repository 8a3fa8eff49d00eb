"""Forms of the checklist editor: creating a template, its triggers, a draft's items and
their provenance, publishing, comparing versions, moving patients, export and import.
Every draft form carries the revision it was read at, so a stale save is refused."""

import json
from pathlib import Path

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import content
from ..models import ChecklistTemplate, DueIn, PatientChecklist, RiskFactor, TemplateItem, TemplateVersion
from ..models.content import INSTRUCTION_MAX_LENGTH, PROMPT_MAX_LENGTH
from .fields import ModelMultipleChoiceField, RiskFactorChoiceField, RiskFactorsMixin

RULE_NAMES = ("applies_if_any", "not_if_any")
AGE_BAND_CHOICES = [("child", _("children (under 15)")), ("adult", _("adults (15 to 69)")), ("older", _("70 and over"))]


class FactorListField(ModelMultipleChoiceField):
    """Risk factors in a compact list (an item's rules name few of them)."""

    widget = forms.SelectMultiple(attrs={"size": 6})

    def label_from_instance(self, obj):
        return obj.name


MAX_IMPORT_BYTES = 2 * 1024 * 1024


def seed_document_names() -> list[str]:
    """File names of the seed documents, offered as an item's source (read when a form is made)."""
    folder = Path(settings.WARDSAFE_SEEDS_DIR)
    return sorted(path.name for path in folder.iterdir() if path.is_file()) if folder.is_dir() else []


class RevisionForm(forms.Form):
    """The draft revision the page was read at: a save based on an older one is refused."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ItemMoveForm(RevisionForm):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


class TemplateCreateForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Lower-case letters, digits and hyphens, e.g. fall-child. Used in export files; it never changes."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=ChecklistTemplate.Category.choices)
    name_ja = forms.CharField(label=_("Name (Japanese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    description_ja = forms.CharField(
        label=_("Description (Japanese)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    triggers = RiskFactorChoiceField(
        label=_("Trigger risk factors"),
        queryset=RiskFactor.objects.filter(is_active=True),
        required=False,
        help_text=_("A patient with any of these factors gets this checklist proposed."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("code", css_class="col-md-6"), Column("category", css_class="col-md-6")),
            Row(Column("name_ja", css_class="col-md-6"), Column("name_en", css_class="col-md-6")),
            Row(Column("description_ja", css_class="col-md-6"), Column("description_en", css_class="col-md-6")),
            "triggers",
        )
        self.helper.add_input(Submit("submit", _("Create the template and its first draft"), css_class="btn-touch"))

    def clean_code(self) -> str:
        # Export files accept lower-case codes only.
        return self.cleaned_data["code"].lower()


class TriggersForm(RiskFactorsMixin, forms.Form):
    """The template's trigger factors as grouped checkboxes; ``seen`` is what the page showed."""

    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, template, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk_factors"] = RiskFactorChoiceField(
            label=_("Trigger risk factors"),
            queryset=RiskFactor.objects.filter(Q(is_active=True) | Q(triggered_templates=template)).distinct(),
            required=False,
        )

    def clean_seen(self) -> list[int]:
        try:
            return [int(pk) for pk in self.cleaned_data["seen"].split(",") if pk]
        except ValueError as error:
            raise forms.ValidationError(_("Reload the page and make your change again.")) from error


class TemplateItemForm(RevisionForm):
    key = forms.SlugField(
        label=_("Key"),
        max_length=60,
        required=False,
        help_text=_("Stays the same in every version: the diff matches items by it. Left empty, it is made for you."),
    )
    text_ja = forms.CharField(label=_("Text (Japanese)"), widget=forms.Textarea(attrs={"rows": 2}))
    text_en = forms.CharField(label=_("Text (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    instruction_ja = forms.CharField(
        label=_("Bedside instruction (Japanese)"),
        max_length=INSTRUCTION_MAX_LENGTH,
        required=False,
        help_text=_("What the bedside sheet and the handout print: short, an instruction, not a record."),
    )
    instruction_en = forms.CharField(
        label=_("Bedside instruction (English)"), max_length=INSTRUCTION_MAX_LENGTH, required=False
    )
    detail_prompt_ja = forms.CharField(
        label=_("Per-patient detail asked (Japanese)"),
        max_length=PROMPT_MAX_LENGTH,
        required=False,
        help_text=_("Leave empty when the item needs no per-patient detail; e.g. 「歩行補助具と見守り」."),
    )
    detail_prompt_en = forms.CharField(
        label=_("Per-patient detail asked (English)"), max_length=PROMPT_MAX_LENGTH, required=False
    )
    why_ja = forms.CharField(
        label=_("Why it matters (Japanese)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    why_en = forms.CharField(
        label=_("Why it matters (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    frequency = forms.ChoiceField(label=_("How often"), choices=TemplateItem.Frequency.choices)
    is_critical = forms.BooleanField(
        label=_("Critical"),
        required=False,
        help_text=_("Open critical items are flagged on the ward board and in the handover."),
    )
    applies_if_any = FactorListField(
        label=_("Applies if the patient has any of"),
        queryset=RiskFactor.objects.none(),
        required=False,
        help_text=_("None chosen: every patient on this checklist."),
    )
    not_if_any = FactorListField(
        label=_("Does not apply if the patient has any of"),
        queryset=RiskFactor.objects.none(),
        required=False,
        help_text=_("For example 禁飲食, 水分制限 or とろみ指示 keep the drink items away."),
    )
    age_bands = forms.MultipleChoiceField(
        label=_("Age bands (on the duty date)"),
        choices=AGE_BAND_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=[band for band, _label in AGE_BAND_CHOICES],
        error_messages={"required": _("Choose at least one age band the item is for.")},
    )
    from_age = forms.IntegerField(
        label=_("From age (years)"),
        min_value=0,
        max_value=content.MAX_AGE,
        required=False,
        help_text=_("Leave empty for every age; e.g. 6 keeps an item away from toddlers."),
    )
    due_in = forms.ChoiceField(label=_("Due in"), choices=DueIn.choices, initial=DueIn.ALL)
    source = forms.ChoiceField(
        label=_("Source"), choices=TemplateItem.Source.choices, widget=forms.RadioSelect, initial="seed"
    )
    source_document = forms.CharField(
        label=_("Source document"),
        max_length=200,
        required=False,
        help_text=_("Choose a seed document or type the name of another document."),
    )
    source_passage = forms.CharField(
        label=_("Quoted passage"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Copy the passage word for word. A draft cannot be published while a passage is missing."),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        for name in RULE_NAMES:
            current = [getattr(factor, "pk", factor) for factor in self.initial.get(name) or []]
            self.fields[name].queryset = RiskFactor.objects.filter(Q(is_active=True) | Q(pk__in=current))
        if editing:
            self.fields["key"].disabled = True
            self.fields["key"].help_text = _("Stays the same in every version: the diff matches items by it.")
        self.seed_documents = seed_document_names()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "revision",
            Row(Column("text_ja", css_class="col-md-6"), Column("text_en", css_class="col-md-6")),
            Row(Column("instruction_ja", css_class="col-md-6"), Column("instruction_en", css_class="col-md-6")),
            Row(Column("detail_prompt_ja", css_class="col-md-6"), Column("detail_prompt_en", css_class="col-md-6")),
            Row(Column("why_ja", css_class="col-md-6"), Column("why_en", css_class="col-md-6")),
            Row(
                Column("frequency", css_class="col-md-4"),
                Column("due_in", css_class="col-md-4"),
                Column("is_critical", css_class="col-md-4 pt-md-4"),
            ),
            Fieldset(
                _("Who it applies to"),
                Row(Column("applies_if_any", css_class="col-md-6"), Column("not_if_any", css_class="col-md-6")),
                Row(Column("age_bands", css_class="col-md-6"), Column("from_age", css_class="col-md-6")),
            ),
            Fieldset(
                _("Where it comes from"),
                InlineRadios("source"),
                Field("source_document", list="seed-documents", autocomplete="off"),
                "source_passage",
            ),
            "key",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") == TemplateItem.Source.INSTITUTION:
            # The choice says it all: an institution's item quotes no document.
            cleaned["source_document"] = cleaned["source_passage"] = ""
        elif cleaned.get("source") in TemplateItem.QUOTING and not cleaned.get("source_document"):
            self.add_error("source_document", _("Name the source document, or choose “Added by the institution”."))
        return cleaned

    def clean_key(self) -> str:
        # Export files accept lower-case keys only.
        return self.cleaned_data["key"].lower()

    @staticmethod
    def initial_for(item: TemplateItem) -> dict:
        """The form's values for an existing item (``item`` from ``with_rules``)."""
        fields = {name: getattr(item, name) for name in TemplateItem.CONTENT_FIELDS}
        bands = dict(zip(content.AGE_BANDS, (item.for_children, item.for_adults, item.for_older), strict=True))
        return fields | {
            "applies_if_any": [factor.pk for factor in item.applies_if_factors],
            "not_if_any": [factor.pk for factor in item.unless_factors],
            "age_bands": [band for band, on in bands.items() if on],
        }

    def item_fields(self) -> dict:
        """The cleaned values for ``services.template_item_add`` / ``template_item_update``."""
        skip = {"revision", "key", "age_bands"} if self.editing else {"revision", "age_bands"}
        fields = {name: value for name, value in self.cleaned_data.items() if name not in skip}
        bands = self.cleaned_data["age_bands"]
        return fields | {
            "for_children": "child" in bands,
            "for_adults": "adult" in bands,
            "for_older": "older" in bands,
        }


class PublishForm(RevisionForm):
    change_note = forms.CharField(
        label=_("What changed in this version"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required. Other admins read it in the history; nurses see the new version number."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Publish"), css_class="btn-touch"))


class VersionDiffForm(forms.Form):
    old = forms.ModelChoiceField(
        label=_("From version"),
        queryset=TemplateVersion.objects.none(),
        required=False,
        empty_label=_("(none: every item counts as added)"),
    )
    new = forms.ModelChoiceField(label=_("To version"), queryset=TemplateVersion.objects.none())

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("old", "new"):
            self.fields[name].queryset = versions
            self.fields[name].label_from_instance = lambda v: f"v{v.number} ({v.get_status_display()})"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("old") and cleaned.get("old") == cleaned.get("new"):
            raise forms.ValidationError(_("Choose two different versions."))
        return cleaned


class MovePatientsForm(forms.Form):
    checklists = ModelMultipleChoiceField(
        label=_("Patients"),
        queryset=PatientChecklist.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one patient to move.")},
    )

    def __init__(self, *args, checklists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklists"].queryset = checklists


class TemplateExportForm(forms.Form):
    scope = forms.ChoiceField(
        choices=[("all", _("All versions")), ("published", _("The published version only"))],
        initial="all",
        widget=forms.Select(attrs={"class": "form-select w-auto"}),
    )


def _storable(data) -> bool:
    """No text in the JSON that a database refuses: NUL (PostgreSQL) or an unpaired surrogate.
    A loop, not recursion: the JSON parser allows deeper nesting than a recursive walk would."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending += [*value.keys(), *value.values()]
        elif isinstance(value, list):
            pending += value
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return False
            if "\x00" in value:
                return False
    return True


class TemplateImportForm(forms.Form):
    file = forms.FileField(
        label=_("Template file (JSON)"),
        help_text=_("A file exported from WardSafe (format wardsafe-template/1)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Check and import"), css_class="btn-touch"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)d MB; a template file is much smaller.")
                % {"max": MAX_IMPORT_BYTES // (1024 * 1024)}
            )
        try:
            data = content.loads(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text. Export it from WardSafe again.")) from error
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("The file is not valid JSON (line %(line)d, column %(column)d: %(problem)s).")
                % {"line": error.lineno, "column": error.colno, "problem": error.msg}
            ) from error
        except content.DuplicateKeyError as error:  # JSON allows it, but which of the two was meant?
            raise forms.ValidationError(
                _(
                    "The file names %(key)r twice in one object; each key may appear once. "
                    "Export it from WardSafe again."
                )
                % {"key": error.key}
            ) from error
        except (ValueError, RecursionError) as error:  # a number of thousands of digits; nesting too deep
            raise forms.ValidationError(
                _("The file is not a WardSafe template. Export it from WardSafe again.")
            ) from error
        if not _storable(data):
            raise forms.ValidationError(
                _("The file contains characters that cannot be stored (NUL or an unpaired surrogate).")
            )
        return data
