"""Every write WardSafe makes. Each function owns its transaction, checks the rules,
raises ValidationError with a translated message when they are broken (leaving
nothing half-written), and writes the audit event in the same transaction."""

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .content import FORMAT, TemplateSpec, parse_template
from .models import (
    Admission,
    AdmissionRiskFactor,
    AuditEvent,
    Bed,
    ChecklistTemplate,
    CheckRecord,
    Patient,
    PatientChecklist,
    PlannedExamination,
    PrintJob,
    RiskFactor,
    ShiftDefinition,
    TemplateItem,
    TemplateVersion,
    Ward,
)
from .shifts import shift_at, slot_of

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
    renamed = None
    if patient is None:
        patient = Patient(hospital_id=hospital_id, name=name, name_kana=name_kana, birth_date=birth_date)
        patient.full_clean()
        try:
            with transaction.atomic():
                patient.save()
        except IntegrityError as error:
            # The same new patient is being admitted by another request (a double tap, a retry):
            # neither saw the other's uncommitted row, and the hospital ID is unique.
            raise ValidationError(
                _("The bed or the patient was just taken by another admission. Reload and try again.")
            ) from error
    else:
        if patient.birth_date != birth_date:
            raise ValidationError(
                _("Hospital ID %(id)s belongs to a patient born on %(date)s. Check the ID and the birth date.")
                % {"id": hospital_id, "date": patient.birth_date.isoformat()}
            )
        if Admission.objects.open().filter(patient=patient).exists():
            raise ValidationError(_("%(patient)s is already admitted.") % {"patient": patient.name})
        if (patient.name, patient.name_kana) != (name, name_kana):
            renamed = {"name": [patient.name, name], "name_kana": [patient.name_kana, name_kana]}
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
        data={"bed": bed.code, "hospital_id": hospital_id} | ({"renamed": renamed} if renamed else {}),
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
    try:
        with transaction.atomic():
            note = AdmissionRiskFactor.objects.create(
                admission=admission, risk_factor=risk_factor, noted_by=by, noted_at=at or timezone.now()
            )
    except IntegrityError:  # noted by a colleague a moment ago (a double tap): that note stands
        return AdmissionRiskFactor.objects.active().get(admission=admission, risk_factor=risk_factor)
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
    checklist = (
        PatientChecklist.objects.select_for_update(of=("self",)).select_related("admission").get(pk=checklist.pk)
    )
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
def admission_risk_factors_change(
    *, admission: Admission, note: Iterable[RiskFactor], remove: Iterable[RiskFactor], by
) -> None:
    """Note and remove risk factors in one go (the risk factor page)."""
    for factor in remove:
        admission_risk_factor_remove(admission=admission, risk_factor=factor, by=by)
    for factor in note:
        admission_risk_factor_note(admission=admission, risk_factor=factor, by=by)


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
    # Locked: a record cannot slip onto a checklist that is being stopped (or a stay being discharged).
    checklist = (
        PatientChecklist.objects.select_for_update(of=("self",))
        .select_related("admission__ward", "admission__patient")
        .get(pk=checklist.pk)
    )
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


def _changed_by(events) -> tuple[str, str]:
    """(who, when) of the newest of ``events``, for a "changed by X at T" refusal."""
    last = events.select_related("actor").order_by("-at", "-id").first()
    if last is None:
        return _("someone"), ""
    who = (last.actor.get_full_name() or last.actor.get_username()) if last.actor else _("someone")
    return who, timezone.localtime(last.at).strftime("%Y-%m-%d %H:%M")


def _check_revision(locked: TemplateVersion, expected_revision: int | None) -> None:
    """Refuse a save based on an older read of the draft, naming who changed it since."""
    if expected_revision is not None and expected_revision != locked.revision:
        who, when = _changed_by(AuditEvent.objects.for_object(locked).filter(action=AuditEvent.Action.DRAFT_EDITED))
        raise ValidationError(
            _("This draft was changed by %(who)s at %(when)s. Reload it and make your change again.")
            % {"who": who, "when": when},
            code="stale",
        )


