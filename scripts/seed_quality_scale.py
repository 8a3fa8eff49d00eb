"""Seed a hospital's worth of stays, check records, safety events and teach-back audits on
PostgreSQL, then time each quality page, its CSVs and the monthly ward report.

The issue's size is one year of a 15-ward, 600-bed hospital (~20 items a patient a shift,
~5 M check records). ``--wards 15 --beds 40 --days 365 --items 8`` makes 5.6 M records,
2.7 M item-slots and 89 k items due once per stay in 7½ minutes on 2 shared cores
(``--items 20``, 13 M records, was on course for ~40 minutes and was not run to the end).
Every size is a parameter::

    scripts/with-postgres.sh .venv/bin/python scripts/seed_quality_scale.py \\
        --wards 15 --beds 10 --days 120 --items 6

It writes to the database DATABASE_URL names (the throwaway cluster of with-postgres.sh
makes an empty one): migrate, the shipped content, then the wards, stays and events by
``bulk_create`` and the check records and item-slots by PostgreSQL ``COPY`` (psycopg 3's
``cursor.copy()``; a seed bypasses the services for speed: no audit rows, the figures read none). Stays last
``--stay`` days on average, one after another in each bed; each patient is on the fall
checklist, with ``--items`` of its every-shift items recorded each shift (90 % done, 7 % not
done with a reason, 3 % not applicable), and its items due once per stay recorded on the
first day (85 % done, 3 % not done, 2 % not applicable, 10 % never); events come at 3 falls, 1 aspiration and 1 delirium
per 1,000 patient-days; 10 teach-back audits per ward a month. Timings: ``django.test.Client``
as a checklist admin (every ward): the first request (its charts drawn) and the median of
``--repeat`` requests after it (the charts from the cache, checklists/charts.py).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wardsafe.settings")


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wards", type=int, default=15)
    parser.add_argument("--beds", type=int, default=10, help="beds per ward (the issue: 40)")
    parser.add_argument("--days", type=int, default=120, help="days of history (the issue: 365)")
    parser.add_argument("--items", type=int, default=6, help="items recorded a patient a shift (the issue: ~20)")
    parser.add_argument("--stay", type=int, default=10, help="average length of stay, days")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--verify", action="store_true", help="recompute one ward's item-slots and compare")
    return parser.parse_args()


def main() -> None:
    args = parse()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (scripts/with-postgres.sh does).")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0)
    counts = seed(args)
    print(f"seeded in {time.perf_counter() - started:.0f} s:", ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    measure(args)
    if args.verify:
        verify(args)


def seed(args) -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from checklists import services
    from checklists.models import (
        Admission,
        ChecklistTemplate,
        CheckRecord,
        InjuryLevel,
        ItemSlot,
        ItemSlotRefresh,
        Patient,
        PatientChecklist,
        Placement,
        SafetyEvent,
        ShiftPattern,
        StayItem,
        TeachBackAudit,
        TemplateVersion,
        Ward,
    )
    from tests.factories import role_group

    rng = random.Random(args.seed)
    User = get_user_model()
    nurse = User.objects.create_user("scale-nurse", password="x")
    nurse.groups.add(role_group("nurse"))
    admin = User.objects.create_user("scale-admin", password="x", is_staff=True)
    admin.groups.add(role_group("checklist_admin"))
    services.injury_scale_ship()
    levels = list(InjuryLevel.objects.order_by("position"))
    fall = ChecklistTemplate.objects.get(code="fall")
    version = TemplateVersion.objects.published().get(template=fall)
    items = list(version.items.unconditional().filter(frequency="every_shift").order_by("position"))
    items = (items * (args.items // len(items) + 1))[: args.items]
    once = list(version.items.unconditional().filter(frequency="once").order_by("position"))
    shifts = list(ShiftPattern.objects.get(code="three-shift").versions.get().shifts.order_by("position"))
    reasons = ["検査で不在", "入浴中", "本人が拒否", "多忙のため", "睡眠中"]
    today = timezone.localdate()
    first_day = today - timedelta(days=args.days)
    tz = timezone.get_current_timezone()

    def at(day: date, hour: int, minute: int = 0) -> datetime:
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)

    now = timezone.now()
    due = due_items(version, shifts)
    totals = dict.fromkeys(["stays", "records", "item_slots", "stay_items", "events", "teach_backs"], 0)
    for w in range(args.wards):
        ward = services.ward_create(
            code=f"w{w:02d}", name=f"{w + 1}病棟", bed_codes=[f"{b:02d}" for b in range(args.beds)]
        )
        ward.staff.add(nurse)
        stays = []
        for bed in ward.beds.all():
            day = first_day - timedelta(days=rng.randint(0, args.stay))
            while day < today:
                length = max(1, int(rng.expovariate(1 / args.stay)))
                stays.append(
                    (
                        bed,
                        at(day, 10),
                        at(day + timedelta(days=length), 11) if day + timedelta(days=length) < today else None,
                    )
                )
                day += timedelta(days=length + rng.randint(0, 1))
        patients = Patient.objects.bulk_create(
            Patient(hospital_id=f"S{w:02d}{n:06d}", name=f"患者{w}-{n}", birth_date=date(1950, 1, 1))
            for n in range(len(stays))
        )
        admissions = Admission.objects.bulk_create(
            Admission(
                patient=p,
                ward=ward,
                bed=bed,
                admitted_at=start,
                admitted_by=nurse,
                discharged_at=end,
                discharged_by=nurse if end else None,
            )
            for p, (bed, start, end) in zip(patients, stays, strict=True)
        )
        Placement.objects.bulk_create(
            Placement(admission=a, ward=ward, bed=a.bed, kind="admitted", starts_at=a.admitted_at, placed_by=nurse)
            for a in admissions
        )
        checklists = PatientChecklist.objects.bulk_create(
            PatientChecklist(
                admission=a,
                template=fall,
                version=version,
                started_at=a.admitted_at,
                started_by=nurse,
                stopped_at=a.discharged_at,
                stopped_by=nurse if a.discharged_at else None,
                stop_reason="退院" if a.discharged_at else "",
            )
            for a in admissions
        )
        records, slots, events, stay_items = [], [], [], []
        for checklist, admission in zip(checklists, admissions, strict=True):
            standing = due_slots(checklist, due, shifts, first_day, now)
            day = max(timezone.localdate(admission.admitted_at), first_day)
            admitted_on = timezone.localdate(admission.admitted_at)  # due from then, if before the period too
            for item in once:  # recorded on the first day (90 %), or never: missed, or open
                roll = rng.random()
                status = next((name for limit, name in ONCE_STATUSES if roll < limit), "")
                note = rng.choice(reasons) if status in ("not_done", "not_applicable") else ""
                if status:
                    row = (checklist.pk, item.pk, admitted_on, shifts[1].pk, status, note, at(admitted_on, 11))
                    records.append((*row, nurse.pk, "screen", ""))
                stay_items.append((admission.pk, ward.pk, fall.pk, item.pk, item.key, admitted_on, status, note))
            last = timezone.localdate(admission.discharged_at) if admission.discharged_at else today
            while day <= last:
                for shift in shifts:
                    recorded_at = at(day, shift.starts_at.hour, 30)
                    for item in items:
                        roll = rng.random()
                        status = "done" if roll < 0.90 else "not_done" if roll < 0.97 else "not_applicable"
                        note = "" if status == "done" else rng.choice(reasons)
                        records.append(
                            (checklist.pk, item.pk, day, shift.pk, status, note, recorded_at, nurse.pk, "screen", "")
                        )
                        # The latest record of the slot stands (a repeated item: the later one).
                        key = (item.key, day, shift.pk)
                        slot = standing.get(key)
                        standing[key] = (item.pk, slot[1] if slot else False, status, note)
                for kind, per_thousand in (("fall", 3), ("aspiration", 1), ("delirium", 1)):
                    if rng.random() < per_thousand / 1000:
                        when = at(day, rng.randint(0, 9), rng.randint(0, 59))
                        if when < admission.admitted_at:
                            continue
                        events.append(
                            SafetyEvent(
                                admission=admission,
                                ward=ward,
                                kind=kind,
                                occurred_at=when,
                                occurred_on=day,
                                place="bedside",
                                description="シード",
                                witness="nobody",
                                recorded_by=nurse,
                                injury_level=rng.choice(levels) if kind == "fall" else None,
                            )
                        )
                day += timedelta(days=1)
            slots += [
                (admission.pk, ward.pk, fall.pk, item_id, key, day, shift_id, is_due, status, note)
                for (key, day, shift_id), (item_id, is_due, status, note) in standing.items()
            ]
            if len(records) > 200_000:
                totals["records"] += copy_rows(CheckRecord, RECORD_COLUMNS, records)
                totals["item_slots"] += copy_rows(ItemSlot, SLOT_COLUMNS, slots)
                records, slots = [], []
        totals["records"] += copy_rows(CheckRecord, RECORD_COLUMNS, records)
        totals["item_slots"] += copy_rows(ItemSlot, SLOT_COLUMNS, slots)
        totals["stay_items"] += copy_rows(StayItem, STAY_ITEM_COLUMNS, stay_items)
        SafetyEvent.objects.bulk_create(events)
        audits = []
        for month_day in range(0, args.days, 30):
            for _ in range(10):
                admission = rng.choice(admissions)
                audits.append(
                    TeachBackAudit(
                        admission=admission,
                        ward=ward,
                        asked="family",
                        names_risks=True,
                        names_plan=rng.random() < 0.9,
                        sheet_current=rng.random() < 0.85,
                        audited_at=at(first_day + timedelta(days=month_day + rng.randint(0, 29)), 14),
                        recorded_by=nurse,
                    )
                )
        TeachBackAudit.objects.bulk_create(audits)
        totals["stays"] += len(admissions)
        print(f"  ward {ward.code}: {totals['records']:,} records so far", file=sys.stderr, flush=True)
        totals["events"] += len(events)
        totals["teach_backs"] += len(audits)
    from django.db import connection

    ItemSlotRefresh.objects.bulk_create(ItemSlotRefresh(ward=ward, until=now) for ward in Ward.objects.all())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return totals


RECORD_COLUMNS = [
    "checklist_id",
    "item_id",
    "duty_date",
    "shift_id",
    "status",
    "note",
    "recorded_at",
    "recorded_by_id",
    "source",
    "paper_sheet",
]
SLOT_COLUMNS = ["admission_id", "ward_id", "template_id", "item_id", "item_key", "duty_date", "shift_id", "due"]
SLOT_COLUMNS += ["status", "note"]
ONCE_STATUSES = [(0.85, "done"), (0.88, "not_done"), (0.9, "not_applicable")]
STAY_ITEM_COLUMNS = ["admission_id", "ward_id", "template_id", "item_id", "item_key", "first_on", "status", "note"]


def copy_rows(model, columns: list[str], rows: list[tuple]) -> int:
    """Write ``rows`` into ``model``'s table with one ``COPY … FROM STDIN``; returns how many."""
    from django.db import connection

    if not rows:
        return 0
    with connection.cursor() as cursor:
        statement = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    return len(rows)


