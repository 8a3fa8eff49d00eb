"""Items due once per stay are counted by stay (``StayItem``): figures computed by hand for a
small fixed data set and compared with the selector, the page and its CSV.

Ward time. One template, three items: 説明 (once per stay, critical), 振り返り (once per stay,
only with the 転倒 factor) and 見守り (every shift: counted by slot, not here). Shifts 深夜
00:30–09:00, 日勤 08:30–17:00, 準夜 16:30–01:00 (the one that ends the duty date).
- P1 admitted to A 11-10 09:30, 説明 done 10:00; moved to B 11-11 12:00; discharged 11-12 10:00.
- P2 admitted to A 11-10 09:30, nothing recorded; discharged 11-11 10:00.
- P3 admitted to A 11-20 09:30, 転倒 noted 11-21 10:00, nothing recorded; still in hospital.
- P4 admitted to A 11-25 09:30, 説明 not done 10:00 (家族不在), corrected to done 11-26 10:00.
The clock then stands at 12-01 10:00.

Ward A, November: 説明 due for 4 stays (P1, P2, P3, P4): done 2 (P1, P4), missed 1 (P2 left
with nothing recorded), open 1 (P3 is still in hospital): 2 ÷ (4 − 0 − 1) = 66.7 %. 振り返り due
for P3 only, from 11-21: open 1, no rate yet. Ward B: nothing (P1's 説明 was first due on A).
"""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from checklists import selectors, services
from checklists.models import ItemFactorRule, RiskFactor, StayItem, TemplateItem, TemplateVersion, Ward

from .conftest import tokyo
from .factories import ADULT_BIRTH_DATE, BedFactory, NurseFactory, RiskFactorFactory, TemplateFactory, WardFactory

pytestmark = pytest.mark.django_db

NOV, DEC = tokyo(2026, 11, 1).date(), tokyo(2026, 12, 1).date()
ONCE = TemplateItem.Frequency.ONCE


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
    d.clock = clock
    d.a = WardFactory(code="east-4", name="東4病棟")
    d.b = WardFactory(code="west-2", name="西2病棟")
    beds = [BedFactory(ward=d.a, code=f"40{n}", position=n) for n in range(1, 5)]
    bed_b = BedFactory(ward=d.b, code="201", position=1)
    nurse = d.nurse = NurseFactory(username="nurse-once")
    d.a.staff.add(nurse)
    d.b.staff.add(nurse)
    d.fell = RiskFactorFactory(code="fell-here", name_ja="転倒", group=RiskFactor.Group.FALL)
    d.template = TemplateFactory(code="q-once", name_ja="説明表")
    version = TemplateVersion.objects.create(template=d.template, number=1, status="published", published_at=clock.now)
    d.teach = _item(version, "teach", "説明", 1, frequency=ONCE, is_critical=True)
    d.review = _item(version, "review", "振り返り", 2, frequency=ONCE)
    ItemFactorRule.objects.create(item=d.review, kind=ItemFactorRule.Kind.APPLIES_IF, risk_factor=d.fell)
    d.watch = _item(version, "watch", "見守り", 3)

    def at(day, hour, minute=0):
        clock.now = tokyo(2026, 11, day, hour, minute)
        return clock.now

    d.at = at

    def admit(n, day):
        stay = services.patient_admit(
            hospital_id=f"H{n}",
            name=f"患者 {n}",
            birth_date=ADULT_BIRTH_DATE,
            bed=beds[n - 1],
            by=nurse,
            at=at(day, 9, 30),
        )
        return stay, services.checklist_start(admission=stay, template=d.template, by=nurse, at=at(day, 9, 35))

    def record(checklist, item, status, note=""):
        return services.item_record(checklist=checklist, item=item, status=status, note=note, by=nurse, at=clock.now)

    d.record = record
    d.p1, d.c1 = admit(1, 10)
    d.p2, d.c2 = admit(2, 10)
    at(10, 10)
    d.first_teach = record(d.c1, d.teach, "done")
    services.admission_discharge(admission=d.p2, by=nurse, at=at(11, 10))
    services.admission_transfer(admission=d.p1, bed=bed_b, by=nurse, at=at(11, 12))
    services.admission_discharge(admission=d.p1, by=nurse, at=at(12, 10))
    d.p3, d.c3 = admit(3, 20)
    services.admission_risk_factor_note(admission=d.p3, risk_factor=d.fell, by=nurse, at=at(21, 10))
    d.p4, d.c4 = admit(4, 25)
    at(25, 10)
    not_done = record(d.c4, d.teach, "not_done", "家族不在")
    at(26, 10)
    services.record_correct(record=not_done, status="done", by=nurse)
    clock.now = tokyo(2026, 12, 1, 10)
    d.wards = Ward.objects.filter(pk__in=[d.a.pk, d.b.pk])
    return d


