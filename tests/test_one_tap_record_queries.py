"""The one tap (issue 14): a tick on the patient page runs a fixed, small number of queries, plain
and over htmx, and keeps every guarantee on the way: the audit row in the same transaction, a
replay of the same form (its token) makes no second record, a post based on a stale view asks
instead of recording, and the ward's change counter moves.

The counts below are inside the test's transaction, so the service's ``transaction.atomic`` is
a SAVEPOINT and its RELEASE (two queries that a real request does not send: there it is the
transaction itself)."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checklists.models import AuditEvent, CheckRecord, WardChangeCounter

from .factories import NurseFactory, UserFactory, WardFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}

# session, user, the access check (item + checklist + ward + role: one query), SAVEPOINT, the
# locked checklist, the ward's calendar (2), the replay and the standing record (one), the
# record, the ward's counter, the stay's change token (its board row), the audit row, RELEASE
PLAIN = 13
# session, user, the access check, the stay for the row (with its risk factors, checklists,
# items and item rules: 5), its placements and calendar (3, shared with the service), SAVEPOINT,
# the locked checklist, the replay and the standing record, the record, the counter, the stay's
# token, the audit row, RELEASE, the move chains, the slot's records, the stay's item details
HTMX_TICK = 22


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
    assert len(queries) == PLAIN - 4  # no record, no counter, no stay token, no audit row


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
