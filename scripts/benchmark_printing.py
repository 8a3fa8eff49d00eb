"""Benchmark the printouts against bare WeasyPrint renders of the same HTML, in one run.

What it measures (wall time, in process, one thread, after a warm-up render):

- ``bedside sheet``   ``printing.bedside_pdf([admission])`` for one patient: the gather step (its
                      queries), fitting the sheet on one page (one layout, sometimes two), the
                      template and WeasyPrint; cycling through the ward's 40 patients;
- ``bare render``     ``weasyprint.HTML(string=html).write_pdf(stylesheets=[css])`` of exactly the
                      HTML and stylesheet that the sheet above ended with (same patient, same
                      density; the stylesheet parsed once, as the app does) — the yardstick: the
                      ``× bare`` column is the app's overhead (goal: ≤ 1.2×, and ≤ 0.5 s);
- ``bedside view``    GET /admissions/<pk>/bedside.pdf through ``django.test.Client`` (login,
                      middleware, the view's queries, the response);
- ``ward run``        the background task of a 40-patient print run (``tasks.print_run``):
                      gather, 40 sheets laid out one by one with a progress write after each,
                      ONE PDF written and stored on the job (goal: ≤ 8 s);
- ``bare one doc``    WeasyPrint alone on one HTML holding the same 40 sheets (the lower bound
                      of one document with fonts embedded once);
- ``40 documents``    the 40 sheets as 40 separate PDFs (what one document per sheet would cost).

It never touches the developer's db.sqlite3: it reuses the throwaway database and the 40-bed
seed of scripts/benchmark_shift_work.py (a full neurology ward, each patient with the proposed
checklists). Not a timed test: figures vary ±20 % with the machine's load; compare ratios.

Run (from the project folder)::

    .venv/bin/python scripts/benchmark_printing.py              # 20 sheets, 3 ward runs
    .venv/bin/python scripts/benchmark_printing.py --sheets 40 --runs 5
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchmark_shift_work as shared  # the throwaway database and the 40-bed seed

BEDSIDE_GOAL_RATIO = 1.2
BEDSIDE_GOAL_SECONDS = 0.5
WARD_RUN_GOAL_SECONDS = 8.0


def timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


class _Recorder:
    """Stands in for ``printing.render.render_document`` (where ``bedside_layout`` looks it up)
    and keeps the HTML it was asked to lay out."""

    def __init__(self, render):
        self.render, self.html = render, []

    def __call__(self, html, **kwargs):
        self.html.append(html)
        return self.render(html, **kwargs)


def measure_sheets(admissions, count: int) -> dict:
    """Per patient: the app's bedside PDF, then a bare render of the HTML it ended with."""
    import weasyprint
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from checklists import printing
    from checklists.models import Admission
    from checklists.printing import render

    app, bare, layouts, densities, sizes, queries = [], [], [], [], [], []
    original = render.render_document
    for index in range(count):
        admission_pk = admissions[index % len(admissions)].pk
        recorder = render.render_document = _Recorder(original)
        try:
            with CaptureQueriesContext(connection) as captured:
                seconds, data = timed(printing.bedside_pdf, Admission.objects.filter(pk=admission_pk).for_shift_work())
        finally:
            render.render_document = original
        rendered = recorder.html
        app.append(seconds)
        queries.append(len(captured))
        layouts.append(len(rendered))
        sizes.append(len(data))
        densities.append(int(rendered[-1].split('data-density="')[1].split('"')[0]))
        bare_seconds, _ = timed(weasyprint.HTML(string=rendered[-1]).write_pdf, stylesheets=[printing.stylesheet()])
        bare.append(bare_seconds)
    return {
        "app": app,
        "bare": bare,
        "layouts": layouts,
        "densities": densities,
        "size": statistics.median(sizes),
        "queries": max(queries),
    }


def measure_view(client, admissions, count: int) -> list[float]:
    from django.urls import reverse

    timings = []
    for index in range(count):
        url = reverse("checklists:admission_bedside_pdf", args=[admissions[index % len(admissions)].pk])
        seconds, response = timed(client.get, url)
        if response.status_code != 200 or response["Content-Type"] != "application/pdf":
            raise shared.BenchmarkError(f"{url}: status {response.status_code}")
        timings.append(seconds)
    return timings


def measure_ward_run(ward, nurse, admissions, runs: int) -> dict:
    from django.db import transaction

    from checklists import services, tasks
    from checklists.models import PrintJob

    timings, sizes = [], []
    for _run in range(runs):
        with transaction.atomic():
            job = services.print_run_request(ward=ward, admissions=admissions, by=nurse, language="ja")
        seconds, count = timed(tasks.print_run.call, job.pk)
        job.refresh_from_db()
        if job.status != PrintJob.Status.DONE or count != len(admissions):
            raise shared.BenchmarkError(f"print run {job.pk}: {job.status}, {count} sheets, {job.error}")
        timings.append(seconds)
        sizes.append(len(job.pdf))
    return {"timings": timings, "size": statistics.median(sizes)}