def due_items(version, shifts) -> list[tuple[int, int, str, int | None]]:
    """The items due in each shift slot, as ``quality_slots_refresh`` finds them: every seeded
    patient is alike (born 1950-01-01, no risk factor noted, one placement), so ``item_applies``
    decides once. Rows (the slot's shift, item id, key, the row's shift id or None: once a day)."""
    from django.utils import timezone

    from checklists.models import Patient
    from checklists.selectors import Circumstances, item_applies

    patient = Patient(birth_date=date(1950, 1, 1))
    day = timezone.localdate()
    ends_day = max(shifts, key=lambda shift: (shift.ends_at < shift.starts_at, shift.ends_at))
    due = []
    for shift in shifts:
        now = Circumstances(
            frozenset(patient.age_factor_codes_on(day)), patient.age_on(day), patient.age_band_on(day), shift.is_night
        )
        whole_day = Circumstances(now.factor_codes, now.age, now.age_band)
        for item in version.items.with_rules():
            if item.frequency == "every_shift" and item_applies(item, now):
                due.append((shift.pk, item.pk, item.key, shift.pk))
            elif item.frequency == "daily" and shift == ends_day and item_applies(item, whole_day):
                due.append((shift.pk, item.pk, item.key, None))
    return due


def due_slots(checklist, due, shifts, first_day, now) -> dict:
    """The checklist's slots that ended while it ran (and by ``now``), not yet recorded: key
    (item key, duty date, shift id or None) → (item id, due, status, note). The stay's first
    duty date may be the day before its admission (a night shift that crosses midnight)."""
    from django.utils import timezone

    from checklists.shifts import slot_of

    slots = {}
    day = max(timezone.localdate(checklist.started_at) - timedelta(days=1), first_day)
    last = timezone.localdate(checklist.stopped_at) if checklist.stopped_at else timezone.localdate(now)
    by_shift = {shift.pk: [row for row in due if row[0] == shift.pk] for shift in shifts}
    while day <= last:
        for shift in shifts:
            ends = slot_of(shift, day).ends
            if checklist.started_at < ends <= now and (checklist.stopped_at is None or checklist.stopped_at >= ends):
                for _shift, item_id, key, shift_id in by_shift[shift.pk]:
                    slots[(key, day, shift_id)] = (item_id, True, "", "")
        day += timedelta(days=1)
    return slots


