"""What a logged-in demo user reaches in issue 2: the ward overview and the Django
admin with the seed-derived templates and their provenance."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checklists import services
from checklists.models import ChecklistTemplate, TemplateVersion

from .factories import ADULT_BIRTH_DATE, BedFactory, LeaderFactory, NurseFactory, WardFactory

pytestmark = pytest.mark.django_db


def test_every_page_needs_a_login(client):
    response = client.get(reverse("checklists:ward_overview"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_login_page_is_japanese_by_default(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="")
    assert '<html lang="ja">' in response.content.decode()


def test_a_nurse_sees_her_wards_beds_patients_and_checklists(client, fall_checklist, nurse):
    client.force_login(nurse)
    page = client.get(reverse("checklists:ward_overview")).content.decode()
    assert "東4病棟" in page
    assert "山田 太郎" in page
    assert fall_checklist.template.name_ja in page
    assert "402" in page  # an empty bed is shown too


def test_a_nurse_does_not_see_another_wards_patients(client, fall_checklist):
    stranger = NurseFactory()
    WardFactory(code="west-3").staff.add(stranger)
    client.force_login(stranger)
    assert "山田 太郎" not in client.get(reverse("checklists:ward_overview")).content.decode()


def admit_patients(ward, count, nurse, factors):
    templates = list(ChecklistTemplate.objects.filter(code__in=["fall", "treatment"]))
    for n in range(count):
        bed = BedFactory(ward=ward, code=f"5{n:02d}")
        admission = services.patient_admit(
            hospital_id=f"Q{n}",
            name=f"患者{n}",
            birth_date=ADULT_BIRTH_DATE,
            bed=bed,
            risk_factors=[factors["unsteady_gait"], factors["ivig"]],
            by=nurse,
        )
        for template in templates:
            services.checklist_start(admission=admission, template=template, by=nurse)


@pytest.mark.parametrize("patients", [2, 40])
def test_the_overview_runs_the_same_number_of_queries_for_2_or_40_patients(client, content, factors, patients):
    ward = WardFactory(code="big")
    leader = LeaderFactory()
    ward.staff.add(leader)
    admit_patients(ward, patients, leader, factors)
    client.force_login(leader)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("checklists:ward_overview"))
    assert response.status_code == 200
    assert response.content.decode().count("患者") >= patients
    # session + user, wards, beds, open admissions, their risk factors, their checklists
    assert len(queries) == 7, "\n".join(q["sql"] for q in queries.captured_queries)


def test_the_admin_shows_the_templates_with_their_provenance(client, content, checklist_admin):
    client.force_login(checklist_admin)
    listing = client.get(reverse("admin:checklists_checklisttemplate_changelist")).content.decode()
    assert "転倒予防" in listing and "治療中の観察" in listing
    version = TemplateVersion.objects.get(template__code="fall", status="published")
    page = client.get(reverse("admin:checklists_templateversion_change", args=[version.pk])).content.decode()
    item = version.items.exclude(source="institution").first()
    assert item.source_document in page
    assert item.source_passage in page
    assert "立位・歩行評価は早期に行い" in page


def test_the_admin_cannot_edit_published_items_or_records(client, content, checklist_admin):
    client.force_login(checklist_admin)
    item = TemplateVersion.objects.get(template__code="fall").items.first()
    response = client.post(reverse("admin:checklists_templateitem_change", args=[item.pk]), {"text_ja": "改変"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.text_ja != "改変"
    assert client.get(reverse("admin:checklists_checkrecord_add")).status_code == 403


def test_a_nurse_is_not_let_into_the_admin(client, nurse):
    client.force_login(nurse)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_an_english_browser_still_gets_japanese_until_the_user_switches(client, nurse, fall_checklist):
    client.force_login(nurse)
    page = client.get(reverse("checklists:ward_overview"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="ja">' in page and "ログアウト" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("checklists:ward_overview")).content.decode()
    assert '<html lang="en">' in page and "Log out" in page
    assert "Fall prevention" in page
