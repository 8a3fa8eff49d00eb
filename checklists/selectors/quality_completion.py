"""How well checklists were completed, over a period of duty dates, by ward × shift × template ×
item; the critical items left not done; the reasons given most often; completion by month (the
run chart) and by item × shift (the heat map); teach-back compliance by month.

Completion counts standing records only (a corrected record is replaced by its correction):
done among done and not done; "not applicable" is left out of the rate and shown beside it.
A record is filed under the ward the stay lay on when it was recorded (the bed history).
Every figure is one aggregate query; rows are labelled afterwards, never counted in Python.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, IntegerField, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Cast, TruncMonth
from django.utils.translation import get_language

from ..models import CheckRecord, Placement, TeachBackAudit
from ..months import day_start, month_starts

GOAL_PERCENT = 80  # Fall TIPS: ≥ 80 % teach-back compliance goes with fewer falls
TOP = 10
Status = CheckRecord.Status


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _records(wards, start: date, end: date):
    """Standing records with duty dates in [start, end), on ``wards`` at the time of recording."""
    ward_then = Placement.objects.filter(
        admission=OuterRef("checklist__admission"), starts_at__lte=OuterRef("recorded_at")
    ).order_by("-starts_at")
    # Only stays that lay on one of the wards at some time need the per-record look-up.
    stays = Placement.objects.filter(ward__in=wards.values("pk")).values("admission")
    return (
        CheckRecord.objects.standing()
        .filter(duty_date__gte=start, duty_date__lt=end, checklist__admission__in=stays)
        .annotate(ward_then=Subquery(ward_then.values("ward")[:1]))
        .filter(ward_then__in=wards.values("pk"))
        .order_by()
    )


COUNTS = {
    "done": Count("id", filter=Q(status=Status.DONE)),
    "not_done": Count("id", filter=Q(status=Status.NOT_DONE)),
    "not_applicable": Count("id", filter=Q(status=Status.NOT_APPLICABLE)),
}


def _text(row: dict, prefix: str) -> str:
    english = (get_language() or "ja")[:2] == "en"
    return (row[f"{prefix}_en"] if english else "") or row[f"{prefix}_ja"]


@dataclass(frozen=True)
class CompletionRow:
    ward: str
    shift: str
    template: str
    item_key: str
    item: str
    critical: bool
    done: int
    not_done: int
    not_applicable: int

    @property
    def percent(self) -> Decimal | None:
        return percent(self.done, self.done + self.not_done)


def _labels(wards) -> dict[int, str]:
    return dict(wards.order_by().values_list("pk", "name"))


def completion_by_item(wards, start: date, end: date) -> list[CompletionRow]:
    """Ward × shift × template × item, in that order; items matched across versions by key."""
    names = _labels(wards)
    rows = (
        _records(wards, start, end)
        .values("ward_then", "shift__code", "checklist__template__code", "item__key")
        .annotate(
            shift_ja=Max("shift__name_ja"),
            shift_en=Max("shift__name_en"),
            shift_starts=Min("shift__starts_at"),
            template_ja=Max("checklist__template__name_ja"),
            template_en=Max("checklist__template__name_en"),
            template_position=Min("checklist__template__position"),
            item_ja=Max("item__text_ja"),
            item_en=Max("item__text_en"),
            critical=Max(Cast("item__is_critical", IntegerField())),
            position=Min("item__position"),
            **COUNTS,
        )
    )
    ordered = sorted(
        rows,
        key=lambda r: (names.get(r["ward_then"], ""), r["shift_starts"], r["template_position"], r["position"]),
    )
    return [
        CompletionRow(
            ward=names.get(row["ward_then"], ""),
            shift=_text(row, "shift"),
            template=_text(row, "template"),
            item_key=row["item__key"],
            item=_text(row, "item"),
            critical=bool(row["critical"]),
            done=row["done"],
            not_done=row["not_done"],
            not_applicable=row["not_applicable"],
        )
        for row in ordered
    ]


@dataclass(frozen=True)
class MonthCompletion:
    ward: str
    month: date
    done: int
    not_done: int
    not_applicable: int

    @property
    def percent(self) -> Decimal | None:
        return percent(self.done, self.done + self.not_done)


def completion_by_month(wards, start: date, end: date) -> list[MonthCompletion]:
    """Per ward and month of the period (months without records too): the run chart's points."""
    names = _labels(wards)
    rows = _records(wards, start, end).annotate(month=TruncMonth("duty_date")).values("ward_then", "month")
    found = {(row["ward_then"], _month(row["month"])): row for row in rows.annotate(**COUNTS)}
    empty = {"done": 0, "not_done": 0, "not_applicable": 0}
    return [
        MonthCompletion(ward=name, month=month, **{k: found.get((pk, month), empty)[k] for k in empty})
        for pk, name in sorted(names.items(), key=lambda pair: pair[1])
        for month in month_starts(start, end)
    ]


