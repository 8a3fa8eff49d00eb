"""Each quality figure, computed by hand for a small fixed data set, against what the selectors
aggregate: patient-days across a month boundary and a transfer, a fall on the day of admission,
completion before an event, corrected and withdrawn entries, teach-back against the 80 % line;
and the CSV of each plot holds the numbers the plot draws. The shifts' refresh is not run here, so
only recorded slots count (the missed ones: test_quality_due_slots), and the records are entered
after their shift has ended (``_late``: a running shift's records count when it ends).

The data set (ward time; the clock ends at 2026-12-01 10:00):
- P1: admitted to ward A 10-30 12:00, transferred to ward B 11-01 12:00, discharged 11-03 12:00;
  a fall-checklist record on 10-31 (on A) and on 11-02 (on B); a suspected aspiration on B 11-02.
- P2: admitted to A 11-10 08:00; falls the same day at 15:00 (level 3b: major); fall-checklist
  records 11-11 and 11-12: call bell not done twice (critical), bed path done, toileting not done.
- P3: admitted to A 11-05 09:00; delirium-checklist records 11-17 … 11-21 (one corrected);
  delirium 11-21 14:00; a fall on 11-22 later withdrawn.
"""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from checklists import selectors, services
from checklists.models import ChecklistTemplate, Ward

from .conftest import tokyo
from .factories import ADULT_BIRTH_DATE, BedFactory, NurseFactory, WardFactory

pytestmark = pytest.mark.django_db

OCT, NOV, DEC, JAN = (
    tokyo(2026, 10, 1).date(),
    tokyo(2026, 11, 1).date(),
    tokyo(2026, 12, 1).date(),
    tokyo(2027, 1, 1).date(),
)


class DataSet:
    pass


def _late(clock, write):
    """``write`` made at ``clock.now`` and entered once its shift had ended: the refresh is not run
    here, and only a slot that has ended counts its records at once (a running shift's records
    count when the refresh has marked its end)."""
    then = clock.now
    clock.now = then + timedelta(hours=12)
    try:
        return write(then)
    finally:
        clock.now = then


def _record(clock, checklist, key, status, by, note=""):
    item = checklist.version.items.get(key=key)
    return _late(
        clock,
        lambda at: services.item_record(checklist=checklist, item=item, status=status, note=note, by=by, at=at),
    )


