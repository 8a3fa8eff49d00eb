"""Count the taps, screen-scrolls and seconds of a nurse's round on the patient page.

A script, not a test: it prints figures for a person (issue 12 "Measured, not guessed").

It builds a throwaway SQLite database (migrate, ``load_content``, ``load_demo``), starts the
development server on it (a free port, no autoreload), and drives Debian's chromium through
Playwright at 1024×768, logged in as the demo nurse, through the common case:

- from the ward board, open one patient (1 tap);
- record every item due this shift (counted, not yet settled), two of them with a reason
  (the first two due items that are not critical), the rest done;
- back to the board (1 tap);

and then the same for 7 patients in a row. What is due comes from the app's own selector
(``selectors.patient_shift``), so the script knows the rows without reading the page's wording;
it finds the rows by their ids (``item-<checklist>-<item>``), which both the old and the new
page keep.

How it taps, per page:

- the old page (no quick reasons): Done per row; a reason = open the row's "not applicable /
  not done" toggle, tap the text field, type, tap "Not done";
- the round page (``[data-action=reason]`` on the rows): a reason = the row's reason button,
  then one quick-reason chip; critical items their own Done; everything else with
  "the rest: done" (``[data-action=rest-done]``) and its confirmation.

Each line also prints the fewest taps the round's rules allow for that patient: 1 to open the
patient, 1 per critical item (never part of "the rest: done"), 2 per reason, 2 for the rest.
Below that floor only a change of the content (fewer critical items due) can go.

Counting: a *tap* is one click or tap on the page (typing a reason counts as one tap to focus
the field plus the typing, which is printed separately as characters). A *scroll* is one move
of the viewport that the next tap needed because its target was not fully in view (Playwright
scrolls it into view; the script compares window.scrollY before and after each tap); the
distance is printed too, in screens (viewport heights). *Seconds* are the wall-clock time of
the automated run (a machine's speed, no human reading time), and an estimate for a person:
1.2 s a tap, 1.5 s a scroll, 0.4 s a typed character (stated, not measured).

Run from the project folder::

    .venv/bin/python scripts/tap_count.py
    .venv/bin/python scripts/tap_count.py --patients 7 --headed
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1024, "height": 768}
TAP_SECONDS, SCROLL_SECONDS, CHAR_SECONDS = 1.2, 1.5, 0.4
OLD_REASON = "入眠中"
# Whether a tap's target is wholly in the viewport and not covered (e.g. by a sticky bar).
IN_VIEW = """el => {
  const r = el.getBoundingClientRect();
  if (r.top < 0 || r.bottom > window.innerHeight) return false;
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return !!hit && (hit === el || el.contains(hit));
}"""


@dataclass
class Tally:
    taps: int = 0
    scrolls: int = 0
    screens: float = 0.0
    chars: int = 0
    seconds: float = 0.0
    records: int = 0
    page_bytes: int = 0
    critical: int = 0
    floor: int = 0
    notes: list = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for name in ("taps", "scrolls", "screens", "chars", "seconds", "records", "critical", "floor"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.page_bytes = max(self.page_bytes, other.page_bytes)

    @property
    def estimate(self) -> float:
        return self.taps * TAP_SECONDS + self.scrolls * SCROLL_SECONDS + self.chars * CHAR_SECONDS

    def line(self, label: str) -> str:
        return (
            f"{label:<28} taps {self.taps:>4}  scrolls {self.scrolls:>3} ({self.screens:4.1f} screens)  "
            f"typed {self.chars:>3} chars  records {self.records:>3}  "
            f"run {self.seconds:5.1f} s  person ≈ {self.estimate:5.0f} s  "
            f"page HTML {self.page_bytes / 1000:4.1f} KB{' (largest)' if label[0].isdigit() else ''}\n"
            f"{'':<28} fewest taps the round's rules allow: {self.floor} "
            f"({self.critical} critical items, each its own tap; open, two reasons × 2, the rest × 2)"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(folder: Path) -> dict:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{folder / 'taps.sqlite3'}", DJANGO_DEBUG="true")
    env.pop("WARDSAFE_PRODUCTION", None)
    for command in (["migrate", "-v", "0"], ["load_content"], ["load_demo"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    return env


def wait_for(url: str, seconds: float = 30) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server at {url} did not answer")


class Driver:
    """Taps through Playwright, counting taps and the scrolls each tap needed."""

    def __init__(self, page, *, person_like: bool = True):
        self.page = page
        self.person_like = person_like
        self.tally = Tally()

    def tap(self, locator) -> None:
        """Tap the target where it is on screen; first scroll if it is not wholly in view or is
        covered. A person scrolls a screenful, bringing what comes next to the top (Playwright
        alone scrolls just enough, a row at a time, which ``--minimal-scrolls`` keeps)."""
        locator.wait_for()
        before = self.page.evaluate("window.scrollY")
        if not locator.evaluate(IN_VIEW):
            if self.person_like:
                locator.evaluate("el => el.scrollIntoView({block: 'start', behavior: 'instant'})")
            else:
                locator.scroll_into_view_if_needed()
        if not locator.evaluate(IN_VIEW):
            locator.hover()  # scrolls the way click() would, also away from anything covering it
        after = self.page.evaluate("window.scrollY")
        if before != after:
            self.tally.scrolls += 1
            self.tally.screens += abs(after - before) / VIEWPORT["height"]
        box = locator.bounding_box()
        self.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        self.tally.taps += 1

    def type(self, locator, text: str) -> None:
        self.tap(locator)
        locator.press_sequentially(text)
        self.tally.chars += len(text)


def due_rows(admission_pk: int) -> list[tuple[str, bool]]:
    """(row id, is critical) of the items due and not settled this shift, in page order."""
    from checklists import selectors
    from checklists.forms import SlotForm
    from checklists.models import Admission

    admission = Admission.objects.for_shift_work().get(pk=admission_pk)
    slots = SlotForm(ward=admission.ward)
    shift = selectors.patient_shift(admission, slots.slot, slots.previous)
    return [(s.row_id, s.item.is_critical) for p in shift.checklists for s in p.items if s.is_open]


def record_patient(driver: Driver, board_url: str, admission_pk: int) -> Tally:
    page = driver.page
    driver.tally = Tally()
    started = time.monotonic()
    page.goto(board_url)
    page.evaluate("window.scrollTo(0, 0)")
    driver.tap(page.locator(f'a[href$="/admissions/{admission_pk}/"]').first)
    page.wait_for_url(f"**/admissions/{admission_pk}/")
    page.locator("#round").wait_for(state="attached")
    rows = due_rows(admission_pk)
    with_reason = [row_id for row_id, critical in rows if not critical][:2]
    critical = sum(1 for row_id, is_critical in rows if is_critical and row_id not in with_reason)
    rest = len(rows) - critical - len(with_reason)
    driver.tally.critical = critical
    # The floor: the patient from the board, each critical item, a reason = its button + a chip,
    # "the rest: done" + its confirmation. No design of the page goes under it without giving up
    # "critical items are never included and still need their own tap".
    driver.tally.floor = 1 + critical + 2 * len(with_reason) + (2 if rest else 0)
    round_page = page.locator("[data-action=reason]").count() > 0
    driver.tally.page_bytes = len(page.content().encode())
    if round_page:
        # Top to bottom, as the page is laid out: the critical items (their own tap each), the two
        # reasons, then "the rest: done" and its confirmation.
        for row_id, critical in rows:
            if critical and row_id not in with_reason:
                driver.tap(page.locator(f"#{row_id} [data-action=done]"))
                page.locator(f"#{row_id}.settled").wait_for()
        for row_id in with_reason:
            driver.tap(page.locator(f"#{row_id} [data-action=reason]"))
            chip = page.locator("#record-dialog[open] [data-quick-reason]").first
            chip.wait_for()
            driver.tap(chip)
            page.locator(f"#{row_id} .status-not_done").first.wait_for()
        while (button := page.locator("[data-action=rest-done]:visible")).count():
            driver.tap(button.first)
            confirm = page.locator("#rest-dialog[open] [data-action=rest-confirm]")
            confirm.wait_for()
            with page.expect_navigation():
                driver.tap(confirm)
            page.wait_for_load_state("domcontentloaded")
    else:
        for row_id in with_reason:
            row = page.locator(f"#{row_id}")
            driver.tap(row.locator(".item-actions details summary").first)
            form = row.locator(".item-actions details form").first
            driver.type(form.locator("input[name=note]"), OLD_REASON)
            driver.tap(form.locator("button[value=not_done]"))
            page.locator(f"#{row_id} .status-not_done").first.wait_for()
        for row_id in [row_id for row_id, _critical in rows if row_id not in with_reason]:
            driver.tap(page.locator(f"#{row_id} [data-action=done]"))
            page.locator(f"#{row_id}.settled").wait_for()
    page.wait_for_load_state("networkidle")
    still_open = {row_id for row_id, _critical in due_rows(admission_pk)}
    missing = [row_id for row_id, _c in rows if row_id in still_open and row_id not in with_reason]
    if missing:
        driver.tally.notes.append(f"admission {admission_pk}: {len(missing)} due rows not settled: {missing[:3]}")
    driver.tally.records = len(rows) - len(missing)
    driver.tally.seconds = time.monotonic() - started
    return driver.tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patients", type=int, default=7, help="patients in the second run (default 7)")
    parser.add_argument("--headed", action="store_true")
    parser.add_argument(
        "--minimal-scrolls", action="store_true", help="let Playwright scroll just enough for each tap, not a screen"
    )
    parser.add_argument("--screenshot", type=Path, help="save the first patient's page before recording")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="wardsafe-taps-"))
    server = None
    try:
        env = prepare(folder)
        os.environ.update(DATABASE_URL=env["DATABASE_URL"], DJANGO_SETTINGS_MODULE="wardsafe.settings")
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from playwright.sync_api import sync_playwright

        from checklists.models import Admission, Ward

        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/accounts/login/")
        ward = Ward.objects.get(code="east-4")
        admissions = list(
            Admission.objects.filter(ward=ward, discharged_at__isnull=True)
            .order_by("bed__position", "bed__code")
            .values_list("pk", flat=True)
        )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=not args.headed)
            page = browser.new_page(viewport=VIEWPORT, locale="ja-JP")
            page.goto(f"{base}/accounts/login/")
            page.locator("#id_username").fill("nurse")
            page.locator("#id_password").fill("demo-sakura-401")
            page.locator("button[type=submit]").last.click()
            page.wait_for_url(f"{base}/wards/**")
            board = f"{base}/wards/{ward.pk}/"
            if args.screenshot:
                page.goto(f"{base}/admissions/{admissions[0]}/")
                page.screenshot(path=str(args.screenshot))
            driver = Driver(page, person_like=not args.minimal_scrolls)
            one = record_patient(driver, board, admissions[0])
            print(one.line("one patient (bed 1)"))
            total = Tally()
            for pk in admissions[1 : 1 + args.patients]:
                tally = record_patient(driver, board, pk)
                total.add(tally)
                total.notes += tally.notes
            print(total.line(f"{args.patients} patients (beds 2–{args.patients + 1})"))
            for note in one.notes + total.notes:
                print("  note:", note)
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
