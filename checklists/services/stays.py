"""A patient's stay on the ward: admission into a free bed, the risk factors noted on the stay,
the checklists started and stopped for it, transfer to another bed, and discharge. Admission
and each transfer append a placement to the stay's bed history (``models.history``) in the
same transaction; who the patient is (hospital ID, duplicates, renames) is ``identity``'s.

``ensure_admission_open`` is the rule every write on a stay checks first (here, in ``recording``
and in ``printing``): nothing is written on a stay once the patient is discharged. Starting and
stopping a stay's checklists lives here, not in ``recording``, because the nurse chooses them
from the stay's risk factors and discharge stops them; ``recording`` is what is done on them."""

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Admission,
    AdmissionRiskFactor,
    AuditEvent,
    Bed,
    ChecklistTemplate,
    PatientChecklist,
    Placement,
    RiskFactor,
    TemplateVersion,
)
from ..models.recording import STOP_REASON_REQUIRED
from ..models.stays import DISCHARGE_BEFORE_ADMISSION, TAKEN_BY_ANOTHER_ADMISSION, hospital_id_normalise
from .audit import audit_event_write
from .identity import birth_date_check, patient_for_admission
from .ward_changes import stay_began, ward_changed


def ensure_admission_open(admission: Admission) -> None:
    """Refuse a write on a stay whose patient has been discharged."""
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
    confirm_new_person: bool = False,
    confirm_rename: bool = False,
) -> Admission:
    """Admit a patient into an empty bed. A known hospital ID (however typed: full width, spaces,
    hyphens) re-admits the same person; a different name is taken only when ``confirm_rename``,
    and a new ID for a known name and birth date only when ``confirm_new_person``. The stay's
    first placement (bed history) is written with it."""
    at = at or timezone.now()
    hospital_id, name, name_kana = hospital_id_normalise(hospital_id), name.strip(), name_kana.strip()
    if not hospital_id:
        raise ValidationError(_("Enter the hospital ID."))
    if not name:
        raise ValidationError(_("Enter the patient's name."))
    birth_date_check(birth_date, timezone.localdate(at))
    _check_bed_free(bed)  # a plain refusal comes before any question about who the patient is
    patient, renamed = patient_for_admission(
        hospital_id=hospital_id,
        name=name,
        name_kana=name_kana,
        birth_date=birth_date,
        confirm_new_person=confirm_new_person,
        confirm_rename=confirm_rename,
    )
    try:
        with transaction.atomic():
            admission = Admission.objects.create(
                patient=patient, ward=bed.ward, bed=bed, admitted_at=at, admitted_by=by
            )
    except IntegrityError as error:
        # Another nurse took the bed (or admitted this patient) a moment ago.
        raise ValidationError(TAKEN_BY_ANOTHER_ADMISSION) from error
    Placement.objects.create(
        admission=admission, ward=bed.ward, bed=bed, kind=Placement.Kind.ADMITTED, starts_at=at, placed_by=by
    )
    ward_changed(bed.ward_id)
    stay_began(admission)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.PATIENT_ADMITTED,
        obj=admission,
        ward=bed.ward,
        admission=admission,
        data={"bed": bed.code, "hospital_id": hospital_id},
    )
    if renamed:
        audit_event_write(
            actor=by,
            action=AuditEvent.Action.PATIENT_RENAMED,
            obj=patient,
            ward=bed.ward,
            admission=admission,
            data=renamed,
        )
    # Age-derived factors (child, 70 and over) are not noted: they are read on each duty date.
    for factor in risk_factors:
        admission_risk_factor_note(admission=admission, risk_factor=factor, by=by, at=at)
    return admission


@transaction.atomic
def admission_risk_factor_note(*, admission: Admission, risk_factor: RiskFactor, by, at=None) -> AdmissionRiskFactor:
    ensure_admission_open(admission)
    if risk_factor.code in RiskFactor.AGE_DERIVED:
        raise ValidationError(
            _("%(factor)s follows from the birth date; it is not noted by hand.") % {"factor": risk_factor.name}
        )
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
    ward_changed(admission.ward_id, stay=admission)
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
    ensure_admission_open(admission)
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
    ward_changed(admission.ward_id, stay=admission)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.RISK_FACTOR_REMOVED,
        obj=note,
        ward=admission.ward,
        admission=admission,
        data={"risk_factor": risk_factor.code},
    )


