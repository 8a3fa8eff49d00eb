"""On PostgreSQL the database itself keeps history: check records, audit events and the bed
history (placements, migration 0006) can only be inserted, and a template item changes only while its version is a draft
(triggers of migration 0004); shift pattern versions, their shifts and the wards' pattern
assignments can only be inserted too; so can assessments, their answers and the reasons to
reassess, and a published scale version's questions, options and bands never change (0017).
Whatever sends the UPDATE or DELETE — raw SQL, the ORM's ``.update()`` and ``.delete()`` — is
refused and nothing changes."""

from datetime import date, time

import pytest
from django.db import IntegrityError, connection, transaction

from checklists import scale_content, services
from checklists.models import (
    AuditEvent,
    CheckRecord,
    ItemDetail,
    ItemFactorRule,
    Placement,
    SafetyEvent,
    ScaleBand,
    ScaleOption,
    ScaleQuestion,
    ScaleVersion,
    ShiftPattern,
    TeachBackAudit,
    TemplateItem,
)

from .conftest import tokyo

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the append-only triggers exist only on PostgreSQL; runs in make test's PostgreSQL pass",
    ),
]

REFUSED = "refused"


@pytest.fixture
def record(fall_checklist, nurse):
    item = fall_checklist.version.items.order_by("position").first()
    return services.item_record(
        checklist=fall_checklist, item=item, status="done", by=nurse, at=tokyo(2026, 11, 21, 10, 0)
    )


@pytest.fixture
def published_item(fall_checklist):
    return fall_checklist.version.items.order_by("position").first()


def rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} ORDER BY id")
        return cursor.fetchall()


def execute_refused(sql: str, params=()) -> None:
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    ("table", "column"),
    [("checklists_checkrecord", "note"), ("checklists_auditevent", "object_repr"), ("checklists_placement", "kind")],
)
def test_a_raw_update_of_a_history_row_is_refused_and_changes_nothing(record, table, column):
    before = rows(table)
    assert before
    execute_refused(f"UPDATE {table} SET {column} = 'rewritten'")
    assert rows(table) == before


@pytest.mark.parametrize("table", ["checklists_checkrecord", "checklists_auditevent", "checklists_placement"])
def test_a_raw_delete_of_a_history_row_is_refused_and_changes_nothing(record, table):
    before = rows(table)
    assert before
    execute_refused(f"DELETE FROM {table}")
    assert rows(table) == before


def test_the_orm_cannot_update_or_delete_check_records(record):
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        CheckRecord.objects.filter(pk=record.pk).update(status="not_done", note="書き換え")
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        CheckRecord.objects.filter(pk=record.pk).delete()
    record.note = "書き換え"
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        record.save()
    assert CheckRecord.objects.values_list("status", "note").get(pk=record.pk) == ("done", "")


def test_the_orm_cannot_update_or_delete_audit_events(record):
    event = AuditEvent.objects.get(action="check_recorded")
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor=None)
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).actor == record.recorded_by


def test_the_orm_cannot_rewrite_the_bed_history(record, nurse, beds):
    placement = Placement.objects.get()
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        Placement.objects.filter(pk=placement.pk).update(bed=beds[3])
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        Placement.objects.all().delete()
    services.admission_transfer(admission=placement.admission, bed=beds[3], by=nurse)  # a move appends
    assert list(Placement.objects.order_by("starts_at").values_list("bed", flat=True)) == [beds[0].pk, beds[3].pk]


def test_records_and_audit_events_are_still_inserted(record, nurse):
    services.record_correct(record=record, status="not_done", note="別患者と取り違え", by=nurse)
    assert CheckRecord.objects.count() == 2
    assert AuditEvent.objects.filter(action="check_corrected").count() == 1


@pytest.mark.parametrize("status", ["published", "retired"])
def test_an_item_of_a_published_or_retired_version_never_changes(published_item, draft, checklist_admin, status):
    if status == "retired":
        services.template_publish(version=draft, by=checklist_admin, change_note="v2")
    published_item.version.refresh_from_db()
    assert published_item.version.status == status
    before = rows("checklists_templateitem")
    execute_refused("UPDATE checklists_templateitem SET text_ja = 'rewritten' WHERE id = %s", [published_item.pk])
    execute_refused("DELETE FROM checklists_templateitem WHERE id = %s", [published_item.pk])
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        TemplateItem.objects.filter(pk=published_item.pk).update(position=99)
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        TemplateItem.objects.filter(pk=published_item.pk).delete()
    assert rows("checklists_templateitem") == before


def test_an_item_cannot_be_moved_out_of_a_draft_into_a_published_version(published_item, draft):
    item = draft.items.order_by("position").last()
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        TemplateItem.objects.filter(pk=item.pk).update(version=published_item.version, key="moved-in")
    assert TemplateItem.objects.get(pk=item.pk).version == draft


