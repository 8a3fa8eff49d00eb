"""The monthly ward report for the 医療安全委員会 (patient-safety committee), A4, Japanese
first: the month's figures and plots, the 10 most-missed critical items, and the month's
events, without patient names unless the user asked for them. Gather → render → write, like
the other printouts; the figures and charts come from ``selectors.quality_pages``, so the
report says what the quality pages and their CSVs say.
"""

from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone, translation

from .. import selectors
from ..models import Ward
from ..months import add_months, month_starts
from .render import render_document

RUN_CHART_MONTHS = 6  # the run charts show the report's month and the five before it


@dataclass
class WardReport:
    """Only what the report prints, each figure computed once: the run charts' six months of
    completion and event rates give the month's figures too."""

    ward: Ward
    month: date
    include_names: bool
    month_completion: selectors.MonthCompletion | None
    completion_run_chart: object
    heat_map: object  # the month's completion by item and shift
    critical_open: list  # the month's
    month_rates: selectors.MonthRates | None
    events_run_chart: object
    events: list  # the month's, each with the completion before it
    teach_back: selectors.TeachBackPage
    printed_at: object

    @property
    def month_teach_back(self):
        return self.teach_back.by_month[-1] if self.teach_back.by_month else None


def _of_month(points: list, month: date):
    return next((point for point in points if point.month == month), None)


def ward_report(*, ward: Ward, month: date, include_names: bool = False) -> WardReport:
    wards = Ward.objects.filter(pk=ward.pk)
    end = add_months(month, 1)
    trend_start = add_months(month, 1 - RUN_CHART_MONTHS)
    months = month_starts(trend_start, end)
    completion = selectors.completion_by_month(wards, trend_start, end)
    rates = selectors.event_rates(wards, trend_start, end)
    return WardReport(
        ward=ward,
        month=month,
        include_names=include_names,
        month_completion=_of_month(completion, month),
        completion_run_chart=selectors.completion_run_chart(months, completion),
        heat_map=selectors.completion_heat_map(selectors.completion_by_item(wards, month, end)),
        critical_open=selectors.critical_items_left_open(wards, month, end),
        month_rates=_of_month(rates, month),
        events_run_chart=selectors.events_run_chart(months, rates),
        events=selectors.events_listed(wards, month, end, with_patients=include_names),
        teach_back=selectors.teach_back_page(wards, trend_start, end),
        printed_at=timezone.localtime(),
    )


def ward_report_pdf(*, ward: Ward, month: date, include_names: bool = False) -> bytes:
    report = ward_report(ward=ward, month=month, include_names=include_names)
    html = render_to_string(
        "checklists/pdf/ward_report.html", {"language": translation.get_language() or "ja", "report": report}
    )
    return render_document(html).write_pdf()
