"""Who gets what from every URL of the project: each pattern of the URLconf × {anonymous, a
nurse of ward A, a nurse of ward B, a shift leader of ward A, a checklist admin}, as a GET and,
for pages that take a form, as a POST. Another ward's patient, ward or print run is a 404 in
both directions. A new URL without an entry in tests/url_catalogue.py fails here.

URLs carry opaque database IDs only: no pattern takes a hospital ID or a name, no template
builds a link from one, and no page or redirect that the matrix fetches has one in a URL.
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import reverse

from . import url_catalogue as catalogue
from .url_catalogue import ADMIN_LOGIN, LOGIN, ROLES, build_world

pytestmark = pytest.mark.django_db

FORBIDDEN_IN_GET_FORMS = {"hospital_id", "name", "name_kana", "birth_date"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "hx-get", "hx-post", "hx-push-url", "hx-replace-url"}


@pytest.fixture
def world(db):
    return build_world()


def clients(world) -> dict[str, Client]:
    result = {"anonymous": Client()}
    for role in ROLES[1:]:
        result[role] = Client()
        result[role].force_login(world.users[role])
    return result


def check(response, expected) -> str:
    """'' when the response is what the matrix expects, else what it was."""
    status = response.status_code
    location = response.get("Location", "")
    if expected == LOGIN:
        ok = status == 302 and location.startswith(reverse("login") + "?next=")
    elif expected == ADMIN_LOGIN:
        ok = status == 302 and location.startswith(reverse("admin:login") + "?next=")
    elif expected == 302:  # a redirect of the page itself, never a login wall
        walls = (reverse("login") + "?next=", reverse("admin:login") + "?next=")
        ok = status == 302 and not location.startswith(walls)
    else:
        ok = status == expected
    return "" if ok else f"{status} {location}".strip()


class _Links(HTMLParser):
    """The URLs a page holds, and the fields of its GET forms."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.get_form_fields: list[str] = []
        self._in_get_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.urls += [value for name, value in attrs.items() if name in URL_ATTRIBUTES and value]
        if tag == "form":
            self._in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag in {"input", "select", "textarea"} and self._in_get_form and attrs.get("name"):
            self.get_form_fields.append(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False


def identifiers(world) -> set[str]:
    """How the two patients' identifiers would look in a URL, raw or encoded."""
    values = set()
    for side in (world.a, world.b):
        patient = side.admission.patient
        for value in (patient.hospital_id, patient.name, patient.name_kana, patient.birth_date.isoformat()):
            values |= {value, quote(value), quote_plus(value), *value.split()}
    return values


def leaks(response, world) -> list[str]:
    """Patient identifiers in the response's redirect, file name or in the URLs of its page."""
    found = []
    secrets = identifiers(world)
    for header in ("Location", "Content-Disposition"):
        value = response.get(header, "")
        found += [f"{header}: {value}" for secret in secrets if secret in value]
    if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
        page = _Links()
        page.feed(response.content.decode())
        found += [f"link {url}" for url in page.urls for secret in secrets if secret in url]
        found += [f"GET form field {name}" for name in page.get_form_fields if name in FORBIDDEN_IN_GET_FORMS]
    return found


# --- the catalogue covers the URLconf -------------------------------------------------------------


def test_every_url_of_the_project_has_an_expectation():
    routes = catalogue.url_patterns()
    named = {route.name for route in routes if route.name}
    outside_admin = {name for name in named if not name.startswith("admin:")}
    assert outside_admin - set(catalogue.EXPECTATIONS) == set(), "add the new URLs to tests/url_catalogue.py"
    assert set(catalogue.EXPECTATIONS) - named == set(), "these URLs are gone from the URLconf"
    unnamed = [route.route for route in routes if route.name is None and route.namespace != "admin"]
    assert unnamed == [], "every URL outside the admin needs a name"
    admin_names = {name for name in named if name.startswith("admin:")}
    uncovered = {
        name for name in admin_names if name not in catalogue.ADMIN_SITE and not catalogue.is_admin_generated(name)
    }
    assert uncovered == {"admin:view_on_site"}, "a new admin view needs an entry in ADMIN_SITE"


def test_every_model_in_the_admin_says_whether_a_checklist_admin_may_see_it():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == catalogue.ADMIN_MODELS_VISIBLE | catalogue.ADMIN_MODELS_HIDDEN
    assert not catalogue.ADMIN_MODELS_VISIBLE & catalogue.ADMIN_MODELS_HIDDEN
    assert "checklists.patient" in catalogue.ADMIN_MODELS_HIDDEN


def test_no_url_takes_a_patient_identifier():
    for route in catalogue.url_patterns():
        for name, converter in route.parameters:
            assert not catalogue.PATIENT_IDENTIFIER.search(name), (route.route, name)
            if route.namespace == "checklists":
                assert converter == "IntConverter", (route.name, name)  # opaque database IDs only


def test_no_template_builds_a_url_from_a_hospital_id_or_a_name():
    patient_value = re.compile(r"hospital_id|patient\.name|name_kana|birth_date")
    url_attribute = re.compile(
        r'\b(?:href|src|action|formaction|hx-(?:get|post|put|patch|delete|push-url|replace-url))\s*=\s*"([^"]*)"'
    )
    url_tag = re.compile(r"{%\s*url\b[^%]*%}")
    htmx_get = re.compile(r"<[^>]*\bhx-get\s*=[^>]*>")  # what it includes goes into the query string
    templates = sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))
    assert len(templates) > 30
    for template in templates:
        text = template.read_text(encoding="utf-8")
        for value in [*url_attribute.findall(text), *url_tag.findall(text), *htmx_get.findall(text)]:
            assert not patient_value.search(value), (template.name, value)


