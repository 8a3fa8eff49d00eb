"""Reading a ward needs a role, not only a place on its staff (issue 13, finding 7): a ward
member in no role group gets 403 on every ward page, PDF and print download (the access
matrix's "member" column proves it for every URL; these name the finding's cases). Nurses and
shift leaders hold ``view_ward_pages``, given to their groups by migration 0008."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from checklists import roles, services

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(ward):
    """On the ward's staff, in no group."""
    user = UserFactory(username="no-role")
    ward.staff.add(user)
    return user


@pytest.fixture
def finished_run(admission, nurse):
    job = services.print_run_request(ward=admission.ward, admissions=[admission], by=nurse, language="ja")
    services.print_run_start(job=job, total=1)
    return services.print_run_finish(job=job, pdf=b"%PDF-1.4\n%%EOF\n")


def test_a_member_without_a_role_gets_403_on_the_wards_pages_pdfs_and_print_runs(
    client, member, admission, fall_checklist, finished_run
):
    client.force_login(member)
    urls = [
        reverse("checklists:ward_board", args=[admission.ward.pk]),
        reverse("checklists:ward_handover", args=[admission.ward.pk]),
        reverse("checklists:admission_detail", args=[admission.pk]),
        reverse("checklists:admission_history", args=[admission.pk]),
        reverse("checklists:admission_bedside_pdf", args=[admission.pk]),
        reverse("checklists:admission_handout_pdf", args=[admission.pk]),
        reverse("checklists:admission_downtime_pdf", args=[admission.pk]),
        reverse("checklists:ward_handover_pdf", args=[admission.ward.pk]),
        reverse("checklists:print_job_detail", args=[finished_run.pk]),
        reverse("checklists:print_job_download", args=[finished_run.pk]),
    ]
    answers = {url: client.get(url) for url in urls}
    assert {url: response.status_code for url, response in answers.items()} == dict.fromkeys(urls, 403)
    assert not any(admission.patient.name in response.content.decode() for response in answers.values())


def test_the_landing_page_tells_a_member_without_a_role_whom_to_ask(in_english, member):
    in_english.force_login(member)
    response = in_english.get(reverse("checklists:home"))
    assert response.status_code == 403
    assert "have no role yet" in response.content.decode()


def test_the_same_user_reads_the_ward_once_given_the_nurse_role(client, member, admission):
    member.groups.add(Group.objects.get(name=roles.NURSE))
    client.force_login(member)
    assert client.get(reverse("checklists:ward_board", args=[admission.ward.pk])).status_code == 200


@pytest.mark.parametrize("role", [roles.NURSE, roles.SHIFT_LEADER])
def test_nurses_and_shift_leaders_hold_the_ward_pages_permission(role):
    assert Group.objects.get(name=role).permissions.filter(codename="view_ward_pages").exists()


def test_the_checklist_admin_role_does_not(db):
    permissions = Group.objects.get(name=roles.CHECKLIST_ADMIN).permissions
    assert not permissions.filter(codename__in=["view_ward_pages", "view_patientchecklist", "view_admission"]).exists()
