"""Events per 1,000 patient-days, by ward and month, and the completion of the matching
checklist in the days before each event, counted over its due item-slots as the completion page
counts them (``ItemSlot``: done ÷ (due − not applicable), a missed slot counts against it).
Every figure is a database aggregate but patient-days (the period's placements, clipped here):
the number of queries does not grow with the stays, records or events.

Patient-days are the hours each patient lay on the ward (the bed history: a placement runs
until the next placement of the stay, the discharge, or now), divided by 24, clipped to each
month in ward time. A stay from 30 November 12:00 to 2 December 12:00 gives 0.5 patient-days
to November and 1.5 to December; a transfer at noon splits the day between the two wards.
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ..models import CheckRecord, InjuryLevel, ItemSlot, Placement, SafetyEvent
from ..months import day_start, month_starts

PER = 1000
LOOK_BACK_DAYS = 3  # the duty days before an event's day whose item-slots count as "before"
ZERO = timedelta(0)


@dataclass
class MonthRates:
    """One ward's month: patient-days, the events counted, and each count per 1,000 patient-days."""

    ward_id: int
    ward: str
    month: date
    patient_days: Decimal
    falls: int = 0
    injurious_falls: int = 0
    aspiration: int = 0
    delirium: int = 0
    rates: dict = field(default_factory=dict)

    COUNTS = ("falls", "injurious_falls", "aspiration", "delirium")

    def rate(self, count: int) -> Decimal | None:
        if not self.patient_days:
            return None
        return (Decimal(count) * PER / self.patient_days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _days(duration: timedelta | None) -> Decimal:
    seconds = Decimal((duration or ZERO) // timedelta(microseconds=1)) / Decimal(1_000_000)
    return (seconds / Decimal(86_400)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _micros(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def patient_days(wards, start: date, end: date) -> dict[tuple[int, date], Decimal]:
    """``{(ward_id, month): patient-days}`` for each month from ``start`` to ``end`` (first days
    of months), in one query: the placements that overlap the period, each with its end, clipped
    to each month here. (Summed in SQL, a placement's end, a subquery, was worked out again for
    each month and each bound: 1.7 s for a 600-bed hospital's year, against 0.5 s this way.)"""
    now = timezone.now()
    months = month_starts(start, end)
    bounds = [_micros(day_start(month)) for month in months] + [_micros(day_start(end))]
    lower, upper = day_start(start), day_start(end)
    placements = (
        Placement.objects.with_end()
        .filter(ward__in=wards, starts_at__lt=upper)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=lower))
        .order_by()
        .values_list("ward_id", "starts_at", "ends_at")
    )
    micros: dict[tuple[int, date], int] = {}
    for ward_id, starts_at, ends_at in placements:
        begins, until = _micros(starts_at), _micros(ends_at or now)
        for month in months:  # every month of the ward has a sum, the ones without stays too
            micros.setdefault((ward_id, month), 0)
        # Only the months the placement overlaps (a stay lasts days, the period a year).
        for index in range(max(bisect_right(bounds, begins) - 1, 0), min(bisect_left(bounds, until), len(months))):
            overlap = min(until, bounds[index + 1]) - max(begins, bounds[index])
            micros[(ward_id, months[index])] += max(overlap, 0)
    sums = {key: timedelta(microseconds=value) for key, value in micros.items()}
    return {key: _days(duration) for key, duration in sums.items()}


def event_counts(wards, start: date, end: date) -> dict[tuple[int, date], dict]:
    """``{(ward_id, month): {falls, injurious_falls, aspiration, delirium}}`` of standing events."""
    Kind = SafetyEvent.Kind
    rows = (
        SafetyEvent.objects.standing()
        .on_wards(wards)
        .between(day_start(start), day_start(end))
        .annotate(month=TruncMonth("occurred_on"))
        .order_by()
        .values("ward_id", "month")
        .annotate(
            falls=Count("id", filter=Q(kind=Kind.FALL)),
            injurious_falls=Count("id", filter=Q(kind=Kind.FALL, injury_level__harm__in=InjuryLevel.INJURIOUS)),
            aspiration=Count("id", filter=Q(kind=Kind.ASPIRATION)),
            delirium=Count("id", filter=Q(kind=Kind.DELIRIUM)),
        )
    )
    return {(row["ward_id"], _month(row["month"])): row for row in rows}


def _month(value) -> date:
    return value.date().replace(day=1) if hasattr(value, "date") else value.replace(day=1)


def event_rates(wards, start: date, end: date) -> list[MonthRates]:
    """Per ward (in code order) and month: patient-days, counts and rates per 1,000 patient-days."""
    days = patient_days(wards, start, end)
    counts = event_counts(wards, start, end)
    result = []
    for ward in wards.order_by("code"):
        for month in month_starts(start, end):
            found = counts.get((ward.pk, month), {})
            rates = MonthRates(
                ward_id=ward.pk,
                ward=ward.name,
                month=month,
                patient_days=days.get((ward.pk, month), Decimal("0.00")),
                **{name: found.get(name, 0) for name in MonthRates.COUNTS},
            )
            rates.rates = {name: rates.rate(getattr(rates, name)) for name in MonthRates.COUNTS}
            result.append(rates)
    return result


# Which checklist's completion goes beside which event: the template category of the same name.
def rates_together(rates: list[MonthRates], label: str) -> list[MonthRates]:
    """The wards' months added up, one ``MonthRates`` a month: the counts and the patient-days
    summed and the rates made from the sums, so a ward with few patient-days weighs as little as
    it should (an average of the wards' rates would weigh it as much as a full ward)."""
    together: dict[date, MonthRates] = {}
    for point in rates:
        total = together.setdefault(
            point.month, MonthRates(ward_id=0, ward=label, month=point.month, patient_days=Decimal("0.00"))
        )
        total.patient_days += point.patient_days
        for name in MonthRates.COUNTS:
            setattr(total, name, getattr(total, name) + getattr(point, name))
    for total in together.values():
        total.rates = {name: total.rate(getattr(total, name)) for name in MonthRates.COUNTS}
    return sorted(together.values(), key=lambda total: total.month)


MATCHING_CATEGORY = {
    SafetyEvent.Kind.FALL: "fall",
    SafetyEvent.Kind.ASPIRATION: "aspiration",
    SafetyEvent.Kind.DELIRIUM: "delirium",
}


def _slots_before(kind: str, status: Q):
    """The stay's counted item-slots of the matching category's checklists, in the look-back."""
    slots = ItemSlot.objects.counted().filter(
        status,
        admission=OuterRef("admission"),
        template__category=MATCHING_CATEGORY[kind],
        duty_date__lt=OuterRef("occurred_on"),
        duty_date__gte=OuterRef("look_back_from"),
    )
    return Subquery(slots.order_by().values("admission").annotate(n=Count("id")).values("n")[:1])


def events_with_completion(wards, start: date, end: date):
    """The standing events of the period, newest first, each annotated with ``done`` and
    ``due``: the matching checklist's item-slots done and due (less not applicable; not done and
    missed count) in the ``LOOK_BACK_DAYS`` duty days before the event's day. None due: both
    None (a fall on the day of admission has no days before it)."""
    look_back_from = ExpressionWrapper(F("occurred_on") - timedelta(days=LOOK_BACK_DAYS), output_field=DateField())
    annotations = {}
    for kind in MATCHING_CATEGORY:
        annotations[f"done_{kind}"] = _slots_before(kind, Q(status=CheckRecord.Status.DONE))
        annotations[f"due_{kind}"] = _slots_before(kind, ~Q(status=CheckRecord.Status.NOT_APPLICABLE))
    done = Case(*(When(kind=kind, then=F(f"done_{kind}")) for kind in MATCHING_CATEGORY))
    due = Case(*(When(kind=kind, then=F(f"due_{kind}")) for kind in MATCHING_CATEGORY))
    return (
        SafetyEvent.objects.standing()
        .on_wards(wards)
        .between(day_start(start), day_start(end))
        .for_display()
        .annotate(look_back_from=look_back_from)
        .alias(**annotations)
        .annotate(done=done, due=due)
    )


def completion_percent(done: int | None, due: int | None) -> Decimal | None:
    """Done among the due slots (less not applicable), in percent (one decimal); None when none."""
    if not due:
        return None
    return (Decimal(done or 0) * 100 / Decimal(due)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