def _rows(data, ward):
    return {row.item_key: row for row in selectors.stay_items_by_item(Ward.objects.filter(pk=ward.pk), NOV, DEC)}


def _figures(row):
    return (row.due, row.done, row.not_done, row.not_applicable, row.missed, row.open, row.percent)


def test_a_record_of_the_running_shift_is_counted_when_the_shift_ends(data):
    """The fixture's records were made while their shift ran, but for P4's correction (of
    11-25, made on 11-26): only that one has a row before a refresh. The end of P1's 日勤 on
    11-10 files its 説明 under A, done, before the day is over (P2's is not known to be due yet)."""
    assert [row.admission for row in StayItem.objects.all()] == [data.p4]
    services.item_slots_catch_up(ward=data.a, until=tokyo(2026, 11, 10, 18))  # 日勤 ended, 準夜 running
    p1 = StayItem.objects.get(admission=data.p1)
    assert (p1.admission, p1.ward, p1.first_on, p1.status) == (data.p1, data.a, tokyo(2026, 11, 10).date(), "done")
    assert StayItem.objects.filter(admission__in=[data.p1, data.p2, data.p3]).count() == 1
    services.item_slots_catch_up(ward=data.a, until=tokyo(2026, 11, 11, 2))  # 準夜 11-10 ended: the day
    assert StayItem.objects.get(admission=data.p2).status == ""


def test_stays_due_done_missed_and_open_by_hand(data):
    call_command("quality_slots_refresh", verbosity=0)
    rows = _rows(data, data.a)
    assert list(rows) == ["teach", "review"]  # the template's order
    assert _figures(rows["teach"]) == (4, 2, 0, 0, 1, 1, Decimal("66.7"))
    assert rows["teach"].critical and not rows["review"].critical
    assert _figures(rows["review"]) == (1, 0, 0, 0, 0, 1, None)  # P3 only, from the day 転倒 was noted
    assert StayItem.objects.get(admission=data.p3, item_key="review").first_on == tokyo(2026, 11, 21).date()
    assert _rows(data, data.b) == {}
    # The slots of the every-shift item are not mixed in, nor the items due once per stay into them.
    assert {row.item_key for row in selectors.completion_by_item(data.wards, NOV, DEC)} == {"watch"}
    # A period that ends before P3 and P4 came counts P1 and P2 only.
    early = selectors.stay_items_by_item(Ward.objects.filter(pk=data.a.pk), NOV, tokyo(2026, 11, 15).date())
    assert [_figures(row) for row in early] == [(2, 1, 0, 0, 1, 0, Decimal("50.0"))]


def test_a_refresh_again_changes_nothing_and_a_late_record_turns_open_into_done(data):
    call_command("quality_slots_refresh", verbosity=0)
    before = list(StayItem.objects.order_by("pk").values())
    call_command("quality_slots_refresh", "--days", "30", verbosity=0)
    assert list(StayItem.objects.order_by("pk").values()) == before
    data.record(data.c3, data.review, "done")  # 12-01: P3's review, first due 11-21, still filed there
    data.clock.now = tokyo(2026, 12, 1, 18)  # counted when the shift has ended
    call_command("quality_slots_refresh", verbosity=0)
    assert _figures(_rows(data, data.a)["review"]) == (1, 1, 0, 0, 0, 0, Decimal("100.0"))


