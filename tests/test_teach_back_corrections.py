"""Correcting a teach-back audit: a new audit with the right answers replaces the old one (which
stays, marked corrected), once, with a reason, audited in the same transaction; the monthly
compliance counts the corrected answers."""

import pytest
from django.core.exceptions import ValidationError

from checklists import selectors, services
from checklists.models import AuditEvent, TeachBackAudit, Ward

from .conftest import tokyo

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(frozen_clock, admission, nurse):
    return services.teach_back_record(
        admission=admission,
        asked="family",
        names_risks=True,
        names_plan=False,
        sheet_current=True,
        by=nurse,
        at=tokyo(2026, 11, 21, 9),
    )


def _correct(audit, nurse, **answers):
    fields = {"asked": "family", "names_risks": True, "names_plan": True, "sheet_current": True}
    return services.teach_back_correct(audit=audit, by=nurse, reason="計画も言えていた", **fields | answers)


def test_a_correction_is_a_new_audit_and_the_old_one_stays(audit, nurse):
    correction = _correct(audit, nurse)
    assert TeachBackAudit.objects.count() == 2
    audit.refresh_from_db()
    assert audit.names_plan is False  # never updated
    assert correction.corrects == audit and correction.audited_at == audit.audited_at
    assert correction.ward_id == audit.ward_id and correction.is_compliant
    assert list(TeachBackAudit.objects.standing()) == [correction]
    row = AuditEvent.objects.get(action=AuditEvent.Action.TEACH_BACK_CORRECTED)
    assert row.data == {"corrects": audit.pk, "compliant": True, "was_compliant": False}
    assert row.admission_id == audit.admission_id and row.actor == nurse


def test_a_correction_needs_a_reason_and_happens_once(audit, nurse):
    with pytest.raises(ValidationError):
        services.teach_back_correct(
            audit=audit, asked="family", names_risks=True, names_plan=True, sheet_current=True, reason=" ", by=nurse
        )
    correction = _correct(audit, nurse)
    with pytest.raises(ValidationError, match="already corrected"):
        _correct(audit, nurse)
    again = _correct(correction, nurse, sheet_current=False)  # the newer one may be corrected
    assert list(TeachBackAudit.objects.standing()) == [again]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TEACH_BACK_CORRECTED).count() == 2


def test_monthly_compliance_counts_the_corrected_answers(audit, nurse, ward):
    wards = Ward.objects.filter(pk=ward.pk)
    nov, dec = tokyo(2026, 11, 1).date(), tokyo(2026, 12, 1).date()
    before = selectors.teach_back_by_month(wards, nov, dec)[0]
    assert (before.audits, before.compliant) == (1, 0)
    _correct(audit, nurse)
    after = selectors.teach_back_by_month(wards, nov, dec)[0]
    assert (after.audits, after.compliant, str(after.percent)) == (1, 1, "100.0")  # one audit, not two


def test_a_nurse_corrects_from_the_history_page(audit, nurse, client):
    client.force_login(nurse)
    history = client.get(f"/admissions/{audit.admission_id}/history/")
    assert f"/teach-back/{audit.pk}/correct/".encode() in history.content
    form = client.get(f"/teach-back/{audit.pk}/correct/")
    assert form.status_code == 200 and form.context["form"].initial["names_plan"] is False
    response = client.post(
        f"/teach-back/{audit.pk}/correct/",
        {"asked": "family", "names_risks": "on", "names_plan": "on", "sheet_current": "on", "reason": "聞き取り直し"},
    )
    assert response.status_code == 302
    assert TeachBackAudit.objects.standing().get().correction_reason == "聞き取り直し"
    history = client.get(f"/admissions/{audit.admission_id}/history/")
    assert "訂正済み".encode() in history.content
    assert f"/teach-back/{audit.pk}/correct/".encode() not in history.content  # only the newer one
