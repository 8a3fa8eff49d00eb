"""Safety events and teach-back audits: a nurse records a fall, a suspected aspiration or a
delirium episode on a stay, corrects or withdraws an entry, and records a teach-back audit.

Each is a new row, never updated or deleted. An event is filed under the ward the patient lay
on at that moment (the bed history) and keeps the checklists and versions running then.
Recording a fall notes the risk factor ``recent_fall`` on the stay, which proposes the fall
checklist and its post-fall items (the content's business); the factor is created here if the
content does not ship it yet, and the content loader, which skips codes it finds, leaves it be.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Admission,
    AuditEvent,
    InjuryLevel,
    PatientChecklist,
    Placement,
    RiskFactor,
    SafetyEvent,
    TeachBackAudit,
)
from ..models.events import (
    CORRECTION_NEEDS_REASON,
    EVENT_ALREADY_CORRECTED,
    FALL_NEEDS_INJURY_LEVEL,
    TEACH_BACK_ALREADY_CORRECTED,
)
from .assessments import fall_event_reassessment_due
from .audit import audit_event_write
from .reference import risk_factor_create
from .stays import admission_risk_factor_note, ensure_admission_open
from .ward_changes import ward_changed

RECENT_FALL = "recent_fall"
TEXT_MAX_LENGTH = 2000
# A clock a minute or two ahead of the server's is not an event "in the future".
CLOCK_SKEW = timedelta(minutes=5)


def _choice(value: str, choices, message: str) -> str:
    if value not in choices.values:
        raise ValidationError(message)
    return value


def _text(value: str, *, required_message: str | None = None) -> str:
    value = (value or "").strip()
    if required_message and not value:
        raise ValidationError(required_message)
    if len(value) > TEXT_MAX_LENGTH:
        raise ValidationError(_("Keep each text under %(max)d characters.") % {"max": TEXT_MAX_LENGTH})
    return value


def _locked(admission: Admission) -> Admission:
    """The stay as the database has it now, locked: no event slips onto a stay being discharged."""
    return Admission.objects.select_for_update(of=("self",)).select_related("ward", "patient").get(pk=admission.pk)


def _ward_at(admission: Admission, at: datetime):
    """The ward the stay's patient lay on at ``at`` (its bed history), else the stay's ward."""
    placement = Placement.objects.filter(admission=admission, starts_at__lte=at).order_by("-starts_at").first()
    return placement.ward if placement else admission.ward


def _running_at(admission: Admission, at: datetime) -> list[dict]:
    running = (
        PatientChecklist.objects.filter(admission=admission, started_at__lte=at)
        .filter(Q(stopped_at__isnull=True) | Q(stopped_at__gt=at))
        .select_related("template", "version")
        .order_by("template__position", "started_at")
    )
    return [{"checklist": c.pk, "template": c.template.code, "version": c.version.number} for c in running]


def _check_when(admission: Admission, at: datetime) -> None:
    if at > timezone.now() + CLOCK_SKEW:
        raise ValidationError(_("The event cannot be in the future."))
    if at < admission.admitted_at:
        raise ValidationError(_("The event cannot be before the admission."))


# The shipped scale (影響度分類), as migration 0017 wrote it: code, name_ja, name_en, harm.
DEFAULT_INJURY_LEVELS = [
    ("0", "レベル0", "Level 0", InjuryLevel.Harm.NONE),
    ("1", "レベル1", "Level 1", InjuryLevel.Harm.NONE),
    ("2", "レベル2", "Level 2", InjuryLevel.Harm.MINOR),
    ("3a", "レベル3a", "Level 3a", InjuryLevel.Harm.MINOR),
    ("3b", "レベル3b", "Level 3b", InjuryLevel.Harm.MAJOR),
    ("4a", "レベル4a", "Level 4a", InjuryLevel.Harm.MAJOR),
    ("4b", "レベル4b", "Level 4b", InjuryLevel.Harm.MAJOR),
    ("5", "レベル5", "Level 5", InjuryLevel.Harm.DEATH),
]


@transaction.atomic
def injury_scale_ship(*, by=None) -> int:
    """Write the shipped injury scale where it is missing (a database emptied by ``flush``);
    levels that exist, edited or not, are left alone. Returns how many were written."""
    existing = set(InjuryLevel.objects.values_list("code", flat=True))
    written = 0
    for position, (code, name_ja, name_en, harm) in enumerate(DEFAULT_INJURY_LEVELS, start=1):
        if code in existing:
            continue
        level = InjuryLevel.objects.create(code=code, name_ja=name_ja, name_en=name_en, harm=harm, position=position)
        audit_event_write(actor=by, action=AuditEvent.Action.CONTENT_CHANGED, obj=level, data={"created": True})
        written += 1
    return written


def recent_fall_factor(*, by=None) -> RiskFactor:
    """The risk factor a fall notes, created once if the shipped content has none yet."""
    factor = RiskFactor.objects.filter(code=RECENT_FALL).first()
    if factor is not None:
        return factor
    return risk_factor_create(
        code=RECENT_FALL,
        group=RiskFactor.Group.FALL,
        name_ja="入院中の転倒",
        name_en="Fell during this stay",
        description_ja="この入院中に転倒・転落した。転倒後の観察と再評価を行う。",
        description_en="Fell during this stay: post-fall observation and a reassessment are due.",
        position=1000,
        by=by,
    )


def _event_fields(
    *, admission, kind, occurred_at, place, description, injury_level, witness, immediate_actions
) -> dict:
    kind = _choice(kind, SafetyEvent.Kind, _("Choose what happened: a fall, a suspected aspiration or delirium."))
    if kind == SafetyEvent.Kind.FALL:
        if injury_level is None or not injury_level.is_active:
            raise ValidationError(FALL_NEEDS_INJURY_LEVEL)
    else:
        injury_level = None  # the injury scale is the falls'
    _check_when(admission, occurred_at)
    return {
        "kind": kind,
        "occurred_at": occurred_at,
        "occurred_on": timezone.localdate(occurred_at),
        "place": _choice(place, SafetyEvent.Place, _("Choose where it happened.")),
        "description": _text(description, required_message=_("Say what happened.")),
        "injury_level": injury_level,
        "witness": _choice(witness, SafetyEvent.Witness, _("Say who saw it happen.")),
        "immediate_actions": _text(immediate_actions),
        "ward": _ward_at(admission, occurred_at),
        "active_checklists": _running_at(admission, occurred_at),
    }


@transaction.atomic
def safety_event_record(
    *,
    admission: Admission,
    kind: str,
    occurred_at: datetime,
    place: str,
    description: str,
    witness: str,
    by,
    injury_level: InjuryLevel | None = None,
    immediate_actions: str = "",
) -> SafetyEvent:
    """Record a fall, a suspected aspiration or a delirium episode on an open stay. A fall notes
    ``recent_fall`` on the stay (from the moment of the fall)."""
    admission = _locked(admission)
    ensure_admission_open(admission)
    fields = _event_fields(
        admission=admission,
        kind=kind,
        occurred_at=occurred_at,
        place=place,
        description=description,
        injury_level=injury_level,
        witness=witness,
        immediate_actions=immediate_actions,
    )
    event = SafetyEvent.objects.create(admission=admission, recorded_by=by, **fields)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.SAFETY_EVENT_RECORDED,
        obj=event,
        ward=event.ward,
        admission=admission,
        data={"kind": event.kind, "injury_level": injury_level.code if event.injury_level else None},
    )
    if event.kind == SafetyEvent.Kind.FALL:
        admission_risk_factor_note(admission=admission, risk_factor=recent_fall_factor(by=by), by=by, at=occurred_at)
        # The scales marked "after a fall" (the Morse Fall Scale) are due again from the fall.
        fall_event_reassessment_due(admission=admission, by=by, at=event.occurred_at)
    ward_changed(event.ward_id)  # the board and the handover show the event
    return event


@transaction.atomic
def safety_event_correct(
    *,
    event: SafetyEvent,
    reason: str,
    by,
    withdraw: bool = False,
    kind: str | None = None,
    occurred_at: datetime | None = None,
    place: str | None = None,
    description: str | None = None,
    witness: str | None = None,
    injury_level: InjuryLevel | None = None,
    immediate_actions: str | None = None,
) -> SafetyEvent:
    """A correction is a new entry that replaces ``event`` (fields not given are kept); with
    ``withdraw`` it says the event was recorded in error, and it no longer counts."""
    event = (
        SafetyEvent.objects.select_for_update(of=("self",)).select_related("admission", "injury_level").get(pk=event.pk)
    )
    ensure_admission_open(event.admission)
    reason = _text(reason, required_message=CORRECTION_NEEDS_REASON)
    if event.corrected_by.exists():
        raise ValidationError(EVENT_ALREADY_CORRECTED)
    kind = kind or event.kind
    fields = _event_fields(
        admission=event.admission,
        kind=kind,
        occurred_at=occurred_at or event.occurred_at,
        place=place or event.place,
        description=event.description if description is None else description,
        injury_level=injury_level or (event.injury_level if kind == event.kind else None),
        witness=witness or event.witness,
        immediate_actions=event.immediate_actions if immediate_actions is None else immediate_actions,
    )
    try:
        with transaction.atomic():
            correction = SafetyEvent.objects.create(
                admission=event.admission,
                recorded_by=by,
                corrects=event,
                correction_reason=reason,
                withdrawn=withdraw,
                **fields,
            )
    except IntegrityError as error:
        raise ValidationError(EVENT_ALREADY_CORRECTED) from error
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.SAFETY_EVENT_CORRECTED,
        obj=correction,
        ward=correction.ward,
        admission=event.admission,
        data={"corrects": event.pk, "withdrawn": withdraw, "kind": correction.kind},
    )
    if correction.kind == SafetyEvent.Kind.FALL and not withdraw:
        admission_risk_factor_note(
            admission=event.admission, risk_factor=recent_fall_factor(by=by), by=by, at=correction.occurred_at
        )
    ward_changed(correction.ward_id)
    return correction


@transaction.atomic
def teach_back_record(
    *,
    admission: Admission,
    asked: str,
    names_risks: bool,
    names_plan: bool,
    sheet_current: bool,
    by,
    at: datetime | None = None,
) -> TeachBackAudit:
    """The answers of one teach-back audit, filed under the ward the patient lies on."""
    admission = _locked(admission)
    ensure_admission_open(admission)
    at = at or timezone.now()
    asked = _choice(asked, TeachBackAudit.Asked, _("Say whom you asked: the patient or the family."))
    _check_when(admission, at)
    audit = TeachBackAudit.objects.create(
        admission=admission,
        ward=_ward_at(admission, at),
        asked=asked,
        names_risks=bool(names_risks),
        names_plan=bool(names_plan),
        sheet_current=bool(sheet_current),
        audited_at=at,
        recorded_by=by,
    )
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.TEACH_BACK_RECORDED,
        obj=audit,
        ward=audit.ward,
        admission=admission,
        data={"compliant": audit.is_compliant},
    )
    return audit


@transaction.atomic
def teach_back_correct(
    *,
    audit: TeachBackAudit,
    asked: str,
    names_risks: bool,
    names_plan: bool,
    sheet_current: bool,
    reason: str,
    by,
) -> TeachBackAudit:
    """A correction is a new audit with the right answers, on the same stay, ward and time,
    pointing at ``audit`` (which stays, and no longer counts); it needs a reason."""
    audit = TeachBackAudit.objects.select_for_update(of=("self",)).select_related("admission").get(pk=audit.pk)
    ensure_admission_open(audit.admission)
    reason = _text(reason, required_message=CORRECTION_NEEDS_REASON)
    if audit.corrected_by.exists():
        raise ValidationError(TEACH_BACK_ALREADY_CORRECTED)
    asked = _choice(asked, TeachBackAudit.Asked, _("Say whom you asked: the patient or the family."))
    try:
        with transaction.atomic():
            correction = TeachBackAudit.objects.create(
                admission=audit.admission,
                ward_id=audit.ward_id,
                asked=asked,
                names_risks=bool(names_risks),
                names_plan=bool(names_plan),
                sheet_current=bool(sheet_current),
                audited_at=audit.audited_at,
                recorded_by=by,
                corrects=audit,
                correction_reason=reason,
            )
    except IntegrityError as error:
        raise ValidationError(TEACH_BACK_ALREADY_CORRECTED) from error
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.TEACH_BACK_CORRECTED,
        obj=correction,
        ward=correction.ward,
        admission=audit.admission,
        data={"corrects": audit.pk, "compliant": correction.is_compliant, "was_compliant": audit.is_compliant},
    )
    return correction