def _draft_for_edit(version: TemplateVersion, expected_revision: int | None, by, change=None) -> TemplateVersion:
    """Lock the draft, refuse a stale edit, bump its revision; ``change`` says what the edit did."""
    locked = TemplateVersion.objects.select_for_update().select_related("template").get(pk=version.pk)
    if not locked.is_editable:
        raise ValidationError(
            _("Version %(number)d is %(status)s; its items can no longer change. Create a new draft.")
            % {"number": locked.number, "status": locked.get_status_display()}
        )
    _check_revision(locked, expected_revision)
    TemplateVersion.objects.filter(pk=locked.pk).update(revision=F("revision") + 1)
    locked.refresh_from_db(fields=["revision"])
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.DRAFT_EDITED,
        obj=locked,
        template=locked.template,
        data={"revision": locked.revision, **(change or {})},
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


ITEM_FIELDS = TemplateItem.CONTENT_FIELDS


def _item_key(version: TemplateVersion, text_en: str) -> str:
    """A key for a new item: from its English text, unique across all versions of the template
    (so the diff never mistakes a new item for an old one that was removed)."""
    base = slugify(text_en)[:50].strip("-") or "item"
    taken = set(TemplateItem.objects.filter(version__template_id=version.template_id).values_list("key", flat=True))
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


def _item_clean(item: TemplateItem) -> None:
    """Check an item's rules with messages an admin can act on, then the model's own checks."""
    for name in ("text_ja", "text_en", "why_ja", "why_en", "source_document", "source_passage"):
        setattr(item, name, (getattr(item, name) or "").strip())
    if not item.text_ja:
        raise ValidationError({"text_ja": _("Enter the item's text in Japanese.")})
    if item.source == TemplateItem.Source.SEED and not item.source_document:
        raise ValidationError(
            {"source_document": _("Name the source document, or mark the item as added by the institution.")}
        )
    if item.source == TemplateItem.Source.INSTITUTION and (item.source_document or item.source_passage):
        raise ValidationError(
            {"source_document": _("An item added by the institution has no source document or passage.")}
        )
    if TemplateItem.objects.filter(version_id=item.version_id, key=item.key).exclude(pk=item.pk).exists():
        raise ValidationError(
            {"key": _("Another item of this draft already uses the key %(key)s.") % {"key": item.key}}
        )
    item.full_clean()


