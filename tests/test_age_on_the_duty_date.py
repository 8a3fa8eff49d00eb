"""Age-derived factors (a child under 15; 70 and over) hold as the age stands on the duty date of
the shift a page shows, not as it was at admission: a patient who turns 15 or 70 during the stay
changes on that duty date, for the items, the proposals, the board and the handout."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from checklists import selectors, services
from checklists.models import (
    Admission,
    AdmissionRiskFactor,
    ChecklistTemplate,
    Patient,
    RiskFactor,
    ShiftDefinition,
)
from checklists.shifts import slot_before, slot_of

from .conftest import tokyo

pytestmark = pytest.mark.django_db

BIRTHDAY = date(2026, 11, 22)  # the patient turns 15 (or 70) on this duty date


def slot(code: str, day: date):
    return slot_of(ShiftDefinition.objects.get(code=code, version__pattern__code="three-shift"), day)


def item_keys(admission, code: str, day: date) -> set[str]:
    """The item keys due for the stay in that slot, as the patient page and the board read them."""
    admission = Admission.objects.for_shift_work().get(pk=admission.pk)
    shown = slot(code, day)
    shift = selectors.patient_shifts([admission], [], shown, slot_before(shown))[admission.pk]
    return {state.item.key for progress in shift.checklists for state in progress.items}


@pytest.fixture
def turning_15(content, beds, nurse, factors):
    """A 14-year-old with unsteady gait, admitted 2026-11-20 on fall prevention and child care."""
    admission = services.patient_admit(
        hospital_id="C15",
        name="誕生 日子",
        birth_date=date(2011, 11, 22),
        bed=beds[1],
        risk_factors=[factors["unsteady_gait"]],
        by=nurse,
        at=tokyo(2026, 11, 20, 10),
    )
    for code in ("fall", "child-care"):
        template = ChecklistTemplate.objects.get(code=code)
        services.checklist_start(admission=admission, template=template, by=nurse, at=tokyo(2026, 11, 20, 10, 5))
    return admission


def test_age_bands_follow_the_day():
    patient = Patient(birth_date=date(1956, 11, 22))
    assert selectors.age_band_on(patient, date(2026, 11, 21)) == Patient.AgeBand.ADULT
    assert selectors.age_band_on(patient, BIRTHDAY) == Patient.AgeBand.OLDER
    child = Patient(birth_date=date(2011, 11, 22))
    assert child.age_band_on(date(2026, 11, 21)) == Patient.AgeBand.CHILD
    assert child.age_band_on(BIRTHDAY) == Patient.AgeBand.ADULT


def test_a_patient_turning_15_loses_the_child_items_from_that_duty_date(turning_15):
    assert "child-motor-regression" in item_keys(turning_15, "day", date(2026, 11, 21))
    assert "child-motor-regression" not in item_keys(turning_15, "day", BIRTHDAY)


def test_the_evening_shift_past_midnight_still_counts_the_day_before(turning_15):
    # 00:15 on the birthday belongs to the evening shift (準夜) of the 21st: still 14 on its duty date.
    assert "child-motor-regression" in item_keys(turning_15, "evening", date(2026, 11, 21))
    assert "child-motor-regression" not in item_keys(turning_15, "night", BIRTHDAY)


def test_the_proposals_stop_child_care_once_the_patient_is_15(turning_15):
    templates = ChecklistTemplate.objects.filter(versions__status="published").prefetch_related("triggers").distinct()
    admission = Admission.objects.for_shift_work().get(pk=turning_15.pk)
    before = {p.template.code: p for p in selectors.proposals_for(admission, templates, date(2026, 11, 21))}
    after = {p.template.code: p for p in selectors.proposals_for(admission, templates, BIRTHDAY)}
    assert before["child-care"].is_proposed and not before["child-care"].proposes_stop
    assert [f.code for f in before["child-care"].matching_factors] == ["child"]
    assert after["child-care"].proposes_stop


def test_the_board_shows_the_age_on_the_duty_date(client, in_english, nurse, turning_15, monkeypatch):
    client.force_login(nurse)
    for now, band, age in [
        (tokyo(2026, 11, 21, 10), "child", "14 years"),
        (tokyo(2026, 11, 22, 10), "adult", "15 years"),
    ]:
        monkeypatch.setattr("django.utils.timezone.now", lambda now=now: now)
        response = client.get(reverse("checklists:ward_board", args=[turning_15.ward_id]))
        (row,) = [row for row in response.context["rows"] if row.patient_shift]
        assert row.patient_shift.age_band == band
        assert f"{band} {age}" in " ".join(response.content.decode().split())


def test_a_child_note_stored_at_an_earlier_admission_is_not_read(turning_15, nurse):
    # Before the factor was derived, admission noted it: such a note stays as written, unread.
    child = RiskFactor.objects.get(code=RiskFactor.CHILD)
    AdmissionRiskFactor.objects.create(admission=turning_15, risk_factor=child, noted_by=nurse)
    assert "child-motor-regression" not in item_keys(turning_15, "day", BIRTHDAY)
    admission = Admission.objects.for_shift_work().get(pk=turning_15.pk)
    assert admission.noted_risk_factor_notes == [
        n for n in admission.active_risk_factor_notes if n.risk_factor != child
    ]


def test_an_age_derived_factor_cannot_be_noted_by_hand(admission, nurse, factors):
    with pytest.raises(ValidationError, match="follows from the birth date"):
        services.admission_risk_factor_note(admission=admission, risk_factor=factors["child"], by=nurse)


def test_a_patient_turning_70_gets_the_70_and_over_items_from_that_duty_date(
    content, beds, nurse, factors, draft, checklist_admin
):
    # The institution added an item for the shipped factor "aged_70_plus" (70歳以上).
    aged = factors[RiskFactor.AGED_70_PLUS]
    services.template_item_add(
        version=draft,
        by=checklist_admin,
        key="older-night-round",
        text_ja="夜間の巡視を増やした",
        source="institution",
        applies_if_any=[aged],
    )
    services.template_publish(version=draft, by=checklist_admin, change_note="70歳以上の項目")
    admission = services.patient_admit(
        hospital_id="O70",
        name="古希 迎",
        birth_date=date(1956, 11, 22),
        bed=beds[2],
        risk_factors=[factors["unsteady_gait"]],
        by=nurse,
        at=tokyo(2026, 11, 20, 10),
    )
    services.checklist_start(admission=admission, template=draft.template, by=nurse, at=tokyo(2026, 11, 20, 10, 5))
    assert "older-night-round" not in item_keys(admission, "day", date(2026, 11, 21))
    assert "older-night-round" in item_keys(admission, "day", BIRTHDAY)
    assert not admission.risk_factor_notes.filter(risk_factor=aged).exists()  # read, never noted
