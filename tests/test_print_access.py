"""The ward's nurse gets each patient's PDF with a plain file name that carries no patient name or
hospital ID, and the pages link to the printouts. (Who else gets what — the login page for
anonymous users, a 404 for another ward's nurse — is in the access matrix: test_access_matrix.py.)"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from .test_pdf_platform import pdf_text

pytestmark = pytest.mark.django_db

PATIENT_PDFS = {
    "checklists:admission_bedside_pdf": "bedside",
    "checklists:admission_handout_pdf": "handout",
    "checklists:admission_downtime_pdf": "paper",
}


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
