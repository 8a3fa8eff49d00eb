"""What each quality page shows, plot by plot: the figures (``quality_completion``,
``quality_events``), the charts drawn from exactly those figures, and the CSV rows behind each
chart, so that the page, its CSV and the monthly report always agree.

``PLOTS`` names the plots a CSV can be asked for; ``plot_rows`` gives the header and rows.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .. import charts
from ..months import month_starts
from .quality_assessments import GOAL_PERCENT as ASSESSMENT_GOAL_PERCENT
from .quality_assessments import MonthTimeliness, assessments_on_time
from .quality_completion import (
    GOAL_PERCENT,
    CompletionRow,
    MonthCompletion,
    MonthTeachBack,
    StayItemRow,
    completion_by_item,
    completion_by_month,
    counted_until,
    critical_items_left_open,
    frequent_reasons,
    stay_items_by_item,
    teach_back_by_month,
)
from .quality_events import MonthRates, completion_percent, event_rates, events_with_completion, rates_together

COMPLETION_MONTHS = "completion-months"
COMPLETION_HEAT_MAP = "completion-heat-map"
EVENT_RATES = "event-rates"
TEACH_BACK = "teach-back"
ASSESSMENTS = "assessments"
STAY_ITEMS = "stay-items"  # a table, not a plot: the items due once per stay
PLOTS = (COMPLETION_MONTHS, COMPLETION_HEAT_MAP, EVENT_RATES, TEACH_BACK, ASSESSMENTS, STAY_ITEMS)
# The print worker's loop refreshes every 15 minutes: a mark older than this says it is not running.
REFRESH_LATE = timedelta(hours=1)


def _by_ward(points: list, value) -> list[tuple[str, list]]:
    """Series per ward, in the order the points come (ward, then month)."""
    series: dict[str, list] = {}
    for point in points:
        series.setdefault(point.ward, []).append(value(point))
    return list(series.items())


@dataclass(frozen=True)
class HeatMap:
    rows: list[str]  # "template: item"
    columns: list[str]  # shifts, in the order they start
    values: list[list]


def heat_map_of(rows: list[CompletionRow]) -> HeatMap:
    """Completion rows (one ward) pivoted: a row per template and item, a column per shift."""
    columns = list(dict.fromkeys(row.shift for row in rows))
    items = list(dict.fromkeys((row.template, row.item_key, row.item) for row in rows))
    cells = {(row.template, row.item_key, row.shift): row.percent for row in rows}
    return HeatMap(
        rows=[f"{template}: {item}" for template, _key, item in items],
        columns=columns,
        values=[[cells.get((template, key, shift)) for shift in columns] for template, key, _item in items],
    )


@dataclass
class CompletionPage:
    months: list[date]
    by_month: list[MonthCompletion]
    by_item: list[CompletionRow]
    critical_open: list
    reasons: list
    stay_items: list  # items due once per stay: stays due, done, open
    run_chart: charts.Chart
    heat_map: charts.Chart
    counted_until: object = None  # up to when ended slots were marked due (None: never)
    refresh_late: bool = False  # the last refresh is older than REFRESH_LATE


def completion_run_chart(months: list[date], by_month: list[MonthCompletion]) -> charts.Chart:
    return charts.run_chart(
        title=_("Checklist completion by month"),
        months=months,
        series=_by_ward(by_month, lambda point: point.percent),
        y_label=_("% done"),
        y_max=100,
    )


def completion_heat_map(by_item: list[CompletionRow]) -> charts.Chart:
    grid = heat_map_of(by_item)
    return charts.heat_map(
        title=_("Completion by item and shift (%)"), rows=grid.rows, columns=grid.columns, values=grid.values
    )


def completion_page(wards, start: date, end: date) -> CompletionPage:
    by_month = completion_by_month(wards, start, end)
    by_item = completion_by_item(wards, start, end)
    months = month_starts(start, end)
    until = counted_until(wards)
    return CompletionPage(
        months=months,
        by_month=by_month,
        by_item=by_item,
        critical_open=critical_items_left_open(wards, start, end),
        reasons=frequent_reasons(wards, start, end),
        stay_items=stay_items_by_item(wards, start, end),
        run_chart=completion_run_chart(months, by_month),
        heat_map=completion_heat_map(by_item),
        counted_until=until,
        refresh_late=until is not None and timezone.now() - until > REFRESH_LATE,
    )


@dataclass
class RatesPage:
    """The events per 1,000 patient-days of each ward, of several wards together, and the chart."""

    months: list[date]
    rates: list[MonthRates]
    together: list[MonthRates]  # the wards added up by month (empty for one ward): what the chart draws
    run_chart: charts.Chart


@dataclass
class EventsPage(RatesPage):
    events: list


def events_listed(wards, start: date, end: date, *, with_patients: bool = False) -> list:
    """The period's events, each with ``completion`` (the matching checklist's in the days before).
    ``with_patients``: the events carry their patient and bed (the report, when asked)."""
    events = events_with_completion(wards, start, end)
    if with_patients:
        events = events.select_related("admission__patient", "admission__bed")
    events = list(events)
    for event in events:
        event.completion = completion_percent(event.done, event.due)
    return events


def events_run_chart(months: list[date], rates: list[MonthRates]) -> charts.Chart:
    """Falls and falls with injury by month: a line each per ward, or for several wards one line
    each for them all together (``rates_together``; a line per ward would be two dozen lines
    for a hospital: the table beside the chart has each ward's)."""
    wards = {point.ward_id for point in rates}
    if len(wards) > 1:
        rates = rates_together(rates, together_label(len(wards)))
    series = [
        (f"{ward} {_('falls')}", values) for ward, values in _by_ward(rates, lambda point: point.rates["falls"])
    ] + [
        (f"{ward} {_('falls with injury')}", values)
        for ward, values in _by_ward(rates, lambda point: point.rates["injurious_falls"])
    ]
    return charts.run_chart(
        title=_("Falls per 1,000 patient-days"), months=months, series=series, y_label=_("per 1,000 patient-days")
    )


def together_label(count: int) -> str:
    return _("%(count)s wards together") % {"count": count}


def rates_page(wards, start: date, end: date) -> RatesPage:
    rates = event_rates(wards, start, end)
    months = month_starts(start, end)
    count = len({point.ward_id for point in rates})
    together = rates_together(rates, together_label(count)) if count > 1 else []
    return RatesPage(months=months, rates=rates, together=together, run_chart=events_run_chart(months, rates))


def events_page(wards, start: date, end: date, *, with_patients: bool = False) -> EventsPage:
    rates = rates_page(wards, start, end)
    events = events_listed(wards, start, end, with_patients=with_patients)
    return EventsPage(
        months=rates.months, rates=rates.rates, together=rates.together, run_chart=rates.run_chart, events=events
    )


@dataclass
class TeachBackPage:
    months: list[date]
    by_month: list[MonthTeachBack]
    goal: int
    run_chart: charts.Chart


def teach_back_page(wards, start: date, end: date) -> TeachBackPage:
    by_month = teach_back_by_month(wards, start, end)
    months = month_starts(start, end)
    return TeachBackPage(
        months=months,
        by_month=by_month,
        goal=GOAL_PERCENT,
        run_chart=charts.run_chart(
            title=_("Teach-back compliance by month"),
            months=months,
            series=_by_ward(by_month, lambda point: point.percent),
            y_label=_("% compliant"),
            goal=GOAL_PERCENT,
            goal_label=_("goal %(percent)d %%") % {"percent": GOAL_PERCENT},
            y_max=100,
        ),
    )


@dataclass
class AssessmentsPage:
    months: list[date]
    by_month: list[MonthTimeliness]
    goal: int
    run_chart: charts.Chart


def assessments_page(wards, start: date, end: date) -> AssessmentsPage:
    """The 加算 view: assessments done on time per ward, measure and month, and its run chart."""
    by_month = assessments_on_time(wards, start, end)
    months = month_starts(start, end)
    series: dict[str, list] = {}
    for point in by_month:
        series.setdefault(f"{point.ward} {point.label}", []).append(point.percent)
    return AssessmentsPage(
        months=months,
        by_month=by_month,
        goal=ASSESSMENT_GOAL_PERCENT,
        run_chart=charts.run_chart(
            title=_("Assessments done on time by month"),
            months=months,
            series=list(series.items()),
            y_label=_("% on time"),
            goal=ASSESSMENT_GOAL_PERCENT,
            goal_label=_("goal %(percent)d %%") % {"percent": ASSESSMENT_GOAL_PERCENT},
            y_max=105,
        ),
    )


def _blank(value) -> str:
    return "" if value is None else str(value)


def _heat_map_row(r: CompletionRow) -> list:
    return [
        r.ward,
        r.shift,
        r.template,
        r.item_key,
        r.item,
        int(r.critical),
        r.due,
        r.done,
        r.not_done,
        r.not_applicable,
        r.missed,
        _blank(r.percent),
    ]


def _stay_item_row(r: StayItemRow) -> list:
    counts = [r.due, r.done, r.not_done, r.not_applicable, r.missed, r.open]
    return [r.template, r.item_key, r.item, int(r.critical), *counts, _blank(r.percent)]


def _timeliness_row(p: MonthTimeliness) -> list:
    counts = [p.due, p.on_time, p.late, p.missing, p.pending]
    return [p.ward, f"{p.month:%Y-%m}", p.label, *counts, _blank(p.percent), ASSESSMENT_GOAL_PERCENT]


def _rates_row(r: MonthRates) -> list:
    counts = [cell for name in MonthRates.COUNTS for cell in (getattr(r, name), _blank(r.rates[name]))]
    return [r.ward, f"{r.month:%Y-%m}", str(r.patient_days), *counts]


def plot_rows(plot: str, wards, start: date, end: date) -> tuple[list[str], list[list]]:
    """The header and rows behind one plot: the same figures the chart draws, no patient names."""
    if plot == COMPLETION_MONTHS:
        header = [_("Ward"), _("Month"), _("Due"), _("Done"), _("Not done"), _("Not applicable"), _("Missed")]
        header += [_("% done")]
        rows = [
            [p.ward, f"{p.month:%Y-%m}", p.due, p.done, p.not_done, p.not_applicable, p.missed, _blank(p.percent)]
            for p in completion_by_month(wards, start, end)
        ]
    elif plot == COMPLETION_HEAT_MAP:
        header = [_("Ward"), _("Shift"), _("Checklist"), _("Item key"), _("Item"), _("Critical")]
        header += [_("Due"), _("Done"), _("Not done"), _("Not applicable"), _("Missed"), _("% done")]
        rows = [_heat_map_row(r) for r in completion_by_item(wards, start, end)]
    elif plot == EVENT_RATES:
        header = [_("Ward"), _("Month"), _("Patient-days")]
        for name in (_("Falls"), _("Falls with injury"), _("Suspected aspiration"), _("Delirium")):
            header += [name, _("%(name)s per 1,000 patient-days") % {"name": name}]
        rows = [_rates_row(r) for r in event_rates(wards, start, end)]
    elif plot == TEACH_BACK:
        header = [_("Ward"), _("Month"), _("Audits"), _("Compliant"), _("% compliant"), _("Goal %")]
        rows = [
            [p.ward, f"{p.month:%Y-%m}", p.audits, p.compliant, _blank(p.percent), GOAL_PERCENT]
            for p in teach_back_by_month(wards, start, end)
        ]
    elif plot == ASSESSMENTS:
        header = [_("Ward"), _("Month"), _("Measure"), _("Due"), _("On time"), _("Late"), _("Missing")]
        header += [_("Pending"), _("% on time"), _("Goal %")]
        rows = [_timeliness_row(p) for p in assessments_on_time(wards, start, end)]
    elif plot == STAY_ITEMS:
        header = [_("Checklist"), _("Item key"), _("Item"), _("Critical"), _("Stays due"), _("Done"), _("Not done")]
        header += [_("Not applicable"), _("Missed"), pgettext("nothing recorded yet", "Open"), _("% done")]
        rows = [_stay_item_row(r) for r in stay_items_by_item(wards, start, end)]
    else:
        raise KeyError(plot)
    return header, rows
