"""The board's conditional request: every write that changes a ward's pages bumps that ward's
change counter in its own transaction; the board carries an ETag made from it (and from the
user, the language, the filters and the next shift), and a tab that still holds the board gets
304 in at most three queries (the session, the user, the ward's counter)."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from checklists import services
from checklists.forms import SlotForm
from checklists.models import ChecklistTemplate, ScaleVersion, WardChangeCounter

from .conftest import tokyo
from .factories import ADULT_BIRTH_DATE, BedFactory, LeaderFactory, NurseFactory, UserFactory, WardFactory

pytestmark = pytest.mark.django_db

POLL = {"HX-Request": "true", "X-WardSafe-Poll": "1"}


@pytest.fixture
def other_ward(content):
    ward = WardFactory(code="west-2", name="西2病棟")
    BedFactory(ward=ward, code="201", position=1)
    return ward


def board_url(ward, **query):
    url = reverse("checklists:ward_board", args=[ward.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def tag_of(client, ward, **query):
    response = client.get(board_url(ward, **query), headers=POLL)
    assert response.status_code == 200
    return response["ETag"]


def count(ward) -> int:
    return WardChangeCounter.objects.filter(ward=ward).values_list("count", flat=True).first() or 0


def test_an_unchanged_board_answers_304_in_three_queries(
    client, nurse, fall_checklist, frozen_clock, django_assert_num_queries
):
    client.force_login(nurse)
    tag = tag_of(client, fall_checklist.admission.ward)
    with django_assert_num_queries(3):  # the session, the user, the ward's counter (and the role)
        response = client.get(board_url(fall_checklist.admission.ward), headers={**POLL, "If-None-Match": tag})
    assert response.status_code == 304
    assert response["ETag"] == tag
    assert response.content == b""


def test_a_record_on_ward_a_changes_a_s_tag_and_not_b_s(client, nurse, fall_checklist, other_ward, frozen_clock):
    other_ward.staff.add(nurse)
    client.force_login(nurse)
    ward = fall_checklist.admission.ward
    a, b = tag_of(client, ward), tag_of(client, other_ward)
    item = fall_checklist.version.items.order_by("position").first()
    services.item_record(checklist=fall_checklist, item=item, status="done", by=nurse, at=frozen_clock)
    assert tag_of(client, ward) != a
    assert tag_of(client, other_ward) == b
    assert client.get(board_url(other_ward), headers={**POLL, "If-None-Match": b}).status_code == 304
    assert client.get(board_url(ward), headers={**POLL, "If-None-Match": a}).status_code == 200


def test_a_correction_and_an_assignment_change_the_tag(client, nurse, fall_checklist, frozen_clock):
    client.force_login(nurse)
    ward = fall_checklist.admission.ward
    item = fall_checklist.version.items.order_by("position").first()
    record = services.item_record(checklist=fall_checklist, item=item, status="done", by=nurse, at=frozen_clock)
    before = tag_of(client, ward)
    services.record_correct(record=record, status="not_applicable", note="ベッド上安静", by=nurse)
    after_correction = tag_of(client, ward)
    assert after_correction != before
    services.care_assign(admission=fall_checklist.admission, slot=_current_slot(ward), nurse=nurse, by=nurse)
    assert tag_of(client, ward) != after_correction


def _current_slot(ward):
    return SlotForm(ward=ward).slot


def test_every_kind_of_write_counts_on_its_own_ward(nurse, fall_checklist, other_ward, factors, frozen_clock):
    ward, admission = fall_checklist.admission.ward, fall_checklist.admission
    seen = count(ward)

    def bumped():
        nonlocal seen
        now = count(ward)
        changed, seen = now > seen, now
        return changed

    services.admission_risk_factor_note(admission=admission, risk_factor=factors["restlessness"], by=nurse)
    assert bumped()
    delirium = ChecklistTemplate.objects.get(code="delirium")
    started = services.checklist_start(admission=admission, template=delirium, by=nurse)
    assert bumped()
    services.checklist_stop(checklist=started, by=nurse, reason="test")
    assert bumped()
    slot = _current_slot(ward)
    services.handover_note_write(admission=admission, slot=slot, text="夜間せん妄あり", by=nurse)
    assert bumped()
    services.handover_acknowledge(admission=admission, slot=slot, by=nurse)
    assert bumped()
    other_bed = other_ward.beds.get()
    b_before = count(other_ward)
    services.admission_transfer(admission=admission, bed=other_bed, by=nurse)
    assert bumped()  # the ward the patient left
    assert count(other_ward) == b_before + 1  # and the ward the patient came to
    services.admission_discharge(admission=admission, by=nurse)
    assert count(other_ward) > b_before + 1  # (its checklist stopped too)
    assert count(ward) == seen  # the discharge was on the other ward


def test_a_failed_write_does_not_count(nurse, fall_checklist, frozen_clock):
    ward = fall_checklist.admission.ward
    before = count(ward)
    item = fall_checklist.version.items.order_by("position").first()
    with pytest.raises(services.ValidationError):
        services.item_record(checklist=fall_checklist, item=item, status="not_done", note="", by=nurse)
    assert count(ward) == before


def test_the_tag_depends_on_user_language_filters_and_shift(client, nurse, fall_checklist, monkeypatch):
    now = [tokyo(2026, 11, 21, 10, 0)]
    monkeypatch.setattr(timezone, "now", lambda: now[0])
    ward = fall_checklist.admission.ward
    colleague = NurseFactory(username="nurse-c")
    ward.staff.add(colleague)
    client.force_login(nurse)
    mine = tag_of(client, ward)
    assert tag_of(client, ward, critical="on") != mine
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert tag_of(client, ward) != mine
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    client.force_login(colleague)
    assert tag_of(client, ward) != mine
    client.force_login(nurse)
    assert tag_of(client, ward) == mine
    # Amber from two hours before the day shift ends (17:00; 準夜 takes over at 16:30): a new tag.
    now[0] = tokyo(2026, 11, 21, 14, 59)
    client.force_login(nurse)  # (the session would have ended by its idle time)
    assert client.get(board_url(ward), headers={**POLL, "If-None-Match": mine}).status_code == 304
    now[0] = tokyo(2026, 11, 21, 15, 1)
    client.force_login(nurse)
    assert client.get(board_url(ward), headers={**POLL, "If-None-Match": mine}).status_code == 200
    warned = tag_of(client, ward)
    now[0] = tokyo(2026, 11, 21, 16, 31)  # the evening shift has started
    client.force_login(nurse)
    assert client.get(board_url(ward), headers={**POLL, "If-None-Match": warned}).status_code == 200


def test_a_tag_is_not_honoured_for_someone_who_may_not_read_the_ward(client, nurse, fall_checklist, frozen_clock):
    ward = fall_checklist.admission.ward
    client.force_login(nurse)
    tag = tag_of(client, ward)
    ward.staff.remove(nurse)
    assert client.get(board_url(ward), headers={**POLL, "If-None-Match": tag}).status_code == 404
    no_role = UserFactory(username="no-role")
    ward.staff.add(no_role)
    client.force_login(no_role)
    assert client.get(board_url(ward), headers={**POLL, "If-None-Match": tag}).status_code == 403


def test_a_made_up_or_malformed_tag_renders_the_board(client, nurse, fall_checklist, frozen_clock):
    client.force_login(nurse)
    ward = fall_checklist.admission.ward
    for sent in ['"abc.99999999999"', "*", "garbage", '"."', 'W/"x.1", "y.2"']:
        assert client.get(board_url(ward), headers={**POLL, "If-None-Match": sent}).status_code == 200


def test_the_304_check_runs_the_same_few_queries_for_a_leader_and_a_superuser(
    client, fall_checklist, frozen_clock, django_assert_max_num_queries
):
    ward = fall_checklist.admission.ward
    leader = LeaderFactory(username="leader-x")
    ward.staff.add(leader)
    root = UserFactory(username="root", is_superuser=True)
    for user in (leader, root):
        client.force_login(user)
        tag = tag_of(client, ward)
        with django_assert_max_num_queries(3):
            assert client.get(board_url(ward), headers={**POLL, "If-None-Match": tag}).status_code == 304


def test_the_board_query_count_is_the_same_for_2_and_40_patients(client, content, frozen_clock):
    fall = ChecklistTemplate.objects.get(code="fall")
    counts = []
    for size in (2, 40):
        ward = WardFactory(code=f"size-{size}", name=f"病棟{size}")
        nurse = NurseFactory(username=f"n{size}")
        ward.staff.add(nurse)
        for n in range(size):
            bed = BedFactory(ward=ward, code=f"{n + 1:03d}", position=n)
            admission = services.patient_admit(
                hospital_id=f"H{size}{n:03d}",
                name=f"患者 {size}-{n}",
                birth_date=ADULT_BIRTH_DATE,
                bed=bed,
                risk_factors=[],
                by=nurse,
                at=tokyo(2026, 11, 20, 9, 0),
            )
            services.checklist_start(admission=admission, template=fall, by=nurse, at=tokyo(2026, 11, 20, 9, 5))
            services.care_assign(admission=admission, slot=_current_slot(ward), nurse=nurse, by=nurse)
        client.force_login(nurse)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(board_url(ward)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_assessment_and_a_changed_condition_change_the_tag(client, nurse, fall_checklist, frozen_clock):
    client.force_login(nurse)
    ward, admission = fall_checklist.admission.ward, fall_checklist.admission
    before = tag_of(client, ward)
    version = ScaleVersion.objects.get(scale__code="morse-fall-scale", status="published")
    answers = {
        "history-of-falling": "yes",
        "secondary-diagnosis": "no",
        "ambulatory-aid": "none",
        "iv-therapy": "no",
        "gait": "normal",
        "mental-status": "oriented",
    }
    services.assessment_record(admission=admission, version=version, answers=answers, by=nurse)
    after_assessment = tag_of(client, ward)
    assert after_assessment != before
    services.condition_change_note(admission=admission, by=nurse, note="意識レベル低下")
    assert tag_of(client, ward) != after_assessment
