"""The board at a glance: 「チェックリスト未確認」 for a patient with factors and no checklist,
critical items amber from the ward's warning time and red at its overdue time, my patients as a
nurse's default board once she has any, the filters and the search; 受け持ち assigned by the
leader (audited, append-only history) and taken by a nurse."""

import pytest
from django.urls import reverse
from django.utils import timezone

from checklists import services
from checklists.forms import SlotForm
from checklists.middleware import IdleSessionMiddleware
from checklists.models import AuditEvent, CareAssignment, ChecklistTemplate, ScaleVersion

from .conftest import tokyo
from .factories import ADULT_BIRTH_DATE, MFS_HIGHEST, LeaderFactory, NurseFactory

pytestmark = pytest.mark.django_db


def board(client, ward, **query):
    return client.get(reverse("checklists:ward_board", args=[ward.pk]), query)


def slot_of(ward):
    return SlotForm(ward=ward).slot


@pytest.fixture
def second(content, beds, nurse, factors):
    """Another patient, in bed 402, with a factor but no checklist confirmed."""
    return services.patient_admit(
        hospital_id="H200",
        name="佐藤 花",
        name_kana="サトウ ハナ",
        birth_date=ADULT_BIRTH_DATE,
        bed=beds[1],
        risk_factors=[factors["restlessness"]],
        by=nurse,
        at=tokyo(2026, 11, 20, 11, 0),
    )


def test_a_patient_with_factors_but_no_checklist_is_flagged_not_green(
    client, nurse, fall_checklist, second, frozen_clock
):
    client.force_login(nurse)
    rows = {row.bed.code: row for row in board(client, nurse.wards.get()).context["board"].rows}
    assert rows["402"].unconfirmed and not rows["401"].unconfirmed
    html = board(client, nurse.wards.get()).content.decode()
    assert html.count('data-testid="unconfirmed"') == 1
    assert "チェックリスト未確認" in html


@pytest.mark.parametrize(
    ("moment", "urgency"),
    [((2026, 11, 21, 10, 0), ""), ((2026, 11, 21, 15, 30), "warning"), ((2026, 11, 21, 16, 10), "overdue")],
)
def test_open_critical_items_turn_amber_then_red_by_the_wards_thresholds(
    client, content, ward, beds, nurse, fall, monkeypatch, moment, urgency
):
    """Admitted in this day shift (nothing left by the night): only the clock decides."""
    ward.overdue_warning_minutes, ward.overdue_minutes = 120, 60  # the day shift ends 17:00
    ward.save()
    monkeypatch.setattr(timezone, "now", lambda: tokyo(2026, 11, 21, 9, 30))
    admission = services.patient_admit(
        hospital_id="H300", name="新井 一", birth_date=ADULT_BIRTH_DATE, bed=beds[2], risk_factors=[], by=nurse
    )
    services.checklist_start(admission=admission, template=fall, by=nurse)
    monkeypatch.setattr(timezone, "now", lambda: tokyo(*moment))
    client.force_login(nurse)
    row = next(row for row in board(client, ward).context["board"].rows if row.admission)
    assert row.patient_shift.open_critical and not row.critical_left
    assert row.urgency == urgency


def test_my_patients_is_the_default_board_once_a_nurse_has_any(client, nurse, fall_checklist, second, frozen_clock):
    ward = fall_checklist.admission.ward
    client.force_login(nurse)
    assert len(board(client, ward).context["board"].shown) == 4  # the whole ward, empty beds too
    services.care_assign(admission=second, slot=slot_of(ward), nurse=nurse, by=nurse)
    shown = board(client, ward).context["board"].shown
    assert [row.bed.code for row in shown] == ["402"]
    assert len(board(client, ward, show="all").context["board"].shown) == 4


@pytest.mark.parametrize("typed", ["佐藤", "サトウ", "ｻﾄｳ", "402", "h-200", "Ｈ２００"])
def test_the_search_finds_by_name_reading_bed_or_hospital_id(
    client, nurse, fall_checklist, second, frozen_clock, typed
):
    client.force_login(nurse)
    shown = board(client, fall_checklist.admission.ward, q=typed).context["board"].shown
    assert [row.bed.code for row in shown] == ["402"]


def test_the_critical_filter_keeps_patients_with_critical_items_open(
    client, nurse, fall_checklist, second, frozen_clock
):
    client.force_login(nurse)
    shown = board(client, fall_checklist.admission.ward, critical="on").context["board"].shown
    assert [row.bed.code for row in shown] == ["401"]
    nothing = board(client, fall_checklist.admission.ward, high_risk="on")  # no assessment yet: no risk level
    assert nothing.context["board"].shown == [] and 'data-testid="no-rows"' in nothing.content.decode()


def test_the_high_risk_filter_keeps_patients_whose_latest_assessment_is_high_risk(
    client, nurse, fall_checklist, second, frozen_clock
):
    mfs = ScaleVersion.objects.get(scale__code="morse-fall-scale", status="published")
    high = MFS_HIGHEST
    low = {
        "history-of-falling": "no",
        "secondary-diagnosis": "no",
        "ambulatory-aid": "none",
        "iv-therapy": "no",
        "gait": "normal",
        "mental-status": "oriented",
    }
    services.assessment_record(admission=second, version=mfs, answers=high, by=nurse)
    services.assessment_record(admission=fall_checklist.admission, version=mfs, answers=low, by=nurse)
    client.force_login(nurse)
    response = board(client, fall_checklist.admission.ward, high_risk="on")
    assert [row.bed.code for row in response.context["board"].shown] == ["402"]
    assert "assessment-chip high" in response.content.decode()


