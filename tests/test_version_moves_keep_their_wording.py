"""A patient moved from v1 to v2 of a checklist (``services.checklist_move_to_version``) keeps
the past as it was: on the patient page a record made on v1 reads in v1's wording, progress
and "left by the previous shift" count across the move, the board keeps the previous shift's
gaps, the history shows one continuous row per item with the version change marked, the
handover of the shift of the move shows the checklist once, and the old version reads as
superseded (旧版), not stopped (中止)."""

import pytest
from django.urls import reverse
from django.utils import translation

from checklists import services
from checklists.models import Admission, CheckRecord, TemplateVersion
from checklists.selectors import checklist_ids, patient_shift
from checklists.shifts import shift_at

from .conftest import tokyo

pytestmark = pytest.mark.django_db

BED_PATH = "minimise-bed-path"  # every shift, critical
CALL_BELL = "call-bell-within-reach"  # every shift, critical
NEW_WORDING = "ベッド周囲の動線を最小化し、夜間は足元灯をつけた"
NEW_ITEM = "足元灯が点灯しているか確認する"


def publish_v2(template, admin):
    """v2: the bed-path item reworded, and an every-shift item added."""
    draft = services.template_draft_create(template=template, by=admin)
    services.template_item_update(item=draft.items.get(key=BED_PATH), by=admin, text_ja=NEW_WORDING)
    services.template_item_add(version=draft, by=admin, text_ja=NEW_ITEM, source="institution")
    return services.template_publish(version=draft, by=admin, change_note="足元灯")


def page_shift(client, admission):
    return client.get(reverse("checklists:admission_detail", args=[admission.pk]))


@pytest.fixture
def before_the_move(fall_checklist, nurse, clock):
    """The night shift of 11-21 recorded only the call bell; the day shift the bed path, on v1."""
    v1 = fall_checklist.version
    services.item_record(
        checklist=fall_checklist, item=v1.items.get(key=CALL_BELL), status="done", by=nurse, at=tokyo(2026, 11, 21, 3)
    )
    services.item_record(
        checklist=fall_checklist, item=v1.items.get(key=BED_PATH), status="done", by=nurse, at=tokyo(2026, 11, 21, 10)
    )
    clock.now = tokyo(2026, 11, 21, 10, 30)
    return fall_checklist


@pytest.fixture
def moved(before_the_move, checklist_admin, clock):
    v2 = publish_v2(before_the_move.template, checklist_admin)
    [new] = services.checklist_move_to_version(
        checklists=[before_the_move], version=v2, by=checklist_admin, at=tokyo(2026, 11, 21, 11, 0)
    )
    clock.now = tokyo(2026, 11, 21, 12, 0)
    return new


