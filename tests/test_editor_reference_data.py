"""Risk factors, edited by checklist admins on the editor's pages; every save is audited; a code
never changes once made (files and items refer to it). Shifts: test_editor_shift_patterns.py."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checklists.models import AuditEvent, RiskFactor

pytestmark = pytest.mark.django_db


def factor_data(**overrides):
    return {
        "code": "post_op",
        "group": "condition",
        "name_ja": "術後",
        "name_en": "After surgery",
        "description_ja": "",
        "description_en": "",
        "position": 50,
        "is_active": "on",
    } | overrides


def test_an_admin_adds_a_risk_factor_and_it_is_audited(checklist_admin_client, content, checklist_admin):
    response = checklist_admin_client.post(reverse("checklists:risk_factor_create"), factor_data())
    assert response.url == reverse("checklists:risk_factor_list")
    factor = RiskFactor.objects.get(code="post_op")
    event = AuditEvent.objects.get(
        action="content_changed", object_id=str(factor.pk), object_type="checklists.riskfactor"
    )
    assert event.actor == checklist_admin and event.data["created"] is True


def test_an_admin_renames_a_risk_factor_but_not_its_code(checklist_admin_client, factors):
    factor = factors["dizziness"]
    url = reverse("checklists:risk_factor_edit", args=[factor.pk])
    checklist_admin_client.post(url, factor_data(code="renamed", group=factor.group, name_ja="めまい・ふらつき"))
    factor.refresh_from_db()
    assert (factor.code, factor.name_ja) == ("dizziness", "めまい・ふらつき")
    event = AuditEvent.objects.filter(action="content_changed", object_id=str(factor.pk)).first()
    assert "name_ja" in event.data["fields"] and event.data["created"] is False


def test_a_duplicate_factor_code_is_a_form_error(checklist_admin_client, factors):
    response = checklist_admin_client.post(reverse("checklists:risk_factor_create"), factor_data(code="dizziness"))
    assert response.status_code == 200
    assert response.context["form"].errors["code"]


def test_the_risk_factor_list_runs_a_fixed_number_of_queries(checklist_admin_client, content):
    with CaptureQueriesContext(connection) as queries:
        response = checklist_admin_client.get(reverse("checklists:risk_factor_list"))
    assert response.status_code == 200
    assert len(queries) == 4


def test_the_django_admin_stays_read_only_for_templates_but_edits_factors(client, content, checklist_admin, factors):
    client.force_login(checklist_admin)
    factor = factors["myoclonus"]
    response = client.get(reverse("admin:checklists_riskfactor_change", args=[factor.pk]))
    assert response.status_code == 200
    assert client.get(reverse("admin:checklists_checklisttemplate_add")).status_code == 403
