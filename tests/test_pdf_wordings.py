"""What the printouts say for a patient: the handout prints the items' bedside instructions
with the patient's details, and its family wording follows the item rules for the patient (a
禁飲食 patient's family is not told to sit the patient up to eat and drink, and is told to give
nothing by mouth); the downtime sheet prints no box for a night-only item in a day shift."""

from datetime import date

import pytest
from django.utils import translation

from checklists import printing, services
from checklists.models import Admission, ChecklistTemplate, RiskFactor
from checklists.printing.family_wording import NIL_BY_MOUTH, SIT_UPRIGHT_TO_EAT

from .conftest import tokyo
from .test_pdf_bedside_sheet import compact
from .test_pdf_platform import pdf_text

pytestmark = pytest.mark.django_db


def admit(beds, nurse, codes, templates, *, hospital_id="W1"):
    factors = {f.code: f for f in RiskFactor.objects.all()}
    admission = services.patient_admit(
        hospital_id=hospital_id,
        name="印刷 花子",
        birth_date=date(1950, 1, 1),
        bed=beds[1],
        risk_factors=[factors[code] for code in codes],
        by=nurse,
        at=tokyo(2026, 11, 20, 10, 0),
    )
    for code in templates:
        services.checklist_start(
            admission=admission, template=ChecklistTemplate.objects.get(code=code), by=nurse, at=tokyo(2026, 11, 20, 11)
        )
    return Admission.objects.for_shift_work().get(pk=admission.pk)


@pytest.mark.parametrize(("orders", "nil_by_mouth"), [((), False), (("nil_by_mouth",), True)])
def test_the_handout_family_wording_follows_the_item_rules_for_nil_by_mouth(content, beds, nurse, orders, nil_by_mouth):
    admission = admit(beds, nurse, ("dysphagia", *orders), ("aspiration",))
    with translation.override("ja"):
        handout = printing.handout(admission)
        (area,) = [area for area in handout.areas if area.category == "aspiration"]
        text = compact(pdf_text(printing.handout_pdf(admission)))
        sit_upright, nothing_by_mouth = str(SIT_UPRIGHT_TO_EAT), str(NIL_BY_MOUTH)
    assert (sit_upright in area.family_can_do) is not nil_by_mouth
    assert (nothing_by_mouth in area.family_can_do) is nil_by_mouth
    assert (compact(sit_upright) in text) is not nil_by_mouth
    assert (compact(nothing_by_mouth) in text) is nil_by_mouth
    assert ("からだを起こしてすわる" in text) is not nil_by_mouth


def test_the_handout_prints_the_instruction_and_the_detail_not_the_record_wording(content, beds, nurse):
    admission = admit(beds, nurse, ("unsteady_gait",), ("fall",))
    checklist = admission.checklists.get()
    (area,) = printing.handout(admission).areas
    asking = [line.item for line in area.ward_does if line.item.asks_detail]
    assert asking, [line.item.key for line in area.ward_does]
    services.item_detail_set(checklist=checklist, item=asking[0], text="歩行器使用・見守り", by=nurse)
    admission = Admission.objects.for_shift_work().get(pk=admission.pk)
    with translation.override("ja"):
        (area,) = printing.handout(admission).areas
        text = compact(pdf_text(printing.handout_pdf(admission)))
    assert area.ward_does and all(line.item.instruction_ja for line in area.ward_does)
    for line in area.ward_does:
        assert compact(line.item.instruction_ja) in text
        assert compact(line.item.text_ja) not in text
    assert compact(f"{asking[0].instruction_ja}【歩行器使用・見守り】") in text


def test_the_downtime_sheet_prints_no_box_for_a_night_only_item_in_a_day_shift(content, beds, nurse):
    """Printed at 2026-11-21 15:00 (日勤): the columns are 日勤, 準夜 and 深夜."""
    admission = admit(beds, nurse, ("unsteady_gait", "night_sedative"), ("fall",))
    now = tokyo(2026, 11, 21, 15, 0)
    sheet = printing.downtime_sheet(admission, at=now)
    assert [slot.shift.is_night for slot in sheet.slots] == [False, True, True]
    rows = {row.item.key: row for group in sheet.groups for row in group.rows}
    assert rows["night-sedative-watch"].due == [False, True, True]
    assert rows["call-bell-within-reach"].due == [True, True, True]
    with translation.override("ja"):
        text = pdf_text(printing.downtime_pdf(admission, at=now))
    not_due = sum(not due for row in rows.values() for due in row.due)
    assert not_due >= 1
    assert text.count("この勤務帯はなし") == not_due