def test_a_record_made_before_a_version_move_counts_for_the_stay_after_it(data, checklist_admin):
    """P3's 説明 is done on v1; the checklist moves to v2 (a new checklist with the same keys): the
    stay's row is due from v2's checklist and stands at v1's record."""
    data.clock.now = tokyo(2026, 11, 20, 11)
    data.record(data.c3, data.teach, "done")
    TemplateVersion.objects.filter(pk=data.teach.version_id).update(status="retired")
    v2 = TemplateVersion.objects.create(
        template=data.template, number=2, status="published", published_at=data.clock.now
    )
    for item in (data.teach, data.review, data.watch):
        _item(
            v2, item.key, item.text_ja + "(改)", item.position, frequency=item.frequency, is_critical=item.is_critical
        )
    data.clock.now = tokyo(2026, 11, 20, 12)
    services.checklist_move_to_version(checklists=[data.c3], version=v2, by=checklist_admin)
    data.clock.now = tokyo(2026, 12, 1, 10)
    StayItem.objects.filter(admission=data.p3).delete()  # as if the record came before this table
    call_command("quality_slots_refresh", verbosity=0)
    row = StayItem.objects.get(admission=data.p3, item_key="teach")
    assert (row.status, row.item.version.number, row.first_on) == ("done", 1, tokyo(2026, 11, 20).date())
    assert _figures(_rows(data, data.a)["teach"]) == (4, 3, 0, 0, 1, 0, Decimal("75.0"))


def _stay_item_queries(data, status, note="", at=None):
    with CaptureQueriesContext(connection) as run:
        services.item_record(
            checklist=data.c3, item=data.teach, status=status, note=note, by=data.nurse, at=at or data.clock.now
        )
    return [q["sql"] for q in run.captured_queries if "checklists_stayitem" in q["sql"]]


def test_the_one_tap_writes_no_row_while_its_shift_runs_and_a_record_near_its_end_does(data):
    """The one tap of the running shift leaves the row to the refresh (the tap's 8 queries, as
    for an item due every shift); in the last two minutes of the shift a record writes the row:
    the first one finds none, makes it and updates it (3 queries; the stay lies on the ward now,
    so its ward needs none), later ones update it (1)."""
    data.clock.now = tokyo(2026, 11, 28, 10)
    assert _stay_item_queries(data, "not_done", note="説明の時間なし") == []
    data.clock.now = tokyo(2026, 11, 28, 16, 59)  # 準夜 began at 16:30; records of 日勤 (made 16:29) go in
    made = tokyo(2026, 11, 28, 16, 29)
    assert len(_stay_item_queries(data, "done", at=made)) == 3
    assert len(_stay_item_queries(data, "not_done", note="家族不在", at=made)) == 1
    row = StayItem.objects.get(admission=data.p3, item_key="teach")
    assert (row.status, row.first_on) == ("not_done", tokyo(2026, 11, 28).date())


def test_a_correction_of_an_ended_shift_writes_the_row_at_once(data):
    data.clock.now = tokyo(2026, 11, 28, 10)
    record = services.item_record(checklist=data.c3, item=data.teach, status="done", by=data.nurse)
    data.clock.now = tokyo(2026, 11, 29, 10)
    services.record_correct(record=record, status="not_done", note="家族不在", by=data.nurse)
    row = StayItem.objects.get(admission=data.p3, item_key="teach")
    assert (row.status, row.note, row.ward) == ("not_done", "家族不在", data.a)


def test_the_page_and_its_csv_show_the_same_figures(data, client):
    call_command("quality_slots_refresh", verbosity=0)
    client.force_login(data.nurse)
    period = {"start": "2026-11", "end": "2026-11"}
    response = client.get(f"/quality/wards/{data.a.pk}/completion/", period)
    assert response.status_code == 200
    assert [_figures(row) for row in response.context["page"].stay_items] == [
        (4, 2, 0, 0, 1, 1, Decimal("66.7")),
        (1, 0, 0, 0, 0, 1, None),
    ]
    page = response.text
    assert 'data-testid="stay-items"' in page and "説明" in page and "66.7" in page
    assert "入院中1回の項目" in page and "実施率＝実施 ÷ (対象入院 − 該当なし − 未了)" in page  # in Japanese
    table = client.get(f"/quality/wards/{data.a.pk}/plot.csv", period | {"plot": "stay-items"})
    assert table.status_code == 200 and table.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert rows[1:] == [
        ["説明表", "teach", "説明", "1", "4", "2", "0", "0", "1", "1", "66.7"],
        ["説明表", "review", "振り返り", "0", "1", "0", "0", "0", "0", "1", ""],
    ]
    assert "患者" not in table.content.decode("utf-8-sig")  # no patient names
