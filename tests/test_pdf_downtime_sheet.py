"""The downtime sheet (紙運用): the patient's items for the next shifts as a paper grid with
boxes to tick by hand, keyed to the patient, the template versions and the duty dates, so that
the records can be transcribed back later. And the next-shift rule it relies on."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation

from checklists import printing
from checklists.models import Admission
from checklists.shifts import ShiftCalendar, shift_at, slot_after, slot_before

from .conftest import tokyo
from .test_pdf_bedside_sheet import admit_with_fall_and_treatment, compact
from .test_pdf_platform import assert_japanese_font_only, pdf_page_size, pdf_pages, pdf_text


@dataclass
class Rendered:
    ja: bytes
    en: bytes
    items: list
    admission_pk: int


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """Printed at 2026-11-21 15:00 (日勤): the columns are 日勤, 準夜 of the 21st and 深夜 of the 22nd."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_content", verbosity=0)
        admission = admit_with_fall_and_treatment()
        loaded = Admission.objects.for_shift_work().get(pk=admission.pk)
        now = tokyo(2026, 11, 21, 15, 0)
        with translation.override("ja"):
            ja = printing.downtime_pdf(loaded, at=now)
            items = [item.text_ja for group in printing.downtime_sheet(loaded, at=now).groups for item in group.items]
        with translation.override("en"):
            en = printing.downtime_pdf(loaded, at=now)
        transaction.set_rollback(True)
    return Rendered(ja=ja, en=en, items=items, admission_pk=admission.pk)


def test_the_sheet_is_a_landscape_grid_of_every_item(rendered):
    width, height = pdf_page_size(rendered.ja)
    assert width > height
    text = compact(pdf_text(rendered.ja))
    assert all(compact(item) in text for item in rendered.items)


def test_the_columns_are_the_next_three_shifts_with_their_duty_dates(rendered):
    text = pdf_text(rendered.ja)
    for duty_date, shift in [("2026-11-21", "日勤"), ("2026-11-21", "準夜"), ("2026-11-22", "深夜")]:
        assert f"{duty_date} {shift}" in text
    assert "11/21 日勤" in text and "11/22 深夜" in text


def test_the_sheet_is_keyed_to_patient_stay_and_template_versions(rendered):
    text = pdf_text(rendered.ja)
    assert "HFT402" in text and f"A{rendered.admission_pk}" in text and "山田 太郎" in text
    assert "転倒予防 v1" in text and "治療中の観察 v1" in text
    assert "2026-11-21 15:00" in text  # printed at


def test_the_sheet_has_a_box_for_who_transcribed_it_and_when(rendered):
    text = pdf_text(rendered.en)
    assert "Transcribed into WardSafe" in text
    assert "Nurse's signature" in text
    assert "○" in text and "×" in text  # the legend of what to write in the boxes


def test_every_page_repeats_the_patient_key(rendered):
    text = pdf_text(rendered.ja)
    pages = text.split("\f")[: pdf_pages(rendered.ja)]
    assert all(f"A{rendered.admission_pk}" in page and "山田 太郎" in page for page in pages)


def test_the_downtime_sheet_uses_the_japanese_font(rendered):
    assert_japanese_font_only(rendered.ja)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (tokyo(2026, 11, 21, 10, 0), [(date(2026, 11, 21), "evening"), (date(2026, 11, 22), "night")]),
        (tokyo(2026, 11, 21, 20, 0), [(date(2026, 11, 22), "night"), (date(2026, 11, 22), "day")]),
        (tokyo(2026, 11, 22, 0, 45), [(date(2026, 11, 22), "day"), (date(2026, 11, 22), "evening")]),
    ],
)
def test_the_next_shift_is_the_next_one_to_start(content, moment, expected):
    calendar = ShiftCalendar.for_ward(None)
    slot = shift_at(moment, calendar=calendar)
    following = [slot_after(slot, calendar=calendar)]
    following.append(slot_after(following[0], calendar=calendar))
    assert [(s.duty_date, s.shift.code) for s in following] == expected
    assert slot_before(following[0], calendar=calendar) == slot
    assert shift_at(following[0].starts, calendar=calendar) == following[0]
    assert timezone.is_aware(following[0].starts)
