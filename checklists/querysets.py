"""Reads: QuerySet methods that pages and services use. They own select_related,
prefetch_related and annotations so that a template never queries in a loop."""

from django.db import models
from django.db.models import Case, Count, OuterRef, Prefetch, Q, Subquery, Value, When


class WardQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Nurses and leaders see the wards they work on; superusers see all."""
        if user.is_superuser:
            return self
        return self.filter(staff=user)

    def with_beds_and_patients(self):
        """Beds in order, each with its open admission (0 or 1), the patient, the
        active risk factors and the active checklists with their items."""
        return self.prefetch_related(beds_and_patients())


def beds_and_patients() -> Prefetch:
    """The prefetch behind ``WardQuerySet.with_beds_and_patients``, also usable on one ward
    already loaded (``prefetch_related_objects``)."""
    from .models import Admission, Bed

    admissions = Admission.objects.open().for_shift_work()
    return Prefetch(
        "beds",
        queryset=Bed.objects.order_by("position", "code").prefetch_related(
            Prefetch("admissions", queryset=admissions, to_attr="open_admissions")
        ),
    )


class BedQuerySet(models.QuerySet):
    def empty(self):
        from .models import Admission

        return self.exclude(pk__in=Admission.objects.open().values("bed"))

    def visible_to(self, user):
        from .models import Ward

        return self.filter(ward__in=Ward.objects.visible_to(user))


class AdmissionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(discharged_at__isnull=True)

    def on_ward(self, ward):
        return self.filter(ward=ward)

    def with_patient_and_bed(self):
        return self.select_related("patient", "bed", "ward")

    def with_active_risk_factors(self):
        from .models import AdmissionRiskFactor

        return self.prefetch_related(
            Prefetch(
                "risk_factor_notes",
                queryset=AdmissionRiskFactor.objects.active().select_related("risk_factor"),
                to_attr="active_risk_factor_notes",
            )
        )

    def with_active_checklists(self):
        """Active checklists with their template, version and the version's items."""
        from .models import PatientChecklist, TemplateItem

        return self.prefetch_related(
            Prefetch(
                "checklists",
                queryset=PatientChecklist.objects.active()
                .select_related("template", "version")
                .prefetch_related(Prefetch("version__items", queryset=TemplateItem.objects.select_related("only_if"))),
                to_attr="active_checklists",
            )
        )

    def for_shift_work(self):
        """Everything a board row, patient page or handover entry shows, in a fixed number of queries."""
        return self.select_related("patient", "bed", "ward").with_active_risk_factors().with_active_checklists()

    def visible_to(self, user):
        from .models import Ward

        return self.filter(ward__in=Ward.objects.visible_to(user))

    def live_during(self, slot):
        """Stays that were on the ward at some moment of the slot (a past shift's handover)."""
        return self.filter(admitted_at__lt=slot.ends).filter(
            Q(discharged_at__isnull=True) | Q(discharged_at__gt=slot.starts)
        )

    def for_slot_work(self, slot):
        """Like ``for_shift_work``, but with the risk factors and checklists as they were
        during ``slot`` (into the same attributes), not as they are now."""
        from .models import AdmissionRiskFactor, PatientChecklist, TemplateItem

        during = {"started_at__lt": slot.ends}
        notes = AdmissionRiskFactor.objects.filter(noted_at__lt=slot.ends).filter(
            Q(removed_at__isnull=True) | Q(removed_at__gt=slot.starts)
        )
        checklists = (
            PatientChecklist.objects.filter(**during)
            .filter(Q(stopped_at__isnull=True) | Q(stopped_at__gt=slot.starts))
            .select_related("template", "version")
            .prefetch_related(Prefetch("version__items", queryset=TemplateItem.objects.select_related("only_if")))
        )
        return self.select_related("patient", "bed", "ward").prefetch_related(
            Prefetch(
                "risk_factor_notes", queryset=notes.select_related("risk_factor"), to_attr="active_risk_factor_notes"
            ),
            Prefetch("checklists", queryset=checklists, to_attr="active_checklists"),
        )


class AdmissionRiskFactorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(removed_at__isnull=True)


class ShiftDefinitionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class ChecklistTemplateQuerySet(models.QuerySet):
    def proposed_for(self, risk_factor_ids):
        """Templates with a published version and any of the given trigger factors."""
        return (
            self.filter(triggers__in=list(risk_factor_ids), versions__status="published")
            .distinct()
            .order_by("position", "code")
        )

    def for_editor_list(self):
        """Templates in category order, each with its published and draft version and the number
        of patients on the published version and on older ones: one query."""
        from .models import ChecklistTemplate, TemplateVersion

        versions = TemplateVersion.objects.filter(template=OuterRef("pk"))
        on = Q(versions__patient_checklists__stopped_at__isnull=True)
        categories = ChecklistTemplate.Category.values
        return self.annotate(
            category_order=Case(*[When(category=c, then=Value(i)) for i, c in enumerate(categories)], default=99),
            published_number=Subquery(versions.filter(status="published").values("number")[:1]),
            draft_number=Subquery(versions.filter(status="draft").values("number")[:1]),
            draft_pk=Subquery(versions.filter(status="draft").values("pk")[:1]),
            patients_on_published=Count("versions__patient_checklists", filter=on & Q(versions__status="published")),
            patients_on_older=Count("versions__patient_checklists", filter=on & Q(versions__status="retired")),
        ).order_by("category_order", "position", "code")


class TemplateVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def drafts(self):
        return self.filter(status="draft")

    def with_patient_counts(self):
        """``active_patients``: patients whose running checklist is on this version."""
        return self.annotate(
            active_patients=Count("patient_checklists", filter=Q(patient_checklists__stopped_at__isnull=True))
        )

    def with_items(self):
        from .models import TemplateItem

        return self.select_related("template").prefetch_related(
            Prefetch("items", queryset=TemplateItem.objects.select_related("only_if").order_by("position", "id"))
        )


class PatientChecklistQuerySet(models.QuerySet):
    def active(self):
        return self.filter(stopped_at__isnull=True)

    def on_older_versions(self, template):
        """Running checklists of ``template`` on a version that is no longer the published one."""
        return (
            self.active()
            .filter(template=template)
            .exclude(version__status="published")
            .select_related("admission__patient", "admission__ward", "admission__bed", "version")
            .order_by("admission__ward__code", "admission__bed__position", "admission__bed__code")
        )


class CheckRecordQuerySet(models.QuerySet):
    def standing(self):
        """Records that no later record corrects: the ones that count."""
        return self.filter(Q(corrected_by__isnull=True))

    def for_shift(self, duty_date, shift):
        return self.filter(duty_date=duty_date, shift=shift)

    def for_progress(self, checklist_ids, *, since):
        """The records that progress needs: from duty date ``since`` on, plus every
        record of once-per-admission items."""
        return (
            self.filter(checklist_id__in=list(checklist_ids))
            .filter(Q(duty_date__gte=since) | Q(item__frequency="once"))
            .select_related("recorded_by", "shift", "item")
        )

    def for_history(self, checklist_ids, *, since):
        return self.filter(checklist_id__in=list(checklist_ids), duty_date__gte=since).select_related(
            "recorded_by", "shift"
        )


class PlannedExaminationQuerySet(models.QuerySet):
    def current(self):
        return self.filter(removed_at__isnull=True)


class AuditEventQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    def template_history(self, template):
        """What admins did to a template's content, newest first (nurses' records are left out)."""
        from .models import AuditEvent

        Action = AuditEvent.Action
        actions = [
            Action.TEMPLATE_CREATED,
            Action.TEMPLATE_IMPORTED,
            Action.TEMPLATE_EDITED,
            Action.TEMPLATE_EXPORTED,
            Action.DRAFT_CREATED,
            Action.DRAFT_EDITED,
            Action.VERSION_PUBLISHED,
            Action.VERSION_RETIRED,
            Action.CHECKLIST_MOVED,
        ]
        return self.filter(template=template, action__in=actions).select_related("actor").order_by("-at", "-id")
