"""Shared fixtures: the shipped content, a ward with beds, users in each role and their
clients, a patient on the fall checklist, a draft, a frozen clock and one a test moves, and
every URL requested once."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation

from checklists import services
from checklists.models import ChecklistTemplate, InjuryLevel, RiskFactor

from . import query_budgets
from .factories import ADULT_BIRTH_DATE, AdminUserFactory, BedFactory, NurseFactory, WardFactory

TOKYO = ZoneInfo("Asia/Tokyo")
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def tokyo(*args) -> datetime:
    """An aware datetime in ward time: tokyo(2026, 11, 21, 9, 0)."""
    return datetime(*args, tzinfo=TOKYO)


@pytest.fixture
def content(db):
    """The seed-derived content shipped in fixtures/content (risk factors, shifts, templates)."""
    call_command("load_content", verbosity=0)


@pytest.fixture
def ward(db):
    ward = WardFactory(code="east-4", name="東4病棟")
    for position, code in enumerate(["401", "402", "403", "404"], start=1):
        BedFactory(ward=ward, code=code, position=position)
    return ward


@pytest.fixture
def beds(ward):
    return list(ward.beds.order_by("position"))


@pytest.fixture
def nurse(ward):
    user = NurseFactory(username="nurse-a")
    ward.staff.add(user)
    return user


@pytest.fixture
def checklist_admin(db):
    return AdminUserFactory(username="educator")


@pytest.fixture
def checklist_admin_client(client, checklist_admin):
    """The test client logged in as the checklist admin, reading English."""
    client.force_login(checklist_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def factors(content):
    return {factor.code: factor for factor in RiskFactor.objects.all()}


@pytest.fixture
def admission(content, beds, nurse, factors):
    """An adult OMS patient in bed 401 with unsteady gait and IVIg, admitted 2026-11-20 10:00."""
    return services.patient_admit(
        hospital_id="H100",
        name="山田 太郎",
        birth_date=ADULT_BIRTH_DATE,
        bed=beds[0],
        risk_factors=[factors["unsteady_gait"], factors["ivig"]],
        by=nurse,
        at=tokyo(2026, 11, 20, 10, 0),
    )


@pytest.fixture
def fall_checklist(admission, nurse):
    return services.checklist_start(
        admission=admission,
        template=ChecklistTemplate.objects.get(code="fall"),
        by=nurse,
        at=tokyo(2026, 11, 20, 10, 5),
    )


@pytest.fixture
def fall(content):
    """The shipped fall-prevention template (version 1 published)."""
    return ChecklistTemplate.objects.get(code="fall")


@pytest.fixture
def draft(fall, checklist_admin):
    """Version 2 of the fall template, a draft copy of version 1 made by the checklist admin."""
    return services.template_draft_create(template=fall, by=checklist_admin)


@pytest.fixture
def frozen_clock(monkeypatch):
    """Ward time stands at 2026-11-21 10:00, the day shift (日勤); the night shift (深夜) before
    it ran 00:30–09:00 of the same date."""
    now = tokyo(2026, 11, 21, 10, 0)
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


@pytest.fixture
def clock(monkeypatch):
    """Ward time that a test moves on: ``clock.now = tokyo(...)``. It starts at 2026-12-01 10:00,
    so that changes from a later duty date can be made before the test walks into them. Ask for
    it before ``content``, so that the shipped shift patterns are dated on the clock's day."""

    class Clock:
        now = tokyo(2026, 12, 1, 10, 0)

    monkeypatch.setattr(timezone, "now", lambda: Clock.now)
    return Clock


@pytest.fixture(scope="session")
def every_url_requested(django_db_setup, django_db_blocker) -> dict[str, query_budgets.Visit]:
    """Every URL of tests/url_catalogue.py requested once by someone who may use it, forms
    posted with valid data, with the queries each request ran (tests/query_budgets.py). Made
    once per run, in a transaction that is rolled back. A test using it needs the database
    mark, or pytest-django sets no test database up when it runs alone."""
    fast_hashing = override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS)
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        visits = query_budgets.request_every_url()
        transaction.set_rollback(True)
    return visits


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs ~0.3 s per user; tests do not need its strength."""
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (the board's rows, the charts): a rolled-back test's
    IDs come again in the next, and a factory-made ward has no change tokens yet."""
    cache.clear()


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages are asserted in English; tests of Japanese switch explicitly."""
    with translation.override("en"):
        yield


@pytest.fixture
def in_english(client):
    """Pages are Japanese unless the user switched; a test that reads English text switches too."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def injury_levels(db) -> dict:
    """The shipped injury scale (影響度分類 0–5) by code; written again if a flush emptied it."""
    services.injury_scale_ship()
    return {level.code: level for level in InjuryLevel.objects.all()}
