"""Load test: nurses ticking at once against gunicorn, then a count of what the database kept.

Each nurse is a thread with a session and a CSRF token of her own: she logs in through the login
form, then ticks items as the patient page does (an htmx POST to ``item_record``, status "done"),
each tick with a note that no other tick has, and every fifth round she reads a patient page.
A tick is *acknowledged* when the answer is the item row (200); any other answer, or none, is a
failed tick (the page says "not saved"). After the run every note is looked up in the database:

- lost        acknowledged, but no record has its note;
- duplicated  more than one record with the same note (one tap, two records);
- phantom     a record whose tick was answered with an error (the nurse was told to try again).

Goal: 0 × 5xx, 0 lost, 0 duplicated, 0 phantom, also with a backup running in the middle
(``--backup``: ``manage.py backup`` at half-time; its duration and the ticks during it are shown).

By default the script builds everything itself and removes it afterwards: a temporary SQLite file
(or LOAD_DATABASE_URL, a throwaway PostgreSQL database such as the one scripts/with-postgres.sh
makes), migrated and seeded with benchmark_shift_work.py's 40-bed ward plus one account per
nurse; gunicorn in production mode as serve-prod.sh runs it (2 sync workers, whitenoise, SQLite
allowed, plain HTTP on the loopback); and the supervised print worker (scripts/print-worker.sh).
``--url`` targets a server that is already running instead; DATABASE_URL must then name that
server's database, which is seeded here once (use a throwaway instance).

    .venv/bin/python scripts/load_test.py --nurses 8 --seconds 60 --backup
    scripts/with-postgres.sh sh -c 'LOAD_DATABASE_URL=$DATABASE_URL .venv/bin/python scripts/load_test.py --backup'

Exit status 0 when the goal is met, 1 when not, 2 when the run could not be made.
"""

import argparse
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from itertools import cycle, islice
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
NURSE_PREFIX = "load-nurse-"
REQUEST_TIMEOUT = 70  # past gunicorn's 60 s: a request the server gave up on still gets its answer
READ_EVERY = 5


class LoadTestError(Exception):
    pass


# --- the database and the server -----------------------------------------------------------


