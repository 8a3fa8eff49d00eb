"""The 加算 view, by hand on a small fixed data set: the admission delirium screen on day 3 (on
time, with the day counted in ward time: 23:30 on day 3 is still day 3), on day 4 (late), never
(missing) and not yet due (pending); the fall scale's reassessments on time, late, missing,
pending and not yet due, filed under the ward the stay lay on (a transfer) and the month of the
due day; the CSV holds the numbers the run chart draws.

The data set (ward time; the clock ends at 2026-12-01 10:00; MFS reassessed every 7 days):
- P2: admitted to A 10-31 22:00, MFS 10-31 23:00, to ward B 11-02 12:00, screened 11-03 (day 4),
  MFS 11-07 on B (the one due 11-07: on time, A), then none (due 11-14 on B: missing).
- P1: admitted to A 11-01 00:30, MFS 11-01 01:00, screened 11-03 23:30 (day 3, high risk; せん妄予防
  started 11-04), MFS 11-08 (on
  time) and 11-16 (late: due 11-15), none after (due 11-23; discharged 11-25: missing).
- P6: admitted to A 11-10, screened 11-13 (day 4: late), MFS 11-24 (due 12-01, today: pending).
- P3: admitted to A 11-20, never screened (missing).
- P4: admitted to A 11-30 15:00, not screened yet (day 2: pending); MFS 11-30 (due 12-07: not due).
"""

import csv
import io

import pytest
from django.core.management import call_command

from checklists import selectors, services
from checklists.models import ChecklistTemplate, ScaleVersion, Ward

from .conftest import tokyo
from .factories import ADULT_BIRTH_DATE, BedFactory, NurseFactory, WardFactory

pytestmark = pytest.mark.django_db

OCT, NOV, DEC = (tokyo(2026, month, 1).date() for month in (10, 11, 12))
JAN = tokyo(2027, 1, 1).date()
MFS = {
    "history-of-falling": "no",
    "secondary-diagnosis": "no",
    "ambulatory-aid": "none",
    "iv-therapy": "no",
    "gait": "normal",
    "mental-status": "oriented",
}
SCREEN_LOW = dict.fromkeys(
    [
        "aged-70-plus",
        "organic-brain-disorder",
        "dementia",
        "heavy-drinking",
        "history-of-delirium",
        "risk-drugs",
        "general-anaesthesia",
    ],
    "no",
)
SCREEN_HIGH = SCREEN_LOW | {"dementia": "yes"}


class DataSet:
    pass


@pytest.fixture
def data(clock):
    clock.now = tokyo(2026, 10, 1, 9)
    call_command("load_content", verbosity=0)
    d = DataSet()
    d.a = WardFactory(code="east-4", name="東4病棟")
    d.b = WardFactory(code="west-2", name="西2病棟")
    beds = {code: BedFactory(ward=d.a, code=code, position=n) for n, code in enumerate(["401", "402", "403", "404"])}
    bed_b = BedFactory(ward=d.b, code="201", position=1)
    nurse = d.nurse = NurseFactory(username="nurse-q")
    d.a.staff.add(nurse)
    d.b.staff.add(nurse)
    mfs = ScaleVersion.objects.get(scale__code="morse-fall-scale", status="published")
    screen = ScaleVersion.objects.get(scale__code="delirium-risk-screen", status="published")
    stays = {}

    def at(month, day, hour, minute=0):
        clock.now = tokyo(2026, month, day, hour, minute)
        return clock.now

    def admit(name, hid, bed, when):
        stays[name] = services.patient_admit(
            hospital_id=hid, name=f"仮名 {name}", birth_date=ADULT_BIRTH_DATE, bed=beds[bed], by=nurse, at=when
        )

    def assess(name, version, when, answers):
        services.assessment_record(admission=stays[name], version=version, answers=answers, by=nurse, at=when)

    admit("P2", "H2", "402", at(10, 31, 22))
    assess("P2", mfs, at(10, 31, 23), MFS)
    admit("P1", "H1", "401", at(11, 1, 0, 30))
    assess("P1", mfs, at(11, 1, 1), MFS)
    services.admission_transfer(admission=stays["P2"], bed=bed_b, by=nurse, at=at(11, 2, 12))
    assess("P2", screen, at(11, 3, 10), SCREEN_LOW)
    assess("P1", screen, at(11, 3, 23, 30), SCREEN_HIGH)
    delirium = ChecklistTemplate.objects.get(code="delirium")
    services.checklist_start(admission=stays["P1"], template=delirium, by=nurse, at=at(11, 4, 9))
    assess("P2", mfs, at(11, 7, 10), MFS)
    assess("P1", mfs, at(11, 8, 9), MFS)
    admit("P6", "H6", "403", at(11, 10, 10))
    assess("P6", screen, at(11, 13, 8), SCREEN_LOW)
    assess("P1", mfs, at(11, 16, 10), MFS)
    admit("P3", "H3", "404", at(11, 20, 10))
    assess("P6", mfs, at(11, 24, 10), MFS)
    services.admission_discharge(admission=stays["P1"], by=nurse, at=at(11, 25, 10))
    admit("P4", "H4", "401", at(11, 30, 15))
    assess("P4", mfs, at(11, 30, 16), MFS)
    at(12, 1, 10)
    d.stays = stays
    return d


