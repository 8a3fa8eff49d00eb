"""Moving patients from an older version to the published one: all chosen patients in one
action, each a recorded event (who, when, from → to); the old checklist is stopped and
kept, its records keep the old wording; the new checklist continues it (``replaces``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checklists import services
from checklists.models import AuditEvent, ChecklistTemplate, PatientChecklist

from .conftest import tokyo
from .factories import ADULT_BIRTH_DATE

pytestmark = pytest.mark.django_db

OLD_WORDING_KEY = "minimise-bed-path"
NEW_WORDING = "ベッド周囲の動線を最小化し、夜間は足元灯をつけた"


def admit_on_fall(beds, nurse, factors, bed_index: int, hospital_id: str) -> PatientChecklist:
    admission = services.patient_admit(
        hospital_id=hospital_id,
        name=f"患者 {hospital_id}",
        birth_date=ADULT_BIRTH_DATE,
        bed=beds[bed_index],
        risk_factors=[factors["unsteady_gait"]],
        by=nurse,
        at=tokyo(2026, 11, 20, 11, 0),
    )
    return services.checklist_start(
        admission=admission,
        template=ChecklistTemplate.objects.get(code="fall"),
        by=nurse,
        at=tokyo(2026, 11, 20, 11, 5),
    )


@pytest.fixture
def second_checklist(fall_checklist, beds, nurse, factors):
    return admit_on_fall(beds, nurse, factors, 1, "H101")


@pytest.fixture
def old_record(fall_checklist, nurse):
    item = fall_checklist.version.items.get(key=OLD_WORDING_KEY)
    return services.item_record(
        checklist=fall_checklist, item=item, status="done", by=nurse, at=tokyo(2026, 11, 20, 12, 0)
    )


@pytest.fixture
def v2(fall_checklist, checklist_admin):
    draft = services.template_draft_create(template=fall_checklist.template, by=checklist_admin)
    item = draft.items.get(key=OLD_WORDING_KEY)
    services.template_item_update(item=item, by=checklist_admin, text_ja=NEW_WORDING)
    return services.template_publish(version=draft, by=checklist_admin, change_note="足元灯を追加")


def test_moving_continues_the_checklist_on_the_published_version(fall_checklist, old_record, v2, checklist_admin):
    old_version = fall_checklist.version
    [new] = services.checklist_move_to_version(
        checklists=[fall_checklist], version=v2, by=checklist_admin, at=tokyo(2026, 11, 21, 9, 0)
    )
    fall_checklist.refresh_from_db()
    assert (new.version, new.replaces, new.admission, new.is_active) == (
        v2,
        fall_checklist,
        fall_checklist.admission,
        True,
    )
    assert not fall_checklist.is_active
    assert fall_checklist.stop_reason == "Moved to version 2"
    assert fall_checklist.stopped_at == new.started_at == tokyo(2026, 11, 21, 9, 0)
    # The record made before the move still points at the old item and its wording.
    old_record.refresh_from_db()
    assert old_record.checklist == fall_checklist and old_record.item.version == old_version
    assert old_record.item.text_ja != NEW_WORDING
    assert new.version.items.get(key=OLD_WORDING_KEY).text_ja == NEW_WORDING


def test_each_move_is_recorded_with_who_when_and_from_and_to(fall_checklist, second_checklist, v2, checklist_admin):
    services.checklist_move_to_version(checklists=[fall_checklist, second_checklist], version=v2, by=checklist_admin)
    events = AuditEvent.objects.filter(action="checklist_moved").order_by("id")
    assert [(e.actor, e.data["from"], e.data["to"]) for e in events] == [(checklist_admin, 1, 2)] * 2
    assert {e.admission for e in events} == {fall_checklist.admission, second_checklist.admission}
    assert all(e.template == v2.template and e.at for e in events)


def test_moving_to_a_version_that_is_not_published_is_refused(fall_checklist, checklist_admin):
    draft = services.template_draft_create(template=fall_checklist.template, by=checklist_admin)
    with pytest.raises(services.ValidationError, match="only to the published version"):
        services.checklist_move_to_version(checklists=[fall_checklist], version=draft, by=checklist_admin)
    fall_checklist.refresh_from_db()
    assert fall_checklist.is_active and fall_checklist.version.number == 1


def test_moving_is_all_or_nothing(fall_checklist, second_checklist, v2, checklist_admin, nurse):
    services.checklist_stop(checklist=second_checklist, by=nurse, reason="再評価")
    with pytest.raises(services.ValidationError, match="was stopped meanwhile"):
        services.checklist_move_to_version(
            checklists=[fall_checklist, second_checklist], version=v2, by=checklist_admin
        )
    fall_checklist.refresh_from_db()
    assert fall_checklist.is_active
    assert not PatientChecklist.objects.filter(version=v2).exists()
    assert not AuditEvent.objects.filter(action="checklist_moved").exists()


def test_a_patient_already_on_the_version_is_not_moved_again(fall_checklist, v2, checklist_admin):
    [moved] = services.checklist_move_to_version(checklists=[fall_checklist], version=v2, by=checklist_admin)
    with pytest.raises(services.ValidationError, match="already on version 2"):
        services.checklist_move_to_version(checklists=[moved], version=v2, by=checklist_admin)


def test_another_templates_checklist_is_refused(fall_checklist, checklist_admin, nurse):
    treatment = services.checklist_start(
        admission=fall_checklist.admission, template=ChecklistTemplate.objects.get(code="treatment"), by=nurse
    )
    published_fall = fall_checklist.version
    with pytest.raises(services.ValidationError, match="another template"):
        services.checklist_move_to_version(checklists=[treatment], version=published_fall, by=checklist_admin)


def test_the_page_lists_only_patients_on_older_versions(
    checklist_admin_client, fall_checklist, second_checklist, v2, nurse, beds
):
    # A patient started after publishing is on v2 and is not listed.
    third = services.patient_admit(
        hospital_id="H102", name="患者 H102", birth_date=ADULT_BIRTH_DATE, bed=beds[2], by=nurse
    )
    services.checklist_start(admission=third, template=v2.template, by=nurse)
    response = checklist_admin_client.get(reverse("checklists:template_patients", args=[v2.template_id]))
    assert set(response.context["checklists"]) == {fall_checklist, second_checklist}
    page = response.content.decode()
    assert f'data-checklist="{fall_checklist.pk}"' in page and f'data-checklist="{second_checklist.pk}"' in page
    # The editor names no patient: ward, bed and counts only.
    for patient in (fall_checklist.admission.patient, second_checklist.admission.patient, third.patient):
        assert patient.name not in page and patient.hospital_id not in page
    assert response.context["counts"] == [(fall_checklist.admission.ward, 2)]


def test_the_admin_moves_the_chosen_patients_in_one_action(
    checklist_admin_client, fall_checklist, second_checklist, v2
):
    url = reverse("checklists:template_patients", args=[v2.template_id])
    response = checklist_admin_client.post(url, {"checklists": [fall_checklist.pk]}, follow=True)
    assert "1 patient moved to version 2" in response.content.decode()
    assert PatientChecklist.objects.active().get(admission=fall_checklist.admission, template=v2.template).version == v2
    second_checklist.refresh_from_db()
    assert second_checklist.is_active and second_checklist.version.number == 1


def test_moving_nobody_is_a_clear_error(checklist_admin_client, fall_checklist, v2):
    response = checklist_admin_client.post(reverse("checklists:template_patients", args=[v2.template_id]), {})
    assert response.status_code == 200
    assert "Choose at least one patient to move." in response.content.decode()


def test_the_patients_page_runs_a_fixed_number_of_queries(
    checklist_admin_client, fall_checklist, beds, nurse, factors, checklist_admin
):
    others = [admit_on_fall(beds, nurse, factors, 1, "H101"), admit_on_fall(beds, nurse, factors, 2, "H102")]
    draft = services.template_draft_create(template=fall_checklist.template, by=checklist_admin)
    v2 = services.template_publish(version=draft, by=checklist_admin, change_note="再公開")
    url = reverse("checklists:template_patients", args=[v2.template_id])
    with CaptureQueriesContext(connection) as three:
        assert len(checklist_admin_client.get(url).context["checklists"]) == 3
    services.checklist_move_to_version(checklists=others, version=v2, by=checklist_admin)
    with CaptureQueriesContext(connection) as one:
        assert len(checklist_admin_client.get(url).context["checklists"]) == 1
    assert len(three) == len(one) == 6, "\n".join(q["sql"] for q in three.captured_queries)
