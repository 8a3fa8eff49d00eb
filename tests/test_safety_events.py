"""A nurse records a fall, a suspected aspiration or a delirium episode on a stay; the event is
filed under the ward the patient lay on then, remembers the checklists running then, is audited
in the same transaction, and is corrected (or withdrawn) by a new entry, never rewritten. A
fall notes the risk factor "fell during this stay"."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from checklists import selectors, services
from checklists.models import (
    AdmissionRiskFactor,
    AuditEvent,
    ChecklistTemplate,
    ReassessmentTrigger,
    SafetyEvent,
    ScaleVersion,
    TeachBackAudit,
)
from checklists.services import events

from .conftest import tokyo
from .factories import BedFactory, WardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fall_event(fall_checklist, nurse, injury_levels):
    return services.safety_event_record(
        admission=fall_checklist.admission,
        kind="fall",
        occurred_at=tokyo(2026, 11, 21, 3, 10),
        place="toilet",
        description="トイレ前で尻もち",
        witness="nobody",
        injury_level=injury_levels["2"],
        immediate_actions="バイタル測定、医師に報告",
        by=nurse,
    )


def test_a_fall_is_recorded_with_the_checklists_running_then_and_an_audit_row(fall_event, fall_checklist):
    assert fall_event.ward == fall_checklist.admission.ward
    assert fall_event.occurred_on.isoformat() == "2026-11-21"
    assert fall_event.active_checklists == [
        {"checklist": fall_checklist.pk, "template": "fall", "version": fall_checklist.version.number}
    ]
    audit = AuditEvent.objects.get(action=AuditEvent.Action.SAFETY_EVENT_RECORDED)
    assert (audit.object_id, audit.admission_id, audit.data["injury_level"]) == (
        str(fall_event.pk),
        fall_event.admission_id,
        "2",
    )


def test_a_fall_notes_the_recent_fall_factor_once(fall_event, nurse, injury_levels):
    admission = fall_event.admission
    services.safety_event_record(
        admission=admission,
        kind="fall",
        occurred_at=tokyo(2026, 11, 21, 5, 0),
        place="bedside",
        description="再度転倒",
        witness="staff",
        injury_level=injury_levels["0"],
        by=nurse,
    )
    notes = AdmissionRiskFactor.objects.active().filter(admission=admission, risk_factor__code=services.RECENT_FALL)
    assert notes.count() == 1
    assert notes.get().noted_at == tokyo(2026, 11, 21, 3, 10)


def test_aspiration_and_delirium_do_not_note_a_fall_nor_keep_an_injury_level(admission, nurse, injury_levels):
    event = services.safety_event_record(
        admission=admission,
        kind="aspiration",
        occurred_at=tokyo(2026, 11, 21, 8, 0),
        place="bedside",
        description="朝食時にむせ、SpO2低下",
        witness="staff",
        injury_level=injury_levels["3b"],
        by=nurse,
    )
    assert event.injury_level is None
    assert not AdmissionRiskFactor.objects.filter(admission=admission, risk_factor__code=services.RECENT_FALL).exists()


def test_the_event_is_filed_under_the_ward_the_patient_lay_on_then(admission, nurse, injury_levels, beds):
    other = WardFactory(code="west-2", name="西2病棟")
    other.staff.add(nurse)
    services.admission_transfer(
        admission=admission, bed=BedFactory(ward=other, code="201"), by=nurse, at=tokyo(2026, 11, 21, 12)
    )
    before = services.safety_event_record(
        admission=admission,
        kind="delirium",
        occurred_at=tokyo(2026, 11, 21, 2, 0),
        place="bedside",
        description="夜間不穏",
        witness="staff",
        by=nurse,
    )
    assert before.ward == beds[0].ward


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"injury_level": None}, "injury level"),
        ({"occurred_at": tokyo(2027, 1, 1, 0, 0)}, "future"),
        ({"occurred_at": tokyo(2026, 11, 19, 0, 0)}, "before the admission"),
        ({"description": "  "}, "Say what happened"),
        ({"place": "roof"}, "where"),
        ({"kind": "burn"}, "Choose what happened"),
    ],
)
def test_a_wrong_event_is_refused_and_nothing_is_written(
    admission, nurse, frozen_clock, injury_levels, changes, message
):
    data = {
        "injury_level": injury_levels["1"],
        "admission": admission,
        "kind": "fall",
        "occurred_at": tokyo(2026, 11, 21, 3, 0),
        "place": "bedside",
        "description": "転倒",
        "witness": "nobody",
        "by": nurse,
    } | changes
    with pytest.raises(services.ValidationError, match=message):
        services.safety_event_record(**data)
    assert not SafetyEvent.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SAFETY_EVENT_RECORDED).exists()


def test_no_event_is_recorded_on_a_discharged_stay(admission, nurse, injury_levels):
    services.admission_discharge(admission=admission, by=nurse, at=tokyo(2026, 11, 22, 10))
    with pytest.raises(services.ValidationError, match="discharged"):
        services.safety_event_record(
            admission=admission,
            kind="fall",
            occurred_at=tokyo(2026, 11, 21, 3, 0),
            place="bedside",
            description="転倒",
            witness="nobody",
            injury_level=injury_levels["1"],
            by=nurse,
        )


def test_a_correction_is_a_new_entry_and_the_old_one_stops_counting(fall_event, nurse, injury_levels):
    correction = services.safety_event_correct(
        event=fall_event, reason="骨折が判明", injury_level=injury_levels["3b"], by=nurse
    )
    assert correction.corrects == fall_event
    assert (correction.description, correction.place) == (fall_event.description, fall_event.place)
    assert list(SafetyEvent.objects.standing()) == [correction]
    assert SafetyEvent.objects.count() == 2
    with pytest.raises(services.ValidationError, match="already corrected"):
        services.safety_event_correct(event=fall_event, reason="再訂正", by=nurse)
    shown = selectors.stay_events(fall_event.admission)
    assert [(e.pk, e.replaced) for e in shown.events] == [(correction.pk, False), (fall_event.pk, True)]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SAFETY_EVENT_CORRECTED).count() == 1


def test_a_withdrawn_event_no_longer_counts(fall_event, nurse):
    services.safety_event_correct(event=fall_event, reason="別患者の記録だった", withdraw=True, by=nurse)
    assert not SafetyEvent.objects.standing().exists()
    assert selectors.stay_events(fall_event.admission).standing == []


def test_a_correction_needs_a_reason(fall_event, nurse):
    with pytest.raises(services.ValidationError, match="reason"):
        services.safety_event_correct(event=fall_event, reason=" ", by=nurse)
    assert SafetyEvent.objects.count() == 1


def test_a_teach_back_audit_is_compliant_only_with_three_yes(admission, nurse):
    yes = services.teach_back_record(
        admission=admission,
        asked="family",
        names_risks=True,
        names_plan=True,
        sheet_current=True,
        by=nurse,
        at=tokyo(2026, 11, 21, 11),
    )
    no = services.teach_back_record(
        admission=admission,
        asked="patient",
        names_risks=True,
        names_plan=True,
        sheet_current=False,
        by=nurse,
        at=tokyo(2026, 11, 21, 12),
    )
    assert (yes.is_compliant, no.is_compliant) == (True, False)
    assert yes.ward == admission.ward
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TEACH_BACK_RECORDED).count() == 2
    assert TeachBackAudit.objects.count() == 2


def test_the_recent_fall_factor_is_created_once_and_the_content_loader_leaves_it(fall_event, nurse):

    factor = services.recent_fall_factor()
    call_command("load_content", verbosity=0)
    assert services.recent_fall_factor().pk == factor.pk
    assert ChecklistTemplate.objects.filter(code="fall").exists()


def test_a_failed_audit_write_leaves_no_event(admission, nurse, injury_levels, monkeypatch):

    def broken(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(events, "audit_event_write", broken)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.safety_event_record(
            admission=admission,
            kind="fall",
            occurred_at=tokyo(2026, 11, 21, 3, 0),
            place="bedside",
            description="転倒",
            witness="nobody",
            injury_level=injury_levels["1"],
            by=nurse,
        )
    assert not SafetyEvent.objects.exists()


def test_a_fall_makes_the_fall_scale_due_again_in_the_same_transaction(fall_checklist, nurse, injury_levels):
    """The assessments' hook: a fall is a reason to reassess the scales marked "after a fall"."""
    admission = fall_checklist.admission
    mfs = ScaleVersion.objects.get(scale__code="morse-fall-scale", status="published")
    answers = {
        "history-of-falling": "no",
        "secondary-diagnosis": "no",
        "ambulatory-aid": "none",
        "iv-therapy": "no",
        "gait": "normal",
        "mental-status": "oriented",
    }
    services.assessment_record(admission=admission, version=mfs, answers=answers, by=nurse)

    def mfs_due() -> bool:
        summary = selectors.assessment_summaries([admission])[admission.pk]
        return any(status.scale.code == "morse-fall-scale" for status in summary.due)

    assert not mfs_due()
    fall = services.safety_event_record(
        admission=admission,
        kind="fall",
        occurred_at=timezone.now(),
        place="toilet",
        description="トイレ前で尻もち",
        witness="nobody",
        injury_level=injury_levels["1"],
        by=nurse,
    )
    trigger = ReassessmentTrigger.objects.get(admission=admission, kind=ReassessmentTrigger.Kind.FALL)
    assert trigger.at == fall.occurred_at
    assert mfs_due()
