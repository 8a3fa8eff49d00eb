"""The checklist-admin role sees no patient identities in the Django admin (issue 13, finding 7):
patients, stays, patient checklists, records, examinations and print runs are closed to it (the
access matrix's ADMIN_MODELS_HIDDEN), and the audit trail shows it only the events that name no
patient. A superuser still sees everything."""

import pytest
from django.test import Client
from django.urls import reverse

from checklists import services
from checklists.models import AuditEvent, ChecklistTemplate, PatientChecklist, TemplateVersion

from . import url_catalogue as catalogue
from .factories import UserFactory
from .url_catalogue import build_world

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
    "model", ["patient", "admission", "patientchecklist", "checkrecord", "plannedexamination", "printjob", "itemdetail"]
)
def test_patient_models_are_closed_to_the_checklist_admin(checklist_admin_client, model, fall_checklist):
    assert checklist_admin_client.get(reverse(f"admin:checklists_{model}_changelist")).status_code == 403


def test_a_superuser_still_sees_the_patients_events(client, admission, events):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:checklists_auditevent_changelist")).content.decode()
    assert admission.patient.name in page


# --- the editor's own pages (issue 13: the checklist admin sees ward, bed and counts) ---------


def test_no_page_a_checklist_admin_opens_names_a_patient(db):
    """Every URL of the catalogue the checklist admin may GET (and every template's "patients on
    older versions" page and history, after a move) shows no patient name, reading or hospital ID."""
    world = build_world()
    client = Client()
    client.force_login(world.users["admin"])
    secrets = {
        value
        for side in (world.a, world.b)
        for value in (side.admission.patient.name, side.admission.patient.name_kana, side.admission.patient.hospital_id)
    }
    urls = [expect.url(name, world) for name, expect in catalogue.expectations().items() if expect.get is not None]
    urls += [
        reverse(name, args=[template.pk])
        for name in ("checklists:template_patients", "checklists:template_history")
        for template in ChecklistTemplate.objects.all()
    ]
    shown, leaked = 0, []

    def read(url):
        nonlocal shown, leaked
        response = client.get(url)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            shown += 1
            page = response.content.decode()
            leaked += [f"{url}: {secret}" for secret in secrets if secret in page]
        return response

    for url in urls:
        read(url)
    older = ChecklistTemplate.objects.get(code="delirium")
    on_older = list(PatientChecklist.objects.on_older_versions(older))
    assert on_older, "the world has a patient on an older version"
    published = TemplateVersion.objects.published().get(template=older)
    services.checklist_move_to_version(checklists=on_older, version=published, by=world.users["admin"])
    read(reverse("checklists:template_patients", args=[older.pk]))
    history = read(reverse("checklists:template_history", args=[older.pk])).content.decode()
    assert "A patient on 東4病棟" in history or "東4病棟" in history
    assert shown > 20
    assert leaked == [], "\n".join(leaked)