def _figures(rows, ward):
    return {
        (r.measure, f"{r.month:%m}"): (r.on_time, r.late, r.missing, r.pending) for r in rows if r.ward == ward.name
    }


def test_assessments_on_time_by_ward_and_month_match_the_hand_count(data):
    rows = selectors.assessments_on_time(Ward.objects.all(), OCT, JAN)
    assert _figures(rows, data.a) == {
        ("admission-screen", "10"): (0, 1, 0, 0),  # P2 on day 4
        ("admission-screen", "11"): (1, 1, 1, 1),  # P1 day 3 (23:30), P6 day 4, P3 never, P4 day 2
        ("admission-screen", "12"): (0, 0, 0, 0),
        ("fall-reassessment", "10"): (0, 0, 0, 0),
        ("fall-reassessment", "11"): (2, 1, 1, 0),  # P2 and P1 on time, P1 late, P1 never (discharged after)
        ("fall-reassessment", "12"): (0, 0, 0, 1),  # P6 due today; P4 not due yet
    }
    assert _figures(rows, data.b) == {
        ("admission-screen", "10"): (0, 0, 0, 0),  # a transfer is no admission onto the ward
        ("admission-screen", "11"): (0, 0, 0, 0),
        ("admission-screen", "12"): (0, 0, 0, 0),
        ("fall-reassessment", "10"): (0, 0, 0, 0),
        ("fall-reassessment", "11"): (0, 0, 1, 0),  # P2's, due 11-14 on B: never
        ("fall-reassessment", "12"): (0, 0, 0, 0),
    }
    percents = {(r.ward, r.measure, f"{r.month:%m}"): r.percent for r in rows}
    assert str(percents[(data.a.name, "admission-screen", "11")]) == "33.3"  # pending not counted
    assert str(percents[(data.a.name, "fall-reassessment", "11")]) == "50.0"
    assert percents[(data.a.name, "admission-screen", "12")] is None


def test_a_ward_setting_changes_what_is_on_time(data):
    services_setting = data.a.scale_settings.model
    scale = ScaleVersion.objects.get(scale__code="delirium-risk-screen", status="published").scale
    services_setting.objects.create(ward=data.a, scale=scale, due_within_days=4)
    rows = selectors.assessments_on_time(Ward.objects.filter(pk=data.a.pk), NOV, DEC)
    assert _figures(rows, data.a)[("admission-screen", "11")] == (2, 0, 1, 1)  # day 4 is on time there


def test_a_correction_replaces_the_screen_it_corrects(data):
    wrong = data.stays["P6"].assessments.get(version__scale__code="delirium-risk-screen")
    services.assessment_correct(assessment=wrong, answers=SCREEN_HIGH, by=data.nurse, note="認知症の既往を追加")
    rows = selectors.assessments_on_time(Ward.objects.filter(pk=data.a.pk), NOV, DEC)
    assert _figures(rows, data.a)[("admission-screen", "11")] == (1, 1, 1, 1)  # still day 4, counted once


def test_the_csv_holds_the_numbers_the_run_chart_draws(data, client):
    client.force_login(data.nurse)
    page = client.get(f"/quality/wards/{data.a.pk}/assessments/", {"start": "2026-10", "end": "2026-12"})
    assert page.status_code == 200
    chart = page.context["page"].run_chart
    response = client.get(
        f"/quality/wards/{data.a.pk}/plot.csv", {"plot": "assessments", "start": "2026-10", "end": "2026-12"}
    )
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, rows = rows[0], rows[1:]
    assert len(header) == 10 and header[0] == "病棟"  # Japanese first, like the page
    assert [r[1] for r in rows] == ["2026-10", "2026-11", "2026-12"] * 2
    plotted = [
        ("" if value is None else str(value)) for _label, values in sorted(chart.data.items()) for value in values
    ]
    by_measure = {}
    for r in rows:
        by_measure.setdefault(r[2], []).append(r[8])
    assert sorted(v for vs in by_measure.values() for v in vs) == sorted(plotted)
    assert [r[4:8] for r in rows if r[1] == "2026-11"] == [["1", "1", "1", "1"], ["2", "1", "1", "0"]]
    assert "仮名" not in body.decode("utf-8-sig")  # no patient names