def test_a_record_made_on_v1_reads_in_v1s_wording_on_the_patient_page(client, nurse, before_the_move, moved):
    client.force_login(nurse)
    response = page_shift(client, moved.admission)
    [progress] = response.context["shift"].checklists
    state = next(state for state in progress.items if state.item.key == BED_PATH)
    [(record, earlier)] = state.lines
    assert state.item.text_ja == NEW_WORDING and state.item.version == moved.version
    assert earlier == record.item and earlier.version.number == 1 and earlier.text_ja != NEW_WORDING
    page = response.content.decode()
    assert NEW_WORDING in page
    # The records are listed in the item's record dialog (fetched when the nurse opens it).
    dialog = client.get(
        reverse("checklists:item_dialog", args=[state.checklist.pk, state.item.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-earlier-version="1"' in dialog and earlier.text_ja in dialog and NEW_WORDING in dialog


def test_progress_counts_the_records_of_v1_after_the_move(client, nurse, before_the_move, checklist_admin, clock):
    client.force_login(nurse)
    [before] = page_shift(client, before_the_move.admission).context["shift"].checklists
    v2 = publish_v2(before_the_move.template, checklist_admin)
    services.checklist_move_to_version(checklists=[before_the_move], version=v2, by=checklist_admin)
    [after] = page_shift(client, before_the_move.admission).context["shift"].checklists
    assert after.checklist.version == v2
    assert (before.done_count, after.done_count) == (1, 1)
    assert after.due_count == before.due_count + 1  # the new item is due from v2 on


def test_what_the_previous_shift_left_survives_the_move_in_the_version_it_worked_on(
    client, nurse, before_the_move, checklist_admin
):
    client.force_login(nurse)
    left_before = page_shift(client, before_the_move.admission).context["shift"].left_by_previous_shift
    v2 = publish_v2(before_the_move.template, checklist_admin)
    services.checklist_move_to_version(checklists=[before_the_move], version=v2, by=checklist_admin)
    left_after = page_shift(client, before_the_move.admission).context["shift"].left_by_previous_shift
    assert left_before, "the night shift left items open"
    assert [s.item for s in left_after] == [s.item for s in left_before]  # v1's items and wording
    assert CALL_BELL not in {s.item.key for s in left_after}
    assert NEW_ITEM not in {s.item.text_ja for s in left_after}  # not the night shift's to do


def test_the_board_keeps_the_previous_shifts_gaps_after_the_move(client, nurse, before_the_move, checklist_admin):
    client.force_login(nurse)
    ward = before_the_move.admission.ward

    def left_on_board():
        rows = client.get(reverse("checklists:ward_board", args=[ward.pk])).context["rows"]
        return [s.item.key for row in rows if row.patient_shift for s in row.patient_shift.left_by_previous_shift]

    gaps = left_on_board()
    v2 = publish_v2(before_the_move.template, checklist_admin)
    services.checklist_move_to_version(checklists=[before_the_move], version=v2, by=checklist_admin)
    assert gaps and left_on_board() == gaps


def test_the_history_shows_one_row_per_item_across_the_move_with_the_change_marked(
    client, nurse, before_the_move, moved
):
    client.force_login(nurse)
    response = client.get(reverse("checklists:admission_history", args=[moved.admission_id]))
    [block] = response.context["blocks"]
    assert [c.version.number for c in block.chain] == [1, 2]
    keys = [row.item.key for row in block.rows]
    assert len(keys) == len(set(keys)) == moved.version.items.count()
    rows = {row.item.key: row for row in block.rows}
    cell = rows[BED_PATH].cells[0]  # 日勤 of 11-21, the shift of the move
    assert cell.record.status == "done" and cell.earlier.version.number == 1
    assert rows[BED_PATH].item.text_ja == NEW_WORDING
    assert [(number, old.text_ja) for number, old in rows[BED_PATH].earlier] == [(1, cell.earlier.text_ja)]
    assert rows[CALL_BELL].earlier == []  # same wording in both versions: nothing to add
    assert rows[CALL_BELL].cells[1].record.status == "done"  # 深夜 of 11-21, on v1
    assert [column.moved_to for column in block.columns[:2]] == [moved, None]
    page = response.content.decode()
    assert page.count('data-template="fall"') == 1
    assert 'data-moved-to="2"' in page and 'data-earlier-wording="1"' in page and "中止" not in page


def test_a_checklist_moved_twice_still_counts_what_v1_recorded(before_the_move, nurse, checklist_admin, clock):
    once = before_the_move.version.items.filter(frequency="once").first()
    services.item_record(checklist=before_the_move, item=once, status="done", by=nurse, at=clock.now)
    v2 = publish_v2(before_the_move.template, checklist_admin)
    [on_v2] = services.checklist_move_to_version(checklists=[before_the_move], version=v2, by=checklist_admin)
    draft = services.template_draft_create(template=v2.template, by=checklist_admin)
    v3 = services.template_publish(version=draft, by=checklist_admin, change_note="再公開")
    [on_v3] = services.checklist_move_to_version(checklists=[on_v2], version=v3, by=checklist_admin)
    admission = Admission.objects.for_shift_work().get(pk=on_v3.admission_id)
    ids = checklist_ids([admission])
    assert set(ids) == {before_the_move.pk, on_v2.pk, on_v3.pk}
    slot = shift_at(clock.now, ward=admission.ward)
    shift = patient_shift(admission, slot, slot)
    [progress] = shift.checklists
    states = {state.item.key: state for state in progress.items}
    assert states[once.key].status == "done" and states[once.key].item.version == v3
    assert states[BED_PATH].status == "done"
    assert CheckRecord.objects.filter(checklist__in=ids).count() == 3


def test_the_handover_of_the_shift_of_the_move_shows_the_checklist_once(client, nurse, moved):
    client.force_login(nurse)
    response = client.get(
        reverse("checklists:ward_handover", args=[moved.admission.ward_id]), {"date": "2026-11-21", "shift": "day"}
    )
    [entry] = response.context["entries"]
    [progress] = entry.patient_shift.checklists
    assert progress.checklist == moved
    earlier = client.get(
        reverse("checklists:ward_handover", args=[moved.admission.ward_id]), {"date": "2026-11-21", "shift": "night"}
    )
    [progress] = earlier.context["entries"][0].patient_shift.checklists
    assert progress.checklist.version.number == 1  # before the move, the version that ran


def test_the_old_version_reads_as_superseded_not_stopped(checklist_admin_client, moved):
    v1 = TemplateVersion.objects.get(template=moved.template, number=1)
    assert v1.status == "retired" and v1.get_status_display() == "Superseded"
    with translation.override("ja"):
        assert v1.get_status_display() == "旧版"
    checklist_admin_client.cookies.pop("django_language", None)
    page = checklist_admin_client.get(reverse("checklists:template_detail", args=[moved.template_id]))
    text = page.content.decode()
    assert "旧版" in text and "中止" not in text and "廃止" not in text
