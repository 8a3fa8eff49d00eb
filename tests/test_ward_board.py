"""The ward board: beds in order, empty beds, progress per checklist, open critical
items, what the previous shift left, the current shift — in a fixed number of queries."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checklists import services
from checklists.models import ChecklistTemplate

from .conftest import tokyo
from .factories import ADULT_BIRTH_DATE, BedFactory, LeaderFactory, NurseFactory, WardFactory

pytestmark = pytest.mark.django_db


def board(client, ward):
    return client.get(reverse("checklists:ward_board", args=[ward.pk]))


def test_home_opens_the_board_of_the_nurses_ward(client, nurse, ward):
    client.force_login(nurse)
    response = client.get(reverse("checklists:home"))
    assert response.url == reverse("checklists:ward_board", args=[ward.pk])


def test_a_nurse_without_a_ward_is_told_so(client, db):
    client.force_login(NurseFactory())
    assert "病棟" in client.get(reverse("checklists:home")).content.decode()


def test_a_checklist_admin_without_a_ward_lands_on_the_editor(client, checklist_admin):
    client.force_login(checklist_admin)
    assert client.get(reverse("checklists:home")).url == reverse("checklists:template_list")


def test_the_board_shows_beds_in_order_with_empty_beds(client, nurse, fall_checklist, frozen_clock):
    client.force_login(nurse)
    page = board(client, fall_checklist.admission.ward).content.decode()
    positions = [page.index(f'data-bed="{code}"') for code in ["401", "402", "403", "404"]]
    assert positions == sorted(positions)
    assert "山田 太郎" in page
    assert page.count('class="empty-bed"') == 3


def test_the_board_shows_the_shift_and_progress(client, nurse, fall_checklist, frozen_clock):
    items = list(fall_checklist.version.items.unconditional().filter(frequency="every_shift"))
    services.item_record(checklist=fall_checklist, item=items[0], status="done", by=nurse, at=frozen_clock)
    client.force_login(nurse)
    page = board(client, fall_checklist.admission.ward).content.decode()
    assert "2026年11月21日 日勤" in page
    applicable = fall_checklist.version.items.exclude(frequency="as_needed").unconditional()
    applicable = applicable.count() + 1  # the call bell, from age 6 (the patient is an adult)
    assert f"転倒予防 1/{applicable}" in page


def test_the_board_flags_what_the_previous_shift_left_undone(client, nurse, fall_checklist, frozen_clock):
    items = list(fall_checklist.version.items.unconditional().filter(frequency="every_shift"))
    night = tokyo(2026, 11, 21, 3, 0)
    services.item_record(checklist=fall_checklist, item=items[0], status="done", by=nurse, at=night)
    services.item_record(checklist=fall_checklist, item=items[1], status="not_done", note="入眠中", by=nurse, at=night)
    client.force_login(nurse)
    response = board(client, fall_checklist.admission.ward)
    left = [state.item for state in response.context["board"].rows[0].patient_shift.left_by_previous_shift]
    assert items[1] in left and items[2] in left  # not done, and not recorded
    assert items[0] not in left
    assert "(入眠中)" in response.content.decode()


def test_a_checklist_started_during_the_handover_overlap_is_not_charged_to_the_previous_shift(
    content, beds, nurse, factors
):
    from checklists import selectors
    from checklists.models import Admission
    from checklists.shifts import shift_at, slot_before

    admission = services.patient_admit(
        hospital_id="H900",
        name="重複 太郎",
        birth_date=ADULT_BIRTH_DATE,
        bed=beds[1],
        risk_factors=[factors["unsteady_gait"]],
        by=nurse,
        at=tokyo(2026, 11, 21, 8, 45),
    )
    services.checklist_start(
        admission=admission,
        template=ChecklistTemplate.objects.get(code="fall"),
        by=nurse,
        at=tokyo(2026, 11, 21, 8, 45),
    )
    slot = shift_at(tokyo(2026, 11, 21, 8, 50))
    admission = Admission.objects.for_shift_work().get(pk=admission.pk)
    assert selectors.patient_shift(admission, slot, slot_before(slot)).left_by_previous_shift == []


def test_the_board_lists_open_critical_items(client, nurse, fall_checklist, frozen_clock):
    critical = fall_checklist.version.items.unconditional().filter(is_critical=True).first()
    client.force_login(nurse)
    assert critical.text_ja[:20] in board(client, fall_checklist.admission.ward).content.decode()
    services.item_record(checklist=fall_checklist, item=critical, status="done", by=nurse, at=frozen_clock)
    page = board(client, fall_checklist.admission.ward).content.decode()
    assert "⚠ " + critical.text_ja[:20] not in page


def admit_patients(ward, count, nurse, factors):
    templates = list(ChecklistTemplate.objects.filter(code__in=["fall", "treatment", "delirium"]))
    admissions = []
    for n in range(count):
        bed = BedFactory(ward=ward, code=f"5{n:02d}")
        admission = services.patient_admit(
            hospital_id=f"Q{n}",
            name=f"患者{n}",
            birth_date=ADULT_BIRTH_DATE,
            bed=bed,
            risk_factors=[factors["unsteady_gait"], factors["ivig"], factors["insomnia"]],
            by=nurse,
            at=tokyo(2026, 11, 19, 10, 0),
        )
        for template in templates:
            checklist = services.checklist_start(
                admission=admission, template=template, by=nurse, at=admission.admitted_at
            )
            item = checklist.version.items.first()
            services.item_record(checklist=checklist, item=item, status="done", by=nurse, at=tokyo(2026, 11, 21, 3, 0))
        admissions.append(admission)
    return admissions


def rows_of(response) -> str:
    """The board's rows as drawn (the page around them carries a new CSRF token each time)."""
    html = response.content.decode()
    return html[html.index("<tbody>") : html.index("</tbody>")]


