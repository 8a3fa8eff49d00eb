"""Only users who may see the patient get their PDFs and printing pages: anonymous users are
sent to the login page, another ward's nurse gets a 404, and file names carry no patient
names or hospital IDs."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from .factories import NurseFactory, WardFactory
from .test_pdf_platform import pdf_text

pytestmark = pytest.mark.django_db

PATIENT_PDFS = {
    "checklists:admission_bedside_pdf": "bedside",
    "checklists:admission_handout_pdf": "handout",
    "checklists:admission_downtime_pdf": "paper",
}
PATIENT_PAGES = ["checklists:admission_examinations", "checklists:admission_transcribe"]
WARD_PAGES = ["checklists:ward_handover_pdf", "checklists:ward_print"]


@pytest.fixture
def other_ward_nurse(db):
    nurse = NurseFactory(username="nurse-west")
    WardFactory(code="west-2", name="西2病棟").staff.add(nurse)
    return nurse


def all_urls(admission):
    patient = [reverse(name, args=[admission.pk]) for name in [*PATIENT_PDFS, *PATIENT_PAGES]]
    return patient + [reverse(name, args=[admission.ward_id]) for name in WARD_PAGES]


def test_anonymous_users_are_sent_to_the_login_page(client, fall_checklist):
    for url in all_urls(fall_checklist.admission):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_another_wards_nurse_gets_a_404(client, fall_checklist, other_ward_nurse):
    client.force_login(other_ward_nurse)
    for url in all_urls(fall_checklist.admission):
        assert client.get(url).status_code == 404, url


def test_the_wards_nurse_gets_each_pdf_with_a_plain_file_name(client, nurse, fall_checklist):
    admission = fall_checklist.admission
    client.force_login(nurse)
    today = timezone.localdate().strftime("%Y%m%d")
    for name, kind in PATIENT_PDFS.items():
        response = client.get(reverse(name, args=[admission.pk]))
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/pdf"
        disposition = response["Content-Disposition"]
        assert disposition == f'inline; filename="{kind}-401-{today}.pdf"'
        assert re.fullmatch(r"[\x20-\x7e]+", disposition)
        assert "H100" not in disposition and "山田" not in disposition
        assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
        assert "山田 太郎" in pdf_text(response.content), name


def test_the_patient_page_offers_the_printouts(client, nurse, fall_checklist):
    client.force_login(nurse)
    admission = fall_checklist.admission
    page = client.get(reverse("checklists:admission_detail", args=[admission.pk])).content.decode()
    for name in [*PATIENT_PDFS, "checklists:admission_transcribe"]:
        assert reverse(name, args=[admission.pk]) in page
    board = client.get(reverse("checklists:ward_board", args=[admission.ward_id])).content.decode()
    assert reverse("checklists:ward_print", args=[admission.ward_id]) in board