@transaction.atomic
def admission_risk_factors_change(
    *, admission: Admission, note: Iterable[RiskFactor], remove: Iterable[RiskFactor], by
) -> None:
    """Note and remove risk factors in one go (the risk factor page)."""
    for factor in remove:
        admission_risk_factor_remove(admission=admission, risk_factor=factor, by=by)
    for factor in note:
        admission_risk_factor_note(admission=admission, risk_factor=factor, by=by)


def _last_placement(admission: Admission) -> Placement | None:
    return Placement.objects.filter(admission=admission).order_by("-starts_at").first()


@transaction.atomic
def admission_transfer(*, admission: Admission, bed: Bed, by, at: datetime | None = None) -> Admission:
    """Move the patient to another bed, on this ward or another: a new placement in the bed
    history; the stay's checklists and records go with the patient."""
    at = at or timezone.now()
    admission = Admission.objects.select_for_update(of=("self",)).select_related("bed__ward").get(pk=admission.pk)
    ensure_admission_open(admission)
    if bed == admission.bed:
        raise ValidationError(_("The patient is already in bed %(bed)s.") % {"bed": bed.code})
    last = _last_placement(admission)
    if at <= (last.starts_at if last else admission.admitted_at):
        raise ValidationError(_("A transfer must come after the patient's last move."))
    _check_bed_free(bed)
    old_bed = admission.bed
    admission.bed, admission.ward = bed, bed.ward
    try:
        with transaction.atomic():
            admission.save(update_fields=["bed", "ward"])
    except IntegrityError as error:
        raise ValidationError(_("Bed %(bed)s was just taken. Choose another bed.") % {"bed": bed.code}) from error
    # The stay's row is locked and ``at`` comes after the last move: one placement per moment holds.
    Placement.objects.create(
        admission=admission, ward=bed.ward, bed=bed, kind=Placement.Kind.TRANSFERRED, starts_at=at, placed_by=by
    )
    ward_changed(old_bed.ward_id)
    if bed.ward_id != old_bed.ward_id:
        ward_changed(bed.ward_id)  # the other ward's board shows the patient now
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
    """Discharge keeps every record; active checklists are stopped with the reason 'discharged'.
    The discharge time ends the stay's last placement (the bed history needs no row of its own)."""
    at = at or timezone.now()
    admission = Admission.objects.select_for_update().get(pk=admission.pk)
    ensure_admission_open(admission)
    if at < admission.admitted_at:
        raise ValidationError(DISCHARGE_BEFORE_ADMISSION)
    last = _last_placement(admission)
    if last is not None and at < last.starts_at:
        raise ValidationError(_("The discharge time cannot be before the patient's last move."))
    for checklist in PatientChecklist.objects.active().filter(admission=admission):
        checklist_stop(checklist=checklist, by=by, reason=_("Discharged"), at=at)
    admission.discharged_at, admission.discharged_by = at, by
    admission.save(update_fields=["discharged_at", "discharged_by"])
    ward_changed(admission.ward_id)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.PATIENT_DISCHARGED,
        obj=admission,
        ward=admission.ward,
        admission=admission,
        data={"bed": admission.bed.code},
    )
    return admission


@transaction.atomic
def checklist_start(*, admission: Admission, template: ChecklistTemplate, by, at=None) -> PatientChecklist:
    """Start the template's published version for this stay."""
    ensure_admission_open(admission)
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
    ward_changed(admission.ward_id, stay=admission)
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
        raise ValidationError(STOP_REASON_REQUIRED)
    checklist = (
        PatientChecklist.objects.select_for_update(of=("self",)).select_related("admission").get(pk=checklist.pk)
    )
    if not checklist.is_active:
        raise ValidationError(_("This checklist was already stopped."))
    checklist.stopped_at, checklist.stopped_by, checklist.stop_reason = at or timezone.now(), by, reason
    checklist.save(update_fields=["stopped_at", "stopped_by", "stop_reason"])
    ward_changed(checklist.admission.ward_id, stay=checklist.admission_id)
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