def test_draft_items_stay_editable_and_removable(draft, checklist_admin):
    first, last = draft.items.order_by("position")[:1].get(), draft.items.order_by("position").last()
    services.template_item_update(item=first, by=checklist_admin, text_ja="新しい文言")
    services.template_item_move(item=first, direction="down", by=checklist_admin)
    services.template_item_remove(item=last, by=checklist_admin)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE checklists_templateitem SET why_ja = 'raw' WHERE version_id = %s", [draft.pk])
    first.refresh_from_db()
    assert (first.text_ja, first.position, first.why_ja) == ("新しい文言", 2, "raw")
    assert not TemplateItem.objects.filter(pk=last.pk).exists()


def test_new_versions_of_a_published_template_still_get_items(draft, checklist_admin):
    services.template_item_add(version=draft, by=checklist_admin, text_ja="追加項目", source="institution")
    published = services.template_publish(version=draft, by=checklist_admin, change_note="項目を追加")
    assert published.items.filter(text_ja="追加項目").exists()


@pytest.fixture
def shift_history(content, ward, checklist_admin, clock):
    two = ShiftPattern.objects.get(code="two-shift")
    services.ward_shift_pattern_set(ward=ward, pattern=two, effective_from=date(2026, 12, 10), by=checklist_admin)


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("checklists_shiftpatternversion", "effective_from", "2000-01-01"),
        ("checklists_shiftdefinition", "starts_at", "07:00"),
        ("checklists_wardshiftpattern", "effective_from", "2000-01-01"),
    ],
)
def test_shift_history_can_be_neither_rewritten_nor_deleted(shift_history, table, column, value):
    before = rows(table)
    assert before
    execute_refused(f"UPDATE {table} SET {column} = %s", [value])
    execute_refused(f"DELETE FROM {table}")
    assert rows(table) == before


def test_new_shift_versions_and_ward_patterns_are_still_inserted(shift_history, ward, checklist_admin):
    three = ShiftPattern.objects.get(code="three-shift")
    shift = services.ShiftSpec(code="day", name_ja="日勤", starts_at=time(8, 0), ends_at=time(16, 45))
    services.shift_pattern_change(pattern=three, effective_from=date(2026, 12, 20), shifts=[shift], by=checklist_admin)
    services.ward_shift_pattern_set(ward=ward, pattern=three, effective_from=date(2026, 12, 20), by=checklist_admin)
    assert three.versions.count() == 2


MFS_LOW = {
    "history-of-falling": "no",
    "secondary-diagnosis": "no",
    "ambulatory-aid": "none",
    "iv-therapy": "no",
    "gait": "normal",
    "mental-status": "oriented",
}


@pytest.fixture
def assessment(admission, nurse):
    version = ScaleVersion.objects.get(scale__code="morse-fall-scale", status="published")
    services.condition_change_note(admission=admission, by=nurse, note="意識レベル低下")
    return services.assessment_record(admission=admission, version=version, answers=MFS_LOW, by=nurse)


@pytest.fixture
def board_history(record, nurse):
    """A care assignment, a handover note and an acknowledgement on the record's patient."""
    from checklists.forms import SlotForm

    admission = record.checklist.admission
    slot = SlotForm(ward=admission.ward).slot
    services.care_assign(admission=admission, slot=slot, nurse=nurse, by=nurse)
    services.handover_note_write(admission=admission, slot=slot, text="申し送り", by=nurse)
    services.handover_acknowledge(admission=admission, slot=slot, by=nurse, at=slot.starts)


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("checklists_assessment", "note", "'rewritten'"),
        ("checklists_assessment", "total", "99"),
        ("checklists_assessmentanswer", "option_id", "option_id"),
        ("checklists_reassessmenttrigger", "note", "'rewritten'"),
    ],
)
def test_assessments_their_answers_and_reasons_to_reassess_are_never_rewritten(assessment, table, column, value):
    before = rows(table)
    assert before
    execute_refused(f"UPDATE {table} SET {column} = {value}")
    execute_refused(f"DELETE FROM {table}")
    assert rows(table) == before


@pytest.mark.parametrize("model", [ScaleQuestion, ScaleOption, ScaleBand])
def test_a_published_scales_content_never_changes(content, model):
    published = ScaleVersion.objects.get(scale__code="morse-fall-scale", status="published")
    rows_of_version = {
        ScaleQuestion: ScaleQuestion.objects.filter(version=published),
        ScaleOption: ScaleOption.objects.filter(question__version=published),
        ScaleBand: ScaleBand.objects.filter(version=published),
    }[model]
    field = {ScaleQuestion: "text_ja", ScaleOption: "label_ja", ScaleBand: "name_ja"}[model]
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        rows_of_version.update(**{field: "rewritten"})
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        rows_of_version.filter(pk=rows_of_version.first().pk)._raw_delete(rows_of_version.db)