@transaction.atomic
def template_item_add(*, version: TemplateVersion, by, expected_revision: int | None = None, **fields) -> TemplateItem:
    """Add an item at the end of a draft. Without a key, one is made from the English text."""
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    fields["key"] = (fields.get("key") or "").strip() or _item_key(version, fields.get("text_en", ""))
    version = _draft_for_edit(version, expected_revision, by, change={"change": "item_added", "item": fields["key"]})
    position = (version.items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    item = TemplateItem(version=version, position=position, **fields)
    _item_clean(item)
    item.save()
    return item


@transaction.atomic
def template_item_update(*, item: TemplateItem, by, expected_revision: int | None = None, **fields) -> TemplateItem:
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    current = TemplateItem.objects.filter(pk=item.pk).first()
    if current is None:
        raise ValidationError(_("This item was removed from the draft meanwhile. Reload the draft."))
    changed = sorted(name for name, value in fields.items() if getattr(current, name) != value)
    _draft_for_edit(
        current.version,
        expected_revision,
        by,
        change={"change": "item_updated", "item": current.key, "fields": changed},
    )
    for name, value in fields.items():
        setattr(current, name, value)
    _item_clean(current)
    current.save()
    return current


@transaction.atomic
def template_item_remove(*, item: TemplateItem, by, expected_revision: int | None = None) -> None:
    _draft_for_edit(item.version, expected_revision, by, change={"change": "item_removed", "item": item.key})
    TemplateItem.objects.filter(pk=item.pk).delete()


@transaction.atomic
def template_publish(
    *, version: TemplateVersion, by, change_note: str, at=None, expected_revision: int | None = None
) -> TemplateVersion:
    """Make a draft the one published version; the previous one is retired.
    Patients already on the old version stay on it."""
    at = at or timezone.now()
    change_note = change_note.strip()
    version = TemplateVersion.objects.select_for_update().select_related("template").get(pk=version.pk)
    if not version.is_editable:
        raise ValidationError(_("Only a draft can be published."))
    _check_revision(version, expected_revision)
    if not change_note:
        raise ValidationError(_("Describe what changed in this version."))
    items = list(version.items.all())
    if not items:
        raise ValidationError(_("An empty draft cannot be published. Add at least one item."))
    for item in items:
        if not item.text_ja.strip():
            raise ValidationError(_("Every item needs a text. Item %(key)s has none.") % {"key": item.key})
    unquoted = [
        item.key for item in items if item.source == TemplateItem.Source.SEED and not item.source_passage.strip()
    ]
    if unquoted:
        raise ValidationError(
            _(
                "Quote the passage of the source document for every item taken from one, or mark the item "
                "as added by the institution. Items without a passage: %(keys)s."
            )
            % {"keys": ", ".join(unquoted)}
        )
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


def _items_create(version: TemplateVersion, item_specs, factors: dict[str, RiskFactor]) -> None:
    """The items of an imported version, in the file's order."""
    items = []
    for position, item_spec in enumerate(item_specs, start=1):
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
        version = TemplateVersion(
            template=template,
            number=version_spec.number,
            status=version_spec.status,
            change_note=version_spec.change_note,
            created_by=by,
            published_at=at if published else None,
            published_by=by if published else None,
            retired_at=at if version_spec.status == TemplateVersion.Status.RETIRED else None,
        )
        version.full_clean()  # a file's version number may be beyond the database's integers
        version.save()
        _items_create(version, version_spec.items, factors)
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


# --- template editor ---------------------------------------------------------------------
# What checklist admins do on the /editor/ pages: reorder draft items, set a template's
# triggers, move patients to the newly published version, export and import templates.


@transaction.atomic
def template_item_move(*, item: TemplateItem, direction: str, by, expected_revision: int | None = None) -> TemplateItem:
    """Swap an item of a draft with its neighbour above ("up") or below ("down")."""
    if direction not in ("up", "down"):
        raise ValidationError(_("An item can be moved up or down."))
    current = TemplateItem.objects.filter(pk=item.pk).first()
    if current is None:
        raise ValidationError(_("This item was removed from the draft meanwhile. Reload the draft."))
    version = _draft_for_edit(
        current.version, expected_revision, by, change={"change": "item_moved", "item": current.key, "to": direction}
    )
    items = list(version.items.order_by("position", "id"))
    index = next(i for i, other in enumerate(items) if other.pk == current.pk)
    neighbour = index - 1 if direction == "up" else index + 1
    if not 0 <= neighbour < len(items):
        raise ValidationError(
            _("This item is already the first.") if direction == "up" else _("This item is already the last.")
        )
    items[index], items[neighbour] = items[neighbour], items[index]
    for position, other in enumerate(items, start=1):
        other.position = position
    TemplateItem.objects.bulk_update(items, ["position"])
    return items[neighbour]


@transaction.atomic
def template_triggers_set(
    *, template: ChecklistTemplate, triggers: Iterable[RiskFactor], by, expected_triggers: Iterable[int] | None = None
) -> ChecklistTemplate:
    """Set the risk factors that propose a template. Triggers are not versioned: they decide
    which checklists are proposed from now on and change no patient's checklist."""
    template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    current = {factor.pk: factor for factor in template.triggers.all()}
    if expected_triggers is not None and set(expected_triggers) != set(current):
        who, when = _changed_by(
            AuditEvent.objects.for_object(template).filter(action=AuditEvent.Action.TEMPLATE_EDITED)
        )
        raise ValidationError(
            _("The triggers were changed by %(who)s at %(when)s. Reload the page and make your change again.")
            % {"who": who, "when": when},
            code="stale",
        )
    wanted = {factor.pk: factor for factor in triggers}
    if set(wanted) == set(current):
        return template
    template.triggers.set(list(wanted.values()))
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.TEMPLATE_EDITED,
        obj=template,
        template=template,
        data={
            "triggers_added": sorted(f.code for pk, f in wanted.items() if pk not in current),
            "triggers_removed": sorted(f.code for pk, f in current.items() if pk not in wanted),
        },
    )
    return template


