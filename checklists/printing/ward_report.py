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
from ..months import add_months
from .render import render_document

RUN_CHART_MONTHS = 6  # the run charts show the report's month and the five before it


@dataclass
class WardReport:
    ward: Ward
    month: date
    include_names: bool
    completion: selectors.CompletionPage  # the month (heat map, critical items, reasons)
    completion_trend: selectors.CompletionPage  # the run chart's months
    events: selectors.EventsPage  # the month's rates and events
    events_trend: selectors.EventsPage
    teach_back: selectors.TeachBackPage
    printed_at: object

    @property
    def month_rates(self):
        return self.events.rates[0] if self.events.rates else None

    @property
    def month_completion(self):
        return self.completion.by_month[0] if self.completion.by_month else None

    @property
    def month_teach_back(self):
        return self.teach_back.by_month[-1] if self.teach_back.by_month else None


def ward_report(*, ward: Ward, month: date, include_names: bool = False) -> WardReport:
    wards = Ward.objects.filter(pk=ward.pk)
    end = add_months(month, 1)
    trend_start = add_months(month, 1 - RUN_CHART_MONTHS)
    events = selectors.events_page(wards, month, end, with_patients=include_names)
    return WardReport(
        ward=ward,
        month=month,
        include_names=include_names,
        completion=selectors.completion_page(wards, month, end),
        completion_trend=selectors.completion_page(wards, trend_start, end),
        events=events,
        events_trend=selectors.events_page(wards, trend_start, end),
        teach_back=selectors.teach_back_page(wards, trend_start, end),
        printed_at=timezone.localtime(),
    )


def ward_report_pdf(*, ward: Ward, month: date, include_names: bool = False) -> bytes:
    report = ward_report(ward=ward, month=month, include_names=include_names)
    html = render_to_string(
        "checklists/pdf/ward_report.html", {"language": translation.get_language() or "ja", "report": report}
    )
    return render_document(html).write_pdf()
