"""When an assessment is due and when it is overdue (selectors/assessments.py), at each boundary:
within N days of admission (the delirium screen's 3 days: day 3 is due, day 4 overdue), after a
transfer, after a fall (the hook the fall-event service calls), after a changed condition a nurse
marks, and every N days per ward."""

from datetime import date, timedelta

import pytest

from checklists import selectors, services
from checklists.models import Admission, AuditEvent, ReassessmentTrigger, Scale, ScaleVersion

from .conftest import tokyo

pytestmark = pytest.mark.django_db

MFS_LOW = {
    "history-of-falling": "no",
    "secondary-diagnosis": "no",
    "ambulatory-aid": "none",
    "iv-therapy": "no",
    "gait": "normal",
    "mental-status": "oriented",
}


def status(admission, code, today: date):
    admissions = Admission.objects.filter(pk=admission.pk).select_related("patient")
    summary = selectors.assessment_summaries(admissions, today)[admission.pk]
    return next(s for s in summary.statuses if s.scale.code == code)


def fill_mfs(admission, nurse, at):
    version = ScaleVersion.objects.get(scale__code="morse-fall-scale", status="published")
    return services.assessment_record(admission=admission, version=version, answers=MFS_LOW, by=nurse, at=at)


# The conftest admission: 2026-11-20 10:00 (day 1).


@pytest.mark.parametrize(
    ("day", "state"),
    [(date(2026, 11, 20), "due"), (date(2026, 11, 22), "due"), (date(2026, 11, 23), "overdue")],
)
def test_the_delirium_screen_is_due_to_day_3_of_admission_and_overdue_on_day_4(admission, day, state):
    result = status(admission, "delirium-risk-screen", day)
    assert result.state == state
    assert result.due.reason == "admission"
    assert result.due.due_on == date(2026, 11, 22)


def test_the_morse_scale_is_due_on_the_day_of_admission_and_overdue_the_next(admission):
    assert status(admission, "morse-fall-scale", date(2026, 11, 20)).state == "due"
    assert status(admission, "morse-fall-scale", date(2026, 11, 21)).state == "overdue"


def test_a_wards_own_due_within_replaces_the_scales(admission, checklist_admin):
    scale = Scale.objects.get(code="delirium-risk-screen")
    services.ward_scale_setting_set(
        ward=admission.ward, scale=scale, due_within_days=2, reassess_every_days=None, cutoffs={}, by=checklist_admin
    )
    assert status(admission, "delirium-risk-screen", date(2026, 11, 21)).state == "due"
    assert status(admission, "delirium-risk-screen", date(2026, 11, 22)).state == "overdue"


def test_an_assessed_scale_is_up_to_date_until_its_reassessment_day(admission, nurse):
    fill_mfs(admission, nurse, tokyo(2026, 11, 20, 11, 0))  # MFS: every 7 days by default
    assert status(admission, "morse-fall-scale", date(2026, 11, 26)).state == "up_to_date"
    assert status(admission, "morse-fall-scale", date(2026, 11, 26)).next_due_on == date(2026, 11, 27)
    assert status(admission, "morse-fall-scale", date(2026, 11, 27)).state == "due"
    assert status(admission, "morse-fall-scale", date(2026, 11, 28)).state == "overdue"


def test_a_wards_reassessment_interval_replaces_the_scales(admission, nurse, checklist_admin):
    scale = Scale.objects.get(code="morse-fall-scale")
    services.ward_scale_setting_set(
        ward=admission.ward, scale=scale, due_within_days=1, reassess_every_days=3, cutoffs={}, by=checklist_admin
    )
    fill_mfs(admission, nurse, tokyo(2026, 11, 20, 11, 0))
    assert status(admission, "morse-fall-scale", date(2026, 11, 22)).state == "up_to_date"
    assert status(admission, "morse-fall-scale", date(2026, 11, 23)).state == "due"


