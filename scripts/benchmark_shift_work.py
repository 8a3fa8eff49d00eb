"""Benchmark the shift-work pages against a bare 3-query Django view, in one run.

What it measures (server time per request, in process, one thread):

- ``board cold`` GET /wards/<pk>/ for a full 40-bed ward (40 patients, their proposed checklists,
                records in the current and the previous shift) with the cache emptied before each
                request: every row read and drawn (a new app server, or a ward-wide change);
- ``board``     the same with nothing changed since it was last drawn (another tablet, a reload
                without If-None-Match): every row from the cache (checklists/views/board_rows.py);
- ``board +1 tick`` the same after a colleague's tick (untimed) on another patient each time: one
                row read and drawn, 39 from the cache — a busy ward's usual board;
- ``patient``   GET  /admissions/<pk>/, cycling through the 40 patients;
- ``tick``      POST /checklists/<c>/items/<i>/record/ {"status": "done"} with ``HX-Request: true``
                (the one-tap record; the answer is the changed item row), cycling through the
                patients' items so each tick lands on a different row;
- ``baseline``  a bare view defined here: exactly 3 small queries and a tiny template string,
                behind the same middleware. It is the yardstick: the ``× baseline`` column says how
                many bare 3-query requests one page costs on this machine, in this run.

Requests go through ``django.test.Client`` (the full WSGI handler and middleware, no HTTP or
network) with a logged-in nurse of the ward. Each endpoint is warmed up, then timed N times;
the table gives median, p90 and mean milliseconds, requests/s of one thread (1000 / mean), the
SQL queries of one request (captured outside the timed runs), the response size and the ratio
of the median to the baseline's. Any status other than 200 stops the run with an error.
Settings are production-like: DEBUG off, persistent connection. Ticks run last, because each
one adds a record that the board and patient page would then read.

It never touches the developer's db.sqlite3: by default it builds a temporary SQLite file
(migrate, ``load_content``, seed) and deletes it afterwards. A DATABASE_URL in the environment
is ignored on purpose.

Run (from the project folder)::

    .venv/bin/python scripts/benchmark_shift_work.py               # 200 timed requests each
    .venv/bin/python scripts/benchmark_shift_work.py --requests 1000

PostgreSQL (optional): set BENCH_DATABASE_URL to a server the script may create a database on.
Like the test runner, it creates ``test_<name>`` next to the named database, migrates and seeds
it, and drops it at the end; the named database itself is not written to. With the throwaway
cluster of scripts/with-postgres.sh::

    scripts/with-postgres.sh sh -c 'BENCH_DATABASE_URL=$DATABASE_URL .venv/bin/python scripts/benchmark_shift_work.py'

In-process figures leave out HTTP parsing and the WSGI server, so they are faster than the
gunicorn + wrk figures in /work/shared/PLATFORM.md ("Django throughput here"); compare ratios,
and runs made on the same machine. The baseline's 3 queries come with the session read that the
idle-session middleware makes for every logged-in request (4 in all); it does not load the user,
so the pages' counts include one more query for that.
"""

import argparse
import functools
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from itertools import cycle, zip_longest
from pathlib import Path

import django
from django.urls import include, path

PROJECT_DIR = Path(__file__).resolve().parent.parent
WARD_BEDS = 40
WARMUP = 20

# Birth date and risk factor codes (fixtures/content/risk_factors.json), as on a neurology ward.
# Children get the "child" factor from patient_admit itself.
PROFILES = [
    (date(1962, 4, 12), ["oms", "unsteady_gait", "myoclonus", "dysarthria", "insomnia", "steroid", "ivig"]),
    (date(2023, 8, 3), ["oms", "unsteady_gait", "irritability", "speech_regression", "ivig", "steroid"]),
    (date(1975, 1, 20), ["isaacs", "muscle_stiffness", "excessive_sweating", "night_sedative", "insomnia"]),
    (date(1958, 11, 2), ["mmn", "ivig"]),
    (date(1969, 6, 30), ["oms", "truncal_ataxia", "dysphagia", "restlessness", "rituximab"]),
    (date(1990, 3, 15), ["dizziness", "nausea_vomiting", "poor_intake"]),
    (date(2017, 9, 9), ["oms", "hypotonia", "behaviour_change", "steroid"]),
    (date(1941, 2, 28), ["unsteady_gait", "cognitive_change", "immunosuppressant", "night_sedative"]),
    (date(1950, 7, 7), ["tremor", "unsteady_gait", "dysphagia", "cognitive_change", "poor_intake"]),
    (date(1983, 12, 1), ["mmn", "ivig", "steroid", "insomnia"]),
]
SURNAMES = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "小林", "加藤", "吉田"]
GIVEN_NAMES = ["太郎", "さくら", "一郎", "花江"]