@transaction.atomic
def checklist_move_to_version(
    *, checklists: Iterable[PatientChecklist], version: TemplateVersion, by, at=None
) -> list[PatientChecklist]:
    """Move patients from an older version to the published one, all or none.

    Each old checklist is stopped ("moved to vN") and kept with its records, which keep the
    old wording; a new checklist on ``version`` continues it (``replaces``)."""
    at = at or timezone.now()
    version = TemplateVersion.objects.select_for_update().select_related("template").get(pk=version.pk)
    if version.status != TemplateVersion.Status.PUBLISHED:
        raise ValidationError(
            _("Patients can be moved only to the published version; version %(number)d is %(status)s.")
            % {"number": version.number, "status": version.get_status_display()}
        )
    ids = {checklist.pk for checklist in checklists}
    if not ids:
        raise ValidationError(_("Choose at least one patient to move."))
    chosen = list(
        PatientChecklist.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("admission__patient", "admission__ward", "version")
        .order_by("pk")
    )
    if len(chosen) != len(ids):
        raise ValidationError(_("Some of the chosen checklists no longer exist. Reload the page."))
    for checklist in chosen:
        patient = checklist.admission.patient.name
        if checklist.template_id != version.template_id:
            raise ValidationError(_("%(patient)s's checklist is for another template.") % {"patient": patient})
        if not checklist.is_active:
            raise ValidationError(
                _("%(patient)s's checklist was stopped meanwhile. Reload the page.") % {"patient": patient}
            )
        if checklist.version_id == version.pk:
            raise ValidationError(
                _("%(patient)s is already on version %(number)d.") % {"patient": patient, "number": version.number}
            )
    reason = _("Moved to version %(number)d") % {"number": version.number}
    moved = []
    for checklist in chosen:
        checklist_stop(checklist=checklist, by=by, reason=reason, at=at)
        new = PatientChecklist.objects.create(
            admission=checklist.admission,
            template=version.template,
            version=version,
            started_at=at,
            started_by=by,
            replaces=checklist,
        )
        audit_event_write(
            actor=by,
            action=AuditEvent.Action.CHECKLIST_MOVED,
            obj=new,
            ward=checklist.admission.ward,
            admission=checklist.admission,
            template=version.template,
            data={"from": checklist.version.number, "to": version.number, "replaces": checklist.pk},
        )
        moved.append(new)
    return moved


def _item_document(item: TemplateItem) -> dict:
    source = (
        {"institution": True}
        if item.source == TemplateItem.Source.INSTITUTION
        else {"document": item.source_document, "passage": item.source_passage}
    )
    return {
        "key": item.key,
        "text_ja": item.text_ja,
        "text_en": item.text_en,
        "why_ja": item.why_ja,
        "why_en": item.why_en,
        "frequency": item.frequency,
        "critical": item.is_critical,
        "only_if": item.only_if.code if item.only_if else None,
        "source": source,
    }


@transaction.atomic
def template_export(*, template: ChecklistTemplate, by, published_only: bool = False) -> dict:
    """The template as a ``wardsafe-template/1`` document (all versions, or only the published one)."""
    template = ChecklistTemplate.objects.prefetch_related("triggers").get(pk=template.pk)
    versions = TemplateVersion.objects.with_items().filter(template=template).order_by("number")
    if published_only:
        versions = versions.published()
    versions = list(versions)
    if not versions:
        raise ValidationError(_("%(template)s has no published version to export.") % {"template": template.name})
    document = {
        "format": FORMAT,
        "code": template.code,
        "category": template.category,
        "name_ja": template.name_ja,
        "name_en": template.name_en,
        "description_ja": template.description_ja,
        "description_en": template.description_en,
        "triggers": sorted(factor.code for factor in template.triggers.all()),
        "versions": [
            {
                "number": version.number,
                "status": version.status,
                "change_note": version.change_note,
                "items": [_item_document(item) for item in version.items.all()],
            }
            for version in versions
        ],
    }
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.TEMPLATE_EXPORTED,
        obj=template,
        template=template,
        data={"scope": "published" if published_only else "all", "versions": [v.number for v in versions]},
    )
    return document


