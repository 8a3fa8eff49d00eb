"""One person per hospital ID: IDs are stored normalised (NFKC, no spaces or hyphens, capitals),
so ``Ｈ０００１２３４`` and ``H 0001234`` are the patient ``H0001234``, not second records beside him."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from checklists import services
from checklists.models import Admission, Patient
from checklists.models.stays import hospital_id_normalise

from .conftest import tokyo
from .factories import ADULT_BIRTH_DATE

pytestmark = pytest.mark.django_db

TYPED = ["Ｈ０００１２３４", "H 0001234", " h-000-1234 ", "H　０００　１２３４", "Hー0001234", "H\u22120001234"]


@pytest.mark.parametrize("typed", TYPED)
def test_the_ways_a_hospital_id_is_typed_normalise_to_one(typed):
    assert hospital_id_normalise(typed) == "H0001234"


def admit(bed, nurse, hospital_id, **overrides):
    fields = {"name": "山田 太郎", "birth_date": ADULT_BIRTH_DATE, "bed": bed, "by": nurse}
    return services.patient_admit(hospital_id=hospital_id, **(fields | overrides))


@pytest.mark.parametrize("typed", ["Ｈ０００１２３４", "H 0001234"])
def test_a_full_width_or_spaced_id_is_the_admitted_patient_not_a_second_one(content, beds, nurse, typed):
    admit(beds[0], nurse, "H0001234")
    with pytest.raises(ValidationError, match="already admitted"):
        admit(beds[1], nurse, typed)
    assert Patient.objects.count() == 1
    assert Admission.objects.open().count() == 1  # not the same name in two beds


@pytest.mark.parametrize("typed", ["Ｈ０００１２３４", "H 0001234"])
def test_a_full_width_or_spaced_id_readmits_the_same_person(content, beds, nurse, typed):
    first = admit(beds[0], nurse, "H0001234", at=tokyo(2026, 10, 1, 9))
    services.admission_discharge(admission=first, by=nurse, at=tokyo(2026, 10, 5, 9))
    second = admit(beds[1], nurse, typed, at=tokyo(2026, 11, 1, 9))
    assert second.patient == first.patient
    assert second.patient.hospital_id == "H0001234"


def test_a_new_patient_is_stored_under_the_normalised_id(content, beds, nurse):
    assert admit(beds[0], nurse, "ｈ－１２３").patient.hospital_id == "H123"


@pytest.mark.parametrize("typed", ["Ｈ０００１２３４", "H 0001234"])
def test_looking_up_a_full_width_or_spaced_id_finds_the_known_patient(client, nurse, beds, content, typed):
    first = admit(beds[0], nurse, "H0001234", at=tokyo(2026, 10, 1, 9))
    services.admission_discharge(admission=first, by=nurse, at=tokyo(2026, 10, 5, 9))
    client.force_login(nurse)
    response = client.post(
        reverse("checklists:admission_create", args=[beds[0].ward_id]),
        {"hospital_id": typed, "birth_date": ADULT_BIRTH_DATE.isoformat(), "lookup": "1"},
    )
    assert response.context["known"] == first.patient
    assert response.context["form"].initial["hospital_id"] == "H0001234"


def test_an_id_outside_the_hospitals_format_is_refused(content, beds, nurse, settings):
    settings.WARDSAFE_HOSPITAL_ID_FORMAT = r"H[0-9]{7}"
    with pytest.raises(ValidationError, match="not a hospital ID in this hospital's format"):
        admit(beds[0], nurse, "H12")
    assert admit(beds[0], nurse, "h 000-1234").patient.hospital_id == "H0001234"


def test_the_database_refuses_an_id_that_is_not_normalised(db):
    for raw in ["h0001234", "H 0001234", "H-0001234", ""]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Patient.objects.create(hospital_id=raw, name="直接 書込", birth_date=ADULT_BIRTH_DATE)
    Patient.objects.create(hospital_id="H0001234", name="直接 書込", birth_date=ADULT_BIRTH_DATE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.create(hospital_id="H0001234", name="二人目", birth_date=ADULT_BIRTH_DATE)