@pytest.mark.parametrize("patients", [2, 40])
def test_the_board_runs_the_same_number_of_queries_for_2_or_40_patients(
    client, content, factors, patients, frozen_clock
):
    ward = WardFactory(code="big")
    leader = LeaderFactory()
    ward.staff.add(leader)
    admit_patients(ward, patients, leader, factors)
    client.force_login(leader)
    cache.clear()  # the admissions' writes may have kept the ward's calendar: the board drawn cold
    with CaptureQueriesContext(connection) as queries:
        response = board(client, ward)
    assert response.status_code == 200
    assert response.content.decode().count("転倒予防 ") == patients
    # session, user, the permissions of the user and her groups (one query; reading needs a
    # role), wards, the ward's change counter and rows token, beds, open admissions (+patient), the ward's shifts
    # (patterns' shifts, the ward's assignments), the shift's bed history, the stays' change
    # tokens, the shift's care assignments (受け持ち); then for the rows not in the cache: the
    # admissions in full, risk factors, checklists, version items, the items' rules, the versions
    # the checklists continue (after a move), records and the assessments' reads (published
    # scales, ward settings, latest assessments, transfers, reasons to reassess)
    assert len(queries) == 24, "\n".join(q["sql"] for q in queries.captured_queries)
    # Asked again with nothing changed, the rows, the beds with their stays, the ward's shifts and
    # the shift's moves come from the cache: 7 queries (session, user, permissions, wards, the
    # ward's counter and rows token, the stays' tokens, the shift's care assignments), not 24.
    with CaptureQueriesContext(connection) as again:
        assert rows_of(board(client, ward)) == rows_of(response)
    assert len(again) == 7, "\n".join(q["sql"] for q in again.captured_queries)


@pytest.mark.parametrize("patients", [2, 40])
def test_the_patient_page_runs_the_same_number_of_queries_on_a_small_or_large_ward(
    client, content, factors, patients, frozen_clock
):
    ward = WardFactory(code="big")
    nurse = NurseFactory()
    ward.staff.add(nurse)
    admission = admit_patients(ward, patients, nurse, factors)[0]
    client.force_login(nurse)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("checklists:admission_detail", args=[admission.pk]))
    assert response.status_code == 200
    # session, user, admission (+patient, bed, ward), risk factors, checklists, items, their rules, the
    # ward's shifts (two), the versions the checklists continue, records, the bed history,
    # permissions (user + group, one query) for the record buttons, and the stay's assessments
    # (published scales, ward settings, latest assessments, transfers, reasons to reassess), the
    # stay's and the ward's change tokens (the page's ETag), the items' per-patient details
    assert len(queries) == 20, "\n".join(q["sql"] for q in queries.captured_queries)
