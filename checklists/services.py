"""Every write WardSafe makes. Each function owns its transaction, checks the rules,
raises ValidationError with a translated message when they are broken (leaving
nothing half-written), and writes the audit event in the same transaction."""

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .content import TemplateSpec
from .models import (
    Admission,
    AdmissionRiskFactor,
    AuditEvent,
    Bed,
    ChecklistTemplate,
    CheckRecord,
    Patient,
    PatientChecklist,
    RiskFactor,
    ShiftDefinition,
    TemplateItem,
    TemplateVersion,
    Ward,
)
from .shifts import shift_at

NOTE_MAX_LENGTH = 500


# --- audit -----------------------------------------------------------------------------


def audit_event_write(*, actor, action: str, obj, ward=None, admission=None, template=None, data=None) -> AuditEvent:
    """Append one audit row. Callers are services, inside their own transaction."""
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        ward=ward,
        admission=admission,
        template=template,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        data=data or {},
    )


def reference_data_save(*, obj, by, changed: Iterable[str] = ()) -> None:
    """Save a ward, bed, risk factor or shift edited in the admin, with its audit row."""
    obj.full_clean()
    with transaction.atomic():
        adding = obj._state.adding
        obj.save()
        audit_event_write(
            actor=by,
            action=AuditEvent.Action.CONTENT_CHANGED,
            obj=obj,
            data={"created": adding, "fields": sorted(changed)},
        )


# --- wards, beds, reference data -------------------------------------------------------


@transaction.atomic
def ward_create(*, code: str, name: str, bed_codes: Iterable[str] = (), by=None) -> Ward:
    ward = Ward(code=code, name=name)
    ward.full_clean()
    ward.save()
    for position, bed_code in enumerate(bed_codes, start=1):
        bed = Bed(ward=ward, code=bed_code, position=position)
        bed.full_clean()
        bed.save()
    audit_event_write(actor=by, action=AuditEvent.Action.CONTENT_CHANGED, obj=ward, ward=ward, data={"created": True})
    return ward


# --- admissions ---------------------------------------------------------------------------


def _check_open(admission: Admission) -> None:
    if not admission.is_open:
        raise ValidationError(
            _("%(patient)s has been discharged; nothing can be recorded on this stay.")
            % {"patient": admission.patient.name}
        )


def _check_bed_free(bed: Bed) -> None:
    if Admission.objects.open().filter(bed=bed).exists():
        raise ValidationError(_("Bed %(bed)s is already taken.") % {"bed": bed.code})


@transaction.atomic
def patient_admit(
    *,
    hospital_id: str,
    name: str,
    birth_date: date,
    bed: Bed,
    by,
    name_kana: str = "",
    risk_factors: Iterable[RiskFactor] = (),
    at: datetime | None = None,
) -> Admission:
    """Admit a patient into an empty bed. A known hospital ID re-admits the same person."""
    at = at or timezone.now()
    hospital_id, name, name_kana = hospital_id.strip(), name.strip(), name_kana.strip()
    if not hospital_id:
        raise ValidationError(_("Enter the hospital ID."))
    if not name:
        raise ValidationError(_("Enter the patient's name."))
    if birth_date > timezone.localdate(at):
        raise ValidationError(_("The birth date cannot be in the future."))
    patient = Patient.objects.select_for_update().filter(hospital_id=hospital_id).first()
    if patient is None:
        patient = Patient(hospital_id=hospital_id, name=name, name_kana=name_kana, birth_date=birth_date)
        patient.full_clean()
        patient.save()
    else:
        if patient.birth_date != birth_date:
            raise ValidationError(
                _("Hospital ID %(id)s belongs to a patient born on %(date)s. Check the ID and the birth date.")
                % {"id": hospital_id, "date": patient.birth_date.isoformat()}
            )
        if Admission.objects.open().filter(patient=patient).exists():
            raise ValidationError(_("%(patient)s is already admitted.") % {"patient": patient.name})
        if (patient.name, patient.name_kana) != (name, name_kana):
            patient.name, patient.name_kana = name, name_kana
            patient.full_clean()
            patient.save(update_fields=["name", "name_kana"])
    _check_bed_free(bed)
    try:
        with transaction.atomic():
            admission = Admission.objects.create(
                patient=patient, ward=bed.ward, bed=bed, admitted_at=at, admitted_by=by
            )
    except IntegrityError as error:
        # Another nurse took the bed (or admitted this patient) a moment ago.
        raise ValidationError(
            _("The bed or the patient was just taken by another admission. Reload and try again.")
        ) from error
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.PATIENT_ADMITTED,
        obj=admission,
        ward=bed.ward,
        admission=admission,
        data={"bed": bed.code, "hospital_id": hospital_id},
    )
    factors = list(risk_factors)
    if patient.is_child_on(timezone.localdate(at)):
        child = RiskFactor.objects.filter(code=RiskFactor.CHILD).first()
        if child is not None and child not in factors:
            factors.append(child)
    for factor in factors:
        admission_risk_factor_note(admission=admission, risk_factor=factor, by=by, at=at)
    return admission


