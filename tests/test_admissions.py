"""Admitting, re-admitting, transferring and discharging patients; risk factors."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from checklists import services
from checklists.models import Admission, AdmissionRiskFactor, AuditEvent, ChecklistTemplate, Patient

from .conftest import tokyo
from .factories import ADULT_BIRTH_DATE, CHILD_BIRTH_DATE

pytestmark = pytest.mark.django_db


def admit(bed, nurse, **overrides):
    fields = {"hospital_id": "H200", "name": "佐藤 花", "birth_date": ADULT_BIRTH_DATE, "bed": bed, "by": nurse}
    return services.patient_admit(**(fields | overrides))


def test_admitting_creates_the_patient_the_stay_and_the_noted_factors(content, beds, nurse, factors):
    admission = admit(
        beds[1], nurse, risk_factors=[factors["dysarthria"], factors["insomnia"]], name_kana="サトウ ハナ"
    )
    assert admission.patient.name_kana == "サトウ ハナ"
    assert admission.ward == beds[1].ward
    assert admission.is_open
    noted = {note.risk_factor.code for note in AdmissionRiskFactor.objects.active().filter(admission=admission)}
    assert noted == {"dysarthria", "insomnia"}
    assert AuditEvent.objects.filter(action="patient_admitted", admission=admission, actor=nurse).count() == 1


def test_a_child_gets_the_child_factor_from_the_birth_date_without_a_note(content, beds, nurse):
    admission = admit(beds[1], nurse, birth_date=CHILD_BIRTH_DATE, at=tokyo(2026, 11, 21, 9, 0))
    assert admission.patient.is_child_on(date(2026, 11, 21))
    assert admission.patient.age_factor_codes_on(date(2026, 11, 21)) == {"child"}
    # Read on each duty date (test_age_on_the_duty_date.py), so no note is frozen at admission.
    assert not admission.risk_factor_notes.exists()


def test_a_known_hospital_id_readmits_the_same_person(content, beds, nurse):
    first = admit(beds[1], nurse, at=tokyo(2026, 10, 1, 9, 0))
    services.admission_discharge(admission=first, by=nurse, at=tokyo(2026, 10, 5, 9, 0))
    second = admit(beds[2], nurse, at=tokyo(2026, 11, 1, 9, 0))
    assert second.patient == first.patient
    assert Patient.objects.count() == 1
    assert second.patient.admissions.count() == 2


def test_a_known_hospital_id_with_another_birth_date_is_refused(content, beds, nurse):
    admit(beds[1], nurse)
    with pytest.raises(ValidationError, match="belongs to a patient with another birth date"):
        admit(beds[2], nurse, birth_date=date(1971, 1, 1))


def test_a_patient_cannot_be_admitted_twice(content, beds, nurse):
    admit(beds[1], nurse)
    with pytest.raises(ValidationError, match="already admitted"):
        admit(beds[2], nurse)
    assert Admission.objects.count() == 1


def test_a_taken_bed_is_refused_and_nothing_is_written(content, beds, nurse):
    admit(beds[1], nurse)
    with pytest.raises(ValidationError, match="already taken"):
        admit(beds[1], nurse, hospital_id="H999")
    assert not Patient.objects.filter(hospital_id="H999").exists()


def test_a_future_birth_date_is_refused(content, beds, nurse):
    with pytest.raises(ValidationError, match="cannot be in the future"):
        admit(beds[1], nurse, birth_date=date(2999, 1, 1))
    assert not Patient.objects.exists()


def test_blank_identifiers_are_refused(content, beds, nurse):
    with pytest.raises(ValidationError, match="hospital ID"):
        admit(beds[1], nurse, hospital_id="  ")
    with pytest.raises(ValidationError, match="name"):
        admit(beds[1], nurse, name="")


def test_the_database_allows_one_open_admission_per_bed(admission, nurse):
    other = Patient.objects.create(hospital_id="H300", name="他", birth_date=ADULT_BIRTH_DATE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Admission.objects.create(patient=other, ward=admission.ward, bed=admission.bed, admitted_by=nurse)


def test_the_database_allows_one_open_admission_per_patient(admission, beds, nurse):
    with pytest.raises(IntegrityError), transaction.atomic():
        Admission.objects.create(patient=admission.patient, ward=beds[1].ward, bed=beds[1], admitted_by=nurse)


def test_bed_codes_are_unique_per_ward_ignoring_case(ward):
    from checklists.models import Bed

    Bed.objects.create(ward=ward, code="A1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Bed.objects.create(ward=ward, code="a1")


def test_transfer_moves_the_stay_and_records_from_and_to(admission, beds, nurse):
    services.admission_transfer(admission=admission, bed=beds[2], by=nurse)
    admission.refresh_from_db()
    assert admission.bed == beds[2]
    event = AuditEvent.objects.get(action="patient_transferred")
    assert (event.data["from_bed"], event.data["to_bed"]) == ("401", "403")


def test_transfer_into_a_taken_bed_is_refused(admission, beds, nurse):
    admit(beds[1], nurse)
    with pytest.raises(ValidationError, match="already taken"):
        services.admission_transfer(admission=admission, bed=beds[1], by=nurse)
    admission.refresh_from_db()
    assert admission.bed == beds[0]


def test_discharge_keeps_everything_and_stops_the_checklists(fall_checklist, nurse):
    admission = fall_checklist.admission
    services.admission_discharge(admission=admission, by=nurse, at=tokyo(2026, 11, 25, 10, 0))
    fall_checklist.refresh_from_db()
    assert not fall_checklist.is_active
    assert fall_checklist.stop_reason
    assert Admission.objects.get(pk=admission.pk).discharged_by == nurse
    assert not Admission.objects.open().exists()
    with pytest.raises(ValidationError, match="discharged"):
        services.admission_discharge(admission=admission, by=nurse)


def test_a_bed_is_free_again_after_discharge(admission, nurse):
    services.admission_discharge(admission=admission, by=nurse, at=tokyo(2026, 11, 25, 10, 0))
    again = admit(admission.bed, nurse, hospital_id="H400", at=tokyo(2026, 11, 25, 11, 0))
    assert again.bed == admission.bed


def test_risk_factors_are_removed_by_keeping_the_row(admission, nurse, factors):
    services.admission_risk_factor_remove(admission=admission, risk_factor=factors["ivig"], by=nurse)
    note = AdmissionRiskFactor.objects.get(admission=admission, risk_factor=factors["ivig"])
    assert note.removed_by == nurse and note.removed_at is not None
    services.admission_risk_factor_note(admission=admission, risk_factor=factors["ivig"], by=nurse)
    assert AdmissionRiskFactor.objects.filter(admission=admission, risk_factor=factors["ivig"]).count() == 2
    assert AdmissionRiskFactor.objects.active().filter(admission=admission, risk_factor=factors["ivig"]).count() == 1


def test_the_proposed_templates_follow_the_trigger_factors(admission):
    noted = admission.risk_factor_notes.values_list("risk_factor", flat=True)
    proposed = set(ChecklistTemplate.objects.proposed_for(noted).values_list("code", flat=True))
    assert proposed == {"fall", "treatment"}


def test_a_checklist_starts_on_the_published_version_once(fall_checklist, nurse):
    assert fall_checklist.version.status == "published"
    with pytest.raises(ValidationError, match="already active"):
        services.checklist_start(admission=fall_checklist.admission, template=fall_checklist.template, by=nurse)


def test_stopping_a_checklist_needs_a_reason(fall_checklist, nurse):
    with pytest.raises(ValidationError, match="reason"):
        services.checklist_stop(checklist=fall_checklist, by=nurse, reason=" ")
    services.checklist_stop(checklist=fall_checklist, by=nurse, reason="歩行安定")
    restarted = services.checklist_start(admission=fall_checklist.admission, template=fall_checklist.template, by=nurse)
    assert restarted.pk != fall_checklist.pk
