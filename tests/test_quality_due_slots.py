"""Completion counts due item-slots, not only records: figures computed by hand for a small fixed
data set and compared with the selectors, the page, its CSV (UTF-8 with BOM) and the plots' data.

Ward time. One template, three items: 見守り (every shift, critical), センサー (every shift, only
with the センサー factor) and 体重 (once a day). Shifts 深夜 00:30–09:00, 日勤 08:30–17:00, 準夜
16:30–01:00 (the one that ends the duty date).
- P admitted to A 11-10 09:30 (checklist 09:35, factor noted 09:40); moved to B 11-11 12:00; the
  factor removed 11-11 14:00; discharged 11-12 10:00 (the clock then stands at 12-01 10:00).
- Records: 11-10 日勤 見守り done, センサー not applicable, 体重 done; 11-11 深夜 見守り not done;
  11-11 日勤 (on B, 13:00) 見守り done. Nothing in 準夜 11-10 or later.

Ward A (slots that ended on A): 11-10 日勤 見守り done, センサー n/a; 11-10 準夜 見守り and
センサー missed; 体重 11-10 done; 11-11 深夜 見守り not done, センサー missed. Due 7, done 2,
n/a 1, not done 1, missed 3: 2 ÷ (7 − 1) = 33.3 %.
Ward B: 11-11 日勤 見守り done, センサー missed (the factor held during the shift); 11-11 準夜
見守り missed (センサー no longer applies), 体重 11-11 missed; 11-12 深夜 見守り missed; 11-12 日勤
nothing (discharged during it). Due 5, done 1, missed 4: 20.0 %.
"""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from checklists import selectors, services
from checklists.models import (
    ItemFactorRule,
    ItemSlot,
    RiskFactor,
    TemplateItem,
    TemplateVersion,
    Ward,
)

from .conftest import tokyo
from .factories import ADULT_BIRTH_DATE, BedFactory, NurseFactory, RiskFactorFactory, TemplateFactory, WardFactory

pytestmark = pytest.mark.django_db

NOV, DEC = tokyo(2026, 11, 1).date(), tokyo(2026, 12, 1).date()


class DataSet:
    pass


def _item(version, key, text, position, **fields):
    return TemplateItem.objects.create(
        version=version, key=key, text_ja=text, position=position, source="institution", **fields
    )


@pytest.fixture
def data(clock):
    clock.now = tokyo(2026, 11, 1, 9)
    call_command("load_content", verbosity=0)
    d = DataSet()
    d.a = WardFactory(code="east-4", name="東4病棟")
    d.b = WardFactory(code="west-2", name="西2病棟")
    bed_a, bed_b = BedFactory(ward=d.a, code="401", position=1), BedFactory(ward=d.b, code="201", position=1)
    d.bed_a = bed_a
    nurse = d.nurse = NurseFactory(username="nurse-due")
    d.a.staff.add(nurse)
    d.b.staff.add(nurse)
    factor = RiskFactorFactory(code="sensor-mat", name_ja="センサー", group=RiskFactor.Group.FALL)
    template = TemplateFactory(code="q-due", name_ja="見守り表")
    version = TemplateVersion.objects.create(template=template, number=1, status="published", published_at=clock.now)
    d.watch = _item(version, "watch", "見守り", 1, is_critical=True)
    d.sensor = _item(version, "sensor", "センサー", 2)
    ItemFactorRule.objects.create(item=d.sensor, kind=ItemFactorRule.Kind.APPLIES_IF, risk_factor=factor)
    d.weigh = _item(version, "weigh", "体重", 3, frequency=TemplateItem.Frequency.DAILY)

    def at(day, hour, minute=0):
        clock.now = tokyo(2026, 11, day, hour, minute)
        return clock.now

    def record(item, status, note=""):
        return services.item_record(checklist=d.checklist, item=item, status=status, note=note, by=nurse, at=clock.now)

    stay = services.patient_admit(
        hospital_id="H9", name="九 太郎", birth_date=ADULT_BIRTH_DATE, bed=bed_a, by=nurse, at=at(10, 9, 30)
    )
    d.checklist = services.checklist_start(admission=stay, template=template, by=nurse, at=at(10, 9, 35))
    services.admission_risk_factor_note(admission=stay, risk_factor=factor, by=nurse, at=at(10, 9, 40))
    at(10, 10)
    record(d.watch, "done")
    record(d.sensor, "not_applicable", "センサー故障")
    record(d.weigh, "done")
    at(11, 3)
    d.not_done = record(d.watch, "not_done", "多忙")
    services.admission_transfer(admission=stay, bed=bed_b, by=nurse, at=at(11, 12))
    at(11, 13)
    record(d.watch, "done")
    services.admission_risk_factor_remove(admission=stay, risk_factor=factor, by=nurse, at=at(11, 14))
    at(12, 9, 30)

    def discharge():
        services.admission_discharge(admission=stay, by=nurse, at=at(12, 10))
        clock.now = tokyo(2026, 12, 1, 10)

    d.discharge = discharge
    d.wards = Ward.objects.filter(pk__in=[d.a.pk, d.b.pk])
    return d