BASELINE_TEMPLATE = "<p>{{ ward.name }}: {{ beds }} beds, shifts {{ shifts|join:', ' }}</p>"

# Filled once Django is set up (the project's URLs import models); used as ROOT_URLCONF.
urlpatterns = []


def baseline(request, pk):
    """The yardstick: exactly 3 small queries and a tiny template string, nothing else."""
    from django.http import HttpResponse

    from checklists.models import Bed, ShiftDefinition, Ward

    context = {
        "ward": Ward.objects.get(pk=pk),
        "beds": Bed.objects.filter(ward_id=pk).count(),
        "shifts": list(ShiftDefinition.objects.values_list("code", flat=True)),
    }
    return HttpResponse(_baseline_template().render(context))


def install_urls() -> None:
    """The project's URLs plus the baseline, once Django is set up."""
    urlpatterns[:] = [
        path("", include("wardsafe.urls")),
        path("bench/baseline/<int:pk>/", baseline, name="bench_baseline"),
    ]


@functools.cache
def _baseline_template():
    from django.template import engines

    return engines["django"].from_string(BASELINE_TEMPLATE)


# --- database ------------------------------------------------------------------------------


def configure_environment() -> Path | None:
    """Point wardsafe.settings at a throwaway database; return the temporary folder, if any."""
    sys.path.insert(0, str(PROJECT_DIR))
    os.environ["DJANGO_SETTINGS_MODULE"] = "wardsafe.settings"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
        return None
    folder = Path(tempfile.mkdtemp(prefix="wardsafe-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    return folder


def create_database() -> str | None:
    """Migrate the throwaway database; on a server, a test_<name> database. Returns the old name."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0, interactive=False)
        return None
    return connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def drop_database(folder: Path | None, old_name: str | None) -> None:
    from django.db import connection, connections

    if old_name is not None:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    connections.close_all()
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


# --- seed ----------------------------------------------------------------------------------


def seed() -> dict:
    """A 40-bed ward, full, each patient with the proposed checklists started and records in the
    previous shift (most every-shift items, one not done) and the current one (about half)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from checklists import roles, services
    from checklists.models import ChecklistTemplate, CheckRecord, RiskFactor
    from checklists.shifts import shift_at, slot_before

    call_command("load_content", verbosity=0)
    now = timezone.now()
    current = shift_at(now)
    previous = slot_before(current)
    in_current = current.starts + (now - current.starts) / 2
    in_previous = previous.starts + timedelta(hours=2)
    with transaction.atomic():
        nurse = get_user_model().objects.create_user(username="bench-nurse", first_name="花子", last_name="看護")
        nurse.groups.add(Group.objects.get(name=roles.NURSE))
        codes = [str(401 + n) for n in range(WARD_BEDS)]
        ward = services.ward_create(code="bench-ward", name="ベンチ病棟", bed_codes=codes)
        ward.staff.add(nurse)
        factors = {factor.code: factor for factor in RiskFactor.objects.all()}
        admissions = []
        for n, bed in enumerate(ward.beds.order_by("position")):
            birth_date, factor_codes = PROFILES[n % len(PROFILES)]
            admission = services.patient_admit(
                hospital_id=f"B{n + 1:07d}",
                name=f"{SURNAMES[n % len(SURNAMES)]} {GIVEN_NAMES[n // len(SURNAMES) % len(GIVEN_NAMES)]}",
                birth_date=birth_date,
                bed=bed,
                risk_factors=[factors[code] for code in factor_codes],
                by=nurse,
                at=now - timedelta(days=1 + n % 14, hours=3),
            )
            noted = {note.risk_factor_id for note in admission.risk_factor_notes.all()}
            for template in ChecklistTemplate.objects.proposed_for(noted):
                checklist = services.checklist_start(
                    admission=admission, template=template, by=nurse, at=admission.admitted_at
                )
                items = [
                    item
                    for item in checklist.version.items.with_rules().order_by("position", "id")
                    if not item.applies_if_factors or {f.pk for f in item.applies_if_factors} & noted
                ]
                _record(checklist, items, nurse, at=in_previous, every=lambda index: index % 3 != 2)
                _record(checklist, items, nurse, at=in_current, every=lambda index: index % 2 == 0)
            admissions.append(admission)
    return {"ward": ward, "nurse": nurse, "admissions": admissions, "records": CheckRecord.objects.count()}


def _record(checklist, items, nurse, *, at, every) -> None:
    """Tick the chosen every-shift items at ``at``; leave the second one not done, with a reason."""
    from checklists import services
    from checklists.models import TemplateItem

    due = [item for item in items if item.frequency == TemplateItem.Frequency.EVERY_SHIFT]
    for index, item in enumerate(due):
        if index == 1:
            services.item_record(
                checklist=checklist, item=item, status="not_done", note="検査で離床中のため未実施", by=nurse, at=at
            )
        elif every(index):
            services.item_record(checklist=checklist, item=item, status="done", by=nurse, at=at)


def tick_targets(admissions) -> list[tuple[int, int]]:
    """(checklist pk, item pk) of every row on the patient pages, interleaved across patients."""
    from checklists import selectors
    from checklists.models import Admission
    from checklists.shifts import shift_at, slot_before

    slot = shift_at()
    previous = slot_before(slot)
    per_patient = []
    for admission in Admission.objects.filter(pk__in=[a.pk for a in admissions]).for_shift_work():
        shift = selectors.patient_shift(admission, slot, previous)
        per_patient.append([(state.checklist.pk, state.item.pk) for p in shift.checklists for state in p.items])
    return [target for row in zip_longest(*per_patient) for target in row if target is not None]


# --- measurement ---------------------------------------------------------------------------


class BenchmarkError(Exception):
    pass


def measure(name, send, check, *, requests: int, warmup: int, before=None) -> dict:
    """Warm up, count the queries of one request, then time ``requests`` requests; ``before``
    runs ahead of each request, untimed (a write, or emptying the cache)."""
    before = before or (lambda: None)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def checked(response):
        if response.status_code != 200:
            raise BenchmarkError(
                f"{name}: status {response.status_code}, expected 200 ({response.get('Location', '')})"
            )
        check(response)
        return response

    for _ in range(warmup):
        before()
        checked(send())
    before()
    with CaptureQueriesContext(connection) as queries:
        size = len(checked(send()).content)
    query_count = len(queries)  # now: the log is reset at the start of every later request
    timings = []
    for _ in range(requests):
        before()
        started = time.perf_counter()
        response = send()
        timings.append((time.perf_counter() - started) * 1000)
        checked(response)
    return {
        "name": name,
        "median": statistics.median(timings),
        "p90": statistics.quantiles(timings, n=10)[-1] if len(timings) > 1 else timings[0],
        "mean": statistics.fmean(timings),
        "queries": query_count,
        "size": size,
    }


def run(requests: int, warmup: int, data: dict) -> list[dict]:
    from django.core.cache import cache
    from django.test import Client, override_settings
    from django.urls import reverse

    from checklists.models import CheckRecord

    ward, admissions = data["ward"], data["admissions"]
    client = Client()
    client.force_login(data["nurse"])
    with override_settings(ROOT_URLCONF=__name__):
        baseline_url = reverse("bench_baseline", args=[ward.pk])
        board_url = reverse("checklists:ward_board", args=[ward.pk])
        patient_urls = cycle([reverse("checklists:admission_detail", args=[a.pk]) for a in admissions])
        targets = cycle(tick_targets(admissions))
        last_tick = {}

        def expect(text):
            def check(response):
                if text.encode() not in response.content:
                    raise BenchmarkError(f"{response.request['PATH_INFO']}: {text!r} not in the response")

            return check

        def tick():
            checklist_pk, item_pk = last_tick["target"] = next(targets)
            url = reverse("checklists:item_record", args=[checklist_pk, item_pk])
            return client.post(url, {"status": "done"}, headers={"HX-Request": "true"})

        def tick_check(response):
            checklist_pk, item_pk = last_tick["target"]
            if "HX-Refresh" in response or f'id="item-{checklist_pk}-{item_pk}"'.encode() not in response.content:
                raise BenchmarkError(f"tick on item {item_pk} of checklist {checklist_pk}: not the item row fragment")

        def tick_elsewhere():
            """A colleague's tick, untimed, before the board is asked again: one row to draw."""
            tick_check(tick())

        records_before = CheckRecord.objects.count()
        times = {"requests": requests, "warmup": warmup}
        board = (lambda: client.get(board_url), expect(ward.name))
        results = [
            measure("baseline", lambda: client.get(baseline_url), expect(ward.name), **times),
            # Every row drawn: the first request after the cache was emptied (a new app server).
            measure("board cold", *board, before=cache.clear, **times),
            # Nothing changed since it was last drawn (another tablet, a reload): rows from the cache.
            measure("board", *board, **times),
            measure("patient", lambda: client.get(next(patient_urls)), expect("item-row"), **times),
            measure("tick", tick, tick_check, **times),
        ]
        added = CheckRecord.objects.count() - records_before
        if added != requests + warmup + 1:
            raise BenchmarkError(f"tick: {added} records written for {requests + warmup + 1} ticks")
        # A colleague recorded since the board was drawn: her patient's row is drawn anew.
        results.append(measure("board +1 tick", *board, before=tick_elsewhere, **times))
    # 3 in the view + the session and the user (LoginRequiredMiddleware loads the user on every request).
    if results[0]["queries"] != 5:
        raise BenchmarkError(f"baseline ran {results[0]['queries']} queries, not 3 + 1: the yardstick is off")
    return results


def profile(name: str, data: dict, requests: int = 20) -> list[str]:
    """cProfile ``requests`` GETs of the board or a patient page (after a warm-up): the functions
    with the most cumulative time, then those with the most time of their own."""
    import cProfile
    import io
    import pstats

    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(data["nurse"])
    if name == "board":
        urls = [reverse("checklists:ward_board", args=[data["ward"].pk])] * requests
    else:
        urls = [reverse("checklists:admission_detail", args=[a.pk]) for a in data["admissions"][:requests]]
    for url in urls[:5]:
        client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for url in urls:
        client.get(url)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)
    return [f"cProfile of {len(urls)} GETs of the {name} page", out.getvalue()]


# --- report --------------------------------------------------------------------------------


def describe(data: dict, requests: int, warmup: int) -> list[str]:
    from django.conf import settings
    from django.db import connection

    from checklists.models import Admission, PatientChecklist

    if connection.vendor == "postgresql":
        database = f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}"
    else:
        database = f"{connection.vendor} file"
    cpus = os.process_cpu_count() if hasattr(os, "process_cpu_count") else os.cpu_count()
    cpu_model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    open_admissions = Admission.objects.filter(ward=data["ward"], discharged_at__isnull=True).count()
    checklists = PatientChecklist.objects.filter(admission__ward=data["ward"], stopped_at__isnull=True).count()
    return [
        f"Python {platform.python_version()} | Django {django.get_version()} | SQLite {sqlite3.sqlite_version}"
        f" | database: {database} | DEBUG={settings.DEBUG} | CONN_MAX_AGE={connection.settings_dict['CONN_MAX_AGE']}",
        f"CPUs: {cpus} usable of {os.cpu_count()} ({cpu_model}) | {platform.platform()}",
        f"Ward: {WARD_BEDS} beds, {open_admissions} patients, {checklists} active checklists,"
        f" {data['records']} check records in the current and previous shift before the ticks",
        f"{requests} timed requests per endpoint after {warmup} warm-up requests; in process (django.test.Client),"
        " one thread",
    ]