@transaction.atomic
def admission_risk_factor_note(*, admission: Admission, risk_factor: RiskFactor, by, at=None) -> AdmissionRiskFactor:
    _check_open(admission)
    existing = AdmissionRiskFactor.objects.active().filter(admission=admission, risk_factor=risk_factor).first()
    if existing is not None:
        return existing
    note = AdmissionRiskFactor.objects.create(
        admission=admission, risk_factor=risk_factor, noted_by=by, noted_at=at or timezone.now()
    )
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.RISK_FACTOR_NOTED,
        obj=note,
        ward=admission.ward,
        admission=admission,
        data={"risk_factor": risk_factor.code},
    )
    return note


@transaction.atomic
def admission_risk_factor_remove(*, admission: Admission, risk_factor: RiskFactor, by, at=None) -> None:
    _check_open(admission)
    at = at or timezone.now()
    note = (
        AdmissionRiskFactor.objects.select_for_update()
        .active()
        .filter(admission=admission, risk_factor=risk_factor)
        .first()
    )
    if note is None:
        raise ValidationError(_("%(factor)s is not noted for this patient.") % {"factor": risk_factor.name})
    note.removed_at, note.removed_by = at, by
    note.save(update_fields=["removed_at", "removed_by"])
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.RISK_FACTOR_REMOVED,
        obj=note,
        ward=admission.ward,
        admission=admission,
        data={"risk_factor": risk_factor.code},
    )


@transaction.atomic
def admission_transfer(*, admission: Admission, bed: Bed, by) -> Admission:
    admission = Admission.objects.select_for_update().get(pk=admission.pk)
    _check_open(admission)
    if bed == admission.bed:
        raise ValidationError(_("The patient is already in bed %(bed)s.") % {"bed": bed.code})
    _check_bed_free(bed)
    old_bed = admission.bed
    admission.bed, admission.ward = bed, bed.ward
    try:
        with transaction.atomic():
            admission.save(update_fields=["bed", "ward"])
    except IntegrityError as error:
        raise ValidationError(_("Bed %(bed)s was just taken. Choose another bed.") % {"bed": bed.code}) from error
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.PATIENT_TRANSFERRED,
        obj=admission,
        ward=bed.ward,
        admission=admission,
        data={"from_bed": old_bed.code, "from_ward": old_bed.ward.code, "to_bed": bed.code, "to_ward": bed.ward.code},
    )
    return admission


