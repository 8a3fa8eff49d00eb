"""Assessments done on time, by ward and month: the 加算 view (せん妄ハイリスク患者ケア加算 asks that
every inpatient is screened within 3 days of admission; the fall scale is reassessed when due).

Two measures, each counted in one aggregate query (the number of queries does not grow with the
stays or assessments), on standing assessments (a correction replaces what it corrects):

- ``admission-screen``: each admission onto the ward (the bed history's first placement), in the
  month of admission. The day of admission is day 1; the ward's (else the scale's) "due within N
  days" (3 for the delirium screen) makes a first screen on day N on time, on day N + 1 or later
  late, and none at all missing — or pending while today is still day N or earlier.
- ``fall-reassessment``: each standing Morse Fall Scale assessment makes the next one due N days
  later (the ward's, else the scale's "reassess every N days"; none: nothing due), filed under the
  ward the stay lay on at that assessment and the month of the due day. The next assessment of
  the stay (whatever made it: schedule, fall, transfer) on or before the due day is on time,
  after it late; none is missing once the stay went on past the due day, pending on the due day
  itself, and not counted when the patient left on or before it.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Assessment, Placement, Scale, WardScaleSetting
from ..months import day_start, month_starts
from .quality_completion import percent

ADMISSION_SCREEN_SCALE = "delirium-risk-screen"
REASSESSED_SCALE = "morse-fall-scale"
GOAL_PERCENT = 100  # the 加算: every inpatient screened

ADMISSION_SCREEN = "admission-screen"
FALL_REASSESSMENT = "fall-reassessment"
MEASURES = {
    ADMISSION_SCREEN: _("Delirium screen within 3 days of admission"),
    FALL_REASSESSMENT: _("Fall scale reassessed when due"),
}
ON_TIME, LATE, MISSING, PENDING, NOT_DUE = "on_time", "late", "missing", "pending", "not_due"
STATUSES = (ON_TIME, LATE, MISSING, PENDING)


@dataclass(frozen=True)
class MonthTimeliness:
    ward: str
    month: date
    measure: str
    on_time: int
    late: int
    missing: int
    pending: int

    @property
    def label(self) -> str:
        return str(MEASURES[self.measure])

    @property
    def due(self) -> int:
        """Assessments that fell due (pending ones are still to come)."""
        return self.on_time + self.late + self.missing

    @property
    def percent(self) -> Decimal | None:
        return percent(self.on_time, self.due)


def scale_days(wards, code: str, field: str) -> tuple[dict[int, int | None], int | None]:
    """The wards' own ``field`` ("due_within_days" or "reassess_every_days") for the scale, by
    ward pk, and the scale's default: two queries."""
    default = Scale.objects.filter(code=code).values_list(field, flat=True).first()
    own = WardScaleSetting.objects.filter(scale__code=code, ward__in=wards.values("pk")).values_list("ward_id", field)
    return dict(own), default


def _days_by_ward(ward_field: str, own: dict, default: int | None, *, minus: int = 0):
    """A per-ward number of days as a duration expression (None where there is none)."""

    def days(n):
        return Value(None if n is None else timedelta(days=n - minus), output_field=DurationField())

    whens = [When(**{ward_field: pk}, then=days(n)) for pk, n in own.items()]
    return Case(*whens, default=days(default), output_field=DurationField()) if whens else days(default)


def _day_gap(later, earlier):
    """Local days from ``earlier`` to ``later`` (datetimes), as a duration."""
    tz = timezone.get_current_timezone()
    return ExpressionWrapper(TruncDate(later, tzinfo=tz) - TruncDate(earlier, tzinfo=tz), output_field=DurationField())


def _first_standing(code: str, **after):
    return (
        Assessment.objects.standing()
        .filter(admission=OuterRef("admission"), version__scale__code=code, **after)
        .order_by("assessed_at", "id")
        .values("assessed_at")[:1]
    )


def admissions_onto(wards, start: date, end: date):
    """The first placements (admissions) onto ``wards`` in [start, end)."""
    return Placement.objects.filter(
        kind=Placement.Kind.ADMITTED,
        ward__in=wards.values("pk"),
        starts_at__gte=day_start(start),
        starts_at__lt=day_start(end),
    )


