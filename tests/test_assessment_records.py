"""Filling an assessment: scored and banded with the ward's cut-offs, append-only, audited in
the same transaction; a band or an answer notes a risk factor, and the proposals follow."""

import pytest
from django.utils import timezone

from checklists import scale_content, selectors, services
from checklists.models import (
    Admission,
    Assessment,
    AssessmentAnswer,
    AuditEvent,
    ChecklistTemplate,
    Scale,
    ScaleVersion,
)

from .conftest import tokyo
from .factories import CHILD_BIRTH_DATE

pytestmark = pytest.mark.django_db

MFS_HIGH = {
    "history-of-falling": "yes",
    "secondary-diagnosis": "yes",
    "ambulatory-aid": "none",
    "iv-therapy": "yes",
    "gait": "normal",
    "mental-status": "oriented",
}  # 25 + 15 + 20 = 60
MFS_LOW = dict.fromkeys(MFS_HIGH, None) | {
    "history-of-falling": "no",
    "secondary-diagnosis": "no",
    "ambulatory-aid": "none",
    "iv-therapy": "no",
    "gait": "normal",
    "mental-status": "oriented",
}


def version(code):
    return ScaleVersion.objects.get(scale__code=code, status="published")


def proposed_codes(admission):
    admission = Admission.objects.for_shift_work().get(pk=admission.pk)
    templates = ChecklistTemplate.objects.prefetch_related("triggers")
    return {p.template.code for p in selectors.proposals_for(admission, templates) if p.is_proposed}


def test_a_high_morse_result_is_recorded_with_its_answers_total_and_band(admission, nurse):
    assessment = services.assessment_record(
        admission=admission, version=version("morse-fall-scale"), answers=MFS_HIGH, by=nurse
    )
    assert (assessment.total, assessment.band.key, assessment.recorded_by) == (60, "high", nurse)
    answers = {a.question.key: a.option.key for a in AssessmentAnswer.objects.filter(assessment=assessment)}
    assert answers == MFS_HIGH
    event = AuditEvent.objects.get(action=AuditEvent.Action.ASSESSMENT_RECORDED)
    assert event.data["total"] == 60
    assert event.data["band"] == "high"
    assert event.data["noted_factors"] == ["fall_high_risk"]


def test_a_high_morse_band_notes_high_fall_risk_and_fall_prevention_is_proposed(content, beds, nurse, factors):
    admission = services.patient_admit(
        hospital_id="H9", name="高橋 一", birth_date=tokyo(1950, 1, 1).date(), bed=beds[1], by=nurse
    )
    assert "fall" not in proposed_codes(admission)
    services.assessment_record(admission=admission, version=version("morse-fall-scale"), answers=MFS_HIGH, by=nurse)
    noted = {n.risk_factor.code for n in admission.risk_factor_notes.active()}
    assert "fall_high_risk" in noted
    assert "fall" in proposed_codes(admission)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RISK_FACTOR_NOTED).exists()


def test_a_low_morse_result_notes_nothing(admission, nurse):
    before = set(admission.risk_factor_notes.values_list("risk_factor__code", flat=True))
    assessment = services.assessment_record(
        admission=admission, version=version("morse-fall-scale"), answers=MFS_LOW, by=nurse
    )
    assert assessment.band.key == "low"
    assert set(admission.risk_factor_notes.values_list("risk_factor__code", flat=True)) == before


def test_one_yes_on_the_delirium_screen_proposes_delirium_prevention(content, beds, nurse):
    admission = services.patient_admit(
        hospital_id="H8", name="鈴木 二", birth_date=tokyo(1980, 1, 1).date(), bed=beds[2], by=nurse
    )
    screen = version("delirium-risk-screen")
    answers = dict.fromkeys(screen.questions.values_list("key", flat=True), "no") | {"risk-drugs": "yes"}
    assessment = services.assessment_record(admission=admission, version=screen, answers=answers, by=nurse)
    assert assessment.band.key == "high"
    assert "delirium" in proposed_codes(admission)


def test_an_mwst_grade_of_3_proposes_aspiration_prevention(content, beds, nurse):
    admission = services.patient_admit(
        hospital_id="H7", name="田中 三", birth_date=tokyo(1980, 1, 1).date(), bed=beds[3], by=nurse
    )
    services.assessment_record(
        admission=admission, version=version("swallowing-screen"), answers={"result": "mwst-3"}, by=nurse
    )
    assert "aspiration" in proposed_codes(admission)


