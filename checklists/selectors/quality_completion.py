"""How well checklists were completed, over a period of duty dates, by ward × shift × template ×
item; the critical items left open; the reasons given most often; completion by month (the run
chart) and by item × shift (the heat map); teach-back compliance by month.

Completion counts due item-slots (``ItemSlot``): every item due in a slot that ended, recorded
or not, and every slot recorded. Its status is the slot's standing record (the latest; a
corrected record counts as its correction). The rate is done ÷ (due − not applicable): an item
recorded "not applicable" was not due for that patient; "not done" and "missed" (due, the
shift ended, nothing recorded) count against it. A slot is filed under the ward the stay lay on
when it ended (``models.item_slots``).

Items due once per stay count stays (``StayItem``): a stay is filed under the period and ward of
the first duty date the item was due or recorded; done, not done and not applicable as its
latest standing record has it; nothing recorded is "missed" once the stay has ended and "open"
while it goes on (it may yet be done). Their rate is done ÷ (due − not applicable − open).
Every figure is one aggregate query; rows are labelled afterwards, never counted in Python.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, IntegerField, Max, Min, Q
from django.db.models.functions import Cast, TruncMonth
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..models import (
    ChecklistTemplate,
    CheckRecord,
    ItemSlot,
    ItemSlotRefresh,
    ShiftDefinition,
    StayItem,
    TeachBackAudit,
    TemplateItem,
)
from ..months import day_start, month_starts

GOAL_PERCENT = 80  # Fall TIPS: ≥ 80 % teach-back compliance goes with fewer falls
TOP = 10
Status = CheckRecord.Status


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _slots(wards, start: date, end: date):
    """The counted item-slots with duty dates in [start, end), filed under ``wards``."""
    return (
        ItemSlot.objects.counted()
        .filter(ward__in=wards.values("pk"), duty_date__gte=start, duty_date__lt=end)
        .order_by()
    )


def counted_until(wards):
    """Up to when the ended slots of ``wards`` were marked due (the earliest of the wards), or None."""
    return (
        ItemSlotRefresh.objects.filter(ward__in=wards.values("pk"))
        .order_by("until")
        .values_list("until", flat=True)
        .first()
    )


COUNTS = {
    "due": Count("id"),
    "done": Count("id", filter=Q(status=Status.DONE)),
    "not_done": Count("id", filter=Q(status=Status.NOT_DONE)),
    "not_applicable": Count("id", filter=Q(status=Status.NOT_APPLICABLE)),
    "missed": Count("id", filter=Q(status="")),
}


def _text(row: dict, prefix: str) -> str:
    english = (get_language() or "ja")[:2] == "en"
    return (row[f"{prefix}_en"] if english else "") or row[f"{prefix}_ja"]


@dataclass(frozen=True)
class Counts:
    due: int
    done: int
    not_done: int
    not_applicable: int
    missed: int

    @property
    def percent(self) -> Decimal | None:
        return percent(self.done, self.due - self.not_applicable)


def _counts(row: dict) -> dict:
    return {name: row[name] for name in COUNTS}


@dataclass(frozen=True)
class CompletionRow(Counts):
    ward: str
    shift: str
    template: str
    item_key: str
    item: str
    critical: bool


def _labels(wards) -> dict[int, str]:
    return dict(wards.order_by().values_list("pk", "name"))


def completion_by_item(wards, start: date, end: date) -> list[CompletionRow]:
    """Ward × shift × template × item, in that order; items matched across versions by key and
    shifts across pattern versions by code. The slots are counted on their own table by ids (a
    join per slot, or a label taken per slot, costs more than the counting at a year's size);
    the few groups are then labelled, and merged where versions share a key or a code."""
    names = _labels(wards)
    rows = list(_slots(wards, start, end).values("ward", "shift", "template", "item_key", "item").annotate(**COUNTS))
    shifts = ShiftDefinition.objects.in_bulk({row["shift"] for row in rows} - {None})
    templates = ChecklistTemplate.objects.in_bulk({row["template"] for row in rows})
    items = TemplateItem.objects.in_bulk({row["item"] for row in rows})
    groups: dict[tuple, dict] = {}
    for row in rows:
        shift, item = shifts.get(row["shift"]), items[row["item"]]
        key = (row["ward"], shift.code if shift else None, row["template"], row["item_key"])
        group = groups.setdefault(key, dict.fromkeys(COUNTS, 0) | {"shifts": [], "items": []})
        for name in COUNTS:
            group[name] += row[name]
        group["shifts"] += [shift] if shift else []
        group["items"].append(item)
    english = (get_language() or "ja")[:2] == "en"

    def label(objects, field: str) -> str:
        ja, en = max(getattr(o, f"{field}_ja") for o in objects), max(getattr(o, f"{field}_en") for o in objects)
        return (en if english else "") or ja

    def order(pair):
        (ward, code, template, _key), group = pair
        starts = min(shift.starts_at for shift in group["shifts"]) if code is not None else None
        position = min(item.position for item in group["items"])
        return (names.get(ward, ""), starts is None, starts or "", templates[template].position, position)

    return [
        CompletionRow(
            ward=names.get(ward, ""),
            shift=label(group["shifts"], "name") if code is not None else _("Once a day"),
            template=label([templates[template]], "name"),
            item_key=item_key,
            item=label(group["items"], "text"),
            critical=any(item.is_critical for item in group["items"]),
            **{name: group[name] for name in COUNTS},
        )
        for (ward, code, template, item_key), group in sorted(groups.items(), key=order)
    ]


@dataclass(frozen=True)
class StayItemRow(Counts):
    """An item due once per stay: the stays it was due for (``due``) and how they stand."""

    template: str
    item_key: str
    item: str
    critical: bool
    open: int  # nothing recorded yet, the stay goes on

    @property
    def percent(self) -> Decimal | None:
        return percent(self.done, self.due - self.not_applicable - self.open)


def stay_items_by_item(wards, start: date, end: date) -> list[StayItemRow]:
    """Template × item of the items due once per stay whose first day falls in [start, end),
    in the templates' and items' order; items matched across versions by key."""
    unrecorded = Q(status="")
    rows = (
        StayItem.objects.filter(ward__in=wards.values("pk"), first_on__gte=start, first_on__lt=end)
        .order_by()
        .values("template", "item_key")
        .annotate(
            **{name: count for name, count in COUNTS.items() if name != "missed"},
            missed=Count("id", filter=unrecorded & Q(admission__discharged_at__isnull=False)),
            open=Count("id", filter=unrecorded & Q(admission__discharged_at__isnull=True)),
            template_position=Max("template__position"),
            position=Min("item__position"),
            critical=Max(Cast("item__is_critical", IntegerField())),
            template_ja=Max("template__name_ja"),
            template_en=Max("template__name_en"),
            item_ja=Max("item__text_ja"),
            item_en=Max("item__text_en"),
        )
        .order_by("template_position", "template", "position", "item_key")
    )
    return [
        StayItemRow(
            template=_text(row, "template"),
            item_key=row["item_key"],
            item=_text(row, "item"),
            critical=bool(row["critical"]),
            open=row["open"],
            **_counts(row),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class MonthCompletion(Counts):
    ward: str
    month: date


def completion_by_month(wards, start: date, end: date) -> list[MonthCompletion]:
    """Per ward and month of the period (months without records too): the run chart's points."""
    names = _labels(wards)
    rows = _slots(wards, start, end).annotate(month=TruncMonth("duty_date")).values("ward", "month")
    found = {(row["ward"], _month(row["month"])): _counts(row) for row in rows.annotate(**COUNTS)}
    empty = dict.fromkeys(COUNTS, 0)
    return [
        MonthCompletion(ward=name, month=month, **found.get((pk, month), empty))
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
    missed: int

    @property
    def left_open(self) -> int:
        return self.not_done + self.missed


def critical_items_left_open(wards, start: date, end: date, *, top: int = TOP) -> list[MissedItem]:
    """The critical items most often left open (recorded not done, or missed), most first."""
    rows = (
        _slots(wards, start, end)
        .filter(item__is_critical=True)
        .filter(Q(status=Status.NOT_DONE) | Q(status=""))
        .values("template__code", "item_key")
        .annotate(
            left_open=Count("id"),
            not_done=COUNTS["not_done"],
            missed=COUNTS["missed"],
            template_ja=Max("template__name_ja"),
            template_en=Max("template__name_en"),
            item_ja=Max("item__text_ja"),
            item_en=Max("item__text_en"),
        )
        .order_by("-left_open", "template__code", "item_key")[:top]
    )
    return [
        MissedItem(_text(row, "template"), row["item_key"], _text(row, "item"), row["not_done"], row["missed"])
        for row in rows
    ]


@dataclass(frozen=True)
class Reason:
    status: str
    note: str
    count: int


def frequent_reasons(wards, start: date, end: date, *, top: int = TOP) -> list[Reason]:
    """The reasons given most often for "not done" and "not applicable", most first."""
    rows = (
        _slots(wards, start, end)
        .filter(status__in=[Status.NOT_DONE, Status.NOT_APPLICABLE])
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
