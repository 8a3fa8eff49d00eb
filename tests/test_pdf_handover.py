"""The handover page (申し送り) as a PDF: the same entries as the page, for the chosen shift."""

import pytest
from django.urls import reverse

from checklists import services

from .test_pdf_platform import assert_japanese_font_only, pdf_page_size, pdf_text

pytestmark = pytest.mark.django_db


def test_the_handover_pdf_has_the_pages_entries(client, nurse, fall_checklist, frozen_clock):
    items = list(fall_checklist.version.items.unconditional().filter(frequency="every_shift"))
    services.item_record(
        checklist=fall_checklist, item=items[1], status="not_done", note="検査で離床中", by=nurse, at=frozen_clock
    )
    critical = fall_checklist.version.items.unconditional().filter(is_critical=True).first()
    client.force_login(nurse)
    ward = fall_checklist.admission.ward
    page = client.get(reverse("checklists:ward_handover", args=[ward.pk]))
    assert reverse("checklists:ward_handover_pdf", args=[ward.pk]) in page.content.decode()

    response = client.get(
        reverse("checklists:ward_handover_pdf", args=[ward.pk]), {"date": "2026-11-21", "shift": "day"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="handover-east-4-20261121-day.pdf"'
    text = pdf_text(response.content)
    assert "山田 太郎" in text and "401" in text
    assert "2026年11月21日 日勤" in text
    assert "検査で離床中" in text
    assert critical.text_ja[:12] in "".join(text.split())
    width, height = pdf_page_size(response.content)
    assert width > height
    assert_japanese_font_only(response.content)