# --- the matrix -----------------------------------------------------------------------------------


def test_every_url_answers_each_role_as_expected(world, capsys):
    """GET every URL as every role; POST an empty form where a page takes one. Each post runs in
    a savepoint that is rolled back, so every role meets the same data."""
    expectations = catalogue.expectations()
    users = clients(world)
    wrong, leaked, cells, posts = [], [], 0, 0
    for name, expect in expectations.items():
        url = expect.url(name, world)
        for method, row in (("GET", expect.get), ("POST", expect.post)):
            if row is None:
                continue
            for role, expected in zip(ROLES, row, strict=True):
                with transaction.atomic():
                    client = users[role]
                    response = client.get(url) if method == "GET" else client.post(url, {})
                    transaction.set_rollback(True)
                if method == "POST" and role != "anonymous":
                    client.force_login(world.users[role])  # a post to logout ends the session
                cells += method == "GET"
                posts += method == "POST"
                if problem := check(response, expected):
                    wrong.append(f"{method} {name} as {role}: expected {expected}, got {problem}")
                leaked += [f"{method} {name} as {role}: {leak}" for leak in leaks(response, world)]
    with capsys.disabled():
        print(
            f"\naccess matrix: {len(expectations)} URLs × {len(ROLES)} roles = {cells} GET cells,"
            f" and {posts} POST cells"
        )
    assert cells == len(expectations) * len(ROLES)
    assert wrong == [], "\n".join(wrong)
    assert leaked == [], "\n".join(leaked)


def test_a_nurse_gets_what_the_other_wards_nurse_gets_for_every_object_of_another_ward(world):
    """The mirror of the matrix's ward B column: ward A's nurse asks for ward B's objects."""
    client = Client()
    client.force_login(world.users["nurse_a"])
    other_ward = ROLES.index("nurse_b")
    wrong, cells = [], 0
    for name, expect in catalogue.EXPECTATIONS.items():
        if not expect.ward_scoped:
            continue
        url = expect.url(name, world, world.b)
        for method, row in (("GET", expect.get), ("POST", expect.post)):
            if row is None:
                continue
            with transaction.atomic():
                response = client.get(url) if method == "GET" else client.post(url, {})
                transaction.set_rollback(True)
            cells += 1
            if problem := check(response, row[other_ward]):
                wrong.append(f"{method} {name}: expected {row[other_ward]}, got {problem}")
    assert cells > 30
    assert wrong == [], "\n".join(wrong)