@transaction.atomic
def admission_discharge(*, admission: Admission, by, at: datetime | None = None) -> Admission:
    """Discharge keeps every record; active checklists are stopped with the reason 'discharged'."""
    at = at or timezone.now()
    admission = Admission.objects.select_for_update().get(pk=admission.pk)
    _check_open(admission)
    if at < admission.admitted_at:
        raise ValidationError(_("The discharge time cannot be before the admission."))
    for checklist in PatientChecklist.objects.active().filter(admission=admission):
        checklist_stop(checklist=checklist, by=by, reason=_("Discharged"), at=at)
    admission.discharged_at, admission.discharged_by = at, by
    admission.save(update_fields=["discharged_at", "discharged_by"])
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.PATIENT_DISCHARGED,
        obj=admission,
        ward=admission.ward,
        admission=admission,
        data={"bed": admission.bed.code},
    )
    return admission


# --- patient checklists -----------------------------------------------------------------


@transaction.atomic
def checklist_start(*, admission: Admission, template: ChecklistTemplate, by, at=None) -> PatientChecklist:
    """Start the template's published version for this stay."""
    _check_open(admission)
    version = TemplateVersion.objects.published().filter(template=template).first()
    if version is None:
        raise ValidationError(_("%(template)s has no published version yet.") % {"template": template.name})
    if PatientChecklist.objects.active().filter(admission=admission, template=template).exists():
        raise ValidationError(_("%(template)s is already active for this patient.") % {"template": template.name})
    try:
        with transaction.atomic():
            checklist = PatientChecklist.objects.create(
                admission=admission, template=template, version=version, started_by=by, started_at=at or timezone.now()
            )
    except IntegrityError as error:
        raise ValidationError(
            _("%(template)s is already active for this patient.") % {"template": template.name}
        ) from error
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.CHECKLIST_STARTED,
        obj=checklist,
        ward=admission.ward,
        admission=admission,
        template=template,
        data={"version": version.number},
    )
    return checklist


@transaction.atomic
def checklist_stop(*, checklist: PatientChecklist, by, reason: str, at=None) -> PatientChecklist:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason for stopping the checklist."))
    checklist = PatientChecklist.objects.select_for_update().select_related("admission").get(pk=checklist.pk)
    if not checklist.is_active:
        raise ValidationError(_("This checklist was already stopped."))
    checklist.stopped_at, checklist.stopped_by, checklist.stop_reason = at or timezone.now(), by, reason
    checklist.save(update_fields=["stopped_at", "stopped_by", "stop_reason"])
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.CHECKLIST_STOPPED,
        obj=checklist,
        ward=checklist.admission.ward,
        admission=checklist.admission,
        template=checklist.template,
        data={"version": checklist.version.number, "reason": reason},
    )
    return checklist


@transaction.atomic
def checklists_apply(
    *, admission: Admission, start: Iterable[ChecklistTemplate], stop: Iterable[PatientChecklist], by, reason: str = ""
) -> list[PatientChecklist]:
    """Start and stop several checklists at once, as the nurse confirmed them."""
    stop = list(stop)
    reason = reason.strip() or _("Risk factors changed")
    for checklist in stop:
        if checklist.admission_id != admission.pk:
            raise ValidationError(_("That checklist belongs to another patient."))
        checklist_stop(checklist=checklist, by=by, reason=reason)
    return [checklist_start(admission=admission, template=template, by=by) for template in start]


@transaction.atomic
def admission_risk_factors_set(*, admission: Admission, risk_factors: Iterable[RiskFactor], by) -> tuple[list, list]:
    """Make the noted factors exactly ``risk_factors``; returns (added, removed)."""
    wanted = {factor.pk: factor for factor in risk_factors}
    current = {
        note.risk_factor_id: note.risk_factor
        for note in AdmissionRiskFactor.objects.active().filter(admission=admission).select_related("risk_factor")
    }
    added = [factor for pk, factor in wanted.items() if pk not in current]
    removed = [factor for pk, factor in current.items() if pk not in wanted]
    for factor in removed:
        admission_risk_factor_remove(admission=admission, risk_factor=factor, by=by)
    for factor in added:
        admission_risk_factor_note(admission=admission, risk_factor=factor, by=by)
    return added, removed