@transaction.atomic
def template_import_document(*, data, by) -> tuple[ChecklistTemplate, TemplateVersion | None]:
    """Import a ``wardsafe-template/1`` document, whole or not at all.

    A new code creates the template with every version of the file. An existing code gets a
    new draft with the items of the file's published (or else newest) version — refused when
    the template already has a draft; its name and triggers stay as they are.
    Returns (template, the new draft or None)."""
    spec = parse_template(data)
    template = ChecklistTemplate.objects.select_for_update().filter(code=spec.code).first()
    if template is None:
        return template_import(spec=spec, by=by), None
    draft = TemplateVersion.objects.drafts().filter(template=template).first()
    if draft is not None:
        raise ValidationError(
            _(
                "%(template)s already has a draft (version %(number)d). Publish or finish that draft "
                "before importing into this template."
            )
            % {"template": template.name, "number": draft.number}
        )
    source = next((v for v in spec.versions if v.status == TemplateVersion.Status.PUBLISHED), spec.versions[-1])
    number = (template.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    draft = TemplateVersion.objects.create(template=template, number=number, created_by=by)
    _items_create(draft, source.items, {f.code: f for f in RiskFactor.objects.all()})
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.TEMPLATE_IMPORTED,
        obj=template,
        template=template,
        data={"into_draft": number, "from_version": source.number},
    )
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.DRAFT_CREATED,
        obj=draft,
        template=template,
        data={"number": number, "imported_from": source.number},
    )
    return template, draft


# --- printing, examinations, paper records ------------------------------------------------


@transaction.atomic
def examination_plan(
    *, admission: Admission, name: str, planned_on: date | None, by, purpose: str = ""
) -> PlannedExamination:
    """Add an examination to the stay's plan (the family handout lists them in date order)."""
    admission = Admission.objects.select_related("ward", "patient").get(pk=admission.pk)
    _check_open(admission)
    name, purpose = name.strip(), purpose.strip()
    if not name:
        raise ValidationError(_("Enter the name of the examination."))
    if planned_on is not None and planned_on < timezone.localdate(admission.admitted_at):
        raise ValidationError(_("The planned date cannot be before the admission."))
    examination = PlannedExamination(
        admission=admission, name=name, planned_on=planned_on, purpose=purpose, created_by=by
    )
    examination.full_clean()
    examination.save()
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.EXAMINATION_PLANNED,
        obj=examination,
        ward=admission.ward,
        admission=admission,
        data={"name": name, "planned_on": planned_on.isoformat() if planned_on else None, "purpose": purpose},
    )
    return examination


@transaction.atomic
def examination_remove(*, examination: PlannedExamination, by, at: datetime | None = None) -> PlannedExamination:
    """Take an examination off the plan; the row stays (removed_at/by)."""
    examination = (
        PlannedExamination.objects.select_for_update(of=("self",))
        .select_related("admission__ward")
        .get(pk=examination.pk)
    )
    if examination.removed_at is not None:
        raise ValidationError(_("This examination was already removed from the plan."))
    examination.removed_at, examination.removed_by = at or timezone.now(), by
    examination.save(update_fields=["removed_at", "removed_by"])
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.EXAMINATION_REMOVED,
        obj=examination,
        ward=examination.admission.ward,
        admission=examination.admission,
        data={"name": examination.name},
    )
    return examination


@transaction.atomic
def item_transcribe(
    *,
    checklist: PatientChecklist,
    item: TemplateItem,
    duty_date: date,
    shift: ShiftDefinition,
    status: str,
    by,
    note: str = "",
    at: datetime | None = None,
) -> CheckRecord:
    """Type in a record from a paper (downtime) sheet. The care was given in the slot written on
    the paper (``duty_date``, ``shift``), not now; recorded_by/at say who transcribed it, and when."""
    note = _clean_record(status, note)
    at = at or timezone.now()
    checklist = (
        PatientChecklist.objects.select_for_update(of=("self",))
        .select_related("admission__ward", "template")
        .get(pk=checklist.pk)
    )
    if item.version_id != checklist.version_id:
        raise ValidationError(_("This item does not belong to the patient's checklist version."))
    slot = slot_of(shift, duty_date)
    if slot.starts > at:
        raise ValidationError(
            _("%(slot)s has not started yet: only care already given can be transcribed.") % {"slot": slot}
        )
    if slot.ends <= checklist.started_at or (checklist.stopped_at is not None and slot.starts >= checklist.stopped_at):
        raise ValidationError(
            _("%(template)s was not running during %(slot)s.") % {"template": checklist.template.name, "slot": slot}
        )
    record = CheckRecord.objects.create(
        checklist=checklist,
        item=item,
        duty_date=duty_date,
        shift=shift,
        status=status,
        note=note,
        source=CheckRecord.Source.PAPER,
        recorded_by=by,
        recorded_at=at,
    )
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.CHECK_TRANSCRIBED,
        obj=record,
        ward=checklist.admission.ward,
        admission=checklist.admission,
        template=checklist.template,
        data={"item": item.key, "status": status, "duty_date": duty_date.isoformat(), "shift": shift.code},
    )
    return record


