"""Shift patterns in the editor's shift pages: a checklist admin adds a pattern, changes a
pattern's shifts from a duty date (a new version, the old one kept) and sets a ward's pattern
from a duty date; each is audited, nothing is edited in place, and a change can never reach
a shift that has begun."""

from datetime import date, time

import pytest
from django.urls import reverse

from checklists import services
from checklists.models import AuditEvent, ShiftDefinition, ShiftPattern, ShiftPatternVersion, WardShiftPattern
from checklists.shifts import ShiftCalendar

from .conftest import tokyo

pytestmark = pytest.mark.django_db


def rows(*shifts, initial: int = 0) -> dict:
    """The shift rows' formset as the page posts it: (code, name, starts, ends[, "remove"])."""
    data = {
        "shifts-TOTAL_FORMS": str(len(shifts)),
        "shifts-INITIAL_FORMS": str(initial),
        "shifts-MIN_NUM_FORMS": "0",
        "shifts-MAX_NUM_FORMS": "6",
    }
    for index, (code, name, starts, ends, *remove) in enumerate(shifts):
        data |= {
            f"shifts-{index}-code": code,
            f"shifts-{index}-name_ja": name,
            f"shifts-{index}-name_en": "",
            f"shifts-{index}-starts_at": starts,
            f"shifts-{index}-ends_at": ends,
        }
        if remove:
            data[f"shifts-{index}-DELETE"] = "on"
    return data


THREE = [("day", "日勤", "08:30", "17:00"), ("evening", "準夜", "16:30", "01:00"), ("night", "深夜", "00:30", "09:00")]


@pytest.fixture
def three_shifts(content):
    return ShiftPattern.objects.get(code="three-shift")


def change(client, pattern, effective_from: str, *shifts, note: str = ""):
    data = {"effective_from": effective_from, "note": note} | rows(*shifts, initial=3)
    return client.post(reverse("checklists:shift_pattern_change", args=[pattern.pk]), data)


def test_an_admin_adds_a_pattern_with_its_shifts_and_it_is_audited(checklist_admin_client, content, checklist_admin):
    data = {"code": "With-Late", "name_ja": "遅番あり", "name_en": "With a late shift"} | rows(
        ("day", "日勤", "08:30", "17:00"), ("late", "遅番", "12:00", "21:00"), ("", "", "", "")
    )
    response = checklist_admin_client.post(reverse("checklists:shift_pattern_create"), data)
    assert response.url == reverse("checklists:shift_list")
    pattern = ShiftPattern.objects.get(code="with-late")
    [version] = pattern.versions.all()
    assert [(s.code, s.starts_at, s.ends_at) for s in version.shifts.all()] == [
        ("day", time(8, 30), time(17, 0)),
        ("late", time(12, 0), time(21, 0)),
    ]
    event = AuditEvent.objects.get(action="shift_pattern_created", object_id=str(pattern.pk))
    assert event.actor == checklist_admin and event.data["shifts"][1] == {
        "code": "late",
        "starts": "12:00",
        "ends": "21:00",
        "night": False,
    }


def test_a_change_of_times_is_a_new_version_from_a_date_and_the_old_one_is_kept(
    checklist_admin_client, three_shifts, checklist_admin, clock
):
    page = checklist_admin_client.get(reverse("checklists:shift_pattern_change", args=[three_shifts.pk]))
    assert page.context["rows"].initial[0]["starts_at"] == time(8, 30)  # the form starts from the shifts in force
    assert page.context["form"]["effective_from"].value() == date(2026, 12, 2)  # tomorrow
    before = list(ShiftDefinition.objects.values_list("pk", "code", "starts_at", "ends_at"))
    response = change(
        checklist_admin_client,
        three_shifts,
        "2026-12-10",
        ("day", "日勤", "08:00", "16:45"),
        *THREE[1:],
        note="早出に合わせる",
    )
    assert response.url == reverse("checklists:shift_list")
    assert (
        list(
            ShiftDefinition.objects.filter(pk__in=[pk for pk, *_ in before]).values_list(
                "pk", "code", "starts_at", "ends_at"
            )
        )
        == before
    )
    version = three_shifts.versions.order_by("number").last()
    assert (version.number, version.effective_from, version.note, version.created_by) == (
        2,
        date(2026, 12, 10),
        "早出に合わせる",
        checklist_admin,
    )
    event = AuditEvent.objects.get(action="shift_pattern_changed")
    assert event.data["effective_from"] == "2026-12-10" and event.data["shifts"][0]["starts"] == "08:00"
    listing = checklist_admin_client.get(reverse("checklists:shift_list"))
    [overview] = [p for p in listing.context["patterns"] if p.pattern == three_shifts]
    assert [(d.row.number, d.state) for d in overview.versions] == [(2, "upcoming"), (1, "current")]


def test_switching_a_shift_off_is_a_version_without_it(checklist_admin_client, three_shifts, clock):
    change(checklist_admin_client, three_shifts, "2026-12-10", THREE[0], THREE[1], (*THREE[2], "remove"))
    calendar = ShiftCalendar.for_ward(None)
    assert [s.code for s in calendar.shifts_on(date(2026, 12, 9))] == ["day", "evening", "night"]
    assert [s.code for s in calendar.shifts_on(date(2026, 12, 10))] == ["day", "evening"]


