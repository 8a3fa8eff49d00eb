"""The one tap (issue 14): a tick on the patient page runs a fixed, small number of queries, plain
and over htmx, and keeps every guarantee on the way: the access check, the audit row in the same
transaction, a replay of the same form (its token) makes no second record, a post based on a
stale view asks instead of recording, and the ward's change counter moves.

The tap's own work is 8 queries once the ward's calendar is in the cache (any board or earlier
tap of the ward puts it there): session, user, the checklist locked with its item and the access
check, the ward's counter (UPDATE … RETURNING the rows token, the calendar's key), the replay and
the standing record, the record, the stay's change token, the audit row. The counts of the whole
request below are inside the test's transaction, so the service's ``transaction.atomic`` adds a
SAVEPOINT and its RELEASE that a real request does not send (there it is the transaction itself,
whose BEGIN is SQLite's only)."""

import uuid
from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checklists import services
from checklists.models import AuditEvent, CheckRecord, WardChangeCounter
from checklists.services.shift_patterns import ShiftSpec

from .conftest import tokyo
from .factories import NurseFactory, UserFactory, WardFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}

TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN", "COMMIT")
WORK = [  # the tap's own queries, warm, in order
    'SELECT "django_session"',
    'SELECT "auth_user"',
    'SELECT "checklists_patientchecklist"',  # … FOR UPDATE on PostgreSQL, with the item and the access check
    'UPDATE "checklists_wardchangecounter"',  # … RETURNING the rows token
    'SELECT "checklists_checkrecord"',  # the replay or the standing record
    'INSERT INTO "checklists_checkrecord"',
    'UPDATE "checklists_staychange"',
    'INSERT INTO "checklists_auditevent"',
]
# In the test's transaction, the service's SAVEPOINT and RELEASE; with the cache empty the
# ward's calendar (2) is read too.
PLAIN_WARM = len(WORK) + 2
PLAIN = PLAIN_WARM + 2
# The same, then the row: the stay (with its risk factors, checklists, items and item rules: 5),
# its placements with their wards' rows tokens (the calendar from the cache, where the tap put
# it), the move chains, the slot's records, the stay's item details.
HTMX_TICK = PLAIN + 9


def work_of(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)]


def tap(client, checklist, item, *, headers=None, token=None, seen=0):
    url = reverse("checklists:item_record", args=[checklist.pk, item.pk])
    query = f"?token={token or uuid.uuid4()}&seen={seen}"
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url + query, {"status": "done"}, headers=headers or {})
    return response, queries


@pytest.fixture
def items(fall_checklist):
    return list(fall_checklist.version.items.order_by("position"))


def counter(ward) -> int:
    return WardChangeCounter.objects.filter(ward=ward).values_list("count", flat=True).first() or 0


def test_a_plain_tap_runs_its_queries_and_writes_the_record_the_audit_row_and_the_counter(
    client, nurse, fall_checklist, items, frozen_clock
):
    client.force_login(nurse)
    before = counter(fall_checklist.admission.ward)
    response, queries = tap(client, fall_checklist, items[0])
    assert response.status_code == 302
    assert len(queries) == PLAIN, "\n".join(q["sql"][:120] for q in queries.captured_queries)
    record = CheckRecord.objects.get(checklist=fall_checklist, item=items[0])
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CHECK_RECORDED, object_id=str(record.pk)).count() == 1
    assert counter(fall_checklist.admission.ward) == before + 1
    # One query reads the shift calendar's patterns: not twice.
    assert sum('FROM "checklists_shiftdefinition"' in q["sql"] for q in queries.captured_queries) == 1


def test_with_the_wards_calendar_in_the_cache_a_tap_is_eight_queries_of_work(
    client, nurse, fall_checklist, items, frozen_clock
):
    client.force_login(nurse)
    client.get(reverse("checklists:ward_board", args=[fall_checklist.admission.ward_id]))  # keeps the calendar
    response, queries = tap(client, fall_checklist, items[0])
    assert response.status_code == 302
    assert len(queries) == PLAIN_WARM
    work = work_of(queries)
    assert [next((kind for kind in WORK if sql.startswith(kind)), sql[:60]) for sql in work] == WORK
    assert "RETURNING" in work[3]
    _response, queries = tap(client, fall_checklist, items[1])  # the tap before keeps it too
    assert len(work_of(queries)) == len(WORK) == 8
    # An item due every shift, the most common tap: its slot is counted when the shift ends
    # (services.item_slot_record), so the same 8.
    every_shift = next(item for item in items if item.frequency == "every_shift")
    _response, queries = tap(client, fall_checklist, every_shift)
    assert len(work_of(queries)) == 8, "\n".join(work_of(queries))
    assert CheckRecord.objects.filter(checklist=fall_checklist).count() == 3


