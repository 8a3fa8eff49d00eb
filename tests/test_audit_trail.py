"""The audit row is written by the same action, in the same transaction, and no page or
action updates or deletes records or audit rows."""

import re
from unittest import mock

import pytest

from checklists import services
from checklists.models import AuditEvent, CheckRecord, Patient
from checklists.services import recording, stays

from .conftest import tokyo

pytestmark = pytest.mark.django_db


def test_a_failed_audit_write_leaves_no_record_behind(fall_checklist, nurse):
    item = fall_checklist.version.items.first()
    with (
        mock.patch.object(recording, "audit_event_write", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        services.item_record(checklist=fall_checklist, item=item, status="done", by=nurse, at=tokyo(2026, 11, 21, 9))
    assert not CheckRecord.objects.exists()


def test_a_failed_admission_leaves_no_patient_and_no_audit_row(content, beds, nurse, factors):
    from .factories import ADULT_BIRTH_DATE

    events = AuditEvent.objects.count()
    with (
        mock.patch.object(stays, "admission_risk_factor_note", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        services.patient_admit(
            hospital_id="H777",
            name="途中",
            birth_date=ADULT_BIRTH_DATE,
            bed=beds[1],
            risk_factors=[factors["dizziness"]],
            by=nurse,
        )
    assert AuditEvent.objects.count() == events
    assert not Patient.objects.filter(hospital_id="H777").exists()


def test_every_change_of_a_stay_is_in_the_trail_in_order(fall_checklist, nurse, beds, factors):
    admission = fall_checklist.admission
    item = fall_checklist.version.items.first()
    record = services.item_record(
        checklist=fall_checklist, item=item, status="done", by=nurse, at=tokyo(2026, 11, 21, 9, 0)
    )
    services.record_correct(record=record, status="not_applicable", note="離床なし", by=nurse)
    services.admission_risk_factor_note(admission=admission, risk_factor=factors["insomnia"], by=nurse)
    services.admission_transfer(admission=admission, bed=beds[3], by=nurse, at=tokyo(2026, 11, 25, 9, 0))
    services.admission_discharge(admission=admission, by=nurse, at=tokyo(2026, 11, 26, 9, 0))
    actions = list(AuditEvent.objects.filter(admission=admission).order_by("at", "id").values_list("action", flat=True))
    assert actions == [
        "patient_admitted",
        "risk_factor_noted",
        "risk_factor_noted",
        "checklist_started",
        "check_recorded",
        "check_corrected",
        "risk_factor_noted",
        "patient_transferred",
        "checklist_stopped",
        "patient_discharged",
    ]
    assert set(AuditEvent.objects.filter(admission=admission).values_list("actor", flat=True)) == {nurse.pk}


APPEND_ONLY = ("checklists_checkrecord", "checklists_auditevent")
CHANGE_OF_A_ROW = re.compile(rf'\b(?:UPDATE|DELETE\s+FROM)\s+"?({"|".join(APPEND_ONLY)})\b', re.IGNORECASE)


def test_no_page_or_action_updates_or_deletes_records_or_audit_rows(every_url_requested):
    """Every URL requested and every form posted with valid data (the query budget's walk):
    records and audit rows are inserted, never updated or deleted, whatever the code calls
    (``record.save()``, ``.update()``, a cascade). PostgreSQL's triggers refuse it as well
    (test_append_only_database.py); this holds on SQLite too."""
    requests = [(name, request) for name, visit in every_url_requested.items() for request in visit.requests()]
    changes = [
        f"{request.kind} {name}: {sql[:120]}"
        for name, request in requests
        for sql in request.queries
        if CHANGE_OF_A_ROW.search(sql)
    ]
    assert changes == [], "\n".join(changes)
    inserted = {
        table
        for _, request in requests
        for sql in request.queries
        for table in APPEND_ONLY
        if f'INSERT INTO "{table}"' in sql
    }
    assert inserted == set(APPEND_ONLY), "the walk no longer records anything: this test would check nothing"