def test_a_transfer_makes_the_morse_scale_due_that_day_and_the_next_then_overdue(admission, nurse, beds):
    fill_mfs(admission, nurse, tokyo(2026, 11, 20, 11, 0))
    services.admission_transfer(admission=admission, bed=beds[2], by=nurse, at=tokyo(2026, 11, 21, 15, 0))
    assert status(admission, "morse-fall-scale", date(2026, 11, 21)).state == "due"
    assert status(admission, "morse-fall-scale", date(2026, 11, 21)).due.reason == "transfer"
    assert status(admission, "morse-fall-scale", date(2026, 11, 22)).state == "due"
    assert status(admission, "morse-fall-scale", date(2026, 11, 23)).state == "overdue"
    fill_mfs(admission, nurse, tokyo(2026, 11, 21, 16, 0))
    assert status(admission, "morse-fall-scale", date(2026, 11, 23)).state == "up_to_date"


def test_a_transfer_before_the_latest_assessment_does_not_make_it_due(admission, nurse, beds):
    services.admission_transfer(admission=admission, bed=beds[2], by=nurse, at=tokyo(2026, 11, 20, 10, 30))
    fill_mfs(admission, nurse, tokyo(2026, 11, 20, 11, 0))
    assert status(admission, "morse-fall-scale", date(2026, 11, 21)).state == "up_to_date"


def test_the_fall_hook_makes_the_morse_scale_due_and_leaves_the_swallowing_screen(admission, nurse):
    fill_mfs(admission, nurse, tokyo(2026, 11, 20, 11, 0))
    swallowing = ScaleVersion.objects.get(scale__code="swallowing-screen", status="published")
    services.assessment_record(
        admission=admission, version=swallowing, answers={"result": "mwst-5"}, by=nurse, at=tokyo(2026, 11, 20, 11, 0)
    )
    trigger = services.fall_event_reassessment_due(admission=admission, by=nurse, at=tokyo(2026, 11, 24, 2, 0))
    assert trigger.kind == ReassessmentTrigger.Kind.FALL
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REASSESSMENT_DUE).count() == 1
    mfs = status(admission, "morse-fall-scale", date(2026, 11, 24))
    assert (mfs.state, mfs.due.reason) == ("due", "fall")
    assert status(admission, "morse-fall-scale", date(2026, 11, 25)).state == "due"
    assert status(admission, "morse-fall-scale", date(2026, 11, 26)).state == "overdue"
    assert status(admission, "swallowing-screen", date(2026, 11, 24)).state == "up_to_date"


def test_a_changed_condition_makes_every_scale_that_says_so_due(admission, nurse):
    fill_mfs(admission, nurse, tokyo(2026, 11, 20, 11, 0))
    with pytest.raises(services.ValidationError):
        services.condition_change_note(admission=admission, by=nurse, note="  ")
    services.condition_change_note(admission=admission, by=nurse, note="意識レベル低下", at=tokyo(2026, 11, 22, 9, 0))
    result = status(admission, "morse-fall-scale", date(2026, 11, 22))
    assert (result.state, result.due.reason) == ("due", "condition_changed")
    assert status(admission, "morse-fall-scale", date(2026, 11, 23)).state == "due"
    assert status(admission, "morse-fall-scale", date(2026, 11, 24)).state == "overdue"


def test_the_summaries_of_a_whole_ward_take_five_queries(admission, django_assert_num_queries):
    admissions = list(Admission.objects.select_related("patient"))
    with django_assert_num_queries(5):
        summaries = selectors.assessment_summaries(admissions, date(2026, 11, 20) + timedelta(days=1))
    due = summaries[admission.pk].due
    assert {s.scale.code for s in due} == {"morse-fall-scale", "delirium-risk-screen", "swallowing-screen"}
    assert {s.scale.code for s in due if s.is_overdue} == {"morse-fall-scale", "swallowing-screen"}