def test_a_tap_after_the_ward_changed_its_shift_pattern_records_in_the_new_patterns_shift(
    client, clock, content, fall_checklist, nurse, checklist_admin
):
    """The calendar in the cache is keyed by the ward's rows token, which the pattern change renews."""
    item = (
        fall_checklist.version.items.filter(frequency="every_shift", factor_rules__isnull=True)
        .order_by("position")
        .first()
    )
    client.force_login(nurse)
    tap(client, fall_checklist, item)  # 2026-12-01 10:00: the day shift; the calendar is kept
    assert CheckRecord.objects.get().shift.code == "day"
    two_shifts = services.shift_pattern_create(
        code="two-shift-from-tomorrow",
        name_ja="二交代",
        shifts=[
            ShiftSpec("day2", "日勤", starts_at=time(8, 30), ends_at=time(21, 0)),
            ShiftSpec("night2", "夜勤", starts_at=time(20, 30), ends_at=time(9, 0), is_night=True),
        ],
        by=checklist_admin,
    )
    ward = fall_checklist.admission.ward
    services.ward_shift_pattern_set(ward=ward, pattern=two_shifts, effective_from=date(2026, 12, 2), by=checklist_admin)
    clock.now = tokyo(2026, 12, 2, 19, 0)  # 準夜 on the old pattern, 日勤 on the new one
    client.force_login(nurse)  # the next day's session
    response, _queries = tap(client, fall_checklist, item, headers=HTMX)
    assert response.status_code == 200, response.content.decode()
    latest = CheckRecord.objects.order_by("-recorded_at").first()
    assert (latest.shift.code, latest.duty_date) == ("day2", date(2026, 12, 2))


def test_an_htmx_tap_reads_the_calendar_once_and_answers_the_row(client, nurse, fall_checklist, items, frozen_clock):
    client.force_login(nurse)
    response, queries = tap(client, fall_checklist, items[1], headers=HTMX)
    assert response.status_code == 200
    assert f'id="item-{fall_checklist.pk}-{items[1].pk}"' in response.content.decode()
    assert len(queries) == HTMX_TICK, "\n".join(q["sql"][:120] for q in queries.captured_queries)
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum('FROM "checklists_shiftdefinition"' in q for q in sql) == 1
    assert sum('FROM "checklists_placement"' in q for q in sql) == 1
    # The role was checked in the access query: the user's permissions are not loaded for the row.
    assert not any(q.startswith('SELECT "django_content_type"."app_label"') for q in sql)


def test_the_same_form_posted_again_makes_no_second_record(client, nurse, fall_checklist, items, frozen_clock):
    client.force_login(nurse)
    token = uuid.uuid4()
    tap(client, fall_checklist, items[0], token=token)
    response, queries = tap(client, fall_checklist, items[0], token=token)
    assert response.status_code == 302
    assert CheckRecord.objects.filter(checklist=fall_checklist, item=items[0]).count() == 1
    # No record, no stay token, no audit row; the counter was counted before the replay was found
    # (its rows token keys the calendar), which redraws no row; the calendar now comes from the cache.
    assert len(queries) == PLAIN_WARM - 3


def test_a_token_of_another_item_is_refused(client, nurse, fall_checklist, items, frozen_clock):
    client.force_login(nurse)
    token = uuid.uuid4()
    tap(client, fall_checklist, items[0], token=token)
    response, _queries = tap(client, fall_checklist, items[1], token=token, headers=HTMX)
    assert CheckRecord.objects.filter(checklist=fall_checklist, item=items[1]).count() == 0
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#record-dialog"


def test_a_post_from_a_stale_view_asks_instead_of_recording(client, nurse, fall_checklist, items, frozen_clock):
    colleague = NurseFactory(username="nurse-b")
    fall_checklist.admission.ward.staff.add(colleague)
    client.force_login(colleague)
    tap(client, fall_checklist, items[0])  # the colleague's tap; this nurse's tab still shows none
    client.force_login(nurse)
    response, _queries = tap(client, fall_checklist, items[0], headers=HTMX, seen=0)
    assert response["HX-Retarget"] == "#record-dialog"
    assert CheckRecord.objects.filter(checklist=fall_checklist, item=items[0]).count() == 1


def test_a_nurse_of_another_ward_gets_404_and_a_user_without_role_403(client, fall_checklist, items, frozen_clock):
    stranger = NurseFactory(username="nurse-west")
    WardFactory(code="west-9").staff.add(stranger)
    client.force_login(stranger)
    assert tap(client, fall_checklist, items[0])[0].status_code == 404
    no_role = UserFactory(username="no-role")
    fall_checklist.admission.ward.staff.add(no_role)
    client.force_login(no_role)
    assert tap(client, fall_checklist, items[0])[0].status_code == 403
    assert not CheckRecord.objects.exists()