def _month(data, ward):
    return next(
        m for m in selectors.completion_by_month(data.wards, NOV, DEC) if m.ward == ward.name and m.month == NOV
    )


def _figures(month):
    return (month.due, month.done, month.not_applicable, month.not_done, month.missed, month.percent)


def test_before_any_refresh_a_running_shifts_records_wait_for_its_end(data):
    """Every record was made while its shift ran: an every-shift item's slot is counted when the
    refresh marks the shift's end; the once-a-day 体重 (11-10 on A) counts at once."""
    data.discharge()
    assert _figures(_month(data, data.a)) == (1, 1, 0, 0, 0, Decimal("100.0"))
    assert _figures(_month(data, data.b))[:5] == (0, 0, 0, 0, 0)


def test_a_slot_with_no_record_counts_as_missed_once_its_shift_has_ended(data):
    data.discharge()
    services.item_slots_catch_up(ward=data.a, until=tokyo(2026, 11, 10, 18))  # 日勤 ended, 準夜 running
    # 日勤 11-10: 見守り done, センサー n/a; 体重 done (not yet due); 深夜 11-11 has not begun.
    assert _figures(_month(data, data.a)) == (3, 2, 1, 0, 0, Decimal("100.0"))
    services.item_slots_catch_up(ward=data.a, until=tokyo(2026, 11, 11, 2))  # 準夜 11-10 ended
    assert _figures(_month(data, data.a)) == (5, 2, 1, 0, 2, Decimal("50.0"))  # + 見守り, センサー missed


def test_a_record_near_the_end_of_its_shift_writes_its_slot_at_once(data, clock):
    """A refresh at the shift's end might not see a record still being committed: a record made in
    the last minutes (``RUNNING_FOR``) writes its slot itself, as a late entry does."""
    data.discharge()
    stay = services.patient_admit(
        hospital_id="H10", name="十 花子", birth_date=ADULT_BIRTH_DATE, bed=data.bed_a, by=data.nurse
    )
    checklist = services.checklist_start(admission=stay, template=data.checklist.template, by=data.nurse)
    clock.now = tokyo(2026, 12, 1, 16, 0)  # 日勤 ends at 17:00
    services.item_record(checklist=checklist, item=data.watch, status="done", by=data.nurse)
    assert not ItemSlot.objects.filter(admission=stay).exists()
    clock.now = tokyo(2026, 12, 1, 16, 59)  # 準夜 began at 16:30; a record of 日勤 (16:29) goes in now
    made = tokyo(2026, 12, 1, 16, 29)
    services.item_record(checklist=checklist, item=data.watch, status="not_done", note="検査", by=data.nurse, at=made)
    assert list(ItemSlot.objects.filter(admission=stay).values_list("item_key", "status")) == [("watch", "not_done")]


def test_due_slots_by_hand_across_a_transfer_an_item_that_stops_applying_and_not_applicable(data):
    data.discharge()
    call_command("quality_slots_refresh", verbosity=0)
    assert _figures(_month(data, data.a)) == (7, 2, 1, 1, 3, Decimal("33.3"))
    assert _figures(_month(data, data.b)) == (5, 1, 0, 0, 4, Decimal("20.0"))
    rows = {(r.ward, r.shift, r.item_key): r for r in selectors.completion_by_item(data.wards, NOV, DEC)}
    assert [(r.due, r.done, r.not_applicable, r.missed) for r in (rows[("東4病棟", "Day", "sensor")],)] == [
        (1, 0, 1, 0)
    ]
    assert rows[("東4病棟", "Day", "sensor")].percent is None  # n/a: not due for that patient
    assert (rows[("西2病棟", "Day", "sensor")].missed, rows[("西2病棟", "Evening", "watch")].missed) == (1, 1)
    assert ("西2病棟", "Evening", "sensor") not in rows  # the factor was removed before 準夜 began
    assert rows[("東4病棟", "Once a day", "weigh")].done == rows[("西2病棟", "Once a day", "weigh")].missed == 1
    missed = selectors.critical_items_left_open(Ward.objects.filter(pk=data.b.pk), NOV, DEC)
    assert [(m.item_key, m.not_done, m.missed) for m in missed] == [("watch", 0, 2)]


