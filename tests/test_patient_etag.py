"""The patient page's conditional request (issue 14): the page carries an ETag made from the
stay's own change token and its ward's rows token (and the user, the language, page or fragment,
the next change by the clock); a tab that still holds the page gets 304 in at most three queries
(the session, the user, the tokens with the access check). A write on ward A changes the tags of
A's patients and not B's; a record on another patient of the ward leaves the tag, a transfer or
an admission on the ward changes it; a correction, an assessment and an assignment change it too."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from checklists import services
from checklists.forms import SlotForm
from checklists.models import ScaleVersion

from .conftest import tokyo
from .factories import ADULT_BIRTH_DATE, BedFactory, NurseFactory, UserFactory, WardFactory

pytestmark = pytest.mark.django_db
MFS = {
    "history-of-falling": "no",
    "secondary-diagnosis": "no",
    "ambulatory-aid": "none",
    "iv-therapy": "no",
    "gait": "normal",
    "mental-status": "oriented",
}


def page(admission):
    return reverse("checklists:admission_detail", args=[admission.pk])


def tag_of(client, admission):
    response = client.get(page(admission))
    assert response.status_code == 200
    return response["ETag"]


@pytest.fixture
def other_stay(content, nurse):
    ward = WardFactory(code="west-2", name="西2病棟")
    ward.staff.add(nurse)
    bed = BedFactory(ward=ward, code="201", position=1)
    return services.patient_admit(hospital_id="H200", name="佐藤 花子", birth_date=ADULT_BIRTH_DATE, bed=bed, by=nurse)


def first_item(checklist):
    return checklist.version.items.order_by("position").first()


def test_an_unchanged_patient_page_answers_304_in_three_queries(
    client, nurse, fall_checklist, frozen_clock, django_assert_max_num_queries
):
    client.force_login(nurse)
    tag = tag_of(client, fall_checklist.admission)
    with django_assert_max_num_queries(3):
        response = client.get(page(fall_checklist.admission), headers={"If-None-Match": tag})
    assert response.status_code == 304
    assert response["ETag"] == tag
    assert response.content == b""


def test_a_record_on_ward_a_changes_a_s_tag_and_not_b_s(client, nurse, fall_checklist, other_stay, frozen_clock):
    client.force_login(nurse)
    a, b = tag_of(client, fall_checklist.admission), tag_of(client, other_stay)
    services.item_record(checklist=fall_checklist, item=first_item(fall_checklist), status="done", by=nurse)
    assert tag_of(client, fall_checklist.admission) != a
    assert tag_of(client, other_stay) == b
    assert client.get(page(other_stay), headers={"If-None-Match": b}).status_code == 304
    assert client.get(page(fall_checklist.admission), headers={"If-None-Match": a}).status_code == 200


def test_a_colleague_s_record_on_another_patient_leaves_the_tag_and_a_ward_change_does_not(
    client, nurse, fall_checklist, beds, frozen_clock
):
    client.force_login(nurse)
    admission = fall_checklist.admission
    neighbour = services.patient_admit(
        hospital_id="H300",
        name="鈴木 一",
        birth_date=ADULT_BIRTH_DATE,
        bed=beds[1],
        by=nurse,
        at=tokyo(2026, 11, 21, 9),
    )
    theirs = services.checklist_start(admission=neighbour, template=fall_checklist.template, by=nurse)
    tag = tag_of(client, admission)
    services.item_record(checklist=theirs, item=first_item(theirs), status="done", by=nurse)
    assert client.get(page(admission), headers={"If-None-Match": tag}).status_code == 304
    services.admission_transfer(admission=neighbour, bed=beds[2], by=nurse)  # the ward's beds: every page
    assert client.get(page(admission), headers={"If-None-Match": tag}).status_code == 200


def test_a_correction_an_assessment_and_an_assignment_change_the_tag(client, nurse, fall_checklist, frozen_clock):
    client.force_login(nurse)
    admission = fall_checklist.admission
    record = services.item_record(checklist=fall_checklist, item=first_item(fall_checklist), status="done", by=nurse)
    before = tag_of(client, admission)
    services.record_correct(record=record, status="not_applicable", note="ベッド上安静", by=nurse)
    after_correction = tag_of(client, admission)
    assert after_correction != before
    version = ScaleVersion.objects.get(scale__code="morse-fall-scale", status="published")
    services.assessment_record(admission=admission, version=version, answers=MFS, by=nurse)
    after_assessment = tag_of(client, admission)
    assert after_assessment != after_correction
    slot = SlotForm(ward=admission.ward).slot
    services.care_assign(admission=admission, slot=slot, nurse=nurse, by=nurse)
    assert tag_of(client, admission) != after_assessment


def test_the_tag_depends_on_user_language_and_fragment(client, nurse, fall_checklist, frozen_clock):
    admission = fall_checklist.admission
    colleague = NurseFactory(username="nurse-c")
    admission.ward.staff.add(colleague)
    client.force_login(nurse)
    mine = tag_of(client, admission)
    assert client.get(page(admission), headers={"HX-Request": "true"})["ETag"] != mine
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert tag_of(client, admission) != mine
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    client.force_login(colleague)
    assert client.get(page(admission), headers={"If-None-Match": mine}).status_code == 200


def test_a_tag_never_opens_a_page_the_user_may_not_read(client, nurse, fall_checklist, frozen_clock):
    client.force_login(nurse)
    tag = tag_of(client, fall_checklist.admission)
    fall_checklist.admission.ward.staff.remove(nurse)
    assert client.get(page(fall_checklist.admission), headers={"If-None-Match": tag}).status_code == 404
    no_role = UserFactory(username="no-role")
    fall_checklist.admission.ward.staff.add(no_role)
    client.force_login(no_role)
    assert client.get(page(fall_checklist.admission), headers={"If-None-Match": tag}).status_code == 403


def test_the_pages_live_refresh_asks_with_the_tag_of_the_htmx_answer(client, nurse, fall_checklist, frozen_clock):
    """The patient page polls (issue 12): its poller carries the tag an htmx answer has, so an
    unchanged page answers the poll with 304; a colleague's record makes the poll a 200 whose
    round shows the record."""
    client.force_login(nurse)
    admission = fall_checklist.admission
    html = client.get(page(admission)).content.decode()
    [poll_tag] = re.findall(r'id="round-live"[^>]*data-etag="([^"]+)"', html, re.S)
    poll_tag = poll_tag.replace("&quot;", '"')
    htmx = {"HX-Request": "true", "X-WardSafe-Poll": "1"}
    assert client.get(page(admission), headers=htmx | {"If-None-Match": poll_tag}).status_code == 304
    colleague = NurseFactory()
    admission.ward.staff.add(colleague)
    item = first_item(fall_checklist)
    record = services.item_record(checklist=fall_checklist, item=item, status="done", by=colleague)
    response = client.get(page(admission), headers=htmx | {"If-None-Match": poll_tag})
    assert response.status_code == 200 and response["ETag"] != poll_tag
    assert f'data-record="{record.pk}"' in response.content.decode()
