"""Login throttling that a stranger cannot turn against a nurse (django-axes, set up in settings).

- The computer's address: behind the TLS proxy every request comes from the proxy, so the
  address is the one the trusted proxy wrote into X-Forwarded-For, never one the browser sent.
- Two limits: failures of one account from one computer (a nurse mistyping, or someone guessing
  her password there) lock that account on that computer only; she can still log in elsewhere.
  Failures from one computer over any accounts (one password tried on many) pause that computer.
- The lockout page says which of the two happened and until when.
"""

import ipaddress
from dataclasses import dataclass
from datetime import datetime

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q, Sum
from django.shortcuts import render


def client_address(request) -> str:
    """AXES_CLIENT_IP_CALLABLE. Each trusted proxy appends the address it was connected from to
    X-Forwarded-For; with N of them the computer's address is the N-th from the right. Whatever
    stands further left was sent by the browser and proves nothing. A request that did not pass
    through all of them (or with an entry that is no address) is judged by REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.WARDSAFE_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


@dataclass(frozen=True)
class RecentFailures:
    """Failed logins from one computer within the cool-off time."""

    account: int  # of the account being logged in to
    address: int  # of every account
    account_last: datetime | None
    address_last: datetime | None


class LoginAttemptHandler(AxesDatabaseHandler):
    """django-axes' database handler with a second limit, per address (axes compares one count
    with one limit, so the per-address limit is reported as the per-account limit reached).

    AXES_LOCKOUT_PARAMETERS stays [["username", "ip_address"]], so a successful login clears the
    nurse's own failures there and not the other accounts' failures from that computer."""

    def recent_failures(self, request, credentials=None) -> RecentFailures:
        recent = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
        )
        mine = Q(username=get_client_username(request, credentials))
        counts = recent.aggregate(
            account=Sum("failures_since_start", filter=mine, default=0),
            address=Sum("failures_since_start", default=0),
            account_last=Max("attempt_time", filter=mine),
            address_last=Max("attempt_time"),
        )
        return RecentFailures(**counts)

    def get_failures(self, request, credentials=None) -> int:
        failures = self.recent_failures(request, credentials)
        if failures.address >= settings.WARDSAFE_LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(failures.account, get_failure_limit(request, credentials))
        return failures.account


def lockout_response(request, response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the lockout page, saying whether the account is locked on this
    computer or the computer is paused for every account, and until when."""
    failures = LoginAttemptHandler().recent_failures(request, credentials)
    account_locked = failures.account >= get_failure_limit(request, credentials)
    last = failures.account_last if account_locked else failures.address_last
    context = {
        "account_locked": account_locked,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "until": last + settings.AXES_COOLOFF_TIME if last else None,
    }
    return render(request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
