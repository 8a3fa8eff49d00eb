"""Planned examinations (the handout's "what happens next"): nurses add them with a name, a date
and a purpose on the patient page (htmx, or a plain form without JavaScript), remove them
(the row is kept), and every change is audited."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checklists import services
from checklists.models import AuditEvent, PlannedExamination

from .conftest import tokyo
from .factories import NurseFactory, UserFactory, WardFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_planning_an_examination_is_audited(admission, nurse):
    examination = services.examination_plan(
        admission=admission, name=" 頭部MRI ", planned_on=date(2026, 11, 24), purpose="炎症を調べる", by=nurse
    )
    assert (examination.name, examination.created_by) == ("頭部MRI", nurse)
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXAMINATION_PLANNED)
    assert event.admission == admission and event.data["planned_on"] == "2026-11-24"


def test_removing_keeps_the_row_and_is_audited(admission, nurse):
    examination = services.examination_plan(admission=admission, name="全身CT", planned_on=None, by=nurse)
    services.examination_remove(examination=examination, by=nurse, at=tokyo(2026, 11, 21, 9, 0))
    examination.refresh_from_db()
    assert examination.removed_by == nurse and examination.removed_at == tokyo(2026, 11, 21, 9, 0)
    assert not PlannedExamination.objects.current().exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXAMINATION_REMOVED).count() == 1
    with pytest.raises(ValidationError, match="already removed"):
        services.examination_remove(examination=examination, by=nurse)


def test_an_examination_needs_a_name_and_a_date_within_the_stay(admission, nurse):
    with pytest.raises(ValidationError, match="name of the examination"):
        services.examination_plan(admission=admission, name="  ", planned_on=None, by=nurse)
    with pytest.raises(ValidationError, match="before the admission"):
        services.examination_plan(admission=admission, name="MRI", planned_on=date(2026, 11, 1), by=nurse)
    assert not PlannedExamination.objects.exists()


def test_a_discharged_patient_gets_no_new_examinations(admission, nurse):
    services.admission_discharge(admission=admission, by=nurse, at=tokyo(2026, 11, 22, 9, 0))
    with pytest.raises(ValidationError, match="discharged"):
        services.examination_plan(admission=admission, name="MRI", planned_on=None, by=nurse)


def test_the_patient_page_loads_the_examinations_without_costing_it_a_query(client, nurse, admission):
    services.examination_plan(admission=admission, name="頭部MRI", planned_on=None, by=nurse)
    client.force_login(nurse)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("checklists:admission_detail", args=[admission.pk])).content.decode()
    assert not [query for query in queries.captured_queries if "checklists_plannedexamination" in query["sql"]]
    assert "頭部MRI" not in page  # the list comes with its own request
    url = reverse("checklists:admission_examinations", args=[admission.pk])
    assert f'hx-get="{url}"' in page and 'hx-trigger="load"' in page
    assert f'href="{url}"' in page  # without JavaScript: a link to the same list and form


def test_adding_over_htmx_returns_the_list_in_date_order(client, nurse, admission):
    services.examination_plan(admission=admission, name="腰椎穿刺", planned_on=date(2026, 11, 27), by=nurse)
    services.examination_plan(admission=admission, name="全身CT", planned_on=None, by=nurse)
    client.force_login(nurse)
    url = reverse("checklists:examination_create", args=[admission.pk])
    response = client.post(url, {"name": "頭部MRI", "planned_on": "2026-11-24", "purpose": "炎症を調べる"}, **HTMX)
    fragment = response.content.decode()
    assert response.status_code == 200 and "<html" not in fragment
    assert fragment.index("頭部MRI") < fragment.index("腰椎穿刺") < fragment.index("全身CT")
    assert "炎症を調べる" in fragment


def test_without_javascript_the_form_posts_and_redirects(client, nurse, admission):
    client.force_login(nurse)
    response = client.post(
        reverse("checklists:examination_create", args=[admission.pk]), {"name": "脳波", "planned_on": ""}
    )
    assert response.status_code == 302
    assert response.url == reverse("checklists:admission_examinations", args=[admission.pk])
    page = client.get(response.url).content.decode()
    assert "脳波" in page and '<html lang="ja">' in page


def test_a_bad_date_is_answered_in_the_form(client, in_english, nurse, admission):
    client.force_login(nurse)
    url = reverse("checklists:examination_create", args=[admission.pk])
    response = client.post(url, {"name": "MRI", "planned_on": "2026-11-01"}, **HTMX)
    assert response.status_code == 200
    assert "before the admission" in response.content.decode()
    assert not PlannedExamination.objects.exists()


def test_removing_from_the_page(client, nurse, admission):
    examination = services.examination_plan(admission=admission, name="全身CT", planned_on=None, by=nurse)
    client.force_login(nurse)
    response = client.post(reverse("checklists:examination_remove", args=[examination.pk]), **HTMX)
    assert "全身CT" not in response.content.decode()
    assert PlannedExamination.objects.get().removed_by == nurse


def test_only_the_wards_nurses_may_change_the_plan(client, nurse, admission):
    examination = services.examination_plan(admission=admission, name="全身CT", planned_on=None, by=nurse)
    stranger = NurseFactory(username="nurse-west")
    WardFactory(code="west-2").staff.add(stranger)
    client.force_login(stranger)
    assert client.post(reverse("checklists:examination_remove", args=[examination.pk])).status_code == 404
    assert client.post(reverse("checklists:examination_create", args=[admission.pk]), {"name": "x"}).status_code == 404
    visitor = UserFactory(username="no-role")
    admission.ward.staff.add(visitor)
    client.force_login(visitor)
    assert client.post(reverse("checklists:examination_create", args=[admission.pk]), {"name": "x"}).status_code == 403
    assert PlannedExamination.objects.current().count() == 1