def test_a_wards_own_cutoffs_band_the_result(admission, nurse, checklist_admin):
    mfs = Scale.objects.get(code="morse-fall-scale")
    services.ward_scale_setting_set(
        ward=admission.ward,
        scale=mfs,
        due_within_days=1,
        reassess_every_days=7,
        cutoffs={"low": 0, "moderate": 25, "high": 65},
        by=checklist_admin,
    )
    assessment = services.assessment_record(
        admission=admission, version=version("morse-fall-scale"), answers=MFS_HIGH, by=nurse
    )
    assert assessment.band.key == "moderate"


def test_a_ward_cannot_set_bands_out_of_order(admission, checklist_admin):
    mfs = Scale.objects.get(code="morse-fall-scale")
    with pytest.raises(services.ValidationError):
        services.ward_scale_setting_set(
            ward=admission.ward,
            scale=mfs,
            due_within_days=1,
            reassess_every_days=None,
            cutoffs={"moderate": 50, "high": 40},
            by=checklist_admin,
        )


def test_every_question_must_be_answered_and_nothing_is_written_otherwise(admission, nurse):
    answers = dict(MFS_HIGH)
    del answers["gait"]
    with pytest.raises(services.ValidationError):
        services.assessment_record(admission=admission, version=version("morse-fall-scale"), answers=answers, by=nurse)
    with pytest.raises(services.ValidationError):
        services.assessment_record(
            admission=admission,
            version=version("morse-fall-scale"),
            answers=MFS_HIGH | {"gait": "not-an-answer"},
            by=nurse,
        )
    assert not Assessment.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ASSESSMENT_RECORDED).exists()


def test_a_child_gets_no_morse_band(content, beds, nurse):
    child = services.patient_admit(
        hospital_id="C1", name="小児 太郎", birth_date=CHILD_BIRTH_DATE, bed=beds[1], by=nurse
    )
    with pytest.raises(services.ValidationError, match="validated"):
        services.assessment_record(admission=child, version=version("morse-fall-scale"), answers=MFS_HIGH, by=nurse)
    [summary] = selectors.assessment_summaries(Admission.objects.filter(pk=child.pk).select_related("patient")).values()
    mfs = next(s for s in summary.statuses if s.scale.code == "morse-fall-scale")
    assert mfs.not_validated
    assert not mfs.is_due
    assert mfs.band is None


def test_a_correction_is_a_new_assessment_that_needs_a_reason(admission, nurse):
    first = services.assessment_record(
        admission=admission, version=version("morse-fall-scale"), answers=MFS_HIGH, by=nurse
    )
    with pytest.raises(services.ValidationError):
        services.assessment_correct(assessment=first, answers=MFS_LOW, by=nurse, note="")
    correction = services.assessment_correct(assessment=first, answers=MFS_LOW, by=nurse, note="転倒歴を取り違えた")
    assert correction.corrects == first
    assert (correction.total, correction.band.key) == (0, "low")
    assert list(Assessment.objects.standing()) == [correction]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ASSESSMENT_CORRECTED).count() == 1
    with pytest.raises(services.ValidationError):
        services.assessment_correct(assessment=first, answers=MFS_LOW, by=nurse, note="again")


def test_a_retired_version_cannot_be_filled(admission, nurse, checklist_admin):
    old = version("morse-fall-scale")
    document = services.scale_document(ScaleVersion.objects.with_content().get(pk=old.pk))
    spec = scale_content.parse_scale(document, factor_codes={"fall_high_risk"})
    draft = services.scale_import(spec=spec, by=checklist_admin)
    services.scale_publish(version=draft, by=checklist_admin, change_note="v2")
    with pytest.raises(services.ValidationError):
        services.assessment_record(admission=admission, version=old, answers=MFS_HIGH, by=nurse)


def test_nothing_is_assessed_on_a_discharged_stay(admission, nurse):
    services.admission_discharge(admission=admission, by=nurse, at=timezone.now())
    with pytest.raises(services.ValidationError):
        services.assessment_record(admission=admission, version=version("morse-fall-scale"), answers=MFS_HIGH, by=nurse)
