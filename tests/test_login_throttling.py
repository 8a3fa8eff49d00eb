"""Login throttling that a stranger cannot turn against a nurse (issue 13, finding 4): behind the
TLS proxy the computer's address comes from the proxy's X-Forwarded-For entry; failures lock one
account on one computer; tries during a lockout do not extend it; many accounts tried from one
computer pause that computer; the lockout page says which happened and until when."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from wardsafe.logins import client_address

from .factories import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"
NURSES_PC = "10.1.4.21"
STRANGERS_PC = "10.9.9.66"


@pytest.fixture
def behind_one_proxy(settings):
    settings.WARDSAFE_TRUSTED_PROXY_COUNT = 1


def log_in(client, username, password, computer=None, forwarded=None):
    """A login through the proxy: REMOTE_ADDR is the proxy; it appends the computer's address."""
    chain = ", ".join(part for part in (forwarded, computer) if part)
    headers = {"X-Forwarded-For": chain} if chain else {}
    return client.post(reverse("login"), {"username": username, "password": password}, headers=headers)


def request_from(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "address"),
    [
        (0, None, PROXY),
        (0, "10.1.4.21", PROXY),  # no proxy configured: the header is anyone's to send
        (1, "10.1.4.21", NURSES_PC),
        (1, "10.1.4.21, 10.9.9.66", STRANGERS_PC),  # the browser's own entry is ignored
        (2, "10.9.9.66, 10.1.4.21, 192.168.0.5", NURSES_PC),  # the load balancer, then nginx
        (2, "10.1.4.21", PROXY),  # did not pass both proxies
        (1, "not-an-address", PROXY),
    ],
)
def test_the_computers_address_is_the_one_the_trusted_proxy_wrote(settings, proxies, forwarded, address):
    settings.WARDSAFE_TRUSTED_PROXY_COUNT = proxies
    assert client_address(request_from(PROXY, forwarded)) == address


def test_a_stranger_on_another_computer_cannot_lock_the_nurse_out(client, nurse, behind_one_proxy):
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        # The stranger even claims to be at the nurse's computer: the proxy's entry says otherwise.
        log_in(client, nurse.username, "guess", computer=STRANGERS_PC, forwarded=NURSES_PC)
    assert log_in(client, nurse.username, "guess", computer=STRANGERS_PC).status_code == 429
    assert log_in(client, nurse.username, PASSWORD, computer=NURSES_PC).status_code == 302


def test_tries_during_a_lockout_do_not_extend_it(client, nurse, behind_one_proxy):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, nurse.username, "wrong", computer=NURSES_PC)
    attempt = AccessAttempt.objects.get(username=nurse.username)
    locked_at = attempt.attempt_time - settings.AXES_COOLOFF_TIME + timedelta(minutes=1)  # 1 minute left
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=locked_at)
    for password in ("wrong", "again", PASSWORD):
        assert log_in(client, nurse.username, password, computer=NURSES_PC).status_code == 429
    attempt.refresh_from_db()
    assert (attempt.attempt_time, attempt.failures_since_start) == (locked_at, settings.AXES_FAILURE_LIMIT)
    # The cool-off ends as first announced, however many tries were made meanwhile.
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=locked_at - timedelta(minutes=2))
    assert log_in(client, nurse.username, PASSWORD, computer=NURSES_PC).status_code == 302


def test_the_lockout_page_says_the_account_is_locked_on_this_computer_only(client, nurse, behind_one_proxy):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, nurse.username, "wrong", computer=NURSES_PC)
    response = log_in(client, nurse.username, PASSWORD, computer=NURSES_PC)
    assert response.status_code == 429
    page = response.content.decode()
    assert 'data-lockout="account"' in page
    assert "このパソコンでは15分間ロック" in page and "別のパソコンでは" in page and "延長されません" in page


def test_many_accounts_tried_from_one_computer_pause_logins_there_only(client, nurse, behind_one_proxy, in_english):
    for n in range(settings.WARDSAFE_LOGIN_ADDRESS_FAILURE_LIMIT):
        log_in(client, f"someone-{n % 7}", "Summer2026!", computer=STRANGERS_PC)  # spraying one password
    response = log_in(client, nurse.username, PASSWORD, computer=STRANGERS_PC)
    assert response.status_code == 429
    page = response.content.decode()
    assert 'data-lockout="computer"' in page and "for several accounts" in page
    assert log_in(client, nurse.username, PASSWORD, computer=NURSES_PC).status_code == 302


def test_colleagues_mistyping_on_one_computer_do_not_pause_it(client, nurse, checklist_admin, behind_one_proxy):
    for n in range(settings.AXES_FAILURE_LIMIT * 2):
        log_in(client, f"colleague-{n % 4}", "typo", computer=NURSES_PC)
    assert log_in(client, nurse.username, PASSWORD, computer=NURSES_PC).status_code == 302
