"""The 加算 evidence export (CSV and PDF): per admission onto the ward in the period, the screen
and the measures started. Every download is an audit row (who, which ward, the period, whether
names were asked for); patient names only with ``names=1`` and only for a user who may read the
ward's pages (a checklist admin gets hospital IDs and beds).
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

from .. import services
from ..forms.quality import EvidenceForm
from ..models import Ward
from ..months import add_months
from ..printing import evidence
from .quality import csv_bytes, quality_ward, reads_ward


def _export(request, pk, kind: str):
    ward = quality_ward(request, pk)
    form = EvidenceForm(request.GET or None)
    (start, end), names = form.months(), form.include_names()
    if names and not reads_ward(request, ward):
        raise PermissionDenied
    services.pdf_download_audit(
        by=request.user,
        kind=kind,
        obj=ward,
        ward=ward,
        data={"start": f"{start:%Y-%m}", "end": f"{add_months(end, -1):%Y-%m}", "names": names},
    )
    return ward, start, end, names


@never_cache
def quality_evidence_csv(request, pk):
    ward, start, end, names = _export(request, pk, "evidence_csv")
    header, rows = evidence.evidence_table(wards=Ward.objects.filter(pk=ward.pk), start=start, end=end, names=names)
    response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="evidence-{ward.code}-{start:%Y%m}-{end:%Y%m}.csv"'
    return response


@never_cache
def quality_evidence_pdf(request, pk):
    ward, start, end, names = _export(request, pk, "evidence_pdf")
    data = evidence.evidence_pdf(ward=ward, start=start, end=end, names=names)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="evidence-{ward.code}-{start:%Y%m}-{end:%Y%m}.pdf"'
    return response