def test_a_scale_drafts_content_is_still_replaced(content, checklist_admin):
    published = ScaleVersion.objects.with_content().get(scale__code="morse-fall-scale", status="published")
    spec = scale_content.parse_scale(services.scale_document(published), factor_codes={"fall_high_risk"})
    services.scale_import(spec=spec, by=checklist_admin)
    draft = services.scale_import(spec=spec, by=checklist_admin)  # the second replaces the first's content
    assert draft.questions.count() == 6
    assert ScaleOption.objects.filter(question__version=draft).count() == 14


def test_the_rules_of_a_published_item_never_change(fall_checklist, draft, checklist_admin, factors):
    """Migration 0017: an item's factor rules are part of its frozen version, like the item."""
    rule = ItemFactorRule.objects.filter(item__version=fall_checklist.version).order_by("pk").first()
    assert rule is not None
    before = rows("checklists_itemfactorrule")
    execute_refused("UPDATE checklists_itemfactorrule SET kind = 'unless' WHERE id = %s", [rule.pk])
    execute_refused("DELETE FROM checklists_itemfactorrule WHERE id = %s", [rule.pk])
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        ItemFactorRule.objects.filter(pk=rule.pk).delete()
    assert rows("checklists_itemfactorrule") == before
    # A draft's rules stay editable, and a draft item with rules can still be removed.
    item = draft.items.get(key=rule.item.key)
    services.template_item_update(item=item, by=checklist_admin, applies_if_any=[factors["tremor"]])
    services.template_item_remove(item=item, by=checklist_admin)
    assert not ItemFactorRule.objects.filter(item__version=draft, item__key=rule.item.key).exists()


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("checklists_careassignment", "duty_date", "2000-01-01"),
        ("checklists_handovernote", "text", "rewritten"),
        ("checklists_handoveracknowledgement", "duty_date", "2000-01-01"),
    ],
)
def test_assignments_and_handovers_can_be_neither_rewritten_nor_deleted(board_history, table, column, value):
    before = rows(table)
    assert before
    execute_refused(f"UPDATE {table} SET {column} = %s", [value])
    execute_refused(f"DELETE FROM {table}")
    assert rows(table) == before


@pytest.fixture
def event_history(fall_checklist, nurse, injury_levels):
    """A fall, its correction and a teach-back audit on the stay."""
    admission = fall_checklist.admission
    fall = services.safety_event_record(
        admission=admission,
        kind="fall",
        occurred_at=tokyo(2026, 11, 21, 3, 0),
        place="toilet",
        description="転倒",
        witness="nobody",
        injury_level=injury_levels["1"],
        by=nurse,
    )
    services.safety_event_correct(event=fall, reason="骨折が判明", injury_level=injury_levels["3b"], by=nurse)
    services.teach_back_record(
        admission=admission, asked="family", names_risks=True, names_plan=False, sheet_current=True, by=nurse
    )
    return fall


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [("checklists_safetyevent", "description", "rewritten"), ("checklists_teachbackaudit", "names_plan", True)],
)
def test_safety_events_and_teach_back_audits_can_be_neither_rewritten_nor_deleted(event_history, table, column, value):
    before = rows(table)
    assert before
    execute_refused(f"UPDATE {table} SET {column} = %s", [value])
    execute_refused(f"DELETE FROM {table}")
    assert rows(table) == before


def test_the_orm_cannot_rewrite_a_safety_event_and_a_correction_still_appends(event_history, nurse):
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        SafetyEvent.objects.filter(pk=event_history.pk).update(withdrawn=True)
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        TeachBackAudit.objects.all().delete()
    assert SafetyEvent.objects.count() == 2
    assert list(SafetyEvent.objects.standing().values_list("injury_level__code", flat=True)) == ["3b"]


def test_per_patient_item_details_can_be_neither_rewritten_nor_deleted(fall_checklist, nurse):
    """Migration 0024: a changed detail is a new row; the old ones stay as written."""
    walking = fall_checklist.version.items.get(key="assess-standing-walking")
    services.item_detail_set(checklist=fall_checklist, item=walking, text="歩行器使用・見守り", by=nurse)
    before = rows("checklists_itemdetail")
    execute_refused("UPDATE checklists_itemdetail SET text = %s", ["rewritten"])
    execute_refused("DELETE FROM checklists_itemdetail")
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        ItemDetail.objects.all().update(text="rewritten")
    assert rows("checklists_itemdetail") == before
    services.item_detail_set(checklist=fall_checklist, item=walking, text="車椅子", by=nurse)
    assert ItemDetail.objects.count() == 2