def _clean_record(status: str, note: str) -> str:
    if status not in CheckRecord.Status.values:
        raise ValidationError(_("Choose done, not applicable or not done."))
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(_("Keep the note under %(max)d characters.") % {"max": NOTE_MAX_LENGTH})
    if status != CheckRecord.Status.DONE and not note:
        raise ValidationError(_("Give a short reason for “not applicable” or “not done”."))
    return note


@transaction.atomic
def item_record(
    *, checklist: PatientChecklist, item: TemplateItem, status: str, by, note: str = "", at: datetime | None = None
) -> CheckRecord:
    """Record one item for the shift running at ``at``. Every record is kept, even two at once."""
    note = _clean_record(status, note)
    at = at or timezone.now()
    checklist = PatientChecklist.objects.select_related("admission__ward", "admission__patient").get(pk=checklist.pk)
    _check_open(checklist.admission)
    if not checklist.is_active:
        raise ValidationError(_("This checklist was stopped; start it again to record on it."))
    if item.version_id != checklist.version_id:
        raise ValidationError(_("This item does not belong to the patient's checklist version."))
    slot = shift_at(at)
    record = CheckRecord.objects.create(
        checklist=checklist,
        item=item,
        duty_date=slot.duty_date,
        shift=slot.shift,
        status=status,
        note=note,
        recorded_by=by,
        recorded_at=at,
    )
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.CHECK_RECORDED,
        obj=record,
        ward=checklist.admission.ward,
        admission=checklist.admission,
        template=checklist.template,
        data={"item": item.key, "status": status, "duty_date": slot.duty_date.isoformat(), "shift": slot.shift.code},
    )
    return record


@transaction.atomic
def record_correct(*, record: CheckRecord, status: str, by, note: str = "", at=None) -> CheckRecord:
    """A correction is a new record for the same item, shift and duty date that points at the old one."""
    note = _clean_record(status, note)
    record = CheckRecord.objects.select_related("checklist__admission__ward").get(pk=record.pk)
    _check_open(record.checklist.admission)
    if record.corrected_by.exists():
        raise ValidationError(_("This record was already corrected. Correct the newer record instead."))
    try:
        with transaction.atomic():
            correction = CheckRecord.objects.create(
                checklist=record.checklist,
                item=record.item,
                duty_date=record.duty_date,
                shift=record.shift,
                status=status,
                note=note,
                recorded_by=by,
                recorded_at=at or timezone.now(),
                corrects=record,
            )
    except IntegrityError as error:
        raise ValidationError(_("Someone corrected this record a moment ago. Reload to see it.")) from error
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.CHECK_CORRECTED,
        obj=correction,
        ward=record.checklist.admission.ward,
        admission=record.checklist.admission,
        template=record.checklist.template,
        data={"corrects": record.pk, "from": record.status, "to": status},
    )
    return correction


# --- templates and versions -------------------------------------------------------------


def _draft_for_edit(version: TemplateVersion, expected_revision: int | None, by) -> TemplateVersion:
    """Lock the draft, refuse a stale edit, bump its revision."""
    locked = TemplateVersion.objects.select_for_update().select_related("template").get(pk=version.pk)
    if not locked.is_editable:
        raise ValidationError(
            _("Version %(number)d is %(status)s; its items can no longer change. Create a new draft.")
            % {"number": locked.number, "status": locked.get_status_display()}
        )
    if expected_revision is not None and expected_revision != locked.revision:
        last = AuditEvent.objects.for_object(locked).select_related("actor").first()
        who = last.actor.get_username() if last and last.actor else _("someone")
        when = timezone.localtime(last.at).strftime("%Y-%m-%d %H:%M") if last else ""
        raise ValidationError(
            _("This draft was changed by %(who)s at %(when)s. Reload it and make your change again.")
            % {"who": who, "when": when}
        )
    TemplateVersion.objects.filter(pk=locked.pk).update(revision=F("revision") + 1)
    locked.refresh_from_db(fields=["revision"])
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.DRAFT_EDITED,
        obj=locked,
        template=locked.template,
        data={"revision": locked.revision},
    )
    return locked


