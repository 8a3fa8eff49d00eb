"""Before saving, the admission form asks: about a possible second record of a person already
registered (same name and birth date, another hospital ID), and before renaming a patient who
is re-admitted under another name (audited). Nothing is written until the nurse confirms."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from checklists import services
from checklists.models import Admission, AuditEvent, Patient

from .conftest import tokyo
from .factories import ADULT_BIRTH_DATE

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(content, beds, nurse):
    """山田 太郎 (H0001234), born 1970-05-01, discharged after a stay in October."""
    first = services.patient_admit(
        hospital_id="H0001234",
        name="山田 太郎",
        name_kana="ヤマダ タロウ",
        birth_date=ADULT_BIRTH_DATE,
        bed=beds[0],
        by=nurse,
        at=tokyo(2026, 10, 1, 9),
    )
    services.admission_discharge(admission=first, by=nurse, at=tokyo(2026, 10, 5, 9))
    return first.patient


def post(client, beds, **fields):
    data = {
        "hospital_id": "H7654321",
        "name": "山田 太郎",
        "name_kana": "ヤマダ タロウ",
        "birth_date": ADULT_BIRTH_DATE.isoformat(),
        "bed": beds[1].pk,
    } | fields
    return client.post(reverse("checklists:admission_create", args=[beds[1].ward_id]), data)


# --- one person, two IDs ------------------------------------------------------------------------


def test_the_same_name_and_birth_date_under_another_id_is_shown_before_saving(client, in_english, nurse, beds, known):
    client.force_login(nurse)
    response = post(client, beds, name="山田　太郎")  # an ideographic space: the same name
    assert response.status_code == 200
    assert response.context["asks"] == "new_person"
    assert list(response.context["same_people"]) == [known]
    page = response.content.decode()
    assert 'data-testid="possibly-the-same-person"' in page and "H0001234" in page
    assert 'name="confirm_new_person"' in page
    assert Patient.objects.count() == 1 and not Admission.objects.open().exists()


def test_confirming_another_person_admits_under_the_new_id(client, nurse, beds, known):
    client.force_login(nurse)
    response = post(client, beds, confirm_new_person="on")
    assert response.status_code == 302
    assert Patient.objects.count() == 2
    assert Admission.objects.open().get().patient.hospital_id == "H7654321"


def test_the_service_refuses_a_possible_second_record_until_confirmed(nurse, beds, known):
    fields = {
        "hospital_id": "H7654321",
        "name": "山田太郎",
        "birth_date": ADULT_BIRTH_DATE,
        "bed": beds[1],
        "by": nurse,
    }
    with pytest.raises(ValidationError) as refused:
        services.patient_admit(**fields)
    assert refused.value.error_list[0].code == services.POSSIBLY_THE_SAME_PERSON
    assert "already registered under hospital ID H0001234" in refused.value.messages[0]
    assert services.patient_admit(**fields, confirm_new_person=True).patient.hospital_id == "H7654321"


def test_another_name_or_birth_date_is_not_asked_about(client, nurse, beds, known):
    client.force_login(nurse)
    assert post(client, beds, name="山田 花子").status_code == 302
    assert post(client, beds, hospital_id="H7654322", birth_date="1970-05-02", bed=beds[2].pk).status_code == 302


# --- one ID, another name -----------------------------------------------------------------------


def test_readmission_under_another_name_shows_what_differs_and_renames_nothing(client, in_english, nurse, beds, known):
    client.force_login(nurse)
    response = post(client, beds, hospital_id="H0001234", name="山田 太朗")
    assert response.status_code == 200
    assert response.context["asks"] == "rename"
    assert [(str(label), old, new) for label, old, new in response.context["renamed"]] == [
        ("Patient name", "山田 太郎", "山田 太朗")
    ]
    page = response.content.decode()
    assert 'data-testid="rename"' in page and 'name="confirm_rename"' in page
    known.refresh_from_db()
    assert known.name == "山田 太郎"
    assert not Admission.objects.open().exists()
    assert not AuditEvent.objects.filter(action="patient_renamed").exists()


def test_a_confirmed_rename_renames_admits_and_is_audited(client, nurse, beds, known):
    client.force_login(nurse)
    response = post(client, beds, hospital_id="Ｈ０００１２３４", name="山田 太朗", name_kana="", confirm_rename="on")
    assert response.status_code == 302
    known.refresh_from_db()
    assert (known.name, known.name_kana) == ("山田 太朗", "")
    event = AuditEvent.objects.get(action="patient_renamed")
    admission = Admission.objects.open().get()
    assert (event.admission, event.actor, event.object_id) == (admission, nurse, str(known.pk))
    assert event.data == {"name": ["山田 太郎", "山田 太朗"], "name_kana": ["ヤマダ タロウ", ""]}


def test_readmission_under_the_same_name_asks_nothing(client, nurse, beds, known):
    client.force_login(nurse)
    assert post(client, beds, hospital_id="H 000 1234").status_code == 302
    assert not AuditEvent.objects.filter(action="patient_renamed").exists()
