"""What nurses write about assessments: a filled assessment (scored and banded with the ward's
cut-offs), its correction (a new assessment pointing at the old one), a changed condition that
makes assessments due again, and the hook the fall-event service calls after a fall.

A band or an answer may note a risk factor on the stay (MFS high → 転倒高リスク): that goes
through ``stays.admission_risk_factor_note`` in the same transaction, so the proposals read it
as any other noted factor.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Admission,
    Assessment,
    AssessmentAnswer,
    AuditEvent,
    ReassessmentTrigger,
    ScaleBand,
    ScaleOption,
    ScaleVersion,
    WardScaleSetting,
)
from ..models.assessment_records import ASSESSMENT_ALREADY_CORRECTED, CORRECTION_NEEDS_A_REASON
from .audit import audit_event_write
from .stays import admission_risk_factor_note, ensure_admission_open
from .ward_changes import ward_changed

NOTE_MAX_LENGTH = 1000


@dataclass(frozen=True)
class Score:
    total: int
    band: ScaleBand


def band_for(total: int, bands: list[ScaleBand], cutoffs: Mapping[str, int] | None = None) -> ScaleBand:
    """The band a total falls in: the band with the highest minimum not above the total; a
    ward's cut-offs (band key → minimum) replace the version's minimums."""
    cutoffs = cutoffs or {}
    ordered = sorted(bands, key=lambda band: (cutoffs.get(band.key, band.min_total), band.pk or 0))
    chosen = ordered[0]
    for band in ordered:
        if cutoffs.get(band.key, band.min_total) <= total:
            chosen = band
    return chosen


def ward_cutoffs(ward, scale) -> dict[str, int]:
    setting = WardScaleSetting.objects.filter(ward=ward, scale=scale).prefetch_related("cutoffs").first()
    return setting.cutoff_by_band_key() if setting else {}


def assessment_score(*, version: ScaleVersion, options: list[ScaleOption], cutoffs=None) -> Score:
    total = sum(option.points for option in options)
    return Score(total=total, band=band_for(total, list(version.bands.all()), cutoffs))


def _chosen_options(version: ScaleVersion, answers: Mapping) -> list[ScaleOption]:
    """The option chosen for each question (``answers``: question key or pk → option key or pk),
    every question answered once with one of its own options."""
    chosen = []
    missing = []
    for question in version.questions.all():
        wanted = answers.get(question.key, answers.get(question.pk))
        option = next((o for o in question.options.all() if wanted in (o.key, o.pk, str(o.pk))), None)
        if option is None:
            missing.append(question.text)
        else:
            chosen.append(option)
    if missing:
        raise ValidationError(_("Answer every question: %(questions)s") % {"questions": "、".join(missing)})
    return chosen


def _clean_note(note: str, *, required: bool) -> str:
    note = (note or "").strip()
    if "\x00" in note:
        raise ValidationError(_("The note contains a character that cannot be stored."))
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(_("Keep the note under %(max)d characters.") % {"max": NOTE_MAX_LENGTH})
    if required and not note:
        raise ValidationError(CORRECTION_NEEDS_A_REASON)
    return note


def _note_factors(assessment: Assessment, options: list[ScaleOption], by, at) -> list[str]:
    factors = [option.notes_factor for option in options if option.notes_factor_id]
    if assessment.band.notes_factor_id:
        factors.append(assessment.band.notes_factor)
    noted = []
    for factor in {factor.pk: factor for factor in factors}.values():
        admission_risk_factor_note(admission=assessment.admission, risk_factor=factor, by=by, at=at)
        noted.append(factor.code)
    return noted


def _write(*, admission, version, options, by, at, note, corrects=None) -> Assessment:
    score = assessment_score(version=version, options=options, cutoffs=ward_cutoffs(admission.ward, version.scale))
    now = timezone.now()
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                admission=admission,
                version=version,
                total=score.total,
                band=score.band,
                assessed_at=at or now,
                recorded_at=now,
                recorded_by=by,
                note=note,
                corrects=corrects,
            )
    except IntegrityError as error:
        raise ValidationError(ASSESSMENT_ALREADY_CORRECTED) from error
    AssessmentAnswer.objects.bulk_create(
        [AssessmentAnswer(assessment=assessment, question_id=o.question_id, option=o) for o in options]
    )
    noted = _note_factors(assessment, options, by, at or now)
    assessment.noted_factor_codes = noted  # for the page that says what was noted
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.ASSESSMENT_CORRECTED if corrects else AuditEvent.Action.ASSESSMENT_RECORDED,
        obj=assessment,
        ward=admission.ward,
        admission=admission,
        data={
            "scale": version.scale.code,
            "version": version.number,
            "answers": {option.question.key: option.key for option in options},
            "total": score.total,
            "band": score.band.key,
            "noted_factors": noted,
            **({"corrects": corrects.pk} if corrects else {}),
        },
    )
    ward_changed(admission.ward_id, stay=admission)  # the board's risk chips and due assessments
    return assessment


def _fresh(admission: Admission) -> Admission:
    """The stay as the database has it now (a page's copy may predate a discharge)."""
    return Admission.objects.select_related("ward", "patient").get(pk=admission.pk)


def _content(version_pk: int) -> ScaleVersion:
    return ScaleVersion.objects.with_content().get(pk=version_pk)


@transaction.atomic
def assessment_record(*, admission: Admission, version: ScaleVersion, answers: Mapping, by, note: str = "", at=None):
    """Score the answers on the published ``version``, band the total with the ward's cut-offs,
    append the assessment with its answers and note the risk factors it names."""
    admission = _fresh(admission)
    ensure_admission_open(admission)
    version = _content(version.pk)
    if version.status != ScaleVersion.Status.PUBLISHED:
        raise ValidationError(
            _("%(scale)s has changed; reload the page to fill its current version.") % {"scale": version.scale.name}
        )
    if version.scale.adults_only and admission.patient.is_child_on(timezone.localdate(at)):
        raise ValidationError(
            _("%(scale)s is not validated for children; there is no validated scale for this age.")
            % {"scale": version.scale.name}
        )
    options = _chosen_options(version, answers)
    return _write(
        admission=admission, version=version, options=options, by=by, at=at, note=_clean_note(note, required=False)
    )


@transaction.atomic
def assessment_correct(*, assessment: Assessment, answers: Mapping, by, note: str):
    """A correction is a new assessment on the same version and time, pointing at the old one;
    it needs a reason. Factors the first one noted stay noted (remove them on the risk factor page)."""
    assessment = Assessment.objects.select_related("admission__ward", "admission__patient").get(pk=assessment.pk)
    ensure_admission_open(assessment.admission)
    note = _clean_note(note, required=True)
    if Assessment.objects.filter(corrects=assessment).exists():
        raise ValidationError(ASSESSMENT_ALREADY_CORRECTED)
    version = _content(assessment.version_id)
    options = _chosen_options(version, answers)
    return _write(
        admission=assessment.admission,
        version=version,
        options=options,
        by=by,
        at=assessment.assessed_at,
        note=note,
        corrects=assessment,
    )


def _trigger(*, admission: Admission, kind: str, by, note: str, at) -> ReassessmentTrigger:
    admission = _fresh(admission)
    ensure_admission_open(admission)
    trigger = ReassessmentTrigger.objects.create(
        admission=admission, kind=kind, noted_by=by, note=note, at=at or timezone.now()
    )
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.REASSESSMENT_DUE,
        obj=trigger,
        ward=admission.ward,
        admission=admission,
        data={"kind": kind, "note": note},
    )
    ward_changed(admission.ward_id, stay=admission)  # the board's due assessments
    return trigger


@transaction.atomic
def condition_change_note(*, admission: Admission, by, note: str, at=None) -> ReassessmentTrigger:
    """A nurse marks a changed condition: the scales that say so are due again."""
    note = _clean_note(note, required=False)
    if not note:
        raise ValidationError(_("Say briefly what changed."))
    return _trigger(admission=admission, kind=ReassessmentTrigger.Kind.CONDITION_CHANGED, by=by, note=note, at=at)


@transaction.atomic
def fall_event_reassessment_due(*, admission: Admission, by, at=None, note: str = "") -> ReassessmentTrigger:
    """The hook for the fall-event service (issue 15): call it, in the event's transaction,
    when a fall is recorded; the scales with ``after_fall`` are due again from ``at``."""
    note = _clean_note(note, required=False)
    return _trigger(admission=admission, kind=ReassessmentTrigger.Kind.FALL, by=by, note=note, at=at)