@transaction.atomic
def template_create(
    *,
    code: str,
    category: str,
    name_ja: str,
    by,
    name_en: str = "",
    description_ja: str = "",
    description_en: str = "",
    triggers: Iterable[RiskFactor] = (),
) -> ChecklistTemplate:
    """A new template with an empty draft version 1."""
    template = ChecklistTemplate(
        code=code,
        category=category,
        name_ja=name_ja.strip(),
        name_en=name_en.strip(),
        description_ja=description_ja.strip(),
        description_en=description_en.strip(),
        position=ChecklistTemplate.objects.count() + 1,
    )
    template.full_clean()
    template.save()
    template.triggers.set(triggers)
    version = TemplateVersion.objects.create(template=template, number=1, created_by=by)
    audit_event_write(actor=by, action=AuditEvent.Action.TEMPLATE_CREATED, obj=template, template=template)
    audit_event_write(
        actor=by, action=AuditEvent.Action.DRAFT_CREATED, obj=version, template=template, data={"number": 1}
    )
    return template


@transaction.atomic
def template_draft_create(*, template: ChecklistTemplate, by) -> TemplateVersion:
    """Start editing a template: a draft that copies the published version's items."""
    template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    if TemplateVersion.objects.drafts().filter(template=template).exists():
        raise ValidationError(_("%(template)s already has a draft. Edit that draft.") % {"template": template.name})
    source = TemplateVersion.objects.published().filter(template=template).first()
    number = (template.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    draft = TemplateVersion.objects.create(template=template, number=number, created_by=by)
    if source is not None:
        copies = []
        for item in source.items.all():
            item.pk, item.id, item.version = None, None, draft
            copies.append(item)
        TemplateItem.objects.bulk_create(copies)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.DRAFT_CREATED,
        obj=draft,
        template=template,
        data={"number": number, "copied_from": source.number if source else None},
    )
    return draft


ITEM_FIELDS = (
    "key",
    "text_ja",
    "text_en",
    "why_ja",
    "why_en",
    "frequency",
    "is_critical",
    "only_if",
    "source",
    "source_document",
    "source_passage",
)


@transaction.atomic
def template_item_add(*, version: TemplateVersion, by, expected_revision: int | None = None, **fields) -> TemplateItem:
    version = _draft_for_edit(version, expected_revision, by)
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    position = (version.items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    item = TemplateItem(version=version, position=position, **fields)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def template_item_update(*, item: TemplateItem, by, expected_revision: int | None = None, **fields) -> TemplateItem:
    _draft_for_edit(item.version, expected_revision, by)
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    item = TemplateItem.objects.get(pk=item.pk)
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def template_item_remove(*, item: TemplateItem, by, expected_revision: int | None = None) -> None:
    _draft_for_edit(item.version, expected_revision, by)
    TemplateItem.objects.filter(pk=item.pk).delete()


@transaction.atomic
def template_publish(*, version: TemplateVersion, by, change_note: str, at=None) -> TemplateVersion:
    """Make a draft the one published version; the previous one is retired.
    Patients already on the old version stay on it."""
    at = at or timezone.now()
    change_note = change_note.strip()
    version = TemplateVersion.objects.select_for_update().select_related("template").get(pk=version.pk)
    if not version.is_editable:
        raise ValidationError(_("Only a draft can be published."))
    if not change_note:
        raise ValidationError(_("Describe what changed in this version."))
    items = list(version.items.all())
    if not items:
        raise ValidationError(_("An empty draft cannot be published. Add at least one item."))
    for item in items:
        if not item.text_ja.strip():
            raise ValidationError(_("Every item needs a text. Item %(key)s has none.") % {"key": item.key})
    template = version.template
    previous = TemplateVersion.objects.select_for_update().published().filter(template=template).first()
    if previous is not None:
        previous.status, previous.retired_at = TemplateVersion.Status.RETIRED, at
        previous.save(update_fields=["status", "retired_at"])
        audit_event_write(
            actor=by,
            action=AuditEvent.Action.VERSION_RETIRED,
            obj=previous,
            template=template,
            data={"number": previous.number, "replaced_by": version.number},
        )
    version.status, version.published_at, version.published_by = TemplateVersion.Status.PUBLISHED, at, by
    version.change_note = change_note
    try:
        with transaction.atomic():
            version.save(update_fields=["status", "published_at", "published_by", "change_note"])
    except IntegrityError as error:
        raise ValidationError(_("Another version was published at the same moment. Reload and check.")) from error
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.VERSION_PUBLISHED,
        obj=version,
        template=template,
        data={"number": version.number, "change_note": change_note},
    )
    return version


