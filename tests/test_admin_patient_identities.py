"""The checklist-admin role sees no patient identities in the Django admin (issue 13, finding 7):
patients, stays, patient checklists, records, examinations and print runs are closed to it (the
access matrix's ADMIN_MODELS_HIDDEN), and the audit trail shows it only the events that name no
patient. A superuser still sees everything."""

import pytest
from django.urls import reverse

from checklists.models import AuditEvent

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(fall_checklist, draft):
    """A patient's events (admitted, checklist started) and the editor's (draft created)."""
    return AuditEvent.objects.all()


def test_the_audit_trail_in_the_admin_hides_every_event_that_names_a_patient(checklist_admin_client, admission, events):
    page = checklist_admin_client.get(reverse("admin:checklists_auditevent_changelist")).content.decode()
    assert admission.patient.name not in page and admission.patient.hospital_id not in page
    assert "Draft created" in page


def test_a_patients_event_is_not_found_by_its_id_either(checklist_admin_client, events):
    patient_event = events.filter(action=AuditEvent.Action.PATIENT_ADMITTED).get()
    response = checklist_admin_client.get(reverse("admin:checklists_auditevent_change", args=[patient_event.pk]))
    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert patient_event.object_repr not in checklist_admin_client.get(response.url).content.decode()


def test_the_admins_search_finds_no_patient_by_name(checklist_admin_client, admission, events):
    url = reverse("admin:checklists_auditevent_changelist") + "?q=" + admission.patient.name.split()[0]
    page = checklist_admin_client.get(url).content.decode()
    assert admission.patient.name not in page.replace(f'value="{admission.patient.name.split()[0]}"', "")


@pytest.mark.parametrize(
    "model", ["patient", "admission", "patientchecklist", "checkrecord", "plannedexamination", "printjob"]
)
def test_patient_models_are_closed_to_the_checklist_admin(checklist_admin_client, model, fall_checklist):
    assert checklist_admin_client.get(reverse(f"admin:checklists_{model}_changelist")).status_code == 403


def test_a_superuser_still_sees_the_patients_events(client, admission, events):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:checklists_auditevent_changelist")).content.decode()
    assert admission.patient.name in page
