"""Error pages a nurse can act on, in Japanese and English: 400, 403, 403 for a stale form (CSRF),
404, 500 and 503, each saying what happened and what to do. They extend a base that needs no
database, so they render with it down, and they carry no inline script or style (strict CSP)."""

import re

import pytest
from django.db import connection
from django.template import loader
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from wardsafe import errors

from .factories import UserFactory

PAGES = ["400.html", "403.html", "403_csrf.html", "404.html", "500.html", "503.html"]


def refuse_every_query(execute, sql, params, many, context):
    raise AssertionError(f"an error page ran a query: {sql}")


@pytest.mark.parametrize("name", PAGES)
def test_each_error_page_renders_without_the_database_in_both_languages(name, db):
    texts = {}
    with connection.execute_wrapper(refuse_every_query):
        for language in ("ja", "en"):
            with translation.override(language):
                texts[language] = loader.render_to_string(name)
    assert texts["ja"] != texts["en"]
    assert '<html lang="ja">' in texts["ja"] and '<html lang="en">' in texts["en"]
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", texts["ja"]), "no Japanese on the Japanese page"
    for html in texts.values():
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
        assert not re.search(r"\sstyle=\"", html), "inline style attribute"
        assert 'href="/"' in html  # the way back to the start page


@pytest.mark.parametrize(
    ("handler", "status", "japanese"),
    [
        (errors.bad_request, 400, "読み取れません"),
        (errors.permission_denied, 403, "このアカウントではこの操作はできません"),
        (errors.page_not_found, 404, "所属していない病棟"),
        (errors.server_error, 500, "紙の用紙に記録"),
        (errors.csrf_failure, 403, "ページが古くなって"),
    ],
)
def test_the_error_handlers_answer_with_their_page_and_no_query(handler, status, japanese, db):
    request = RequestFactory().get("/somewhere/")
    with connection.execute_wrapper(refuse_every_query), translation.override("ja"):
        response = handler(request) if handler is errors.server_error else handler(request, None)
    assert response.status_code == status
    assert japanese in response.content.decode()


def test_a_page_that_does_not_exist_answers_the_404_page_in_japanese(client, nurse):
    client.force_login(nurse)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_another_wards_patient_is_a_404_that_explains_why(client, in_english, admission):
    stranger = UserFactory(username="elsewhere", role="nurse")
    client.force_login(stranger)
    response = client.get(reverse("checklists:admission_detail", args=[admission.pk]))
    assert response.status_code == 404
    assert "belongs to a ward you are not a member of" in response.content.decode()


def test_a_tick_without_the_role_gets_the_403_page(client, fall_checklist, ward):
    member = UserFactory(username="no-role")
    ward.staff.add(member)
    client.force_login(member)
    item = fall_checklist.version.items.first()
    response = client.post(reverse("checklists:item_record", args=[fall_checklist.pk, item.pk]), {"status": "done"})
    assert response.status_code == 403
    assert "このアカウントではこの操作はできません" in response.content.decode()


def test_a_form_posted_from_a_stale_page_says_nothing_was_saved(nurse, fall_checklist):
    client = Client(enforce_csrf_checks=True)
    client.force_login(nurse)
    item = fall_checklist.version.items.first()
    response = client.post(
        reverse("checklists:item_record", args=[fall_checklist.pk, item.pk]),
        {"status": "done"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 403
    assert response["X-WardSafe-Error"] == "stale-page"
    page = response.content.decode()
    assert "保存されていません" in page and "再読み込み" in page
    assert not fall_checklist.records.exists()