@pytest.fixture
def data(clock, injury_levels):
    clock.now = tokyo(2026, 10, 1, 9)
    call_command("load_content", verbosity=0)
    d = DataSet()
    d.a = WardFactory(code="east-4", name="東4病棟")
    d.b = WardFactory(code="west-2", name="西2病棟")
    beds_a = [BedFactory(ward=d.a, code=f"40{n}", position=n) for n in (1, 2, 3)]
    bed_b = BedFactory(ward=d.b, code="201", position=1)
    nurse = d.nurse = NurseFactory(username="nurse-q")
    d.a.staff.add(nurse)
    d.b.staff.add(nurse)
    fall, delirium = ChecklistTemplate.objects.get(code="fall"), ChecklistTemplate.objects.get(code="delirium")

    def admit(hid, name, bed, at):
        clock.now = at
        return services.patient_admit(hospital_id=hid, name=name, birth_date=ADULT_BIRTH_DATE, bed=bed, by=nurse, at=at)

    # P1: across the month boundary and a transfer.
    p1 = admit("H1", "一 太郎", beds_a[0], tokyo(2026, 10, 30, 12))
    p1_fall = services.checklist_start(admission=p1, template=fall, by=nurse, at=tokyo(2026, 10, 30, 12, 5))
    clock.now = tokyo(2026, 10, 31, 10)
    _record(clock, p1_fall, "minimise-bed-path", "done", nurse)
    clock.now = tokyo(2026, 11, 1, 12)
    services.admission_transfer(admission=p1, bed=bed_b, by=nurse, at=clock.now)
    clock.now = tokyo(2026, 11, 2, 10)
    _record(clock, p1_fall, "minimise-bed-path", "done", nurse)
    services.safety_event_record(
        admission=p1,
        kind="aspiration",
        occurred_at=clock.now,
        place="bedside",
        description="むせ込み",
        witness="staff",
        by=nurse,
    )
    services.teach_back_record(
        admission=p1,
        asked="family",
        names_risks=True,
        names_plan=True,
        sheet_current=True,
        by=nurse,
        at=tokyo(2026, 10, 31, 11),
    )
    clock.now = tokyo(2026, 11, 3, 12)
    services.admission_discharge(admission=p1, by=nurse, at=clock.now)

    # P3: delirium, with completion in the three duty days before it.
    p3 = admit("H3", "三 花子", beds_a[2], tokyo(2026, 11, 5, 9))
    p3_delirium = services.checklist_start(admission=p3, template=delirium, by=nurse, at=tokyo(2026, 11, 5, 9, 5))

    # P2: a fall on the day of admission.
    p2 = admit("H2", "二 次郎", beds_a[1], tokyo(2026, 11, 10, 8))
    p2_fall = services.checklist_start(admission=p2, template=fall, by=nurse, at=tokyo(2026, 11, 10, 8, 5))
    clock.now = tokyo(2026, 11, 10, 15)
    d.p2_fall = services.safety_event_record(
        admission=p2,
        kind="fall",
        occurred_at=clock.now,
        place="toilet",
        description="トイレで転倒",
        witness="nobody",
        injury_level=injury_levels["3b"],
        by=nurse,
    )
    for day, key, status, note in [
        (11, "call-bell-within-reach", "not_done", "本人が拒否"),
        (12, "call-bell-within-reach", "not_done", "本人が拒否"),
        (12, "minimise-bed-path", "done", ""),
        (12, "toileting-routine", "not_done", "多忙"),
    ]:
        clock.now = tokyo(2026, 11, day, 10)
        _record(clock, p2_fall, key, status, nurse, note)

    for day, key, status, note in [
        (17, "adjust-night-stimulation", "not_done", "睡眠中"),  # before the look-back
        (18, "adjust-night-stimulation", "done", ""),
        (18, "record-behaviour-sleep", "done", ""),
        (18, "observe-irritability-cognition", "not_done", "検査で不在"),
        (19, "adjust-night-stimulation", "not_applicable", "外泊中"),
        (21, "adjust-night-stimulation", "done", ""),  # the event's day: not "before"
    ]:
        clock.now = tokyo(2026, 11, day, 10)
        _record(clock, p3_delirium, key, status, nurse, note)
    clock.now = tokyo(2026, 11, 20, 10)
    wrong = _record(clock, p3_delirium, "adjust-night-stimulation", "not_done", nurse, "不在")
    clock.now = tokyo(2026, 11, 20, 11)
    _late(clock, lambda at: services.record_correct(record=wrong, status="done", by=nurse, at=at))
    clock.now = tokyo(2026, 11, 21, 14)
    d.p3_delirium = services.safety_event_record(
        admission=p3,
        kind="delirium",
        occurred_at=clock.now,
        place="bedside",
        description="夜間不穏",
        witness="staff",
        by=nurse,
    )
    clock.now = tokyo(2026, 11, 22, 3)
    mistaken = services.safety_event_record(
        admission=p3,
        kind="fall",
        occurred_at=clock.now,
        place="bedside",
        description="転倒?",
        witness="nobody",
        injury_level=injury_levels["0"],
        by=nurse,
    )
    services.safety_event_correct(event=mistaken, reason="転倒ではなかった", withdraw=True, by=nurse)

    # Teach-back on A in November: four audits, three compliant (75 %, below the 80 % line).
    for hour, sheet in [(9, True), (10, True), (11, True), (12, False)]:
        clock.now = tokyo(2026, 11, 25, hour)
        services.teach_back_record(
            admission=p2, asked="patient", names_risks=True, names_plan=True, sheet_current=sheet, by=nurse
        )
    clock.now = tokyo(2026, 12, 1, 10)
    d.wards = Ward.objects.filter(pk__in=[d.a.pk, d.b.pk])
    return d


