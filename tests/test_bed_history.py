"""A stay's bed history: admit and transfer append a placement (discharge ends the last one), and
every page that asks who was on a ward, or in a bed, during a shift reads it, not the stay's
current bed. A transfer between wards hands the checklists over with the patient, visibly."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from checklists import selectors, services
from checklists.models import Admission, AuditEvent, Placement, ShiftDefinition
from checklists.shifts import slot_of

from .conftest import tokyo
from .factories import BedFactory, NurseFactory, WardFactory
from .test_pdf_platform import pdf_text

pytestmark = pytest.mark.django_db

TRANSFER_AT = tokyo(2026, 11, 21, 14, 5)  # during the day shift (日勤 08:30–17:00) of 2026-11-21


@pytest.fixture
def west(nurse):
    ward = WardFactory(code="west-3", name="西3病棟")
    BedFactory(ward=ward, code="301", position=1)
    ward.staff.add(nurse)
    return ward


@pytest.fixture
def mover(db):
    return NurseFactory(username="nurse-b", first_name="", last_name="")


@pytest.fixture
def at_the_transfer(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: TRANSFER_AT)
    return TRANSFER_AT


@pytest.fixture
def transferred(fall_checklist, west, mover, at_the_transfer):
    """The fall patient of 東4病棟 401 (admitted 2026-11-20 10:00) moved to 西3病棟 301 today at 14:05."""
    return services.admission_transfer(admission=fall_checklist.admission, bed=west.beds.get(), by=mover)


def handover(client, ward, day, shift):
    response = client.get(reverse("checklists:ward_handover", args=[ward.pk]), {"date": day, "shift": shift})
    assert response.status_code == 200
    return response


def patients(response):
    return [entry.patient_shift.admission for entry in response.context["entries"]]


# --- the finding: a transfer rewrote yesterday ---------------------------------------------------


def test_a_transfer_today_leaves_yesterdays_evening_handover_as_it_was_on_both_wards(
    client, nurse, transferred, ward, west
):
    client.force_login(nurse)
    east = handover(client, ward, "2026-11-20", "evening")
    assert patients(east) == [transferred]
    assert [entry.bed.code for entry in east.context["entries"]] == ["401"]  # the bed he lay in then
    assert patients(handover(client, west, "2026-11-20", "evening")) == []


def test_the_handover_of_the_transfer_shift_shows_the_move_on_both_wards(
    client, in_english, nurse, transferred, ward, west
):
    client.force_login(nurse)
    east = handover(client, ward, "2026-11-21", "day")
    west_page = handover(client, west, "2026-11-21", "day")
    assert patients(east) == patients(west_page) == [transferred]
    assert "Transferred to 西3病棟 301 at 14:05 by nurse-b" in east.content.decode()
    assert "From 東4病棟 401 at 14:05 (nurse-b)" in west_page.content.decode()
    # The checklist went with the patient: the new ward's handover shows its items.
    assert [p.checklist for p in west_page.context["entries"][0].patient_shift.checklists] == list(
        transferred.checklists.all()
    )


def test_the_next_shift_belongs_to_the_new_ward_only(client, nurse, transferred, ward, west):
    client.force_login(nurse)
    assert patients(handover(client, ward, "2026-11-21", "evening")) == []
    assert patients(handover(client, west, "2026-11-21", "evening")) == [transferred]


def test_the_handover_pdf_reads_the_bed_history_too(client, nurse, transferred, ward):
    client.force_login(nurse)
    url = reverse("checklists:ward_handover_pdf", args=[ward.pk])
    yesterday = pdf_text(client.get(url, {"date": "2026-11-20", "shift": "evening"}).content)
    assert "山田 太郎" in yesterday and "401" in yesterday
    today = pdf_text(client.get(url, {"date": "2026-11-21", "shift": "day"}).content)
    assert "西3病棟 301" in today


# --- the board, the patient page and its history ---------------------------------------------------


def test_the_old_wards_board_says_who_left_this_shift_and_the_new_one_where_from(
    client, nurse, transferred, ward, west
):
    staying = services.patient_admit(
        hospital_id="H2",
        name="残留 患者",
        birth_date=transferred.patient.birth_date,
        bed=ward.beds.get(code="402"),
        by=nurse,
    )
    client.force_login(nurse)
    east = client.get(reverse("checklists:ward_board", args=[ward.pk]))
    assert [stay.placement.admission_id for stay in east.context["left_the_ward"]] == [transferred.pk]
    page = east.content.decode()
    assert 'data-testid="left-the-ward"' in page and page.count("西3病棟 301") == 1  # not on the staying row
    (row,) = [row for row in east.context["rows"] if row.patient_shift]
    assert row.patient_shift.admission == staying and row.arrived is None
    west_page = client.get(reverse("checklists:ward_board", args=[west.pk]))
    (row,) = [row for row in west_page.context["rows"] if row.patient_shift]
    assert row.arrived.before.ward == ward and row.arrived.by.username == "nurse-b"
    assert "東4病棟 401" in west_page.content.decode()


def test_the_patient_page_says_where_the_patient_and_the_checklists_came_from(client, in_english, nurse, transferred):
    client.force_login(nurse)
    page = client.get(reverse("checklists:admission_detail", args=[transferred.pk])).content.decode()
    assert 'data-testid="last-move"' in page
    assert "Transferred from 東4病棟 401 to 西3病棟 301 on 11/21 14:05 by nurse-b" in page


def test_the_history_page_lists_every_bed_of_the_stay(client, nurse, transferred, in_english):
    client.force_login(nurse)
    response = client.get(reverse("checklists:admission_history", args=[transferred.pk]))
    placements = response.context["placements"]
    assert [(p.ward.code, p.bed.code, p.kind) for p in placements] == [
        ("east-4", "401", "admitted"),
        ("west-3", "301", "transferred"),
    ]
    assert placements[0].ends_at == placements[1].starts_at == TRANSFER_AT
    assert placements[1].ends_at is None
    assert 'data-testid="bed-history"' in response.content.decode()


def test_a_patient_page_without_a_move_says_nothing_of_moves(client, nurse, admission):
    client.force_login(nurse)
    page = client.get(reverse("checklists:admission_detail", args=[admission.pk])).content.decode()
    assert 'data-testid="last-move"' not in page


# --- the writes ---------------------------------------------------------------------------------


def test_admit_transfer_and_discharge_write_the_bed_history_with_the_change(admission, beds, nurse):
    services.admission_transfer(admission=admission, bed=beds[2], by=nurse, at=tokyo(2026, 11, 21, 9))
    services.admission_discharge(admission=admission, by=nurse, at=tokyo(2026, 11, 22, 9))
    placements = list(Placement.objects.filter(admission=admission).with_end().order_by("starts_at"))
    assert [(p.bed.code, p.starts_at, p.ends_at, p.placed_by) for p in placements] == [
        ("401", tokyo(2026, 11, 20, 10), tokyo(2026, 11, 21, 9), nurse),
        ("403", tokyo(2026, 11, 21, 9), tokyo(2026, 11, 22, 9), nurse),
    ]
    assert AuditEvent.objects.filter(admission=admission, action="patient_transferred").count() == 1


def test_a_refused_transfer_writes_no_placement(admission, beds, nurse, factors):
    services.patient_admit(
        hospital_id="H2", name="別 患者", birth_date=admission.patient.birth_date, bed=beds[1], by=nurse
    )
    with pytest.raises(ValidationError, match="already taken"):
        services.admission_transfer(admission=admission, bed=beds[1], by=nurse, at=tokyo(2026, 11, 21, 9))
    assert Placement.objects.filter(admission=admission).count() == 1
    assert Admission.objects.get(pk=admission.pk).bed == beds[0]


def test_a_move_before_the_last_one_and_a_discharge_before_it_are_refused(admission, beds, nurse):
    services.admission_transfer(admission=admission, bed=beds[2], by=nurse, at=tokyo(2026, 11, 21, 9))
    with pytest.raises(ValidationError, match="after the patient's last move"):
        services.admission_transfer(admission=admission, bed=beds[3], by=nurse, at=tokyo(2026, 11, 21, 8))
    with pytest.raises(ValidationError, match="before the patient's last move"):
        services.admission_discharge(admission=admission, by=nurse, at=tokyo(2026, 11, 21, 8))


# --- who was where, at the boundaries --------------------------------------------------------------


def test_who_was_on_a_ward_or_in_a_bed_during_a_window(admission, beds, nurse):
    services.admission_transfer(admission=admission, bed=beds[1], by=nurse, at=tokyo(2026, 11, 21, 16, 30))
    ward, day = admission.ward, tokyo(2026, 11, 21, 8, 30)
    in_401 = Placement.objects.in_bed_during
    assert in_401(beds[0], day, tokyo(2026, 11, 21, 16, 30)).count() == 1
    assert in_401(beds[0], tokyo(2026, 11, 21, 16, 30), tokyo(2026, 11, 21, 17)).count() == 0  # moved as it began
    assert in_401(beds[1], tokyo(2026, 11, 21, 16, 30), tokyo(2026, 11, 21, 17)).count() == 1
    assert Placement.objects.on_ward_during(ward, tokyo(2026, 11, 19), tokyo(2026, 11, 20, 10)).count() == 0
    assert Placement.objects.on_ward_during(ward, tokyo(2026, 11, 19), tokyo(2026, 11, 30)).count() == 2


def test_a_move_within_the_ward_during_a_shift_shows_the_bed_at_its_end(nurse, admission, beds):
    services.admission_transfer(admission=admission, bed=beds[2], by=nurse, at=tokyo(2026, 11, 21, 11))
    stays = selectors.ward_stays(
        admission.ward,
        slot_of(ShiftDefinition.objects.get(code="day", version__pattern__code="three-shift"), date(2026, 11, 21)),
    )
    stay = stays[admission.pk]
    assert stay.bed == beds[2]
    assert stay.arrived.before.bed == beds[0] and not stay.arrived.between_wards
    assert stay.left is None


def test_a_discharge_during_the_shift_is_on_its_handover(client, in_english, nurse, admission):
    services.admission_discharge(admission=admission, by=nurse, at=tokyo(2026, 11, 21, 11))
    client.force_login(nurse)
    page = handover(client, admission.ward, "2026-11-21", "day").content.decode()
    assert "Discharged at 11:00" in page
