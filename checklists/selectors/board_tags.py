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

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from ..models import Admission, StayChange, Ward, WardChangeCounter
from ..shifts import ShiftCalendar, ShiftSlot
from .record_access import role_grants

SALT = "wardsafe.board-etag"
VIEW_WARD_PAGES = "view_ward_pages"


def ward_changes(ward) -> tuple[int, str]:
    """The ward's change count and rows token now (``WardChangeCounter.rows_token``), read BEFORE
    anything the board shows: a write committed in between makes the page newer than its tag and
    its rows newer than their keys (the next request draws them again), never older. One query."""
    found = WardChangeCounter.objects.filter(ward_id=ward.pk).values_list("count", "rows_token").first()
    return (found[0], found[1].hex) if found else (0, "")


def stay_tokens(admissions) -> dict[int, str]:
    """Each stay's change token now (``StayChange``; absent: the stay has not changed since it
    began), read BEFORE anything its board row shows. One query."""
    rows = StayChange.objects.filter(admission__in=[admission.pk for admission in admissions])
    return {admission_id: token.hex for admission_id, token in rows.values_list("admission_id", "token")}


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


def _digest(*, ward_id: int, count: int | str, user_id: int, language: str, filters: str, until: int) -> str:
    value = f"{ward_id}|{count}|{user_id}|{language}|{filters}|{until}"
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()[:32]


def board_etag(*, ward, count: int, user, language: str, filters: str, until: datetime) -> str:
    """The quoted ETag of a board rendered from ``count`` (``ward_changes``)."""
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
        wards = wards.filter(staff=user).filter(role_grants(user, VIEW_WARD_PAGES))
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


# --- the patient page: a tag from the stay's own changes and the ward's ------------------------

# The stay's version: the ward's rows token (a transfer, an admission, the ward's settings) and the
# stay's own token (its records, assessments, nurse ...): a colleague's tick on another patient of
# the ward leaves this page's tag as it was.
STAY_VERSION = ("ward_id", "ward__change_counter__rows_token", "change__token")


def _stay_version(ward_token, stay_token) -> str:
    return f"{ward_token.hex if ward_token else ''}.{stay_token.hex if stay_token else ''}"


def stay_change_count(admission_id: int) -> tuple[int, str] | None:
    """(ward id, the stay's version) now, read BEFORE what the patient page shows (as
    ``ward_changes``); None if there is no such stay. One query."""
    found = list(Admission.objects.filter(pk=admission_id).values_list(*STAY_VERSION)[:1])
    return (found[0][0], _stay_version(*found[0][1:])) if found else None


def patient_page_until(ward, slot: ShiftSlot, calendar, now: datetime | None = None) -> datetime:
    """The next moment the patient page changes without a write: as the board's, or the next
    local midnight (a new day: the assessments due within days of admission)."""
    now = now or timezone.now()
    midnight = datetime.combine(
        timezone.localdate(now) + timedelta(days=1), time(), tzinfo=timezone.get_current_timezone()
    )
    return min(next_change_by_the_clock(ward, slot, calendar, now), midnight)


def _patient_key(admission_id: int, fragment: str) -> str:
    return f"patient:{admission_id}|{fragment}"


def patient_etag(*, admission_id: int, ward_id: int, count: str, user, language: str, fragment: str, until) -> str:
    """The quoted ETag of a patient page rendered from the stay's version ``count`` on ward
    ``ward_id`` (``stay_change_count``); ``fragment``: "page", or what an htmx request was answered with."""
    seconds = int(until.timestamp())
    key = _patient_key(admission_id, fragment)
    digest = _digest(ward_id=ward_id, count=count, user_id=user.pk, language=language, filters=key, until=seconds)
    return f'"{digest}.{seconds}"'


def patient_unchanged(
    *, user, admission_id: int, if_none_match: str | None, language: str, fragment: str
) -> str | None:
    """The patient page the browser holds is still what the page would show: its tag, for the
    304 answer; else None (render the page). At most one query, which also checks what the page
    checks (the stay is on one of the user's wards, and the user's role reads ward pages)."""
    sent = _sent_tag(if_none_match)
    if sent is None or not user.is_active:
        return None
    digest, seconds = sent
    if seconds <= timezone.now().timestamp():
        return None
    stays = Admission.objects.filter(pk=admission_id)
    if not user.is_superuser:
        stays = stays.filter(ward__staff=user).filter(role_grants(user, VIEW_WARD_PAGES))
    found = list(stays.values_list(*STAY_VERSION)[:1])
    if not found:
        return None  # not the user's patient, or no role: the view answers 404 or 403
    ward_id, count = found[0][0], _stay_version(*found[0][1:])
    key = _patient_key(admission_id, fragment)
    expected = _digest(ward_id=ward_id, count=count, user_id=user.pk, language=language, filters=key, until=seconds)
    return f'"{digest}.{seconds}"' if constant_time_compare(digest, expected) else None
