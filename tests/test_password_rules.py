"""Passwords on shared hospital computers: at least 10 characters, not on Django's list of common
passwords, and not made only of the hospital's own words (wardsafe/hospital-words.txt) with
digits and signs, such as wardsafe or nurse4ward (issue 13, finding 13)."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from checklists.management.commands.load_demo import DEMO_PASSWORD

from .factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password",
    [
        "wardsafe",
        "wardsafe2026",
        "nurse4ward",
        "Nurse4Ward!!",
        "Byouin-2026!",
        "kangoshi1234",
        "ＷａｒｄＳａｆｅ２０２６",  # full width, as a Japanese keyboard may type it
        "nur5e-w4rd-2026",  # digits standing in for letters
        "p@ssw0rd-2026",
        "病院看護師2026",
        "password123",
        "short-7!",
    ],
)
def test_guessable_passwords_are_refused(password, nurse):
    with pytest.raises(ValidationError):
        validate_password(password, user=nurse)


@pytest.mark.parametrize("password", [DEMO_PASSWORD, PASSWORD, "tsubaki-kumo-blue-71", "病院の中庭にある桜2026"])
def test_passwords_with_a_word_of_their_own_are_accepted(password, nurse):
    validate_password(password, user=nurse)


def test_the_demo_password_passes_the_rules_for_each_demo_user(db):
    from django.contrib.auth import get_user_model

    for username in ("nurse", "leader", "admin"):
        validate_password(DEMO_PASSWORD, user=get_user_model()(username=username))


def test_a_very_long_password_is_checked_quickly(nurse):
    started = time.perf_counter()
    with pytest.raises(ValidationError):
        validate_password("nurse" * 2000, user=nurse)
    assert time.perf_counter() - started < 1


def test_changing_to_a_hospital_word_password_is_refused_in_japanese(client, nurse):
    client.force_login(nurse)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Hospital-Nurse-2026", "new_password2": "Hospital-Nurse-2026"},
    )
    assert response.status_code == 200
    assert "病院で誰もがまず試す言葉" in response.content.decode()
    nurse.refresh_from_db()
    assert nurse.check_password(PASSWORD)