@pytest.mark.parametrize("effective_from", ["2026-12-01", "2026-11-30"])
def test_a_change_cannot_reach_today_or_the_past(checklist_admin_client, three_shifts, clock, effective_from):
    response = change(
        checklist_admin_client, three_shifts, effective_from, ("day", "日勤", "08:00", "16:45"), *THREE[1:]
    )
    assert response.status_code == 200
    assert response.context["form"].errors["effective_from"] == [
        "A change takes effect from tomorrow at the earliest: shifts that have begun keep their times."
    ]
    assert three_shifts.versions.count() == 1


@pytest.mark.parametrize(
    ("shifts", "error"),
    [
        ([("day", "日勤", "10:00", "10:00")], "A shift must end at another time than it starts."),
        ([THREE[0], ("day", "日勤2", "12:00", "20:00")], "Each shift of a pattern needs its own code."),
        ([(*THREE[0], "remove")], "A shift pattern needs at least one shift."),
    ],
)
def test_a_pattern_that_cannot_work_is_a_form_error(checklist_admin_client, three_shifts, clock, shifts, error):
    response = change(checklist_admin_client, three_shifts, "2026-12-10", *shifts)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert three_shifts.versions.count() == 1


def test_a_night_shift_may_cross_midnight(checklist_admin_client, content, clock):
    data = {"code": "long-nights", "name_ja": "長日勤"} | rows(("night", "夜勤", "16:30", "09:00"))
    checklist_admin_client.post(reverse("checklists:shift_pattern_create"), data)
    assert ShiftDefinition.objects.get(version__pattern__code="long-nights").crosses_midnight


def test_an_admin_sets_a_wards_pattern_from_a_date_and_it_is_audited(
    checklist_admin_client, content, ward, checklist_admin, clock
):
    two = ShiftPattern.objects.get(code="two-shift")
    url = reverse("checklists:ward_shift_pattern_set", args=[ward.pk])
    response = checklist_admin_client.post(url, {"pattern": two.pk, "effective_from": "2026-12-10"})
    assert response.url == reverse("checklists:shift_list")
    assignment = WardShiftPattern.objects.get(ward=ward)
    assert (assignment.pattern, assignment.effective_from, assignment.created_by) == (
        two,
        date(2026, 12, 10),
        checklist_admin,
    )
    event = AuditEvent.objects.get(action="ward_shift_pattern_set")
    assert event.ward == ward and event.data == {"pattern": "two-shift", "effective_from": "2026-12-10"}
    page = checklist_admin_client.get(url)
    assert page.context["overview"].current.code == "three-shift"
    assert [(d.row.pattern.code, d.state) for d in page.context["overview"].assignments] == [("two-shift", "upcoming")]
    clock.now = tokyo(2026, 12, 10, 9, 0)
    checklist_admin_client.force_login(checklist_admin)
    listing = checklist_admin_client.get(reverse("checklists:shift_list"))
    assert [w.current.code for w in listing.context["wards"] if w.ward == ward] == ["two-shift"]


def test_a_ward_pattern_from_today_or_one_the_ward_already_runs_is_refused(
    checklist_admin_client, content, ward, clock
):
    url = reverse("checklists:ward_shift_pattern_set", args=[ward.pk])
    three, two = ShiftPattern.objects.get(code="three-shift"), ShiftPattern.objects.get(code="two-shift")
    today = checklist_admin_client.post(url, {"pattern": two.pk, "effective_from": "2026-12-01"})
    assert today.context["form"].errors["effective_from"]
    same = checklist_admin_client.post(url, {"pattern": three.pk, "effective_from": "2026-12-10"})
    assert "already runs" in same.content.decode()
    assert not WardShiftPattern.objects.exists()


def test_a_new_ward_has_its_pattern_written_down_from_its_first_day(content, checklist_admin, clock):
    ward = services.ward_create(code="north-1", name="北1病棟", bed_codes=["101"], by=checklist_admin)
    [assignment] = WardShiftPattern.objects.filter(ward=ward)
    assert (assignment.pattern.code, assignment.effective_from) == ("three-shift", date(2026, 12, 1))


def test_the_django_admin_shows_the_shift_history_read_only(client, content, checklist_admin):
    client.force_login(checklist_admin)
    version = ShiftPatternVersion.objects.first()
    assert client.get(reverse("admin:checklists_shiftpatternversion_change", args=[version.pk])).status_code == 200
    for model in ("shiftpattern", "shiftpatternversion", "shiftdefinition", "wardshiftpattern"):
        assert client.get(reverse(f"admin:checklists_{model}_add")).status_code == 403


def test_a_shift_marked_as_a_night_shift_is_stored_so(checklist_admin_client, content):
    data = {"code": "nights", "name_ja": "夜勤あり", "name_en": ""} | rows(
        ("day", "日勤", "08:30", "17:00"), ("overnight", "夜勤", "16:30", "09:00")
    )
    data["shifts-1-is_night"] = "on"
    checklist_admin_client.post(reverse("checklists:shift_pattern_create"), data)
    shifts = ShiftPattern.objects.get(code="nights").versions.get().shifts.all()
    assert [(s.code, s.is_night) for s in shifts] == [("day", False), ("overnight", True)]


def test_the_change_form_keeps_the_night_marks_of_the_shifts(checklist_admin_client, three_shifts):
    page = checklist_admin_client.get(reverse("checklists:shift_pattern_change", args=[three_shifts.pk]))
    rows_form = page.context["rows"]
    assert [row.initial["is_night"] for row in rows_form.forms[:3]] == [False, True, True]
