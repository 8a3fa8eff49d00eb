"""Migrations 0008-0010 on a database of the release before: today's global shifts become one
pattern, every ward runs it from the first recorded duty date, a shift that was switched off
stays with the records made in it without coming back into force, and every page reads the
same slots as before."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from checklists.shifts import ShiftCalendar

from .conftest import tokyo
from .migrations import migrate, migrate_to_latest

BEFORE = [("checklists", "0007_hospital_ids_normalised")]
AFTER = [("checklists", "0011_paper_sheets_and_superseded_versions")]


@pytest.fixture
def old_database(transactional_db, django_user_model):
    """The release before: three active shifts, a switched-off 遅番, two wards, a record."""
    apps = migrate(BEFORE)
    Shift = apps.get_model("checklists", "ShiftDefinition")
    shifts = {
        code: Shift.objects.create(code=code, name_ja=name, starts_at=starts, ends_at=ends, position=n, is_active=on)
        for n, (code, name, starts, ends, on) in enumerate(
            [
                ("day", "日勤", time(8, 30), time(17, 0), True),
                ("evening", "準夜", time(16, 30), time(1, 0), True),
                ("night", "深夜", time(0, 30), time(9, 0), True),
                ("late", "遅番", time(12, 0), time(21, 0), False),
            ]
        )
    }
    Ward, Bed = apps.get_model("checklists", "Ward"), apps.get_model("checklists", "Bed")
    east, west = Ward.objects.create(code="east-4", name="東4病棟"), Ward.objects.create(code="west-2", name="西2病棟")
    bed = Bed.objects.create(ward=east, code="401")
    User = apps.get_model("auth", "User")
    nurse = User.objects.create(username="nurse-old")
    patient = apps.get_model("checklists", "Patient").objects.create(
        hospital_id="H1", name="山田 太郎", birth_date=date(1970, 5, 1)
    )
    admission = apps.get_model("checklists", "Admission").objects.create(
        patient=patient, ward=east, bed=bed, admitted_by=nurse, admitted_at=tokyo(2026, 10, 30, 10, 0)
    )
    template = apps.get_model("checklists", "ChecklistTemplate").objects.create(
        code="fall", category="fall", name_ja="転倒"
    )
    version = apps.get_model("checklists", "TemplateVersion").objects.create(
        template=template, number=1, status="published", published_at=tokyo(2026, 10, 1, 9, 0)
    )
    item = apps.get_model("checklists", "TemplateItem").objects.create(
        version=version, key="k", text_ja="項目", source="institution"
    )
    checklist = apps.get_model("checklists", "PatientChecklist").objects.create(
        admission=admission, template=template, version=version, started_by=nurse, started_at=admission.admitted_at
    )
    for duty_date, shift in ((date(2026, 11, 2), shifts["late"]), (date(2026, 11, 3), shifts["night"])):
        apps.get_model("checklists", "CheckRecord").objects.create(
            checklist=checklist, item=item, duty_date=duty_date, shift=shift, status="done", recorded_by=nurse
        )
    yield {"east": east.pk, "west": west.pk, "shifts": {code: shift.pk for code, shift in shifts.items()}}
    migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_the_global_shifts_become_every_wards_pattern_from_the_first_admission(old_database):
    apps = migrate(AFTER)  # the models as they were then: later migrations add columns
    ShiftPattern, WardShiftPattern = (
        apps.get_model("checklists", name) for name in ("ShiftPattern", "WardShiftPattern")
    )
    pattern = ShiftPattern.objects.get()
    assert (pattern.code, pattern.name_ja) == ("three-shift", "三交代")
    # The first record is of 11-02; the stay began on 10-30, which is earlier.
    assignments = WardShiftPattern.objects.order_by("ward__code")
    assert [(a.ward.code, a.effective_from) for a in assignments] == [
        ("east-4", date(2026, 10, 30)),
        ("west-2", date(2026, 10, 30)),
    ]
    versions = list(pattern.versions.order_by("number"))
    assert [[s.code for s in v.shifts.all()] for v in versions] == [["late"], ["day", "evening", "night"]]
    assert {v.effective_from for v in versions} == {date(2026, 10, 30)}


@pytest.mark.django_db(transaction=True)
def test_after_the_migration_the_slots_are_the_ones_the_app_showed_before(old_database):
    migrate(AFTER)
    migrate_to_latest()  # today's code reads today's tables
    calendar = ShiftCalendar.for_ward(old_database["east"])
    for day in (date(2026, 10, 1), date(2026, 11, 2), date(2026, 12, 24)):
        assert [s.pk for s in calendar.shifts_on(day)] == [
            old_database["shifts"][c] for c in ("day", "evening", "night")
        ]
    moment = datetime(2026, 11, 3, 3, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert calendar.shift_at(moment).shift.pk == old_database["shifts"]["night"]
    assert calendar.slot_named("late", date(2026, 11, 2)) is None  # switched off before: still off
