"""Logging in and out on shared ward PCs: throttled failures, idle expiry, one-tap logout."""

import pytest
from django.conf import settings
from django.urls import reverse

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


def test_a_session_ends_after_thirty_idle_minutes(client, nurse):
    log_in(client, nurse.username, PASSWORD)
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert client.session.get_expiry_age() == 30 * 60


def test_activity_pushes_the_expiry_forward_at_most_once_a_minute(client, content, nurse, ward, monkeypatch):
    import time as time_module

    log_in(client, nurse.username, PASSWORD)
    seen = client.session[IdleSessionMiddleware.SEEN_KEY]
    now = time_module.time()
    monkeypatch.setattr(time_module, "time", lambda: now + 30)
    client.get(reverse("checklists:ward_board", args=[ward.pk]))
    assert client.session[IdleSessionMiddleware.SEEN_KEY] == seen
    monkeypatch.setattr(time_module, "time", lambda: now + 90)
    client.get(reverse("checklists:ward_board", args=[ward.pk]))
    assert client.session[IdleSessionMiddleware.SEEN_KEY] == int(now + 90)


def test_logout_is_one_tap_from_every_page(client, content, nurse, ward):
    client.force_login(nurse)
    page = client.get(reverse("checklists:ward_board", args=[ward.pk])).content.decode()
    assert f'action="{reverse("logout")}"' in page
    client.post(reverse("logout"))
    assert client.get(reverse("checklists:ward_board", args=[ward.pk])).status_code == 302


def test_without_shift_definitions_the_board_explains_instead_of_failing(client, nurse, ward):
    client.force_login(nurse)
    response = client.get(reverse("checklists:ward_board", args=[ward.pk]))
    assert response.status_code == 503
    assert "勤務帯が登録されていません" in response.content.decode()


def test_without_shift_definitions_an_admin_is_sent_to_the_shift_editor(client, checklist_admin, ward):
    ward.staff.add(checklist_admin)
    client.force_login(checklist_admin)
    page = client.get(reverse("checklists:ward_board", args=[ward.pk])).content.decode()
    assert reverse("checklists:shift_list") in page
