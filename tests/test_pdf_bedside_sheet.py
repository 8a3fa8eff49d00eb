"""The bedside sheet (ベッドサイド掲示用): one A4 page per patient with the bed, the name and its
reading, risk badges, the critical precautions in large type, the other items in a compact list,
footnotes to each item's provenance, the template versions and the one-line footer — in
Japanese with the CJK font embedded, English when the user's language is English.

The PDFs are rendered once per module (rendering costs about half a second each) inside a
transaction that is rolled back, so the tests below only read bytes.
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from checklists import printing, services
from checklists.models import Admission, ChecklistTemplate, RiskFactor

from .conftest import tokyo
from .factories import ADULT_BIRTH_DATE, BedFactory, NurseFactory, WardFactory
from .test_pdf_platform import assert_japanese_font_only, pdf_page_size, pdf_pages, pdf_text, type_size

CHILD_BIRTH_DATE = date(2018, 1, 1)


def admit_with_everything(ward_code="pdf-ward", bed_code="505"):
    """A child with every risk factor and all nine templates started: the fullest sheet there is."""
    nurse = NurseFactory()
    bed = BedFactory(ward=WardFactory(code=ward_code, name="西5病棟"), code=bed_code)
    admission = services.patient_admit(
        hospital_id=f"H-ALL-{bed_code}",
        name="全部 乗せ子",
        name_kana="ゼンブ ノセコ",
        birth_date=CHILD_BIRTH_DATE,
        bed=bed,
        risk_factors=list(RiskFactor.objects.exclude(code__in=RiskFactor.AGE_DERIVED)),
        by=nurse,
        at=tokyo(2026, 11, 20, 10, 0),
    )
    for template in ChecklistTemplate.objects.all():
        services.checklist_start(admission=admission, template=template, by=nurse, at=tokyo(2026, 11, 20, 10, 5))
    return admission


def admit_with_fall_and_treatment(ward_code="pdf-ward-2", bed_code="402"):
    nurse = NurseFactory()
    bed = BedFactory(ward=WardFactory(code=ward_code, name="東4病棟"), code=bed_code)
    factors = {f.code: f for f in RiskFactor.objects.all()}
    admission = services.patient_admit(
        hospital_id=f"H-FT-{bed_code}",
        name="山田 太郎",
        name_kana="ヤマダ タロウ",
        birth_date=ADULT_BIRTH_DATE,
        bed=bed,
        risk_factors=[factors["unsteady_gait"], factors["ivig"]],
        by=nurse,
        at=tokyo(2026, 11, 20, 10, 0),
    )
    for code in ("fall", "treatment"):
        services.checklist_start(
            admission=admission, template=ChecklistTemplate.objects.get(code=code), by=nurse, at=tokyo(2026, 11, 20, 11)
        )
    return admission


DETAIL = "歩行器使用・見守り"


def details_everywhere(admission) -> int:
    """A per-patient detail on every item of the stay's checklists that asks for one."""
    count = 0
    for checklist in admission.checklists.select_related("version"):
        for item in checklist.version.items.exclude(detail_prompt_ja=""):
            services.item_detail_set(checklist=checklist, item=item, text=DETAIL, by=admission.admitted_by)
            count += 1
    return count


def sheet_of(admission):
    return printing.bedside_sheets(Admission.objects.filter(pk=admission.pk).for_shift_work())[0]


@dataclass
class Rendered:
    small_ja: bytes
    small_en: bytes
    everything_ja: bytes
    everything_en: bytes
    small_items_ja: list
    small_items_en: list
    small_records_ja: list
    everything_details: int
    everything_items: list
    small_density: int
    sources: list


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_content", verbosity=0)
        small, everything = admit_with_fall_and_treatment(), admit_with_everything()
        assert details_everywhere(small) >= 2 and details_everywhere(everything) > 8
        with translation.override("ja"):
            small_sheet, everything_sheet = sheet_of(small), sheet_of(everything)
            result = Rendered(
                small_ja=printing.bedside_pdf([Admission.objects.for_shift_work().get(pk=small.pk)]),
                small_en=b"",
                everything_en=b"",
                everything_ja=printing.bedside_pdf(Admission.objects.filter(pk=everything.pk).for_shift_work()),
                small_items_ja=[e.item.instruction_ja for e in small_sheet.critical]
                + [e.item.instruction_ja for g in small_sheet.groups for e in g.items],
                small_items_en=[e.item.instruction_en for e in small_sheet.critical],
                small_records_ja=[e.item.text_ja for e in small_sheet.critical]
                + [e.item.text_ja for g in small_sheet.groups for e in g.items],
                everything_details=sum(
                    bool(e.detail)
                    for e in [*everything_sheet.critical, *(e for g in everything_sheet.groups for e in g.items)]
                ),
                everything_items=[e.item.instruction_ja for e in everything_sheet.critical]
                + [e.item.instruction_ja for g in everything_sheet.groups for e in g.items],
                small_density=printing.first_page(small_sheet).density.level,
                sources=[(n.document, n.passage) for g in small_sheet.sources for n in g.notes],
            )
        with translation.override("en"):
            result.small_en = printing.bedside_pdf([Admission.objects.for_shift_work().get(pk=small.pk)])
            result.everything_en = printing.bedside_pdf(Admission.objects.filter(pk=everything.pk).for_shift_work())
        transaction.set_rollback(True)
    return result