def test_the_leader_assigns_and_the_history_is_kept(client, nurse, fall_checklist, frozen_clock):
    ward, admission = fall_checklist.admission.ward, fall_checklist.admission
    leader = LeaderFactory(username="leader-a")
    other = NurseFactory(username="nurse-z", first_name="花子", last_name="看護")
    ward.staff.add(leader, other)
    client.force_login(leader)
    url = reverse("checklists:ward_assignments", args=[ward.pk])
    assert client.post(url, {f"nurse_{admission.pk}": str(nurse.pk)}).status_code == 302
    assert client.post(url, {f"nurse_{admission.pk}": str(other.pk)}).status_code == 302
    history = list(CareAssignment.objects.filter(admission=admission).values_list("nurse__username", flat=True))
    assert history == ["nurse-a", "nurse-z"]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CARE_ASSIGNED, admission=admission).count() == 2
    client.force_login(nurse)
    html = board(client, ward, show="all").content.decode()
    assert "看護 花子" in html  # family name first
    assert client.post(url, {f"nurse_{admission.pk}": str(nurse.pk)}).status_code == 403


def test_a_leader_cannot_assign_a_nurse_of_another_ward(client, fall_checklist, frozen_clock):
    ward, admission = fall_checklist.admission.ward, fall_checklist.admission
    leader = LeaderFactory(username="leader-a")
    outsider = NurseFactory(username="nurse-out")
    ward.staff.add(leader)
    with pytest.raises(services.ValidationError):
        services.care_assign(admission=admission, slot=slot_of(ward), nurse=outsider, by=leader)
    assert not CareAssignment.objects.exists()


def test_a_nurse_takes_a_patient_and_gives_the_patient_up(client, nurse, fall_checklist, frozen_clock):
    ward, admission = fall_checklist.admission.ward, fall_checklist.admission
    client.force_login(nurse)
    take = reverse("checklists:care_take", args=[admission.pk])
    assert client.post(take, {"action": "take"}).url == reverse("checklists:ward_board", args=[ward.pk])
    assert CareAssignment.objects.current_by_admission([admission], slot_of(ward)) == {admission.pk: nurse}
    client.post(take, {"action": "release"})
    assert CareAssignment.objects.current_by_admission([admission], slot_of(ward)) == {}
    assert CareAssignment.objects.count() == 2  # both kept
    assert client.post(take, {"action": "steal"}).status_code == 302  # refused with a message, no 500
    assert CareAssignment.objects.count() == 2


def test_a_poll_does_not_keep_the_session_alive(client, nurse, fall_checklist, frozen_clock):
    client.force_login(nurse)
    seen = client.session[IdleSessionMiddleware.SEEN_KEY]
    response = board(client, fall_checklist.admission.ward)
    assert 'hx-trigger="every 20s"' in response.content.decode()
    assert """hx-headers='{"X-WardSafe-Poll": "1"}'""" in response.content.decode()
    assert client.session[IdleSessionMiddleware.SEEN_KEY] == seen


def test_handover_notes_and_acknowledgements_are_audited_and_kept(nurse, fall_checklist, frozen_clock):
    admission, slot = fall_checklist.admission, slot_of(fall_checklist.admission.ward)
    services.handover_note_write(admission=admission, slot=slot, text="夜間トイレ歩行あり", by=nurse)
    services.handover_note_write(admission=admission, slot=slot, text="夜間トイレ歩行あり、付き添い要", by=nurse)
    first = services.handover_acknowledge(admission=admission, slot=slot, by=nurse)
    assert services.handover_acknowledge(admission=admission, slot=slot, by=nurse) == first  # once per nurse
    assert admission.handover_notes.count() == 2
    actions = AuditEvent.objects.filter(admission=admission).values_list("action", flat=True)
    assert list(actions).count(AuditEvent.Action.HANDOVER_NOTE_WRITTEN) == 2
    assert list(actions).count(AuditEvent.Action.HANDOVER_ACKNOWLEDGED) == 1
    with pytest.raises(services.ValidationError):
        services.handover_note_write(admission=admission, slot=slot, text="あ" * 1001, by=nurse)


def test_a_patient_on_several_checklists_shows_the_shifts_total_and_each_checklist(
    client, nurse, fall_checklist, frozen_clock
):
    aspiration = services.checklist_start(
        admission=fall_checklist.admission, template=ChecklistTemplate.objects.get(code="aspiration"), by=nurse
    )
    item = fall_checklist.version.items.get(key="call-bell-within-reach")
    services.item_record(checklist=fall_checklist, item=item, status="done", by=nurse)
    client.force_login(nurse)
    response = board(client, fall_checklist.admission.ward)
    row = next(row for row in response.context["board"].rows if row.bed.code == "401")
    assert [bar.progress.template.code for bar in row.bars] == ["fall", "aspiration"]
    assert row.done_count == 1
    assert row.due_count == sum(bar.progress.due_count for bar in row.bars) > 1
    html = response.content.decode()
    assert f"全体 1/{row.due_count}" in html
    assert aspiration.template.name_ja in html


def test_the_board_shows_no_total_for_a_patient_on_one_checklist(client, nurse, fall_checklist, frozen_clock):
    client.force_login(nurse)
    assert 'data-testid="bar-total"' not in board(client, fall_checklist.admission.ward).content.decode()
