"""manage.py backup writes everything WardSafe holds; manage.py restore puts it back into an
empty database, every row as it was, or nothing at all. Runs on SQLite and PostgreSQL."""

import gzip
import hashlib
import json
from datetime import date, time, timedelta

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db.models import Max
from django.utils import timezone

from checklists import roles, services
from checklists.models import (
    Admission,
    ChecklistTemplate,
    CheckRecord,
    QuickReason,
    ScaleVersion,
    ShiftDefinition,
    ShiftPattern,
)
from checklists.shifts import ShiftCalendar

from .conftest import tokyo
from .factories import CHILD_BIRTH_DATE, LeaderFactory, role_group


def every_backed_up_model() -> list:
    """Chosen here, not taken from the command: a model the command forgets fails the test."""
    return [
        apps.get_model("auth", "User"),
        apps.get_model("auth", "Group"),
        LogEntry,
        *apps.get_app_config("checklists").get_models(),
    ]


def table_contents() -> dict[str, tuple[int, str]]:
    """Per table (many-to-many link tables included): the row count and a digest of the rows
    with their IDs. Content types and permissions are named: migrate numbers them anew."""
    contents = {}
    for model in every_backed_up_model():
        rows = serializers.serialize("python", model._base_manager.all(), use_natural_foreign_keys=True)
        lines = []
        for row in rows:
            for field in model._meta.many_to_many:
                row["fields"][field.name] = sorted(row["fields"][field.name])
            lines.append(json.dumps(row, sort_keys=True, default=str, ensure_ascii=False))
        digest = hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()
        contents[model._meta.label] = (len(lines), digest)
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            contents[through._meta.label] = (through.objects.count(), "")
    return contents


def empty_the_database() -> None:
    """What a new database has after migrate: no rows but the role groups (and the permissions
    and content types that flush's post_migrate makes again, with new IDs)."""
    call_command("flush", interactive=False, verbosity=0)
    for name in roles.PERMISSIONS:
        role_group(name)


