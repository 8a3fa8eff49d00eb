"""The handover page (申し送り) as a PDF: the same entries as the page, for the chosen shift."""

import pytest
from django.urls import reverse

from checklists import services
from checklists.forms import SlotForm

from .factories import NurseFactory
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


def test_the_handover_pdf_prints_the_note_for_the_next_shift_and_who_took_it_over(
    client, nurse, fall_checklist, frozen_clock
):
    """Issue 12 point 6 on paper: the nurse's note, 申し送り済み with the receiving nurse (family name
    first), and a not-done reason printed once (not again among the notes)."""
    admission, ward = fall_checklist.admission, fall_checklist.admission.ward
    nurse.last_name, nurse.first_name = "看護", "花子"
    nurse.save()
    receiver = NurseFactory(username="nurse-r", last_name="主任", first_name="京子")
    slot = SlotForm(ward=ward).slot
    items = list(fall_checklist.version.items.unconditional().filter(frequency="every_shift"))
    services.item_record(
        checklist=fall_checklist, item=items[1], status="not_done", note="検査で離床中", by=nurse, at=frozen_clock
    )
    services.handover_note_write(admission=admission, slot=slot, text="夜間トイレ歩行あり", by=nurse)
    client.force_login(nurse)
    url = reverse("checklists:ward_handover_pdf", args=[ward.pk])
    before = "".join(pdf_text(client.get(url).content).split())
    assert "夜間トイレ歩行あり" in before and "看護花子" in before
    assert "申し送り済み" not in before
    assert before.count("検査で離床中") == 1

    services.handover_acknowledge(admission=admission, slot=slot, by=receiver)
    after = "".join(pdf_text(client.get(url).content).split())
    assert "申し送り済み主任京子" in after
