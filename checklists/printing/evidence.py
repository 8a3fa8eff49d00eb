"""The 加算 evidence export for billing audits (CSV rows and an A4 PDF, Japanese first): per
admission onto the ward in the period, the screening date and result and the measures started
(``selectors.quality_evidence``). Gather → render → write, like the other printouts; no patient
name unless ``names`` (the view decides who may ask).
"""

from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone, translation

from ..models import Ward
from ..months import add_months
from ..selectors.quality_evidence import EvidenceRow, admission_evidence
from ..selectors.quality_evidence import evidence_table as table_of
from .render import render_document


def evidence_table(*, wards, start: date, end: date, names: bool) -> tuple[list[str], list[list]]:
    """The CSV's header and rows."""
    return table_of(admission_evidence(wards, start, end, with_names=names), with_names=names)


@dataclass
class Evidence:
    ward: Ward
    start: date
    end: date  # the first day after the period
    names: bool
    rows: list[EvidenceRow]
    printed_at: object

    @property
    def last_month(self) -> date:
        return add_months(self.end, -1)

    @property
    def screened(self) -> int:
        return sum(1 for row in self.rows if row.screened_at)

    @property
    def high_risk(self) -> int:
        return sum(1 for row in self.rows if row.high_risk)

    @property
    def high_risk_with_measures(self) -> int:
        return sum(1 for row in self.rows if row.high_risk and row.measures)


def evidence_pdf(*, ward: Ward, start: date, end: date, names: bool = False) -> bytes:
    rows = admission_evidence(Ward.objects.filter(pk=ward.pk), start, end, with_names=names)
    evidence = Evidence(ward, start, end, names, rows, timezone.localtime())
    html = render_to_string(
        "checklists/pdf/evidence.html", {"language": translation.get_language() or "ja", "evidence": evidence}
    )
    return render_document(html).write_pdf()