def test_a_record_changes_the_figure_in_the_same_transaction(data):
    call_command("quality_slots_refresh", verbosity=0)  # up to 11-12 09:30, before the discharge
    assert _figures(_month(data, data.a)) == (7, 2, 1, 1, 3, Decimal("33.3"))
    services.record_correct(record=data.not_done, status="done", by=data.nurse)  # 深夜 11-11, on A
    assert _figures(_month(data, data.a)) == (7, 3, 1, 0, 3, Decimal("50.0"))
    data.discharge()
    call_command("quality_slots_refresh", "--days", "30", verbosity=0)  # a refresh agrees with the records
    assert _figures(_month(data, data.a)) == (7, 3, 1, 0, 3, Decimal("50.0"))


def test_the_page_its_csv_and_its_plots_show_the_same_figures(data, client):
    data.discharge()
    call_command("quality_slots_refresh", verbosity=0)
    client.force_login(data.nurse)
    period = {"start": "2026-11", "end": "2026-11"}
    response = client.get(f"/quality/wards/{data.a.pk}/completion/", period)
    page = response.context["page"]
    assert [_figures(m) for m in page.by_month] == [(7, 2, 1, 1, 3, Decimal("33.3"))]
    assert page.run_chart.data["東4病棟"] == [Decimal("33.3")]
    assert "実施 ÷ (対象 − 該当なし)" in response.content.decode()
    assert page.counted_until == timezone.now()

    csv_response = client.get(f"/quality/wards/{data.a.pk}/plot.csv", period | {"plot": "completion-months"})
    assert csv_response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[1] == ["東4病棟", "2026-11", "7", "2", "1", "1", "3", "33.3"]

    heat = client.get(f"/quality/wards/{data.a.pk}/plot.csv", period | {"plot": "completion-heat-map"})
    cells = {
        (r[1], r[3]): r[6:] for r in csv.reader(io.StringIO(heat.content.decode("utf-8-sig"))) if r[0] == "東4病棟"
    }
    assert cells[("深夜", "watch")] == ["1", "0", "1", "0", "0", "0.0"]
    assert cells[("日勤", "sensor")] == ["1", "0", "0", "1", "0", ""]
    assert cells[("準夜", "watch")] == ["1", "0", "0", "0", "1", "0.0"]
    assert cells[("1日1回", "weigh")] == ["1", "1", "0", "0", "0", "100.0"]
    drawn = page.heat_map.data
    assert drawn["columns"] == ["深夜", "日勤", "準夜", "1日1回"]
    assert drawn["見守り表: 見守り"] == [Decimal("0.0"), Decimal("100.0"), Decimal("0.0"), None]
    assert "九 太郎" not in heat.content.decode("utf-8-sig")


def test_the_page_says_when_the_refresh_has_not_run_for_over_an_hour(data, client):
    call_command("quality_slots_refresh", verbosity=0)
    client.force_login(data.nurse)
    period = {"start": "2026-11", "end": "2026-11"}
    assert 'data-testid="refresh-late"' not in client.get(f"/quality/wards/{data.a.pk}/completion/", period).text
    data.discharge()  # the clock moves on to 12-01, and nothing refreshed since
    client.force_login(data.nurse)  # the session of 11-12 has expired
    response = client.get(f"/quality/wards/{data.a.pk}/completion/", period)
    assert response.context["page"].refresh_late
    assert "印刷ワーカーが動いているか確認してください" in response.text


def test_completion_before_an_event_counts_the_due_slots_missed_too(data, injury_levels):
    # A fall on B 11-12 09:30: the look-back is duty dates 11-09 … 11-11. Recorded: done 3 (見守り
    # 11-10 日勤 and 11-11 日勤, 体重 11-10), not done 1, n/a 1. Missed once refreshed: 11-10 準夜
    # 見守り and センサー, 11-11 深夜 センサー, 11-11 日勤 センサー, 11-11 準夜 見守り, 体重 11-11.
    services.safety_event_record(
        admission=data.checklist.admission,
        kind="fall",
        occurred_at=timezone.now(),
        place="bedside",
        description="ベッドサイドで転倒",
        witness="nobody",
        injury_level=injury_levels["1"],
        by=data.nurse,
    )

    def before():
        (event,) = selectors.events_page(data.wards, NOV, DEC).events
        return event.done, event.due, event.completion

    assert before() == (1, 1, Decimal("100.0"))  # 体重 11-10 only: the refresh has not run
    call_command("quality_slots_refresh", verbosity=0)
    assert before() == (3, 10, Decimal("30.0"))  # 3 ÷ (11 due − 1 not applicable)