@transaction.atomic
def template_import(*, spec: TemplateSpec, by, at=None) -> ChecklistTemplate:
    """Create a template with all its versions from a checked spec (content.parse_template)."""
    at = at or timezone.now()
    if ChecklistTemplate.objects.filter(code=spec.code).exists():
        raise ValidationError(_("A template with the code %(code)s already exists.") % {"code": spec.code})
    factors = {f.code: f for f in RiskFactor.objects.all()}
    template = ChecklistTemplate(
        code=spec.code,
        category=spec.category,
        name_ja=spec.name_ja,
        name_en=spec.name_en,
        description_ja=spec.description_ja,
        description_en=spec.description_en,
        position=ChecklistTemplate.objects.count() + 1,
    )
    template.full_clean()
    template.save()
    template.triggers.set([factors[code] for code in spec.triggers])
    for version_spec in spec.versions:
        published = version_spec.status != TemplateVersion.Status.DRAFT
        version = TemplateVersion.objects.create(
            template=template,
            number=version_spec.number,
            status=version_spec.status,
            change_note=version_spec.change_note,
            created_by=by,
            published_at=at if published else None,
            published_by=by if published else None,
            retired_at=at if version_spec.status == TemplateVersion.Status.RETIRED else None,
        )
        items = []
        for position, item_spec in enumerate(version_spec.items, start=1):
            item = TemplateItem(
                version=version,
                position=position,
                key=item_spec.key,
                text_ja=item_spec.text_ja,
                text_en=item_spec.text_en,
                why_ja=item_spec.why_ja,
                why_en=item_spec.why_en,
                frequency=item_spec.frequency,
                is_critical=item_spec.is_critical,
                only_if=factors.get(item_spec.only_if) if item_spec.only_if else None,
                source=item_spec.source,
                source_document=item_spec.source_document,
                source_passage=item_spec.source_passage,
            )
            item.full_clean(exclude=["version"])
            items.append(item)
        TemplateItem.objects.bulk_create(items)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.TEMPLATE_IMPORTED,
        obj=template,
        template=template,
        data={"versions": [v.number for v in spec.versions]},
    )
    return template


@transaction.atomic
def risk_factor_create(*, code: str, group: str, name_ja: str, by=None, **fields) -> RiskFactor:
    factor = RiskFactor(code=code, group=group, name_ja=name_ja, **fields)
    factor.full_clean()
    factor.save()
    audit_event_write(actor=by, action=AuditEvent.Action.CONTENT_CHANGED, obj=factor, data={"created": True})
    return factor


@transaction.atomic
def shift_definition_create(*, code: str, name_ja: str, starts_at, ends_at, by=None, **fields) -> ShiftDefinition:
    shift = ShiftDefinition(code=code, name_ja=name_ja, starts_at=starts_at, ends_at=ends_at, **fields)
    shift.full_clean()
    shift.save()
    audit_event_write(actor=by, action=AuditEvent.Action.CONTENT_CHANGED, obj=shift, data={"created": True})
    return shift