def measure_alternatives(admissions) -> dict:
    """The same 40 sheets as one bare HTML document, and as 40 separate PDFs."""
    import weasyprint

    from checklists import printing
    from checklists.models import Admission

    sheets = printing.bedside_sheets(Admission.objects.filter(pk__in=[a.pk for a in admissions]).for_shift_work())
    pages = [printing.bedside_layout(sheet)[0] for sheet in sheets]
    one_html = printing.bedside_html(pages)
    one_seconds, one_pdf = timed(weasyprint.HTML(string=one_html).write_pdf, stylesheets=[printing.stylesheet()])
    started = time.perf_counter()
    separate_bytes = sum(
        len(weasyprint.HTML(string=printing.bedside_html([page])).write_pdf(stylesheets=[printing.stylesheet()]))
        for page in pages
    )
    separate_seconds = time.perf_counter() - started
    return {
        "one_seconds": one_seconds,
        "one_size": len(one_pdf),
        "separate_seconds": separate_seconds,
        "separate_size": separate_bytes,
    }


def report(sheets: dict, view: list[float], ward: dict, alternatives: dict, patients: int) -> list[str]:
    app, bare = statistics.median(sheets["app"]), statistics.median(sheets["bare"])
    ratios = sorted(a / b for a, b in zip(sheets["app"], sheets["bare"], strict=True))
    ward_median = statistics.median(ward["timings"])
    extra_layouts = sum(n - 1 for n in sheets["layouts"])
    density_counts = {level: sheets["densities"].count(level) for level in sorted(set(sheets["densities"]))}
    rows = [
        ("bedside sheet (printing.bedside_pdf)", app, f"{app / bare:.2f}× bare", f"{sheets['size'] / 1024:.0f} KB"),
        ("bare render, same HTML", bare, "1.00×", ""),
        (
            "bedside view (GET …/bedside.pdf)",
            statistics.median(view),
            f"{statistics.median(view) / bare:.2f}× bare",
            "",
        ),
        (f"ward run, {patients} sheets (task)", ward_median, "", f"{ward['size'] / 1024:.0f} KB"),
        (
            f"bare one doc, {patients} sheets",
            alternatives["one_seconds"],
            "",
            f"{alternatives['one_size'] / 1024:.0f} KB",
        ),
        (
            f"{patients} separate documents",
            alternatives["separate_seconds"],
            "",
            f"{alternatives['separate_size'] / 1024:.0f} KB",
        ),
    ]
    width = max(len(row[0]) for row in rows)
    lines = [f"{'what':<{width}}  {'median s':>9}  {'ratio':>12}  {'size':>8}", "-" * (width + 36)]
    lines += [f"{name:<{width}}  {seconds:>9.3f}  {ratio:>12}  {size:>8}" for name, seconds, ratio, size in rows]
    lines += [
        "",
        f"bedside/bare per sheet: median {statistics.median(ratios):.2f}×, worst {ratios[-1]:.2f}×;"
        f" extra layouts to fit one page: {extra_layouts} in {len(sheets['layouts'])} sheets;"
        f" density levels used: {density_counts}; gather queries: {sheets['queries']}",
        f"goals: bedside ≤ {BEDSIDE_GOAL_RATIO}× bare and ≤ {BEDSIDE_GOAL_SECONDS} s:"
        f" {'met' if app / bare <= BEDSIDE_GOAL_RATIO and app <= BEDSIDE_GOAL_SECONDS else 'NOT met'};"
        f" ward run ≤ {WARD_RUN_GOAL_SECONDS} s: {'met' if ward_median <= WARD_RUN_GOAL_SECONDS else 'NOT met'}"
        f" (runs: {', '.join(f'{t:.2f}' for t in ward['timings'])} s)",
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=20, help="single bedside sheets timed (default 20)")
    parser.add_argument("--runs", type=int, default=3, help="40-sheet ward runs timed (default 3)")
    args = parser.parse_args()
    folder = shared.configure_environment()
    import django

    django.setup()
    shared.install_urls()
    old_name = shared.create_database()
    try:
        from django.test import Client
        from django.utils import translation

        from checklists import printing
        from checklists.models import Admission

        data = shared.seed()
        admissions = data["admissions"]
        print(f"Seeded {len(admissions)} patients; warming up WeasyPrint…", file=sys.stderr)
        with translation.override("ja"):
            printing.bedside_pdf(Admission.objects.filter(pk=admissions[0].pk).for_shift_work())
            sheets = measure_sheets(admissions, args.sheets)
            client = Client()
            client.force_login(data["nurse"])
            view = measure_view(client, admissions, min(args.sheets, 10))
            ward = measure_ward_run(data["ward"], data["nurse"], admissions, args.runs)
            alternatives = measure_alternatives(admissions)
        print("\n".join(shared.describe(data, args.sheets, 1)[:2]))
        print("\n".join(report(sheets, view, ward, alternatives, len(admissions))))
    finally:
        shared.drop_database(folder, old_name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