@transaction.atomic
def records_transcribe(
    *, admission: Admission, duty_date: date, shift: ShiftDefinition, entries: Iterable[tuple], by
) -> list[CheckRecord]:
    """One column of a paper sheet, all of it or nothing: ``entries`` are
    (checklist, item, status, note) for the items the paper marks."""
    records = []
    for checklist, item, status, note in entries:
        if checklist.admission_id != admission.pk:
            raise ValidationError(_("That checklist belongs to another patient."))
        try:
            records.append(
                item_transcribe(
                    checklist=checklist, item=item, duty_date=duty_date, shift=shift, status=status, note=note, by=by
                )
            )
        except ValidationError as error:
            raise ValidationError(
                _("%(item)s: %(error)s") % {"item": item.text, "error": " ".join(error.messages)}
            ) from error
    if not records:
        raise ValidationError(_("Mark at least one item as it is on the paper."))
    return records


@transaction.atomic
def print_run_request(*, ward: Ward, admissions: Iterable[Admission], by, language: str) -> PrintJob:
    """Queue a whole-ward print of bedside sheets; a background task makes the PDF."""
    from django.conf import settings

    from .tasks import print_run  # the task module calls back into these services

    admissions = sorted(admissions, key=lambda admission: (admission.bed.position, admission.bed.code))
    if not admissions:
        raise ValidationError(_("Choose at least one patient."))
    if any(admission.ward_id != ward.pk or not admission.is_open for admission in admissions):
        raise ValidationError(_("Only patients on this ward can be printed in this run."))
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    job = PrintJob.objects.create(
        ward=ward,
        requested_by=by,
        language=language,
        admission_ids=[admission.pk for admission in admissions],
        total_count=len(admissions),
    )
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.PRINT_REQUESTED,
        obj=job,
        ward=ward,
        data={"admissions": job.admission_ids, "language": language},
    )
    transaction.on_commit(lambda: print_run.enqueue(job.pk))
    return job


@transaction.atomic
def print_run_start(*, job: PrintJob, total: int, at: datetime | None = None) -> PrintJob:
    job = PrintJob.objects.select_for_update().get(pk=job.pk)
    if job.status != PrintJob.Status.QUEUED:
        raise ValidationError(_("This print run has already started."))
    job.status, job.started_at = PrintJob.Status.RUNNING, at or timezone.now()
    job.total_count, job.done_count = total, 0
    job.save(update_fields=["status", "started_at", "total_count", "done_count"])
    return job


def print_run_progress(*, job: PrintJob, done: int) -> None:
    """Sheets laid out so far; committed at once so that the nurse's page sees it."""
    PrintJob.objects.filter(pk=job.pk, status=PrintJob.Status.RUNNING).update(done_count=done)


@transaction.atomic
def print_run_finish(*, job: PrintJob, pdf: bytes, at: datetime | None = None) -> PrintJob:
    job = PrintJob.objects.select_for_update().get(pk=job.pk)
    job.status, job.finished_at = PrintJob.Status.DONE, at or timezone.now()
    job.pdf, job.done_count = pdf, job.total_count
    job.save(update_fields=["status", "finished_at", "pdf", "done_count"])
    return job


@transaction.atomic
def print_run_fail(*, job: PrintJob, error: str, at: datetime | None = None) -> PrintJob:
    job = PrintJob.objects.select_for_update().get(pk=job.pk)
    job.status, job.finished_at, job.error = PrintJob.Status.FAILED, at or timezone.now(), error[:2000]
    job.save(update_fields=["status", "finished_at", "error"])
    return job