def admission_screens(wards, start: date, end: date, *, code: str = ADMISSION_SCREEN_SCALE):
    """The admissions onto ``wards`` in [start, end), each annotated with ``screened_at`` (the
    first standing screen), ``day`` (its day number, 1 = the day of admission) and ``status``."""
    own, default = scale_days(wards, code, "due_within_days")
    today = timezone.localdate()
    allowed = _days_by_ward("ward_id", own, default or 1, minus=1)
    pending = Q(admitted_on__gt=today - timedelta(days=default or 1)) & ~Q(ward_id__in=list(own))
    for pk, n in own.items():
        pending |= Q(ward_id=pk, admitted_on__gt=today - timedelta(days=n))
    return (
        admissions_onto(wards, start, end)
        .annotate(
            screened_at=Subquery(_first_standing(code), output_field=DateTimeField()),
            admitted_on=TruncDate("starts_at", tzinfo=timezone.get_current_timezone()),
            gap=_day_gap("screened_at", "starts_at"),
            allowed=allowed,
        )
        .annotate(
            status=Case(
                When(screened_at__isnull=False, gap__lte=F("allowed"), then=Value(ON_TIME)),
                When(screened_at__isnull=False, then=Value(LATE)),
                When(pending, then=Value(PENDING)),
                default=Value(MISSING),
                output_field=CharField(),
            )
        )
    )


def fall_reassessments(wards, start: date, end: date, *, code: str = REASSESSED_SCALE):
    """Standing assessments whose reassessment fell due in [start, end) on ``wards``, each with
    ``ward_then``, ``due_at``, ``next_at`` and ``status`` (``not_due`` when the patient left
    before it fell due, or it is still to come: left out of every count)."""
    own, default = scale_days(wards, code, "reassess_every_days")
    now = timezone.now()
    every = _days_by_ward("ward_then", own, default)
    ward_then = Placement.objects.filter(admission=OuterRef("admission"), starts_at__lte=OuterRef("assessed_at"))
    stay_until = Coalesce(F("admission__discharged_at"), Value(now, output_field=DateTimeField()))
    return (
        Assessment.objects.standing()
        .filter(version__scale__code=code)
        .annotate(ward_then=Subquery(ward_then.order_by("-starts_at").values("ward")[:1]))
        .filter(ward_then__in=wards.values("pk"))
        .annotate(every=every)
        .filter(every__isnull=False)
        .annotate(due_at=ExpressionWrapper(F("assessed_at") + F("every"), output_field=DateTimeField()))
        .filter(due_at__gte=day_start(start), due_at__lt=day_start(end))
        .annotate(
            next_at=Subquery(
                _first_standing(code, assessed_at__gt=OuterRef("assessed_at")), output_field=DateTimeField()
            ),
            gap=_day_gap("next_at", "assessed_at"),
            stayed=_day_gap(stay_until, "assessed_at"),
        )
        .annotate(
            status=Case(
                When(next_at__isnull=False, gap__lte=F("every"), then=Value(ON_TIME)),
                When(next_at__isnull=False, then=Value(LATE)),
                When(stayed__gt=F("every"), then=Value(MISSING)),
                When(admission__discharged_at__isnull=True, stayed=F("every"), then=Value(PENDING)),
                default=Value(NOT_DUE),
                output_field=CharField(),
            )
        )
    )


def _month(value) -> date:
    return value.date().replace(day=1) if hasattr(value, "date") else value.replace(day=1)


def _counts(rows, ward_key: str) -> dict[tuple[int, date], dict[str, int]]:
    found: dict[tuple[int, date], dict[str, int]] = {}
    for row in rows:
        found.setdefault((row[ward_key], _month(row["month"])), {})[row["status"]] = row["n"]
    return found


def assessments_on_time(wards, start: date, end: date) -> list[MonthTimeliness]:
    """Per ward (by name), measure and month of the period, months without stays too: the run
    chart's points and the CSV's rows."""
    names = dict(wards.order_by().values_list("pk", "name"))
    screens = (
        admission_screens(wards, start, end)
        .annotate(month=TruncMonth("starts_at"))
        .order_by()
        .values("ward_id", "month", "status")
        .annotate(n=Count("id"))
    )
    reassessments = (
        fall_reassessments(wards, start, end)
        .annotate(month=TruncMonth("due_at"))
        .order_by()
        .values("ward_then", "month", "status")
        .annotate(n=Count("id"))
    )
    counts = {ADMISSION_SCREEN: _counts(screens, "ward_id"), FALL_REASSESSMENT: _counts(reassessments, "ward_then")}
    return [
        MonthTimeliness(
            ward=name,
            month=month,
            measure=measure,
            **{status: counts[measure].get((pk, month), {}).get(status, 0) for status in STATUSES},
        )
        for pk, name in sorted(names.items(), key=lambda pair: pair[1])
        for measure in MEASURES
        for month in month_starts(start, end)
    ]