@pytest.fixture
def ward_history(fall_checklist, nurse, checklist_admin, beds, factors, injury_levels):
    """A few days on a ward, made by the services: admissions (a child, a discharged patient who
    was moved to another bed: the bed history), risk factors noted and removed, records with a
    correction and a paper record, a published v2 of the fall template with v1 retired and the
    patient moved to it, planned and removed examinations, a finished print run, an admin site
    change, a permission of a user's own, a change of shift times from a date and a ward's
    change of shift pattern; a care assignment, a handover note and its acknowledgement; the
    item-slots of the ended shifts refreshed."""
    # The quick reasons ship in a migration; a transactional test that ran before may have flushed them.
    QuickReason.objects.get_or_create(name_ja="入眠中", defaults={"name_en": "Asleep", "status": "not_done"})
    leader = LeaderFactory(username="leader-b")
    beds[0].ward.staff.add(leader)
    leader.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    admission = fall_checklist.admission
    item = fall_checklist.version.items.get(key="call-bell-within-reach")
    wrong = services.item_record(
        checklist=fall_checklist, item=item, status="done", by=nurse, at=tokyo(2026, 11, 21, 9)
    )
    services.record_correct(record=wrong, status="not_done", note="入浴中で未実施", by=leader)
    services.item_transcribe(
        checklist=fall_checklist,
        item=fall_checklist.version.items.get(key="minimise-bed-path"),
        duty_date=date(2026, 11, 21),
        shift=ShiftDefinition.objects.get(code="night"),
        status="done",
        by=nurse,
        at=tokyo(2026, 11, 21, 12),
    )
    services.admission_risk_factor_remove(admission=admission, risk_factor=factors["ivig"], by=nurse)
    # Assessments: a Morse result (its highest answers note 転倒高リスク), its correction, a changed
    # condition, and the ward's own bands.
    mfs = ScaleVersion.objects.with_content().get(scale__code="morse-fall-scale", status="published")
    answers = {q.key: list(q.options.all())[-1].key for q in mfs.questions.all()}
    first = services.assessment_record(
        admission=admission, version=mfs, answers=answers, by=nurse, at=tokyo(2026, 11, 21, 9, 30)
    )
    services.assessment_correct(assessment=first, answers=answers, by=leader, note="確認済み")
    services.condition_change_note(admission=admission, by=nurse, note="意識レベル低下", at=tokyo(2026, 11, 21, 11))
    services.ward_scale_setting_set(
        ward=beds[0].ward,
        scale=mfs.scale,
        due_within_days=1,
        reassess_every_days=7,
        cutoffs={"low": 0, "moderate": 25, "high": 51},
        by=checklist_admin,
    )
    # A fall, corrected (safety events, injury levels, the recent_fall factor); a teach-back audit.
    fell = services.safety_event_record(
        admission=admission,
        kind="fall",
        occurred_at=tokyo(2026, 11, 21, 3),
        place="toilet",
        description="トイレで転倒",
        witness="nobody",
        injury_level=injury_levels["1"],
        by=nurse,
    )
    services.safety_event_correct(event=fell, reason="骨折が判明", injury_level=injury_levels["3b"], by=leader)
    services.teach_back_record(
        admission=admission, asked="family", names_risks=True, names_plan=True, sheet_current=False, by=nurse
    )
    # The day shift's 受け持ち, its handover note and the evening nurse's 申し送り済み.
    day = ShiftCalendar.for_ward(admission.ward).slot_named("day", date(2026, 11, 21))
    services.care_assign(admission=admission, slot=day, nurse=nurse, by=leader)
    services.handover_note_write(admission=admission, slot=day, text="夜間トイレ歩行あり", by=nurse, at=day.starts)
    services.handover_acknowledge(admission=admission, slot=day, by=leader, at=day.ends)

    child = services.patient_admit(
        hospital_id="H200", name="佐藤 ひな", birth_date=CHILD_BIRTH_DATE, bed=beds[1], by=nurse
    )
    services.checklist_start(admission=child, template=ChecklistTemplate.objects.get(code="delirium"), by=nurse)
    gone = services.patient_admit(
        hospital_id="H300",
        name="鈴木 一郎",
        birth_date=date(1950, 1, 1),
        bed=beds[2],
        by=nurse,
        at=tokyo(2026, 11, 19, 9),
    )
    services.admission_transfer(admission=gone, bed=beds[3], by=leader, at=tokyo(2026, 11, 20, 9))  # bed history
    services.admission_discharge(admission=gone, by=leader, at=tokyo(2026, 11, 21, 15))

    services.item_detail_set(
        checklist=fall_checklist,
        item=fall_checklist.version.items.get(key="toileting-routine"),
        text="2時間ごと、夜間はポータブルトイレ",
        by=nurse,
    )

    draft = services.template_draft_create(template=fall_checklist.template, by=checklist_admin)
    services.template_item_update(
        item=draft.items.get(key=item.key), by=checklist_admin, text_ja="ナースコールを手の届く所に置く"
    )
    v2 = services.template_publish(version=draft, by=checklist_admin, change_note="文言を修正")
    services.checklist_move_to_version(checklists=[fall_checklist], version=v2, by=checklist_admin)
    services.template_triggers_set(
        template=fall_checklist.template, triggers=[factors["unsteady_gait"], factors["dizziness"]], by=checklist_admin
    )

    ct = services.examination_plan(admission=admission, name="頭部CT", planned_on=date(2026, 11, 24), by=nurse)
    services.examination_plan(admission=admission, name="脳波", planned_on=None, purpose="発作の確認", by=nurse)
    services.examination_remove(examination=ct, by=leader)

    job = services.print_run_request(ward=beds[0].ward, admissions=[admission, child], by=leader, language="ja")
    services.print_run_start(job=job, total=2)
    services.print_run_finish(job=job, pdf=b"%PDF-1.7\n\x00\xff bedside sheets")

    LogEntry.objects.log_actions(
        user_id=checklist_admin.pk, queryset=[beds[0].ward], action_flag=CHANGE, change_message="名称を変更"
    )
    # The day shift starts earlier from next week; the ward runs two shifts from the week after.
    later = timezone.localdate() + timedelta(days=7)
    three = ShiftPattern.objects.get(code="three-shift")
    shifts = [
        services.ShiftSpec(code=s.code, name_ja=s.name_ja, starts_at=s.starts_at, ends_at=s.ends_at)
        for s in three.versions.get().shifts.all()
    ]
    shifts[0] = services.ShiftSpec(code="day", name_ja="日勤", starts_at=time(8, 0), ends_at=time(16, 45))
    services.shift_pattern_change(pattern=three, effective_from=later, shifts=shifts, by=checklist_admin)
    services.ward_shift_pattern_set(
        ward=beds[0].ward,
        pattern=ShiftPattern.objects.get(code="two-shift"),
        effective_from=later + timedelta(days=7),
        by=checklist_admin,
    )
    # The quality figures' item-slots of the ended shifts, and how far the ward's refresh has run.
    services.item_slots_catch_up(ward=beds[0].ward, until=tokyo(2026, 11, 22, 9))


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_has_every_row(ward_history, nurse, tmp_path):
    before = table_contents()
    empty = [label for label, (count, _) in before.items() if not count]
    assert not empty, f"the data set leaves these tables empty: {empty}"
    highest_record = CheckRecord.objects.aggregate(Max("pk"))["pk__max"]
    path = tmp_path / "wardsafe.json.gz"

    call_command("backup", path, verbosity=0)
    empty_the_database()
    assert not CheckRecord.objects.exists()
    call_command("restore", path, verbosity=0)

    assert table_contents() == before
    # The nurse keeps her ID, and the ID sequences continue after the restored rows.
    checklist = Admission.objects.get(patient__hospital_id="H100").checklists.get(stopped_at__isnull=True)
    record = services.item_record(
        checklist=checklist, item=checklist.version.items.first(), status="done", by=nurse, at=tokyo(2026, 11, 22, 9)
    )
    assert record.pk > highest_record


