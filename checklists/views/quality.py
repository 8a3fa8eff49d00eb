"""The quality pages: completion, events per 1,000 patient-days and teach-back compliance, each
with its plots and a CSV of the rows behind each plot, and the monthly ward report (PDF).

Who sees what: the permission ``view_quality_pages`` (nurses, shift leaders, checklist admins);
nurses and shift leaders see the wards they work on (another ward is a 404), checklist admins
every ward. The figures and CSVs name no patient; the report names them only when asked, and
only to a user who may read the ward's pages.
"""

import csv
import io

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from .. import printing, selectors, services
from ..forms import MonthForm, PeriodForm
from ..models import Ward
from ..months import add_months
from .access import EDIT_TEMPLATES, reads_ward_pages

VIEW_QUALITY = "checklists.view_quality_pages"


def quality_wards(request):
    """The wards whose figures the user may see (403 without the permission)."""
    if not request.user.has_perm(VIEW_QUALITY):
        raise PermissionDenied
    if request.user.has_perm(EDIT_TEMPLATES):
        return Ward.objects.all()
    return Ward.objects.visible_to(request.user)


def quality_ward(request, pk) -> Ward:
    return get_object_or_404(quality_wards(request), pk=pk)


def _period(request):
    return PeriodForm.for_query(request.GET)


def _ward_page(ward, form, start, end, page) -> dict:
    """A ward's quality page: its period (and the last month in it), and the month the monthly
    report's field offers (last month, the report's default)."""
    return {
        "ward": ward,
        "form": form,
        "start": start,
        "end": end,
        "last_month": add_months(end, -1),
        "report_month": MonthForm().chosen_month(),
        "page": page,
    }


def quality_index(request):
    """Every ward the user may see, side by side: events per 1,000 patient-days of the period."""
    wards = quality_wards(request)
    form, start, end = _period(request)
    page = selectors.rates_page(wards, start, end)  # the rates only: the events are on each ward's page
    context = {
        "form": form,
        "start": start,
        "end": end,
        "last_month": add_months(end, -1),
        "wards": list(wards.order_by("code")),
        "page": page,
    }
    return render(request, "checklists/quality/quality_index.html", context)


def quality_completion(request, pk):
    ward = quality_ward(request, pk)
    form, start, end = _period(request)
    page = selectors.completion_page(Ward.objects.filter(pk=ward.pk), start, end)
    context = _ward_page(ward, form, start, end, page)
    return render(request, "checklists/quality/quality_completion.html", context)


def quality_events(request, pk):
    ward = quality_ward(request, pk)
    form, start, end = _period(request)
    page = selectors.events_page(Ward.objects.filter(pk=ward.pk), start, end)
    context = _ward_page(ward, form, start, end, page)
    return render(request, "checklists/quality/quality_events.html", context)


def quality_teach_back(request, pk):
    ward = quality_ward(request, pk)
    form, start, end = _period(request)
    page = selectors.teach_back_page(Ward.objects.filter(pk=ward.pk), start, end)
    context = _ward_page(ward, form, start, end, page)
    return render(request, "checklists/quality/quality_teach_back.html", context)


def quality_assessments(request, pk):
    """The 加算 view: the admission screen and the fall reassessments done on time, by month."""
    ward = quality_ward(request, pk)
    form, start, end = _period(request)
    page = selectors.assessments_page(Ward.objects.filter(pk=ward.pk), start, end)
    context = _ward_page(ward, form, start, end, page)
    return render(request, "checklists/quality/quality_assessments.html", context)


def csv_bytes(header: list, rows: list) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel on Japanese Windows reads it as UTF-8."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8-sig")


def quality_plot_csv(request, pk):
    """The rows behind one plot (``?plot=``, of ``selectors.PLOTS``) of a ward's quality pages,
    for the period the page shows (``start``, ``end``)."""
    ward = quality_ward(request, pk)
    plot = request.GET.get("plot", selectors.PLOTS[0])
    if plot not in selectors.PLOTS:
        raise Http404
    _form, start, end = _period(request)
    header, rows = selectors.plot_rows(plot, Ward.objects.filter(pk=ward.pk), start, end)
    response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    name = f"{plot}-{ward.code}-{start:%Y%m}-{end:%Y%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def reads_ward(request, ward) -> bool:
    """Patient names are for those who may read the ward's pages (not a checklist admin)."""
    return reads_ward_pages(request.user) and Ward.objects.visible_to(request.user).filter(pk=ward.pk).exists()


@never_cache
def ward_report_pdf(request, pk):
    """The monthly ward report for ``?month=YYYY-MM`` (last month by default); patient names
    only with ``names=1`` and only for a user who may read the ward's pages."""
    ward = quality_ward(request, pk)
    form = MonthForm(request.GET or None)
    month, names = form.chosen_month(), form.include_names()
    if names and not reads_ward(request, ward):
        raise PermissionDenied
    data = printing.ward_report_pdf(ward=ward, month=month, include_names=names)
    services.pdf_download_audit(
        by=request.user, kind="ward_report", obj=ward, ward=ward, data={"month": f"{month:%Y-%m}", "names": names}
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ward-report-{ward.code}-{month:%Y%m}.pdf"'
    return response