def test_patient_days_across_a_month_boundary_and_a_transfer(data):
    days = selectors.patient_days(data.wards, OCT, JAN)
    # A: P1 10-30 12:00 → 11-01 12:00; P2 from 11-10 08:00 and P3 from 11-05 09:00, still in.
    assert days[(data.a.pk, OCT)] == Decimal("1.50")  # 36 h
    assert days[(data.a.pk, NOV)] == Decimal("46.79")  # 12 h + 496 h + 615 h = 1,123 h
    assert days[(data.a.pk, DEC)] == Decimal("0.83")  # 10 h + 10 h up to now
    assert days[(data.b.pk, NOV)] == Decimal("2.00")  # 11-01 12:00 → 11-03 12:00
    assert days[(data.b.pk, OCT)] == days[(data.b.pk, DEC)] == Decimal("0.00")


def test_events_per_thousand_patient_days_count_standing_events_only(data):
    rates = {(r.ward_id, r.month): r for r in selectors.event_rates(data.wards, OCT, JAN)}
    a_nov = rates[(data.a.pk, NOV)]
    assert (a_nov.falls, a_nov.injurious_falls, a_nov.aspiration, a_nov.delirium) == (
        1,
        1,
        0,
        1,
    )  # withdrawn fall left out
    assert a_nov.rates["falls"] == Decimal("21.37")  # 1 × 1000 / 46.79
    assert a_nov.rates["delirium"] == Decimal("21.37")
    b_nov = rates[(data.b.pk, NOV)]
    assert (b_nov.aspiration, b_nov.rates["aspiration"]) == (1, Decimal("500.00"))  # 1 × 1000 / 2.00
    assert rates[(data.b.pk, DEC)].rates["falls"] is None  # no patient-days: no rate


def test_several_wards_together_add_up_their_counts_and_patient_days(data):
    """The index's chart for several wards: one line a measure for them all, from the summed counts
    and patient-days; a ward's own rates are in the table beside it."""
    page = selectors.rates_page(data.wards, OCT, JAN)
    together = {point.month: point for point in page.together}
    nov = together[NOV]
    assert nov.patient_days == Decimal("48.79")  # A 46.79 + B 2.00
    assert (nov.falls, nov.injurious_falls, nov.aspiration, nov.delirium) == (1, 1, 1, 1)
    assert nov.rates["falls"] == Decimal("20.50")  # 1 × 1000 / 48.79; the wards' mean would be 10.69
    assert nov.rates["aspiration"] == Decimal("20.50")
    assert (together[OCT].patient_days, together[OCT].rates["falls"]) == (Decimal("1.50"), Decimal("0.00"))
    assert list(page.run_chart.data) == ["2 wards together falls", "2 wards together falls with injury"]
    assert page.run_chart.data["2 wards together falls"] == [point.rates["falls"] for point in page.together]
    one_ward = selectors.rates_page(Ward.objects.filter(pk=data.a.pk), OCT, JAN)
    assert one_ward.together == []
    assert list(one_ward.run_chart.data) == ["東4病棟 falls", "東4病棟 falls with injury"]


def test_completion_before_each_event(data):
    events = {e.pk: e for e in selectors.events_page(data.wards, OCT, JAN).events}
    # Duty dates 11-18 … 11-20: done 3 (one of them a correction), not done 1; 11-17 and the day itself left out.
    delirium = events[data.p3_delirium.pk]
    assert (delirium.done, delirium.due, delirium.completion) == (3, 4, Decimal("75.0"))
    fall_on_admission_day = events[data.p2_fall.pk]
    assert fall_on_admission_day.due is None
    assert fall_on_admission_day.completion is None


def test_completion_by_month_is_per_ward_at_the_time_of_recording(data):
    by_month = {(m.ward, m.month): m for m in selectors.completion_by_month(data.wards, OCT, JAN)}
    a_nov = by_month[("東4病棟", NOV)]
    # P3: done 4, not done 2, n/a 1 (the corrected record counts as its correction); P2: done 1, not done 3.
    assert (a_nov.done, a_nov.not_done, a_nov.not_applicable, a_nov.percent) == (5, 5, 1, Decimal("50.0"))
    assert (by_month[("東4病棟", OCT)].done, by_month[("東4病棟", OCT)].percent) == (1, Decimal("100.0"))
    assert (by_month[("西2病棟", NOV)].done, by_month[("西2病棟", NOV)].percent) == (
        1,
        Decimal("100.0"),
    )  # after the transfer
    assert by_month[("西2病棟", DEC)].percent is None


