"""The 加算 evidence for billing audits: per admission onto a ward in a period, the admission
screen (date, day number, result band, high risk) and the measures started — the stay's
checklists of the screen's category (せん妄予防 for the delirium screen), each with its start.

Five queries whatever the number of admissions: the screen's due days (two), the admissions with
their status (``quality_assessments.admission_screens``), the stays' standing screens with their
bands, and the checklists.
Patient names are read only when asked for (``with_names``); otherwise a row says hospital ID and
bed.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Assessment, PatientChecklist
from .quality_assessments import (
    ADMISSION_SCREEN_SCALE,
    LATE,
    MISSING,
    ON_TIME,
    PENDING,
    admission_screens,
    admissions_onto,
)

MEASURE_CATEGORY = "delirium"  # the checklists that are the screen's measures
STATUS_LABELS = {
    ON_TIME: gettext_lazy("on time"),
    LATE: gettext_lazy("late"),
    MISSING: gettext_lazy("missing"),
    PENDING: gettext_lazy("not yet due"),
}


@dataclass(frozen=True)
class Measure:
    checklist: str
    started_at: datetime


@dataclass
class EvidenceRow:
    hospital_id: str
    name: str  # "" unless names were asked for
    bed: str
    admitted_at: datetime
    status: str
    screened_at: datetime | None = None
    day: int | None = None
    band: str = ""
    high_risk: bool | None = None
    measures: list[Measure] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def admission_evidence(wards, start: date, end: date, *, with_names: bool = False) -> list[EvidenceRow]:
    """The admissions onto ``wards`` in [start, end), in order of admission."""
    names = {"patient_name": F("admission__patient__name")} if with_names else {}
    placements = list(
        admission_screens(wards, start, end)
        .annotate(hospital_id=F("admission__patient__hospital_id"), **names)
        .select_related("bed")
        .order_by("starts_at", "id")
    )
    stays = admissions_onto(wards, start, end).values("admission_id")
    screens: dict[int, Assessment] = {}
    standing = Assessment.objects.standing().filter(version__scale__code=ADMISSION_SCREEN_SCALE, admission__in=stays)
    for assessment in standing.select_related("band").order_by("-assessed_at", "-id"):
        screens[assessment.admission_id] = assessment  # newest first: the first one wins
    measures: dict[int, list[Measure]] = {}
    checklists = PatientChecklist.objects.filter(admission__in=stays, template__category=MEASURE_CATEGORY)
    for checklist in checklists.select_related("template").order_by("started_at", "id"):
        measures.setdefault(checklist.admission_id, []).append(Measure(checklist.template.name, checklist.started_at))
    rows = []
    for placement in placements:
        screen = screens.get(placement.admission_id)
        rows.append(
            EvidenceRow(
                hospital_id=placement.hospital_id,
                name=placement.patient_name if with_names else "",
                bed=placement.bed.code,
                admitted_at=timezone.localtime(placement.starts_at),
                status=placement.status,
                screened_at=timezone.localtime(screen.assessed_at) if screen else None,
                day=placement.gap.days + 1 if screen else None,
                band=screen.band.name if screen else "",
                high_risk=screen.band.is_high_risk if screen else None,
                measures=measures.get(placement.admission_id, []),
            )
        )
    return rows


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (_("yes") if value else _("no"))


def evidence_table(rows: list[EvidenceRow], *, with_names: bool) -> tuple[list[str], list[list]]:
    """The header and rows of the evidence CSV (the PDF shows the same columns)."""
    header = [_("Hospital ID"), *([_("Patient")] if with_names else []), _("Bed"), _("Admitted")]
    header += [_("Screened at"), _("Day"), _("Screened on time"), _("Result"), _("High risk"), _("Measures started")]
    table = []
    for row in rows:
        measures = "; ".join(f"{m.checklist} {timezone.localtime(m.started_at):%Y-%m-%d}" for m in row.measures)
        table.append(
            [
                row.hospital_id,
                *([row.name] if with_names else []),
                row.bed,
                f"{row.admitted_at:%Y-%m-%d %H:%M}",
                f"{row.screened_at:%Y-%m-%d %H:%M}" if row.screened_at else "",
                "" if row.day is None else row.day,
                row.status_label,
                row.band,
                _yes_no(row.high_risk),
                measures,
            ]
        )
    return header, table
