"""Dates a nurse types are plausible: a birth date from 1900 to today, a planned examination from
the admission (at most a year back) to two years ahead. Year 0001 and 9999 are typing slips."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from checklists import services
from checklists.models import Patient, PlannedExamination

from .factories import ADULT_BIRTH_DATE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("birth_date", "refusal"),
    [(date(1, 1, 1), "before 1900"), (date(1899, 12, 31), "before 1900"), (date(2026, 11, 22), "in the future")],
)
def test_an_implausible_birth_date_is_refused_by_the_service(content, beds, nurse, frozen_clock, birth_date, refusal):
    with pytest.raises(ValidationError, match=refusal):
        services.patient_admit(hospital_id="H1", name="日付 確認", birth_date=birth_date, bed=beds[0], by=nurse)
    assert not Patient.objects.exists()


@pytest.mark.parametrize("birth_date", [date(1900, 1, 1), date(2026, 11, 21)])
def test_the_ends_of_the_birth_date_range_are_accepted(content, beds, nurse, frozen_clock, birth_date):
    admission = services.patient_admit(hospital_id="H1", name="日付 確認", birth_date=birth_date, bed=beds[0], by=nurse)
    assert admission.patient.birth_date == birth_date


@pytest.mark.parametrize("typed", ["0001-01-01", "1899-12-31", "9999-12-31"])
def test_an_implausible_birth_date_is_a_form_error(client, in_english, nurse, beds, content, frozen_clock, typed):
    client.force_login(nurse)
    data = {"hospital_id": "H1", "name": "日付 確認", "birth_date": typed, "bed": beds[0].pk}
    response = client.post(reverse("checklists:admission_create", args=[beds[0].ward_id]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"]
    assert not Patient.objects.exists()


@pytest.mark.parametrize(
    ("planned_on", "refusal"),
    [
        (date(9999, 12, 31), "more than two years ahead"),
        (date(2028, 11, 25), "more than two years ahead"),
        (date(2026, 11, 19), "before the admission"),  # admitted 2026-11-20
    ],
)
def test_an_implausible_planned_date_is_refused(admission, nurse, frozen_clock, planned_on, refusal):
    with pytest.raises(ValidationError, match=refusal):
        services.examination_plan(admission=admission, name="MRI", planned_on=planned_on, by=nurse)
    assert not PlannedExamination.objects.exists()


def test_a_planned_date_years_back_is_refused_even_in_a_long_stay(content, beds, nurse, frozen_clock):
    long_stay = services.patient_admit(
        hospital_id="H2",
        name="長期 入院",
        birth_date=ADULT_BIRTH_DATE,
        bed=beds[1],
        by=nurse,
        at=frozen_clock.replace(year=2023),
    )
    with pytest.raises(ValidationError, match="more than a year ago"):
        services.examination_plan(admission=long_stay, name="MRI", planned_on=date(2024, 1, 10), by=nurse)


@pytest.mark.parametrize("planned_on", [date(2026, 11, 20), date(2028, 11, 20)])
def test_planned_dates_within_the_range_are_accepted(admission, nurse, frozen_clock, planned_on):
    examination = services.examination_plan(admission=admission, name="MRI", planned_on=planned_on, by=nurse)
    assert examination.planned_on == planned_on


def test_the_examination_form_answers_a_far_date_on_the_page(client, in_english, nurse, admission, frozen_clock):
    client.force_login(nurse)
    url = reverse("checklists:examination_create", args=[admission.pk])
    response = client.post(url, {"name": "MRI", "planned_on": "9999-12-31"})
    assert "more than two years ahead" in response.content.decode()
    assert not PlannedExamination.objects.exists()