def _month(value) -> date:
    return value.date().replace(day=1) if hasattr(value, "date") else value.replace(day=1)


@dataclass(frozen=True)
class MissedItem:
    template: str
    item_key: str
    item: str
    not_done: int


def critical_items_left_open(wards, start: date, end: date, *, top: int = TOP) -> list[MissedItem]:
    """The critical items most often recorded not done (standing records), most first."""
    rows = (
        _records(wards, start, end)
        .filter(item__is_critical=True, status=Status.NOT_DONE)
        .values("checklist__template__code", "item__key")
        .annotate(
            not_done=Count("id"),
            template_ja=Max("checklist__template__name_ja"),
            template_en=Max("checklist__template__name_en"),
            item_ja=Max("item__text_ja"),
            item_en=Max("item__text_en"),
        )
        .order_by("-not_done", "checklist__template__code", "item__key")[:top]
    )
    return [MissedItem(_text(row, "template"), row["item__key"], _text(row, "item"), row["not_done"]) for row in rows]


@dataclass(frozen=True)
class Reason:
    status: str
    note: str
    count: int


def frequent_reasons(wards, start: date, end: date, *, top: int = TOP) -> list[Reason]:
    """The reasons given most often for "not done" and "not applicable", most first."""
    rows = (
        _records(wards, start, end)
        .exclude(status=Status.DONE)
        .values("status", "note")
        .annotate(count=Count("id"))
        .order_by("-count", "status", "note")[:top]
    )
    return [Reason(Status(row["status"]).label, row["note"], row["count"]) for row in rows]


@dataclass(frozen=True)
class MonthTeachBack:
    ward: str
    month: date
    audits: int
    compliant: int

    @property
    def percent(self) -> Decimal | None:
        return percent(self.compliant, self.audits)

    @property
    def meets_goal(self) -> bool | None:
        return None if self.percent is None else self.percent >= GOAL_PERCENT


def teach_back_by_month(wards, start: date, end: date) -> list[MonthTeachBack]:
    """Per ward and month: standing audits (a correction replaces what it corrects), compliant
    audits (all three answers yes), compliance."""
    names = _labels(wards)
    rows = (
        TeachBackAudit.objects.standing()
        .on_wards(wards)
        .between(day_start(start), day_start(end))
        .annotate(month=TruncMonth("audited_at"))
        .order_by()
        .values("ward_id", "month")
        .annotate(
            audits=Count("id"),
            compliant=Count("id", filter=Q(names_risks=True, names_plan=True, sheet_current=True)),
        )
    )
    found = {(row["ward_id"], _month(row["month"])): row for row in rows}
    empty = {"audits": 0, "compliant": 0}
    return [
        MonthTeachBack(ward=name, month=month, **{k: found.get((pk, month), empty)[k] for k in empty})
        for pk, name in sorted(names.items(), key=lambda pair: pair[1])
        for month in month_starts(start, end)
    ]