def table(results: list[dict]) -> list[str]:
    base = results[0]["median"]
    header = ("endpoint", "median ms", "p90 ms", "mean ms", "req/s", "queries", "KB", "× baseline")
    rows = [
        (
            r["name"],
            f"{r['median']:.2f}",
            f"{r['p90']:.2f}",
            f"{r['mean']:.2f}",
            f"{1000 / r['mean']:.0f}",
            str(r["queries"]),
            f"{r['size'] / 1024:.1f}",
            f"{r['median'] / base:.1f}",
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells):
        return "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        )

    return [line(header), "  ".join("-" * w for w in widths), *(line(row) for row in rows)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per endpoint (default 200)")
    parser.add_argument("--warmup", type=int, default=WARMUP, help=f"warm-up requests per endpoint (default {WARMUP})")
    parser.add_argument(
        "--profile",
        choices=["board", "patient"],
        help="instead of the table: cProfile 20 requests of this page and print where the time goes",
    )
    args = parser.parse_args()
    if args.requests < 1 or args.warmup < 0:
        parser.error("--requests must be at least 1 and --warmup at least 0")

    folder = configure_environment()
    django.setup()
    install_urls()
    old_name = None
    try:
        old_name = create_database()
        print("Seeding a 40-bed ward ...", file=sys.stderr, flush=True)
        data = seed()
        if args.profile:
            print("\n".join(profile(args.profile, data)))
            return 0
        results = run(args.requests, args.warmup, data)
        print("\n".join([*describe(data, args.requests, args.warmup), "", *table(results)]))
    except BenchmarkError as error:
        print(f"BENCHMARK FAILED: {error}", file=sys.stderr)
        return 1
    finally:
        drop_database(folder, old_name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