def test_critical_items_left_open_and_the_reasons_given_most_often(data):
    wards = Ward.objects.filter(pk=data.a.pk)
    missed = selectors.critical_items_left_open(wards, NOV, DEC)
    assert [(m.item_key, m.not_done) for m in missed] == [("call-bell-within-reach", 2)]
    reasons = selectors.frequent_reasons(wards, NOV, DEC)
    assert (reasons[0].note, reasons[0].count) == ("本人が拒否", 2)
    assert sorted(r.note for r in reasons) == sorted(
        ["本人が拒否", "睡眠中", "検査で不在", "多忙", "外泊中"]
    )  # not the corrected 不在


def test_teach_back_compliance_against_the_eighty_percent_line(data):
    months = {(m.ward, m.month): m for m in selectors.teach_back_by_month(data.wards, OCT, JAN)}
    assert (months[("東4病棟", NOV)].audits, months[("東4病棟", NOV)].compliant) == (4, 3)
    assert (months[("東4病棟", NOV)].percent, months[("東4病棟", NOV)].meets_goal) == (Decimal("75.0"), False)
    assert (months[("東4病棟", OCT)].percent, months[("東4病棟", OCT)].meets_goal) == (Decimal("100.0"), True)
    assert months[("西2病棟", NOV)].meets_goal is None


def _csv(plot, wards):
    header, rows = selectors.plot_rows(plot, wards, OCT, JAN)
    return header, [[str(cell) for cell in row] for row in rows]


def _drawn(values):
    return ["" if v is None else str(v) for v in values]


def test_each_csv_has_the_numbers_its_plot_draws(data):
    wards = Ward.objects.filter(pk=data.a.pk)
    teach_back = selectors.teach_back_page(wards, OCT, JAN)
    _header, rows = _csv("teach-back", wards)
    assert [row[4] for row in rows] == _drawn(teach_back.run_chart.data["東4病棟"])

    completion = selectors.completion_page(wards, OCT, JAN)
    _header, rows = _csv("completion-months", wards)
    assert [row[7] for row in rows] == _drawn(completion.run_chart.data["東4病棟"])
    _header, rows = _csv("completion-heat-map", wards)
    drawn = completion.heat_map.data
    for row in rows:
        shift, template, item, percent = row[1], row[2], row[4], row[11]
        assert _drawn([drawn[f"{template}: {item}"][drawn["columns"].index(shift)]]) == [percent]

    events = selectors.events_page(wards, OCT, JAN)
    _header, rows = _csv("event-rates", wards)
    falls_series = next(values for label, values in events.run_chart.data.items() if label.endswith("falls"))
    assert [row[4] for row in rows] == _drawn(falls_series)
    assert [row[2] for row in rows] == ["1.50", "46.79", "0.83"]


def test_the_csv_is_utf8_with_a_byte_order_mark_and_names_no_patient(data, client):
    client.force_login(data.nurse)
    for plot in selectors.PLOTS:
        response = client.get(
            f"/quality/wards/{data.a.pk}/plot.csv", {"plot": plot, "start": "2026-10", "end": "2026-12"}
        )
        assert response.status_code == 200
        assert response.content.startswith(b"\xef\xbb\xbf")
        text = response.content.decode("utf-8-sig")
        list(csv.reader(io.StringIO(text)))
        for name in ("一 太郎", "二 次郎", "三 花子", "H1", "H2", "H3"):
            assert name not in text


def test_query_counts_do_not_grow_with_the_records(data, client):
    client.force_login(data.nurse)
    urls = [
        f"/quality/wards/{data.a.pk}/{page}/?start=2026-10&end=2026-12"
        for page in ("completion", "events", "teach-back")
    ]
    before = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        before.append(len(queries))
    p2 = data.p2_fall.admission
    for n in range(5):
        services.teach_back_record(
            admission=p2, asked="family", names_risks=True, names_plan=False, sheet_current=True, by=data.nurse
        )
        services.safety_event_record(
            admission=p2,
            kind="delirium",
            occurred_at=tokyo(2026, 11, 26, n),
            place="bedside",
            description="不穏",
            witness="staff",
            by=data.nurse,
        )
    after = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        after.append(len(queries))
    assert after == before