def compact(text: str) -> str:
    """pdftotext breaks lines where the layout does; compare without whitespace."""
    return "".join(text.split())


def test_the_sheet_is_one_a4_page_with_bed_name_and_reading(rendered):
    assert pdf_pages(rendered.small_ja) == 1
    width, height = pdf_page_size(rendered.small_ja)
    assert (round(width), round(height)) == (595, 842)
    text = pdf_text(rendered.small_ja)
    assert "402" in text and "山田 太郎" in text and "ヤマダ タロウ" in text
    assert "東4病棟" in text


def test_the_sheet_prints_the_instruction_not_the_record_wording_and_the_detail_beside_it(rendered):
    text = compact(pdf_text(rendered.small_ja))
    assert not [record for record in rendered.small_records_ja if compact(record) in text]
    assert compact("移動は決められた方法と介助で【歩行器使用・見守り】") in text
    assert rendered.everything_details >= 5
    assert compact(pdf_text(rendered.everything_ja)).count(compact(f"【{DETAIL}】")) == rendered.everything_details


def test_the_sheet_lists_every_applicable_item_in_japanese(rendered):
    text = compact(pdf_text(rendered.small_ja))
    for item_text in rendered.small_items_ja:
        assert compact(item_text) in text, item_text


def test_items_for_factors_the_patient_does_not_have_are_left_out(rendered):
    text = compact(pdf_text(rendered.small_ja))
    assert compact("夜間にベンゾジアゼピン系薬・睡眠薬を使用した後") not in text  # applies if night_sedative
    assert compact("リツキシマブ投与中") not in text  # applies if rituximab


def test_the_critical_precautions_come_first_in_large_type(rendered):
    assert rendered.small_density == 1
    assert type_size(rendered.small_ja, rendered.small_items_ja[0][:4]) == pytest.approx(20, abs=1)  # read from 2 m
    assert type_size(rendered.small_ja, rendered.small_items_ja[-1][:4]) < 11  # the compact list
    text = compact(pdf_text(rendered.small_ja))
    first_critical, first_other = compact(rendered.small_items_ja[0]), compact(rendered.small_items_ja[-1])
    assert text.index(first_critical) < text.index(first_other)


def test_the_badges_show_a_symbol_per_risk(rendered):
    text = pdf_text(rendered.small_ja)
    assert "▲" in text and "✚" in text  # fall, treatment: shapes survive black-and-white printing


def test_every_item_has_a_footnote_and_the_sources_are_listed(rendered):
    text = compact(pdf_text(rendered.small_ja))
    for number, (document, passage) in enumerate(rendered.sources, start=1):
        assert f"[{number}]" in text
        if document:
            assert document in text
            assert compact(passage)[:8] in text
    assert "v1" in text  # the template versions used


def test_the_japanese_font_is_embedded_subset_and_extractable(rendered):
    assert_japanese_font_only(rendered.small_ja)
    assert_japanese_font_only(rendered.everything_ja)


def test_a_patient_with_every_checklist_still_gets_one_page(rendered):
    assert pdf_pages(rendered.everything_ja) == 1
    assert pdf_pages(rendered.everything_en) == 1  # English runs longer
    assert len(rendered.everything_items) > 60
    text = compact(pdf_text(rendered.everything_ja))
    missing = [item for item in rendered.everything_items if compact(item) not in text]
    assert not missing


def test_the_footer_says_the_sheet_supports_nursing_judgement(rendered):
    text = pdf_text(rendered.small_en)
    assert "supports, and does not replace, nursing judgement" in text


def test_in_english_the_sheet_uses_the_english_wording(rendered):
    text = compact(pdf_text(rendered.small_en))
    for item_text in rendered.small_items_en:
        assert compact(item_text) in text
    assert "山田太郎" in text  # names stay in the CJK font
    assert "Bed" in text
    assert_japanese_font_only(rendered.small_en)


@pytest.mark.django_db
def test_gathering_a_sheet_runs_the_same_queries_for_two_or_nine_checklists(content):
    small, everything = admit_with_fall_and_treatment(), admit_with_everything()
    counts = []
    for admission in (small, everything):
        with CaptureQueriesContext(connection) as queries:
            sheet = sheet_of(admission)
        counts.append(len(queries))
        assert sheet.admission.pk == admission.pk
    # admission with patient, bed and ward; risk factors; checklists with versions; items; the
    # items' rules; the ward's shifts (the patterns' shifts and the ward's pattern assignments);
    # the items' per-patient details
    assert counts == [8, 8]