def verify(args) -> None:
    """Recompute one ward's slots with ``quality_slots_refresh``'s own code and compare the counts."""
    from datetime import timedelta

    from django.db.models import Count, Q
    from django.utils import timezone

    from checklists import services
    from checklists.models import ItemSlot, StayItem, Ward

    ward = Ward.objects.order_by("code").first()
    # The seeded period only: the refresh also marks the slots of stays begun before it, unrecorded.
    rows = ItemSlot.objects.counted().filter(ward=ward, duty_date__gte=timezone.localdate() - timedelta(days=args.days))

    def counts():
        return rows.aggregate(
            due=Count("id"), done=Count("id", filter=Q(status="done")), missed=Count("id", filter=Q(status=""))
        )

    once = StayItem.objects.filter(ward=ward, first_on__gte=timezone.localdate() - timedelta(days=args.days))

    def once_counts():
        return once.aggregate(
            due=Count("id"), done=Count("id", filter=Q(status="done")), unrecorded=Count("id", filter=Q(status=""))
        )

    seeded, seeded_once = counts(), once_counts()
    began = time.perf_counter()
    slots = services.item_slots_catch_up(ward=ward, since=timezone.now() - timedelta(days=args.days + args.stay + 2))
    seconds = time.perf_counter() - began
    print(f"verify {ward.code}: seeded {seeded}, refreshed {counts()} ({slots} slots in {seconds:.0f} s)")
    print(f"verify {ward.code}, items due once per stay: seeded {seeded_once}, refreshed {once_counts()}")


