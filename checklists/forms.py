"""Forms check the shape of input; services check the rules."""

import json
from pathlib import Path

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.db import connections
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    Bed,
    ChecklistTemplate,
    CheckRecord,
    PatientChecklist,
    RiskFactor,
    ShiftDefinition,
    TemplateItem,
    TemplateVersion,
)
from .services import NOTE_MAX_LENGTH


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, but an ID beyond the database's integers is an invalid choice, not a
    server error: Django guards ``pk=`` against overflow, not ``pk__in`` (SQLite raises)."""

    def _check_values(self, value):
        pk = self.queryset.model._meta.pk
        low, high = connections[self.queryset.db].ops.integer_field_range(pk.get_internal_type())
        for one in value:
            try:
                number = int(one)
            except (TypeError, ValueError):
                continue  # not a number: Django's own check refuses it
            if not low <= number <= high:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": one}
                )
        return super()._check_values(value)


class RiskFactorChoiceField(ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class RiskFactorsMixin:
    """The risk factors as checkboxes grouped like the content (fall, aspiration, ...).
    The child factor is left out: the app notes it from the birth date."""

    def _risk_factor_field(self):
        return RiskFactorChoiceField(
            label=_("Risk factors"),
            queryset=RiskFactor.objects.filter(is_active=True).exclude(code=RiskFactor.CHILD),
            required=False,
        )

    def factor_groups(self):
        """[(group label, [(checkbox, factor)])] for the template to lay out."""
        factors = {factor.pk: factor for factor in self.fields["risk_factors"].queryset}
        groups = {}
        for checkbox in self["risk_factors"]:
            factor = factors[checkbox.data["value"].value]
            groups.setdefault(factor.get_group_display(), []).append((checkbox, factor))
        return list(groups.items())


class AdmissionForm(RiskFactorsMixin, forms.Form):
    hospital_id = forms.CharField(label=_("Hospital ID"), max_length=32)
    name = forms.CharField(label=_("Patient name"), max_length=100)
    name_kana = forms.CharField(label=_("Reading (kana)"), max_length=100, required=False)
    birth_date = forms.DateField(label=_("Birth date"), widget=forms.DateInput(attrs={"type": "date"}))
    bed = forms.ModelChoiceField(label=_("Bed"), queryset=Bed.objects.none())

    def __init__(self, *args, ward, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bed"].queryset = Bed.objects.filter(ward=ward).empty().order_by("position", "code")
        self.fields["bed"].label_from_instance = lambda bed: bed.code
        self.fields["risk_factors"] = self._risk_factor_field()

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        if birth_date > timezone.localdate():
            raise forms.ValidationError(_("The birth date cannot be in the future."))
        return birth_date


class RiskFactorsForm(RiskFactorsMixin, forms.Form):
    # The factors noted when the page was drawn: only those can be removed by unticking, so a
    # factor a colleague noted meanwhile (or the child factor, not offered here) is kept.
    shown = ModelMultipleChoiceField(
        queryset=RiskFactor.objects.all(), required=False, widget=forms.MultipleHiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk_factors"] = self._risk_factor_field()

    def changes(self, noted) -> tuple[list, list]:
        """(factors to note, factors to remove) against the factors noted now."""
        ticked, shown, noted = set(self.cleaned_data["risk_factors"]), set(self.cleaned_data["shown"]), set(noted)
        offered = set(self.fields["risk_factors"].queryset)
        return sorted(ticked - noted, key=str), sorted((shown & noted & offered) - ticked, key=str)


class ChecklistChoiceForm(forms.Form):
    templates = ModelMultipleChoiceField(
        label=_("Checklists"),
        queryset=ChecklistTemplate.objects.filter(versions__status="published").distinct(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason for stopping (if you stop a checklist)"),
        max_length=200,
        required=False,
    )
    # The checklists running when the page was drawn: only those can be stopped by unticking,
    # so one a colleague started meanwhile keeps running.
    shown_active = ModelMultipleChoiceField(
        queryset=ChecklistTemplate.objects.all(), required=False, widget=forms.MultipleHiddenInput
    )


class TransferForm(forms.Form):
    bed = forms.ModelChoiceField(label=_("New bed"), queryset=Bed.objects.none())

    def __init__(self, *args, beds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bed"].queryset = beds
        self.fields["bed"].label_from_instance = lambda bed: f"{bed.ward.name} {bed.code}"
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Transfer"), css_class="btn-touch"))


class DischargeForm(forms.Form):
    confirm = forms.BooleanField(label=_("The patient leaves the ward now. All records are kept."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Discharge"), css_class="btn-danger btn-touch"))


class RecordForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CheckRecord.Status.choices)
    note = forms.CharField(label=_("Note or reason"), max_length=NOTE_MAX_LENGTH, required=False)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") in (CheckRecord.Status.NOT_APPLICABLE, CheckRecord.Status.NOT_DONE)
            and not (cleaned.get("note") or "").strip()
        ):
            self.add_error("note", _("Give a short reason for “not applicable” or “not done”."))
        return cleaned


# --- template editor ---------------------------------------------------------------------

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
    only_if = forms.ModelChoiceField(
        label=_("Applies only if the patient has"),
        queryset=RiskFactor.objects.none(),
        required=False,
        empty_label=_("(every patient on this checklist)"),
    )
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
        current = self.initial.get("only_if")
        self.fields["only_if"].queryset = RiskFactor.objects.filter(Q(is_active=True) | Q(pk=current))
        self.fields["only_if"].label_from_instance = lambda factor: factor.name
        if editing:
            self.fields["key"].disabled = True
            self.fields["key"].help_text = _("Stays the same in every version: the diff matches items by it.")
        self.seed_documents = seed_document_names()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "revision",
            Row(Column("text_ja", css_class="col-md-6"), Column("text_en", css_class="col-md-6")),
            Row(Column("why_ja", css_class="col-md-6"), Column("why_en", css_class="col-md-6")),
            Row(
                Column("frequency", css_class="col-md-4"),
                Column("only_if", css_class="col-md-4"),
                Column("is_critical", css_class="col-md-4 pt-md-4"),
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
        elif cleaned.get("source") == TemplateItem.Source.SEED and not cleaned.get("source_document"):
            self.add_error("source_document", _("Name the source document, or choose “Added by the institution”."))
        return cleaned

    def clean_key(self) -> str:
        # Export files accept lower-case keys only.
        return self.cleaned_data["key"].lower()

    def item_fields(self) -> dict:
        """The cleaned values for ``services.template_item_add`` / ``template_item_update``."""
        skip = {"revision", "key"} if self.editing else {"revision"}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}


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
            data = json.loads(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text. Export it from WardSafe again.")) from error
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("The file is not valid JSON (line %(line)d, column %(column)d: %(problem)s).")
                % {"line": error.lineno, "column": error.colno, "problem": error.msg}
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


class RiskFactorForm(forms.ModelForm):
    class Meta:
        model = RiskFactor
        fields = ["code", "group", "name_ja", "name_en", "description_ja", "description_en", "position", "is_active"]
        widgets = {
            "description_ja": forms.Textarea(attrs={"rows": 2}),
            "description_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Export files and item conditions refer to the factor by its code.
            self.fields["code"].disabled = True
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save"), css_class="btn-touch"))


class ShiftDefinitionForm(forms.ModelForm):
    class Meta:
        model = ShiftDefinition
        fields = ["code", "name_ja", "name_en", "starts_at", "ends_at", "position", "is_active"]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save"), css_class="btn-touch"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_at") and cleaned.get("starts_at") == cleaned.get("ends_at"):
            self.add_error("ends_at", _("A shift must end at another time than it starts."))
        return cleaned


# --- printing, examinations, paper records ---------------------------------------------


class ExaminationForm(forms.Form):
    name = forms.CharField(
        label=_("Examination"), max_length=100, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    planned_on = forms.DateField(
        label=_("Planned date"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    purpose = forms.CharField(
        label=_("Purpose, in plain words"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class PrintRunForm(forms.Form):
    """Bedside sheets for every patient ("all" button) or the ticked ones."""

    admissions = ModelMultipleChoiceField(
        label=_("Patients"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, admissions, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["admissions"]
        field.queryset = admissions
        field.label_from_instance = lambda admission: f"{admission.bed.code} {admission.patient.name}"

    def clean(self):
        cleaned = super().clean()
        if "all" in self.data:
            cleaned["admissions"] = list(self.fields["admissions"].queryset)
        elif not cleaned.get("admissions") and not self.errors:
            self.add_error("admissions", _("Tick at least one patient, or print all."))
        return cleaned


class TranscriptionForm(forms.Form):
    """One column of a paper sheet: per item the mark on the paper (or none) and its reason."""

    NOT_ON_PAPER = ""

    def __init__(self, *args, patient_shift, **kwargs):
        super().__init__(*args, **kwargs)
        self._rows = []
        for checklist_progress in patient_shift.checklists:
            for state in checklist_progress.items:
                key = f"{state.checklist.pk}_{state.item.pk}"
                self.fields[f"status_{key}"] = forms.ChoiceField(
                    label=state.item.text,
                    choices=[(self.NOT_ON_PAPER, "—"), *CheckRecord.Status.choices],
                    widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                    required=False,
                )
                self.fields[f"note_{key}"] = forms.CharField(
                    label=_("Reason"), max_length=NOTE_MAX_LENGTH, required=False
                )
                self._rows.append((checklist_progress, state, key))

    def groups(self) -> list[tuple]:
        """[(checklist progress, [(item state, status field, note field)])] for the template."""
        groups: dict = {}
        for checklist_progress, state, key in self._rows:
            groups.setdefault(checklist_progress.checklist.pk, (checklist_progress, []))[1].append(
                (state, self[f"status_{key}"], self[f"note_{key}"])
            )
        return list(groups.values())

    def entries(self) -> list[tuple]:
        """(checklist, item, status, note) for every item marked on the paper."""
        return [
            (state.checklist, state.item, self.cleaned_data[f"status_{key}"], self.cleaned_data[f"note_{key}"])
            for _progress, state, key in self._rows
            if self.cleaned_data[f"status_{key}"] != self.NOT_ON_PAPER
        ]
