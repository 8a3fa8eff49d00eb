"""The patient and family handout (患者・ご家族向け): per active area why we are careful (the
patient's own risk factors and the items' reasons), what the ward does, what the family can
do and whom to call; "what happens next" with the planned examinations in date order; a
teach-back box at the end.
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from checklists import printing, services
from checklists.models import Admission, ChecklistTemplate, RiskFactor
from checklists.printing.family_wording import OFFER_DRINKS

from .test_pdf_bedside_sheet import admit_with_fall_and_treatment, compact
from .test_pdf_platform import assert_japanese_font_only, pdf_text, type_size

pytestmark = pytest.mark.django_db  # for pytest-django to set the test database up, even for this module alone


@dataclass
class Rendered:
    ja: bytes
    en: bytes
    why: list
    ward_does: list
    reasons: list


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_content", verbosity=0)
        admission = admit_with_fall_and_treatment()
        nurse = admission.admitted_by
        services.checklist_start(
            admission=admission, template=ChecklistTemplate.objects.get(code="explanation"), by=nurse
        )
        for name, planned_on, purpose in [
            ("腰椎穿刺", date(2026, 11, 27), "髄液に炎症がないか調べる"),
            ("頭部MRI", date(2026, 11, 24), "脳に炎症がないか調べる"),
            ("全身CT", None, "腫瘍がないか調べる"),
            ("取り消した検査", date(2026, 11, 23), ""),
        ]:
            examination = services.examination_plan(
                admission=admission, name=name, planned_on=planned_on, purpose=purpose, by=nurse
            )
        services.examination_remove(examination=examination, by=nurse)
        loaded = Admission.objects.for_shift_work().get(pk=admission.pk)
        with translation.override("ja"):
            handout = printing.handout(loaded)
            result = Rendered(
                ja=printing.handout_pdf(loaded),
                en=b"",
                why=[why for area in handout.areas for why in area.why],
                ward_does=[line.item.instruction_ja for area in handout.areas for line in area.ward_does],
                reasons=[factor.name_ja for area in handout.areas for factor in area.reasons],
            )
        with translation.override("en"):
            result.en = printing.handout_pdf(Admission.objects.for_shift_work().get(pk=admission.pk))
        transaction.set_rollback(True)
    return result


def test_each_area_says_why_what_the_ward_does_and_whom_to_call(rendered):
    text = compact(pdf_text(rendered.ja))
    assert "転倒予防" in text and "治療中の観察" in text
    assert "歩行不安定・運動失調" in rendered.reasons and "免疫グロブリン大量療法IVIg" in text
    for line in rendered.why + rendered.ward_does:
        assert compact(line) in text
    assert compact("東4病棟") in text
    english = pdf_text(rendered.en)
    assert english.count("Whom to call") == 2  # one per area
    assert "the nurse call, or any nurse on 東4病棟" in english
    assert "What you and your family can do" in english


def test_the_explanation_checklist_is_not_an_area_of_its_own(rendered):
    assert "患者・家族への説明" not in compact(pdf_text(rendered.ja))


def test_what_happens_next_lists_the_planned_examinations_in_date_order(rendered):
    text = compact(pdf_text(rendered.ja))
    positions = [text.index(name) for name in ("頭部MRI", "腰椎穿刺", "全身CT")]
    assert positions == sorted(positions)
    assert "脳に炎症がないか調べる" in text
    assert "取り消した検査" not in text


def test_the_handout_ends_with_a_teach_back_box(rendered):
    english = pdf_text(rendered.en)
    assert english.rstrip().split("Can you tell us your risks and your plan?")[1]
    assert english.index("Can you tell us your risks and your plan?") > english.index("What happens next")


def test_the_handout_uses_the_japanese_font_and_large_type(rendered):
    assert type_size(rendered.ja, rendered.ward_does[0][:4]) >= 12.5
    assert_japanese_font_only(rendered.ja)
    assert_japanese_font_only(rendered.en)


@pytest.mark.django_db
@pytest.mark.parametrize(("orders", "told_to_offer_drinks"), [((), True), (("nil_by_mouth",), False)])
def test_the_family_is_told_to_offer_drinks_only_when_the_ward_does(content, beds, nurse, orders, told_to_offer_drinks):
    """禁飲食 keeps dehydration:drinks-within-reach away, and the handout's line that restates it."""
    factors = {f.code: f for f in RiskFactor.objects.all()}
    admission = services.patient_admit(
        hospital_id="D1",
        name="脱水 予防",
        birth_date=date(1970, 1, 1),
        bed=beds[1],
        risk_factors=[factors[code] for code in ("poor_intake", *orders)],
        by=nurse,
    )
    services.checklist_start(admission=admission, template=ChecklistTemplate.objects.get(code="dehydration"), by=nurse)
    with translation.override("en"):
        handout = printing.handout(Admission.objects.for_shift_work().get(pk=admission.pk))
        (area,) = [area for area in handout.areas if area.category == "dehydration"]
        offered = str(OFFER_DRINKS) in area.family_can_do
    assert offered is told_to_offer_drinks
