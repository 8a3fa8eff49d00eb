"""Django admin. Clinical data, records, versioned content and the audit trail are
read-only here (they change only through the services: assessments, safety events and
teach-back audits too, and the assessment scales, which the editor's scale pages edit), and so
are the shift patterns,
their dated versions and each ward's pattern (the editor's shift pages add them); wards,
beds and risk factors are editable, and each save goes through a service that audits it."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    Admission,
    AdmissionRiskFactor,
    Assessment,
    AuditEvent,
    Bed,
    ChecklistTemplate,
    CheckRecord,
    ItemDetail,
    Patient,
    PatientChecklist,
    Placement,
    PlannedExamination,
    PrintJob,
    QuickReason,
    RiskFactor,
    SafetyEvent,
    Scale,
    ScaleBand,
    ScaleQuestion,
    ScaleVersion,
    ShiftDefinition,
    ShiftPattern,
    ShiftPatternVersion,
    TeachBackAudit,
    TemplateItem,
    TemplateVersion,
    Ward,
    WardShiftPattern,
)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdminMixin:
    """Edits made in the admin are saved by a service that writes the audit row."""

    def save_model(self, request, obj, form, change):
        services.reference_data_save(obj=obj, by=request.user, changed=form.changed_data)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            services.reference_data_save(obj=instance, by=request.user)
        formset.save_m2m()

    def has_delete_permission(self, request, obj=None):
        return False


class BedInline(admin.TabularInline):
    model = Bed
    extra = 0
    fields = ["code", "position"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ward)
class WardAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "overdue_warning_minutes", "overdue_minutes"]
    filter_horizontal = ["staff"]
    inlines = [BedInline]


@admin.register(RiskFactor)
class RiskFactorAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name_ja", "name_en", "group", "position", "is_active"]
    list_filter = ["group", "is_active"]
    search_fields = ["code", "name_ja", "name_en"]


@admin.register(QuickReason)
class QuickReasonAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The one-tap reasons of the record dialog: retire one (not active) rather than delete it."""

    list_display = ["name_ja", "name_en", "status", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["status", "is_active"]


@admin.register(ShiftPattern)
class ShiftPatternAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name_ja", "name_en", "position"]


class ShiftDefinitionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ShiftDefinition
    fields = ["code", "name_ja", "name_en", "starts_at", "ends_at", "position"]
    readonly_fields = fields
    extra = 0


@admin.register(ShiftPatternVersion)
class ShiftPatternVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["pattern", "number", "effective_from", "created_by", "created_at"]
    list_filter = ["pattern"]
    list_select_related = ["pattern", "created_by"]
    inlines = [ShiftDefinitionInline]


@admin.register(ShiftDefinition)
class ShiftDefinitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name_ja", "name_en", "starts_at", "ends_at", "version"]
    list_filter = ["version__pattern"]
    list_select_related = ["version__pattern"]


@admin.register(WardShiftPattern)
class WardShiftPatternAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["ward", "pattern", "effective_from", "created_by", "created_at"]
    list_filter = ["ward", "pattern"]
    list_select_related = ["ward", "pattern", "created_by"]


class TemplateVersionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = TemplateVersion
    fields = ["number", "status", "published_at", "published_by", "change_note"]
    readonly_fields = fields
    show_change_link = True
    extra = 0


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name_ja", "name_en", "category", "code"]
    list_filter = ["category"]
    readonly_fields = ["code", "category", "name_ja", "name_en", "description_ja", "description_en", "trigger_list"]
    fields = readonly_fields
    inlines = [TemplateVersionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("triggers")

    @admin.display(description=_("trigger risk factors"))
    def trigger_list(self, obj):
        return ", ".join(factor.name for factor in obj.triggers.all())


class TemplateItemInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = TemplateItem
    fields = [
        "position",
        "key",
        ("text_ja", "text_en"),
        ("why_ja", "why_en"),
        ("frequency", "is_critical", "due_in"),
        ("for_children", "for_adults", "for_older", "from_age"),
        ("source", "source_document"),
        "source_passage",
    ]
    readonly_fields = ["position", *TemplateItem.CONTENT_FIELDS]
    extra = 0


@admin.register(TemplateVersion)
class TemplateVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["template", "number", "status", "published_at", "published_by"]
    list_filter = ["status", "template__category"]
    list_select_related = ["template", "published_by"]
    inlines = [TemplateItemInline]


@admin.register(TemplateItem)
class TemplateItemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["text_ja", "version", "frequency", "is_critical", "due_in", "source", "source_document"]
    list_filter = ["version__template", "version__status", "frequency", "is_critical", "source", "source_document"]
    list_select_related = ["version__template"]
    search_fields = ["key", "text_ja", "text_en", "source_passage"]


@admin.register(Patient)
class PatientAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["hospital_id", "name", "name_kana", "birth_date"]
    search_fields = ["hospital_id", "name", "name_kana"]


class AdmissionRiskFactorInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AdmissionRiskFactor
    fields = ["risk_factor", "noted_at", "noted_by", "removed_at", "removed_by"]
    readonly_fields = fields
    extra = 0


class PlacementInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Placement
    fields = ["starts_at", "kind", "ward", "bed", "placed_by"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("ward", "bed__ward", "placed_by")


@admin.register(Admission)
class AdmissionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["patient", "ward", "bed", "admitted_at", "discharged_at"]
    list_filter = ["ward", ("discharged_at", admin.EmptyFieldListFilter)]
    list_select_related = ["patient", "ward", "bed__ward"]
    inlines = [PlacementInline, AdmissionRiskFactorInline]


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The bed history, read-only: admission and transfers append to it."""

    list_display = ["starts_at", "admission", "kind", "ward", "bed", "placed_by"]
    list_filter = ["kind", "ward"]
    list_select_related = ["admission__patient", "admission__bed__ward", "ward", "bed__ward", "placed_by"]


@admin.register(PatientChecklist)
class PatientChecklistAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["admission", "template", "version", "started_at", "stopped_at"]
    list_select_related = ["admission__patient", "admission__bed__ward", "template", "version__template"]
    list_filter = ["template"]


@admin.register(CheckRecord)
class CheckRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["recorded_at", "checklist", "item", "duty_date", "shift", "status", "recorded_by", "corrects_id"]
    list_filter = ["status", "shift", "duty_date"]
    list_select_related = [
        "checklist__admission__patient",
        "checklist__admission__bed__ward",
        "checklist__version__template",
        "item",
        "shift",
        "recorded_by",
    ]


@admin.register(ItemDetail)
class ItemDetailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A stay's per-patient details of items (「歩行器使用・見守り」): append-only, each row a version."""

    list_display = ["written_at", "admission", "template", "item_key", "text", "written_by"]
    list_filter = ["template"]
    list_select_related = ["admission__patient", "admission__bed__ward", "template", "written_by"]


# What an audit row can name a patient by: its stay, or an object of one as its description.
PATIENT_OBJECTS = [
    "checklists.patient",
    "checklists.admission",
    "checklists.admissionriskfactor",
    "checklists.patientchecklist",
    "checklists.checkrecord",
    "checklists.plannedexamination",
    "checklists.itemdetail",
]


def sees_patients(request) -> bool:
    """Superusers and roles that work with patients; a checklist admin does not."""
    return request.user.is_superuser or request.user.has_perm("checklists.view_admission")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A checklist admin sees the events that name no patient: the editor's, the reference
    data's, print runs by ward. The others (their description is a patient's name) are hidden."""

    list_display = ["at", "actor", "action", "object_repr", "ward"]
    list_filter = ["action", "ward"]
    list_select_related = ["actor", "ward"]
    search_fields = ["object_repr"]

    def get_queryset(self, request):
        events = super().get_queryset(request)
        if sees_patients(request):
            return events
        return events.filter(Q(admission__isnull=True) & ~Q(object_type__in=PATIENT_OBJECTS))


@admin.register(PlannedExamination)
class PlannedExaminationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "admission", "planned_on", "purpose", "created_by", "removed_at"]
    list_filter = [("removed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["admission__patient", "admission__bed__ward", "created_by"]


@admin.register(PrintJob)
class PrintJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["requested_at", "ward", "requested_by", "status", "done_count", "total_count", "finished_at"]
    list_filter = ["status", "ward"]
    list_select_related = ["ward", "requested_by"]
    exclude = ["pdf"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("pdf")


# --- assessment scales (edited in the editor's scale pages) and what nurses record with them


class ScaleVersionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ScaleVersion
    fields = ["number", "status", "published_at", "published_by", "retired_at", "change_note"]
    readonly_fields = fields
    extra = 0


@admin.register(Scale)
class ScaleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name_ja", "licence", "due_within_days", "reassess_every_days", "adults_only"]
    inlines = [ScaleVersionInline]


class ScaleQuestionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ScaleQuestion
    fields = ["position", "key", "text_ja", "text_en"]
    readonly_fields = fields
    extra = 0


class ScaleBandInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ScaleBand
    fields = ["key", "name_ja", "min_total", "is_high_risk", "notes_factor"]
    readonly_fields = fields
    extra = 0


@admin.register(ScaleVersion)
class ScaleVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["scale", "number", "status", "published_at", "retired_at"]
    list_filter = ["scale", "status"]
    list_select_related = ["scale"]
    inlines = [ScaleQuestionInline, ScaleBandInline]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["assessed_at", "admission", "version", "total", "band", "recorded_by", "corrects_id"]
    list_filter = ["version__scale"]
    list_select_related = ["admission__patient", "admission__bed__ward", "version__scale", "band", "recorded_by"]


@admin.register(SafetyEvent)
class SafetyEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["occurred_at", "kind", "ward", "admission", "injury_level", "recorded_by", "corrects_id"]
    list_filter = ["kind", "ward"]
    list_select_related = ["ward", "admission__patient", "admission__bed__ward", "injury_level", "recorded_by"]


@admin.register(TeachBackAudit)
class TeachBackAuditAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["audited_at", "ward", "admission", "asked", "names_risks", "names_plan", "sheet_current"]
    list_filter = ["ward"]
    list_select_related = ["ward", "admission__patient", "admission__bed__ward", "recorded_by"]
