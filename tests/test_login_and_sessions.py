"""Logging in and out on shared ward PCs: throttled failures, idle expiry, one-tap logout."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from checklists import roles
from checklists.middleware import IdleSessionMiddleware

from .factories import PASSWORD

pytestmark = pytest.mark.django_db


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_nurse_logs_in_with_the_form_and_lands_on_her_ward(client, content, nurse, ward):
    response = log_in(client, nurse.username, PASSWORD)
    assert response.status_code == 302
    assert client.get(response.url).url == reverse("checklists:ward_board", args=[ward.pk])


def test_a_wrong_password_is_explained_in_japanese(client, nurse):
    response = log_in(client, nurse.username, "wrong")
    assert response.status_code == 200
    assert "正しいユーザー名とパスワードを入力してください" in response.content.decode()


def test_repeated_failures_lock_the_account_with_a_clear_message(client, nurse):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, nurse.username, "wrong")
    response = log_in(client, nurse.username, PASSWORD)  # even the right password, while locked
    assert response.status_code == 429
    page = response.content.decode()
    assert "15" in page and "ログイン" in page
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_per_account_so_colleagues_on_the_same_pc_can_still_log_in(client, nurse, checklist_admin):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, nurse.username, "wrong")
    assert log_in(client, checklist_admin.username, PASSWORD).status_code == 302


def test_a_session_ends_after_thirty_idle_minutes_and_each_request_restarts_them(
    client, content, nurse, ward, monkeypatch
):
    log_in(client, nurse.username, PASSWORD)
    board = reverse("checklists:ward_board", args=[ward.pk])
    logged_in_at, logged_in_clock = timezone.now(), time.time()

    def idle_until(minutes):
        """A request at ``minutes`` after the login."""
        monkeypatch.setattr(timezone, "now", lambda: logged_in_at + timedelta(minutes=minutes))
        monkeypatch.setattr(time, "time", lambda: logged_in_clock + minutes * 60)
        return client.get(board)

    assert idle_until(29).status_code == 200
    assert idle_until(58).status_code == 200  # 29 minutes after the last request, not after the login
    response = idle_until(89)  # 31 minutes after the last request
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_activity_pushes_the_expiry_forward_at_most_once_a_minute(client, content, nurse, ward, monkeypatch):
    log_in(client, nurse.username, PASSWORD)
    seen = client.session[IdleSessionMiddleware.SEEN_KEY]
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 30)
    client.get(reverse("checklists:ward_board", args=[ward.pk]))
    assert client.session[IdleSessionMiddleware.SEEN_KEY] == seen
    monkeypatch.setattr(time, "time", lambda: now + 90)
    client.get(reverse("checklists:ward_board", args=[ward.pk]))
    assert client.session[IdleSessionMiddleware.SEEN_KEY] == int(now + 90)


def test_logout_is_one_tap_from_every_page(every_url_requested):
    """Every page of WardSafe itself (the admin has its own logout) that the walk of
    tests/query_budgets.py fetched whole, for whichever role may open it."""
    logout = f'action="{reverse("logout")}"'
    pages = [
        (name, request)
        for name, visit in every_url_requested.items()
        if name.startswith("checklists:") and (request := visit.get) and request.status == 200 and request.html
    ]
    assert len(pages) > 30
    assert [name for name, request in pages if logout not in request.html] == []


def test_logging_out_ends_the_session(client, content, nurse, ward):
    client.force_login(nurse)
    client.post(reverse("logout"))
    assert client.get(reverse("checklists:ward_board", args=[ward.pk])).status_code == 302


def test_without_shift_definitions_the_board_explains_instead_of_failing(client, nurse, ward):
    client.force_login(nurse)
    response = client.get(reverse("checklists:ward_board", args=[ward.pk]))
    assert response.status_code == 503
    assert "勤務帯が登録されていません" in response.content.decode()


def test_without_shift_definitions_an_admin_is_sent_to_the_shift_editor(client, checklist_admin, ward):
    # Reading a ward takes a ward role: this educator also works as a nurse on the ward.
    checklist_admin.groups.add(Group.objects.get(name=roles.NURSE))
    ward.staff.add(checklist_admin)
    client.force_login(checklist_admin)
    page = client.get(reverse("checklists:ward_board", args=[ward.pk])).content.decode()
    assert reverse("checklists:shift_list") in page