def measure(args) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from checklists.models import Ward
    from checklists.months import add_months

    client = Client()
    client.force_login(get_user_model().objects.get(username="scale-admin"))
    ward = Ward.objects.order_by("code").first()
    end = timezone.localdate().replace(day=1)
    start = add_months(end, -max(1, args.days // 30))
    period = {"start": f"{start:%Y-%m}", "end": f"{add_months(end, -1):%Y-%m}"}
    report_month = add_months(end, -1)
    pages = {
        "quality_index (every ward)": ("/quality/", period),
        "quality_completion": (f"/quality/wards/{ward.pk}/completion/", period),
        "quality_events": (f"/quality/wards/{ward.pk}/events/", period),
        "quality_teach_back": (f"/quality/wards/{ward.pk}/teach-back/", period),
        "quality_assessments (加算)": (f"/quality/wards/{ward.pk}/assessments/", period),
        "evidence.csv": (f"/quality/wards/{ward.pk}/evidence.csv", period),
        "csv completion-heat-map": (f"/quality/wards/{ward.pk}/plot.csv", period | {"plot": "completion-heat-map"}),
        "csv event-rates": (f"/quality/wards/{ward.pk}/plot.csv", period | {"plot": "event-rates"}),
        "csv stay-items": (f"/quality/wards/{ward.pk}/plot.csv", period | {"plot": "stay-items"}),
        "ward_report_pdf": (f"/quality/wards/{ward.pk}/report.pdf", {"month": f"{report_month:%Y-%m}"}),
    }
    print(
        f"period {period['start']} – {period['end']}, report {report_month:%Y-%m};",
        f"median of {args.repeat} after a warm-up",
    )
    print("  (first: the first request, its charts drawn; then the median, the charts from the cache)")
    for name, (url, query) in pages.items():
        began = time.perf_counter()
        response = client.get(url, query)
        first = time.perf_counter() - began
        assert response.status_code == 200, (name, response.status_code)
        times = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            client.get(url, query)
            times.append(time.perf_counter() - began)
        print(f"  {name:30s} first {first * 1000:6.0f} ms   median {statistics.median(times) * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
