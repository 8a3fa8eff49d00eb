"""Where each stay stands on each published scale: its latest result (the risk level the board
shows, 転倒 高 / せん妄 ハイリスク) and whether an assessment is due or overdue, read for a whole
ward in a fixed number of queries (``assessment_summaries``).

When a scale is due, on a local day ``today``:
- never assessed on this stay: due from the day of admission (day 1) to day N, where N is the
  ward's (else the scale's) "due within"; overdue from day N + 1;
- after a transfer (the bed history), a fall (the fall-event hook) or a changed condition a
  nurse marked, later than the latest assessment, when the scale says so: due on that day and
  the next (``EVENT_GRACE_DAYS``), then overdue;
- every N days (the ward's, else the scale's "reassess every"): due on the Nth day after the
  latest assessment, overdue after it.
A scale for adults only (MFS) is never due for a child and shows no band: "no validated scale".
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Assessment, Placement, ReassessmentTrigger, ScaleVersion, WardScaleSetting

EVENT_GRACE_DAYS = 1

NOT_VALIDATED = "not_validated"
DUE = "due"
OVERDUE = "overdue"
UP_TO_DATE = "up_to_date"

REASONS = {
    "admission": _("on admission"),
    "transfer": _("after a transfer"),
    "fall": _("after a fall"),
    "condition_changed": _("after a changed condition"),
    "scheduled": _("scheduled reassessment"),
}


@dataclass(frozen=True)
class Due:
    reason: str
    starts_on: date
    due_on: date

    @property
    def reason_label(self):
        return REASONS[self.reason]


@dataclass
class ScaleStatus:
    version: ScaleVersion
    latest: Assessment | None
    state: str
    due: Due | None = None
    next_due_on: date | None = None

    @property
    def scale(self):
        return self.version.scale

    @property
    def is_due(self) -> bool:
        return self.state in (DUE, OVERDUE)

    @property
    def is_overdue(self) -> bool:
        return self.state == OVERDUE

    @property
    def not_validated(self) -> bool:
        return self.state == NOT_VALIDATED

    @property
    def band(self):
        return self.latest.band if self.latest and not self.not_validated else None


@dataclass
class AssessmentSummary:
    admission: object
    statuses: list[ScaleStatus] = field(default_factory=list)

    @property
    def risk_levels(self) -> list[ScaleStatus]:
        return [s for s in self.statuses if s.band is not None]

    @property
    def due(self) -> list[ScaleStatus]:
        return [s for s in self.statuses if s.is_due]


def _local_day(moment) -> date:
    return timezone.localdate(moment)


def _first_due(admission, within: int) -> Due:
    admitted = _local_day(admission.admitted_at)
    return Due("admission", admitted, admitted + timedelta(days=within - 1))


def _dues_since(scale, latest: Assessment, events: list, every: int | None) -> list[Due]:
    dues = []
    for kind, moment in events:
        wanted = {"transfer": scale.after_transfer, "fall": scale.after_fall}.get(kind, scale.after_condition_change)
        if wanted and moment > latest.assessed_at:
            day = _local_day(moment)
            dues.append(Due(kind, day, day + timedelta(days=EVENT_GRACE_DAYS)))
    if every:
        day = _local_day(latest.assessed_at) + timedelta(days=every)
        dues.append(Due("scheduled", day, day))
    return dues


def scale_status(*, admission, version, latest, events, setting, today: date) -> ScaleStatus:
    """The state of one scale for one stay on ``today`` (see the module's rules)."""
    scale = version.scale
    if scale.adults_only and admission.patient.is_child_on(today):
        return ScaleStatus(version, latest, NOT_VALIDATED)
    within = setting.due_within_days if setting else scale.due_within_days
    every = setting.reassess_every_days if setting else scale.reassess_every_days
    dues = [_first_due(admission, within)] if latest is None else _dues_since(scale, latest, events, every)
    started = sorted((d for d in dues if d.starts_on <= today), key=lambda d: d.due_on)
    if started:
        due = started[0]
        return ScaleStatus(version, latest, OVERDUE if today > due.due_on else DUE, due=due)
    upcoming = min((d.due_on for d in dues), default=None)
    return ScaleStatus(version, latest, UP_TO_DATE, next_due_on=upcoming)


def assessment_summaries(admissions, today: date | None = None) -> dict[int, AssessmentSummary]:
    """Each stay's summary (by admission pk), in five queries whatever the number of stays.
    The admissions need their patient loaded (``select_related("patient")``)."""
    today = today or timezone.localdate()
    admissions = list(admissions)
    ids = [a.pk for a in admissions]
    versions = list(ScaleVersion.objects.published().select_related("scale").order_by("scale__position", "scale_id"))
    settings = {
        (s.ward_id, s.scale_id): s for s in WardScaleSetting.objects.filter(ward_id__in={a.ward_id for a in admissions})
    }
    latest = {}
    for assessment in Assessment.objects.for_summaries(ids):
        latest[(assessment.admission_id, assessment.version.scale_id)] = assessment  # ordered: the last wins
    events = defaultdict(list)
    transfers = Placement.objects.filter(admission_id__in=ids, kind=Placement.Kind.TRANSFERRED)
    for placement in transfers.order_by("starts_at"):
        events[placement.admission_id].append(("transfer", placement.starts_at))
    for trigger in ReassessmentTrigger.objects.for_admissions(ids):
        events[trigger.admission_id].append((trigger.kind, trigger.at))
    summaries = {}
    for admission in admissions:
        summary = AssessmentSummary(admission)
        for version in versions:
            summary.statuses.append(
                scale_status(
                    admission=admission,
                    version=version,
                    latest=latest.get((admission.pk, version.scale_id)),
                    events=events[admission.pk],
                    setting=settings.get((admission.ward_id, version.scale_id)),
                    today=today,
                )
            )
        summaries[admission.pk] = summary
    return summaries
