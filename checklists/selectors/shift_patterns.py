"""The editor's shift pages: every shift pattern with its versions, and every ward with the
patterns it ran and will run, each marked earlier / in force today / from a later date."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from ..models import ShiftPattern, ShiftPatternVersion, Ward, WardShiftPattern
from ..shifts import Dated, in_force

EARLIER, CURRENT, UPCOMING = "earlier", "current", "upcoming"


@dataclass
class DatedRow:
    """A pattern version or a ward's assignment, and where it stands today."""

    row: object
    state: str  # EARLIER, CURRENT or UPCOMING


def _dated_rows(rows: list, order, today: date, *, first_before: bool) -> list[DatedRow]:
    """``rows`` (in date order) newest first, each with its state on ``today``. Before the first
    date the first row is in force if ``first_before`` (a pattern's first version), else none
    (a ward runs the first pattern until its first assignment: ``ShiftCalendar``)."""
    if not rows:
        return []
    if first_before or today >= rows[0].effective_from:
        current = in_force([Dated(row.effective_from, order(row), row) for row in rows], today)
    else:
        current = None
    result, seen_current = [], current is None
    for row in rows:
        if row is current:
            state, seen_current = CURRENT, True
        else:
            state = UPCOMING if seen_current else EARLIER
        result.append(DatedRow(row=row, state=state))
    return result[::-1]


@dataclass
class PatternOverview:
    pattern: ShiftPattern
    versions: list[DatedRow]  # newest first

    @property
    def latest(self) -> ShiftPatternVersion:
        """The version a change starts from: the one in force last."""
        return self.versions[0].row


@dataclass
class WardOverview:
    ward: Ward
    assignments: list[DatedRow]  # newest first
    current: ShiftPattern | None  # the pattern run today (wards without an assignment: the first)


def patterns_overview(today: date) -> list[PatternOverview]:
    """Every pattern with shifts, its versions newest first. Three queries."""
    versions = ShiftPatternVersion.objects.select_related("created_by").prefetch_related("shifts")
    patterns = ShiftPattern.objects.prefetch_related(
        Prefetch("versions", queryset=versions.order_by("effective_from", "number"), to_attr="dated_versions")
    ).order_by("position", "pk")
    return [
        PatternOverview(pattern=p, versions=_dated_rows(p.dated_versions, lambda v: v.number, today, first_before=True))
        for p in patterns
        if p.dated_versions
    ]


def wards_overview(today: date, wards=None) -> list[WardOverview]:
    """Every ward (or the ones given, a queryset) with its pattern assignments. Three queries."""
    first = ShiftPattern.objects.filter(versions__isnull=False).order_by("pk").first()
    assignments = WardShiftPattern.objects.select_related("pattern", "created_by").order_by("effective_from", "pk")
    wards = (wards if wards is not None else Ward.objects.all()).prefetch_related(
        Prefetch("shift_patterns", queryset=assignments, to_attr="dated_patterns")
    )
    overview = []
    for ward in wards.order_by("code"):
        rows = _dated_rows(ward.dated_patterns, lambda a: a.pk, today, first_before=False)
        current = next((r.row.pattern for r in rows if r.state == CURRENT), first)
        overview.append(WardOverview(ward=ward, assignments=rows, current=current))
    return overview
