"""The admission form's hospital-ID lookup is no patient index: a known ID answers only "known
patient" until the birth date typed with it matches; a user gets a limited number of lookups per
window (then a clear message, never a 500, and the right birth date shows nothing either); every
lookup, refused ones too, is an audit row that names the ID and not the patient, hidden from
checklist admins in the admin."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from checklists import services
from checklists.models import AuditEvent

from .conftest import tokyo
from .factories import ADULT_BIRTH_DATE, NurseFactory

pytestmark = pytest.mark.django_db

NAME = "山田 太郎"


@pytest.fixture
def discharged(admission, nurse):
    """山田 太郎 (H100, born 1970-05-01) was on 東4 and went home."""
    services.admission_discharge(admission=admission, by=nurse, at=tokyo(2026, 11, 21, 9, 0))
    return admission


@pytest.fixture
def admit_url(ward):
    return reverse("checklists:admission_create", args=[ward.pk])


def look_up(client, url, hospital_id="H100", birth_date=None, **extra):
    data = {"hospital_id": hospital_id, "lookup": "1"} | ({"birth_date": birth_date} if birth_date else {})
    return client.post(url, data, **extra)


def lookups():
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.PATIENT_LOOKED_UP).order_by("id"))


def test_a_known_id_without_the_birth_date_says_only_known(client, nurse, discharged, admit_url):
    client.force_login(nurse)
    response = look_up(client, admit_url)
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="known-id"' in page
    assert NAME not in page and "1970-05-01" not in page and "東4病棟 2026-11-20" not in page
    assert response.context["known"] is None and "name" not in response.context["form"].initial


@pytest.mark.parametrize("birth_date", ["1971-05-01", "not a date", "0001-01-01"])
def test_a_wrong_or_malformed_birth_date_shows_nothing_more(client, nurse, discharged, admit_url, birth_date):
    client.force_login(nurse)
    response = look_up(client, admit_url, birth_date=birth_date, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and NAME not in response.content.decode()
    assert 'data-testid="known-id"' in response.content.decode()


def test_the_matching_birth_date_prefills_the_patient(client, nurse, discharged, admit_url):
    client.force_login(nurse)
    response = look_up(client, admit_url, birth_date=ADULT_BIRTH_DATE.isoformat())
    assert response.context["known"] == discharged.patient
    assert response.context["form"].initial["name"] == NAME
    assert 'data-testid="known-patient"' in response.content.decode()


def test_every_lookup_is_audited_with_the_id_and_not_the_name(client, nurse, discharged, admit_url, ward):
    client.force_login(nurse)
    look_up(client, admit_url, hospital_id="Ｈ１００")
    look_up(client, admit_url, birth_date=ADULT_BIRTH_DATE.isoformat())
    look_up(client, admit_url, hospital_id="NOPE")
    rows = lookups()
    assert [(r.actor, r.ward, r.object_repr, r.data["outcome"]) for r in rows] == [
        (nurse, ward, "H100", "known"),
        (nurse, ward, "H100", "matched"),
        (nurse, ward, "NOPE", "unknown"),
    ]
    assert all(NAME not in r.object_repr and NAME not in str(r.data) for r in rows)
    assert rows[2].object_id == ""


def test_a_checklist_admin_does_not_see_the_lookups_in_the_admin(nurse, discharged, ward, checklist_admin_client):
    services.patient_lookup(hospital_id="H100", birth_date=None, by=nurse, ward=ward)
    assert lookups()
    page = checklist_admin_client.get(reverse("admin:checklists_auditevent_changelist"))
    assert page.status_code == 200 and "H100" not in page.content.decode()


def test_lookups_are_throttled_per_user_with_a_clear_japanese_message(
    client, nurse, discharged, admit_url, settings, clock
):
    settings.WARDSAFE_LOOKUP_LIMIT, settings.WARDSAFE_LOOKUP_WINDOW_MINUTES = 3, 10
    clock.now = tokyo(2026, 12, 1, 10, 0)
    client.force_login(nurse)
    for _ in range(3):
        assert look_up(client, admit_url, hospital_id="NOPE").status_code == 200
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "ja"
    clock.now += timedelta(minutes=4)
    response = look_up(client, admit_url, birth_date=ADULT_BIRTH_DATE.isoformat())
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="lookup-throttled"' in page
    assert "短時間に照会が多すぎます。6分後にもう一度" in page
    assert NAME not in page and response.context["known"] is None  # even with the right birth date
    assert lookups()[-1].data["outcome"] == "throttled"
    clock.now += timedelta(minutes=3)  # asking during the wait does not prolong it
    assert look_up(client, admit_url).context["lookup"].outcome == "throttled"
    clock.now += timedelta(minutes=3, seconds=1)  # the first three are out of the window
    response = look_up(client, admit_url, birth_date=ADULT_BIRTH_DATE.isoformat())
    assert response.context["known"] == discharged.patient


def test_the_limit_is_per_user(client, nurse, discharged, admit_url, settings, ward):
    settings.WARDSAFE_LOOKUP_LIMIT = 1
    client.force_login(nurse)
    look_up(client, admit_url, hospital_id="NOPE")
    assert look_up(client, admit_url).context["lookup"].outcome == "throttled"
    other = NurseFactory(username="nurse-b")
    ward.staff.add(other)
    client.force_login(other)
    assert look_up(client, admit_url).context["lookup"].outcome == "known"