def configure_environment(url: str | None) -> tuple[dict, Path]:
    """The environment for this process, manage.py and gunicorn; and a temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="wardsafe-load-"))
    sys.path[:0] = [str(PROJECT_DIR), str(PROJECT_DIR / "scripts")]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WARDSAFE_"))}
    if url is None:
        database = os.environ.get("LOAD_DATABASE_URL") or f"sqlite:///{folder / 'load.sqlite3'}"
        env |= {
            "WARDSAFE_PRODUCTION": "true",
            "WARDSAFE_ALLOW_SQLITE": "true",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP on the loopback: no TLS redirect, cookies without the Secure flag.
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "DJANGO_STATIC_ROOT": str(folder / "static"),
            "DATABASE_URL": database,
        }
    elif not os.environ.get("DATABASE_URL"):
        raise LoadTestError("--url needs DATABASE_URL: the database of that server, to seed and to check")
    env["DJANGO_SETTINGS_MODULE"] = "wardsafe.settings"
    os.environ.clear()
    os.environ.update(env)
    return env, folder


def manage(env: dict, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise LoadTestError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result


def seed(nurses: int) -> tuple[list[str], str, list[tuple[int, int]], list[int]]:
    """benchmark_shift_work's 40-bed ward (once) and ``nurses`` nurse accounts on it.
    Returns the usernames, their password, the (checklist, item) pairs to tick, the admissions."""
    from benchmark_shift_work import seed as seed_ward
    from benchmark_shift_work import tick_targets
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from checklists import roles
    from checklists.models import Admission, Ward

    ward = Ward.objects.filter(code="bench-ward").first()
    if ward is None:
        ward = seed_ward()["ward"]
    admissions = list(Admission.objects.filter(ward=ward, discharged_at__isnull=True).order_by("pk"))
    password = secrets.token_urlsafe(12)
    hashed = make_password(password)  # once: every nurse gets the same hash, not 16 slow hashings
    group = Group.objects.get(name=roles.NURSE)
    usernames = []
    for n in range(1, nurses + 1):
        user, _ = get_user_model().objects.get_or_create(username=f"{NURSE_PREFIX}{n:02d}")
        user.password = hashed
        user.save(update_fields=["password"])
        user.groups.add(group)
        ward.staff.add(user)
        usernames.append(user.username)
    return usernames, password, tick_targets(admissions), [a.pk for a in admissions]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict, folder: Path, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    gunicorn = Path(PYTHON).with_name("gunicorn")
    log = (folder / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(gunicorn), "wardsafe.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "60"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5) as response:
                if response.status == 200:
                    return server, base
        except OSError:
            time.sleep(0.1)
    stop(server)
    raise LoadTestError(f"gunicorn did not start; its log: {folder / 'gunicorn.log'}")


def start_worker(env: dict, folder: Path) -> subprocess.Popen:
    log = (folder / "worker.log").open("w")
    return subprocess.Popen(
        ["bash", "scripts/print-worker.sh"],
        cwd=PROJECT_DIR,
        env=env | {"PY": PYTHON},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- the nurses ----------------------------------------------------------------------------


@dataclass
class Tally:
    """What one nurse sent and what she was answered."""

    acknowledged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    reads: int = 0
    read_failures: int = 0
    latencies: list[float] = field(default_factory=list)
    moments: list[tuple[float, bool]] = field(default_factory=list)  # (time, acknowledged) per tick


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Nurse:
    """One browser: its own cookie jar (session and CSRF cookies)."""

    def __init__(self, base: str, username: str, password: str):
        self.base, self.username, self.password = base, username, password
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def csrf_cookie(self) -> str:
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")

    def log_in(self) -> None:
        status, page = self.request("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise LoadTestError(f"{self.username}: the login page answered {status}")
        form = {"username": self.username, "password": self.password, "csrfmiddlewaretoken": token.group(1)}
        status, _ = self.request("/accounts/login/", form)
        if status != 302:
            raise LoadTestError(f"{self.username}: logging in answered {status}, not a redirect")


def nurse_shift(nurse: Nurse, number: int, plan: dict, tally: Tally) -> None:
    """Tick until the end of the run; every READ_EVERY rounds, read a patient page."""
    from django.urls import reverse

    targets = cycle(islice(cycle(plan["targets"]), number * 7, number * 7 + len(plan["targets"])))
    pages = cycle(plan["admissions"][number % len(plan["admissions"]) :] + plan["admissions"])
    sequence = 0
    while time.monotonic() < plan["ends"]:
        sequence += 1
        checklist_pk, item_pk = next(targets)
        # Each visit to an item alternates its status: the same status by the same nurse within
        # seconds is a repeat by design (services.REPEAT_SECONDS), answered with the first record.
        status_sent = "done" if (sequence // len(plan["targets"])) % 2 == 0 else "not_applicable"
        note = f"{plan['prefix']} n{number:02d} {sequence:06d}"
        headers = {"HX-Request": "true", "X-CSRFToken": nurse.csrf_cookie()}
        started = time.monotonic()
        try:
            status, body = nurse.request(
                reverse("checklists:item_record", args=[checklist_pk, item_pk]),
                {"status": status_sent, "note": note, "token": str(uuid.uuid4())},  # a token per form, as the page
                headers,
            )
        except OSError as error:  # no answer: refused, reset, timed out
            status, body = type(error).__name__, ""
        tally.latencies.append(time.monotonic() - started)
        tally.statuses[status] += 1
        # A record answers with the item's row and its checklist's progress chip (out of band); a
        # refusal answers with the record dialog again, which carries no chip.
        row, chip = f'id="item-{checklist_pk}-{item_pk}"', f'id="progress-{checklist_pk}"'
        ok = status == 200 and row in body and chip in body
        (tally.acknowledged if ok else tally.failed).append(note)
        tally.moments.append((started, ok))
        if sequence % READ_EVERY == 0:
            try:
                status, _ = nurse.request(reverse("checklists:admission_detail", args=[next(pages)]))
            except OSError:
                status = None
            tally.reads += 1
            tally.read_failures += status != 200
        if plan["pause"]:
            time.sleep(plan["pause"])


def run_backup(env: dict, folder: Path, at: float, result: dict) -> None:
    time.sleep(max(0.0, at - time.monotonic()))
    result["started"] = time.monotonic()
    try:
        output = manage(env, "backup", str(folder / "backup.json.gz"), timeout=3600)
        result["message"] = output.stdout.strip()
    except LoadTestError as error:
        result["message"] = f"FAILED: {error}"
    result["finished"] = time.monotonic()


# --- the count -----------------------------------------------------------------------------


def count(prefix: str, tallies: list[Tally]) -> dict:
    from checklists.models import CheckRecord

    kept = Counter(CheckRecord.objects.filter(note__startswith=prefix + " ").values_list("note", flat=True))
    acknowledged = {note for tally in tallies for note in tally.acknowledged}
    failed = {note for tally in tallies for note in tally.failed}
    statuses = sum((tally.statuses for tally in tallies), Counter())
    return {
        "ticks": len(acknowledged) + len(failed),
        "acknowledged": len(acknowledged),
        "failed": len(failed),
        "statuses": statuses,
        "5xx": sum(n for status, n in statuses.items() if isinstance(status, int) and status >= 500),
        "lost": len(acknowledged - set(kept)),
        "duplicated": sum(n - 1 for n in kept.values() if n > 1),
        "phantom": len(failed & set(kept)),
        "reads": sum(tally.reads for tally in tallies),
        "read_failures": sum(tally.read_failures for tally in tallies),
        "latencies": sorted(latency for tally in tallies for latency in tally.latencies),
    }


def report(args, figures: dict, backup: dict, tallies: list[Tally], database: str) -> list[str]:
    latencies = figures["latencies"] or [0.0]
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    statuses = ", ".join(f"{status}: {n}" for status, n in sorted(figures["statuses"].items(), key=str))
    requests = figures["ticks"] + figures["reads"] + len(tallies) * 3
    lines = [
        f"WardSafe load test: {args.nurses} nurses, {args.seconds:g} s, {database}, "
        f"{'gunicorn ' + str(args.workers) + ' workers + print worker' if not args.url else args.url}",
        f"requests {requests} (ticks {figures['ticks']}, page reads {figures['reads']}, logins {len(tallies)})"
        f" | {figures['ticks'] / args.seconds:.1f} ticks/s",
        f"ticks answered: {statuses}",
        f"tick latency ms: median {quantiles[49] * 1000:.0f}, p90 {quantiles[89] * 1000:.0f},"
        f" p99 {quantiles[98] * 1000:.0f}, max {latencies[-1] * 1000:.0f}",
        f"page reads failed: {figures['read_failures']}",
    ]
    if backup:
        during = [ok for tally in tallies for at, ok in tally.moments if backup["started"] <= at <= backup["finished"]]
        lines.append(
            f"backup: {backup['finished'] - backup['started']:.1f} s ({backup['message']});"
            f" ticks while it ran: {sum(during)} acknowledged, {len(during) - sum(during)} failed"
        )
    lines.append(
        f"5xx: {figures['5xx']} | lost: {figures['lost']} | duplicated: {figures['duplicated']}"
        f" | phantom: {figures['phantom']} | failed ticks: {figures['failed']} of {figures['ticks']}"
    )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nurses", type=int, default=8, help="concurrent nurses (threads), default 8")
    parser.add_argument("--seconds", type=float, default=60, help="how long they tick, default 60")
    parser.add_argument("--backup", action="store_true", help="run manage.py backup at half-time")
    parser.add_argument("--pause", type=float, default=0, help="seconds each nurse waits between actions")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers, default 2 (as serve-prod.sh)")
    parser.add_argument("--url", help="a running server to test instead of starting one (needs DATABASE_URL)")
    args = parser.parse_args()
    if args.nurses < 1 or args.seconds <= 0:
        parser.error("--nurses must be at least 1 and --seconds more than 0")

    server = worker = None
    try:
        env, folder = configure_environment(args.url)
        import django

        django.setup()
        from django.db import connection

        if not args.url:
            manage(env, "migrate", "--noinput", "-v", "0")
            manage(env, "collectstatic", "--noinput", "-v", "0")
            manage(env, "load_content", "-v", "0")
        print(f"Seeding the ward and {args.nurses} nurses ...", file=sys.stderr, flush=True)
        usernames, password, targets, admissions = seed(args.nurses)
        database = connection.vendor
        if database == "sqlite":
            with connection.cursor() as cursor:
                database = f"SQLite ({cursor.execute('PRAGMA journal_mode').fetchone()[0]} journal)"
        connection.close()  # the nurses' requests must not wait on this process's connection
        if args.url:
            base = args.url.rstrip("/")
        else:
            server, base = start_server(env, folder, args.workers)
            worker = start_worker(env, folder)
        nurses = [Nurse(base, username, password) for username in usernames]
        for nurse in nurses:
            nurse.log_in()

        prefix = f"load-{secrets.token_hex(4)}"
        started = time.monotonic()
        plan = {
            "targets": targets,
            "admissions": admissions,
            "prefix": prefix,
            "ends": started + args.seconds,
            "pause": args.pause,
        }
        tallies = [Tally() for _ in nurses]
        threads = [
            threading.Thread(target=nurse_shift, args=(nurse, n, plan, tally), daemon=True)
            for n, (nurse, tally) in enumerate(zip(nurses, tallies, strict=True), start=1)
        ]
        backup: dict = {}
        if args.backup:
            threads.append(
                threading.Thread(target=run_backup, args=(env, folder, started + args.seconds / 2, backup), daemon=True)
            )
        print(f"{args.nurses} nurses ticking for {args.seconds:g} s against {base} ...", file=sys.stderr, flush=True)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        figures = count(prefix, tallies)
        print("\n".join(report(args, figures, backup, tallies, database)))
        if "FAILED" in backup.get("message", ""):
            return 1
        return 0 if not (figures["5xx"] or figures["lost"] or figures["duplicated"] or figures["phantom"]) else 1
    except LoadTestError as error:
        print(f"LOAD TEST NOT RUN: {error}", file=sys.stderr)
        return 2
    finally:
        stop(worker)
        stop(server)
        if "folder" in locals() and not os.environ.get("LOAD_KEEP"):
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