def test_a_backup_names_permissions_and_content_types_instead_of_numbering_them(ward_history, tmp_path):
    path = tmp_path / "wardsafe.json.gz"
    call_command("backup", path, verbosity=0)
    rows = json.loads(gzip.decompress(path.read_bytes()))

    assert not {row["model"] for row in rows} & {"contenttypes.contenttype", "auth.permission", "sessions.session"}
    users = {row["fields"]["username"]: row["pk"] for row in rows if row["model"] == "auth.user"}
    assert users == dict(apps.get_model("auth", "User").objects.values_list("username", "pk"))
    record = next(row for row in rows if row["model"] == "checklists.checkrecord")
    assert record["fields"]["recorded_by"] == ["nurse-a"]
    nurse_group = next(row for row in rows if row["model"] == "auth.group" and row["fields"]["name"] == roles.NURSE)
    assert ["add_checkrecord", "checklists", "checkrecord"] in nurse_group["fields"]["permissions"]
    log = next(row for row in rows if row["model"] == "admin.logentry")
    assert log["fields"]["content_type"] == ["checklists", "ward"]


def test_restore_refuses_a_database_that_holds_data_and_changes_nothing(ward_history, tmp_path):
    path = tmp_path / "wardsafe.json"
    call_command("backup", path, verbosity=0)
    before = table_contents()

    with pytest.raises(CommandError, match="already holds WardSafe data"):
        call_command("restore", path, verbosity=0)

    assert table_contents() == before


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_restores_nothing(ward_history, tmp_path):
    path = tmp_path / "wardsafe.json"
    call_command("backup", path, verbosity=0)
    rows = json.loads(path.read_text(encoding="utf-8"))
    # The file lacks a checklist that its records point at.
    checklist = next(row for row in rows if row["model"] == "checklists.checkrecord")["fields"]["checklist"]
    rows = [row for row in rows if (row["model"], row.get("pk")) != ("checklists.patientchecklist", checklist)]
    damaged = tmp_path / "damaged.json"
    damaged.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    empty_the_database()

    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("restore", damaged, verbosity=0)

    assert not any(model._base_manager.exists() for model in apps.get_app_config("checklists").get_models())
    assert not apps.get_model("auth", "User").objects.exists()


def test_a_backup_never_overwrites_a_file(tmp_path):
    path = tmp_path / "wardsafe.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", path, verbosity=0)
    assert path.read_text(encoding="utf-8") == "[]"


def test_a_backup_file_is_named_json(tmp_path):
    with pytest.raises(CommandError, match=r"ends with \.json"):
        call_command("backup", tmp_path / "wardsafe.sql", verbosity=0)
