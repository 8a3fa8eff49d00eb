"""The board's ETag: what a tab that polls the board sends back (If-None-Match) to hear "nothing
changed" (304) without the board being rendered.

A tag names everything the board's HTML depends on: the ward's change counter (every write that
changes the ward's pages bumps it, ``services.ward_changed``), the user, the language, the
filters, and the next moment the board changes by the clock alone (a new shift starts, critical
items turn amber or red): ``"<digest>.<valid until>"``. The digest is an HMAC of all of it, so a
tag cannot be made up; once its moment has passed, a tag no longer matches.

The conditional check (``board_unchanged``) runs one query, which also checks what the board
view checks (the ward is one of the user's, and the user's role reads ward pages): with the
session and the user that every request reads, a 304 costs three queries.
"""

from datetime import datetime, timedelta

from django.contrib.auth.models import Permission
from django.db.models import Exists, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from ..models import Ward, WardChangeCounter
from ..shifts import ShiftCalendar, ShiftSlot

SALT = "wardsafe.board-etag"
VIEW_WARD_PAGES = "view_ward_pages"


def ward_change_count(ward) -> int:
    """The ward's change counter now. A page reads it BEFORE what it shows: a write committed in
    between then makes the page newer than its tag (the next poll renders again), never older."""
    return WardChangeCounter.objects.filter(ward_id=ward.pk).values_list("count", flat=True).first() or 0


def next_change_by_the_clock(ward, slot: ShiftSlot, calendar: ShiftCalendar, now: datetime | None = None) -> datetime:
    """The next moment the board of ``slot`` changes without a write: the next shift starts (it
    becomes the current one), or the slot's critical items turn amber or red."""
    now = now or timezone.now()
    moments = [
        calendar.slot_after(slot).starts,
        slot.ends,
        slot.ends - timedelta(minutes=ward.overdue_warning_minutes),
        slot.ends - timedelta(minutes=ward.overdue_minutes),
    ]
    return min((moment for moment in moments if moment > now), default=slot.ends)


def _digest(*, ward_id: int, count: int, user_id: int, language: str, filters: str, until: int) -> str:
    value = f"{ward_id}|{count}|{user_id}|{language}|{filters}|{until}"
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()[:32]


def board_etag(*, ward, count: int, user, language: str, filters: str, until: datetime) -> str:
    """The quoted ETag of a board rendered from ``count`` (``ward_change_count``)."""
    seconds = int(until.timestamp())
    digest = _digest(ward_id=ward.pk, count=count, user_id=user.pk, language=language, filters=filters, until=seconds)
    return f'"{digest}.{seconds}"'


def _sent_tag(if_none_match: str | None) -> tuple[str, int] | None:
    """The (digest, valid until) of the tag the browser sent, if it is one of ours."""
    tag = (if_none_match or "").strip().removeprefix("W/").strip('"')
    digest, _, seconds = tag.partition(".")
    if not digest or not seconds.isdigit() or "," in tag:
        return None
    return digest, int(seconds)


def _readable_count(user, ward_id: int) -> int | None:
    """One query: the ward's change count if ``user`` may read its board (else None)."""
    wards = Ward.objects.filter(pk=ward_id)
    if not user.is_superuser:
        role = Permission.objects.filter(codename=VIEW_WARD_PAGES, content_type__app_label="checklists").filter(
            Q(user=user) | Q(group__user=user)
        )
        wards = wards.filter(staff=user).filter(Exists(role))
    found = list(wards.values_list("change_counter__count", flat=True)[:1])
    return (found[0] or 0) if found else None


def board_unchanged(*, user, ward_id: int, if_none_match: str | None, language: str, filters: str) -> str | None:
    """The board the browser holds (``If-None-Match``) is still what the board would show: its
    tag, for the 304 answer; else None (render the board). At most one query."""
    sent = _sent_tag(if_none_match)
    if sent is None or not user.is_active:
        return None
    digest, seconds = sent
    if seconds <= timezone.now().timestamp():
        return None  # the clock has changed the board since (a new shift, amber or red)
    count = _readable_count(user, ward_id)
    if count is None:
        return None  # not the user's ward, or no role: the view answers 404 or 403
    expected = _digest(ward_id=ward_id, count=count, user_id=user.pk, language=language, filters=filters, until=seconds)
    return f'"{digest}.{seconds}"' if constant_time_compare(digest, expected) else None
