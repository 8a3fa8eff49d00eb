"""Scale run: a 15-ward, 600-bed hospital on PostgreSQL behind nginx and two app servers.

The stack (``Stack``): Debian's nginx on one port in front of TWO gunicorn instances (2 sync
workers each) on two more ports, both on the PostgreSQL of scripts/with-postgres.sh (DATABASE_URL
and WARDSAFE_PG_*), two print workers (scripts/print-worker.sh → ``manage.py db_worker``), static
files from whitenoise. Sessions, print runs and their PDFs are in the database, so any app server
answers any request: the run first shows it (log in on one, read and print on the other).

Then for ``--seconds`` (default 120) it drives, each client with its own session and CSRF token:

- tablets, one per ward, polling the ward board and a patient page (``If-None-Match`` when the
  last answer had an ETag; a 304 is counted as such);
- nurses recording (the one-tap record over htmx), each tick with a note no other tick has;
- print runs: several wards print all their patients at once, twice during the run.

Half-way through it kills one gunicorn instance (SIGKILL; nginx must route around it) and starts
it again 5 s later; at 70 % it stops PostgreSQL for ``--pg-down`` seconds (default 4) and starts
it again: the app must recover by itself (CONN_HEALTH_CHECKS) and users get the 503 "try again"
page, never a traceback. At the end: throughput, p50 / p95 per request kind, the status counts,
5xx other than those 503s, and every acknowledged tick compared with the rows (0 lost, 0
duplicated, 0 phantom), print-run throughput. A tick that got no acknowledgement (its app server
killed, the database gone) is sent again after the load with its own token, as the nurse taps
again: a first post that was recorded before its answer was lost must answer with that record,
never make a second; a phantom is a record that no answer, first or second, acknowledged.

    bash scripts/scale/run.sh                     # everything, one command
    bash scripts/with-postgres.sh .venv/bin/python scripts/scale/scale_run.py --seconds 60

Exit status 0 when the goals are met, 1 when not, 2 when the run could not be made.
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
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
from collections import Counter, defaultdict
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(PROJECT_DIR), str(PROJECT_DIR / "scripts")]

from load_test import Nurse, free_port  # noqa: E402  (scripts/ on the path above)

PYTHON = sys.executable
WARDS, BEDS = 15, 40
FILLED = 30  # patients per ward (the rest of the beds are empty, as in a real hospital)
NURSES = 8
PRINT_WARDS = 3
PREFIX = f"scale-{uuid.uuid4().hex[:8]}"
GUNICORN = ["--timeout", "60", "--forwarded-allow-ips", "127.0.0.1"]
TRY_AGAIN = ("もう一度", "try again", "Try again")  # the app's 503 page and scripts/scale/unavailable.html
TRACEBACK = ("Traceback", "Exception Value", "django.db.utils")

NGINX_CONF = """
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {folder}/body;
  proxy_temp_path {folder}/proxy;
  fastcgi_temp_path {folder}/fastcgi;
  uwsgi_temp_path {folder}/uwsgi;
  scgi_temp_path {folder}/scgi;
  upstream wardsafe {{
    server 127.0.0.1:{app1} max_fails=1 fail_timeout=5s;
    server 127.0.0.1:{app2} max_fails=1 fail_timeout=5s;
    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{port};
    client_max_body_size 10m;
    # Both app servers down, or one killed while it answered a request nginx must not resend (a
    # POST): the same "try again, or use the paper sheet" page as the app's own 503, not nginx's.
    error_page 502 504 /unavailable.html;
    location = /unavailable.html {{
      root {pages};
      internal;
    }}
    location / {{
      proxy_pass http://wardsafe;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      # A refused connection (a dead app server) goes to the other one; a POST already sent is
      # never sent twice (nginx's default for non-idempotent requests), so a tick cannot double.
      proxy_next_upstream error timeout;
      proxy_read_timeout 70s;
    }}
  }}
}}
"""


class ScaleError(Exception):
    pass


def environment(folder: Path) -> dict:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise ScaleError("DATABASE_URL must name a throwaway PostgreSQL: run scripts/scale/run.sh")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {
        "WARDSAFE_PRODUCTION": "true",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",  # plain HTTP on the loopback
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "WARDSAFE_TRUSTED_PROXY_COUNT": "1",
        "DJANGO_SETTINGS_MODULE": "wardsafe.settings",
        "WARDSAFE_LOGIN_ADDRESS_FAILURE_LIMIT": "1000",
    }
    os.environ.clear()
    os.environ.update(env)
    return env


def manage(env, *args, timeout=900):
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise ScaleError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise ScaleError(f"{url} did not answer within {seconds:g} s")


class Stack:
    """nginx → two gunicorn instances → PostgreSQL, and two print workers."""

    def __init__(self, env: dict, folder: Path):
        self.env, self.folder = env, folder
        self.ports = [free_port(), free_port()]
        self.port = free_port()
        self.apps: list[subprocess.Popen | None] = [None, None]
        self.workers: list[subprocess.Popen] = []
        self.nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def app_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.ports[index]}"

    def start_app(self, index: int) -> None:
        log = (self.folder / f"gunicorn-{index + 1}.log").open("a")
        gunicorn = Path(PYTHON).with_name("gunicorn")
        self.apps[index] = subprocess.Popen(
            [str(gunicorn), "wardsafe.wsgi", "--bind", f"127.0.0.1:{self.ports[index]}", "--workers", "2", *GUNICORN],
            cwd=PROJECT_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(self.app_url(index) + "/accounts/login/")

    def kill_app(self, index: int) -> None:
        """SIGKILL the instance's master and workers: no graceful goodbye, as in a crash."""
        os.killpg(self.apps[index].pid, signal.SIGKILL)
        self.apps[index].wait()
        self.apps[index] = None

    def start(self) -> None:
        for index in (0, 1):
            self.start_app(index)
        for number in (1, 2):
            log = (self.folder / f"worker-{number}.log").open("w")
            self.workers.append(
                subprocess.Popen(
                    ["bash", "scripts/print-worker.sh"],
                    cwd=PROJECT_DIR,
                    env=self.env | {"PY": PYTHON, "WORKER_PRUNE_SECONDS": "0" if number == 2 else "3600"},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        conf = self.folder / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                folder=self.folder, port=self.port, app1=self.ports[0], app2=self.ports[1], pages=Path(__file__).parent
            )
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.nginx = subprocess.Popen(
            [nginx, "-c", str(conf), "-g", "daemon off;"], start_new_session=True, stderr=subprocess.DEVNULL
        )
        wait_for(self.url + "/accounts/login/")

    def stop(self) -> None:
        for process in [self.nginx, *self.apps, *self.workers]:
            if process is not None and process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=30)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    os.killpg(process.pid, signal.SIGKILL)


def postgres(action: str) -> None:
    """Stop or start the throwaway cluster of scripts/with-postgres.sh."""
    pg_ctl = [f"{os.environ['WARDSAFE_PG_BIN']}/pg_ctl", "-D", os.environ["WARDSAFE_PG_DATA"]]
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if action == "stop":
        command = [*pg_ctl, "-m", "fast", "-w", "stop"]
    else:
        command = [*pg_ctl, "-w", "-l", os.environ["WARDSAFE_PG_LOG"], "-o", os.environ["WARDSAFE_PG_OPTIONS"], "start"]
    # Not capture_output: the server pg_ctl starts would hold the pipes open, and run() wait forever.
    subprocess.run(as_postgres + command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)


# --- the hospital ----------------------------------------------------------------------------


def seed(password: str) -> dict:
    """15 wards of 40 beds, FILLED patients each with their proposed checklists; a tablet account
    per ward and NURSES nurses on every ward."""
    from benchmark_shift_work import GIVEN_NAMES, PROFILES, SURNAMES
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from checklists import roles, services
    from checklists.models import (
        Admission,
        AdmissionRiskFactor,
        ChecklistTemplate,
        Patient,
        PatientChecklist,
        Placement,
        RiskFactor,
        TemplateVersion,
    )

    hashed = make_password(password)
    nurse_group = Group.objects.get(name=roles.NURSE)
    users = get_user_model().objects
    factors = {factor.code: factor for factor in RiskFactor.objects.all()}
    proposed = {}
    wards, tablets, nurses = [], [], []
    for n in range(1, NURSES + 1):
        user = users.create(username=f"scale-nurse-{n:02d}", password=hashed)
        user.groups.add(nurse_group)
        nurses.append(user)
    admitter = nurses[0]
    now = timezone.now()
    published = {v.template_id: v for v in TemplateVersion.objects.published()}
    # Rows made in bulk, as patient_admit and checklist_start would make them (without their audit
    # rows): 450 admissions through the services take many minutes on 2 busy cores.
    for w in range(WARDS):
        with transaction.atomic():
            ward = services.ward_create(
                code=f"w{w + 1:02d}", name=f"{w + 1}階病棟", bed_codes=[f"{w + 1}{b + 1:02d}" for b in range(BEDS)]
            )
            tablet = users.create(username=f"scale-tablet-{w + 1:02d}", password=hashed)
            tablet.groups.add(nurse_group)
            ward.staff.add(tablet, *nurses)
            beds = list(ward.beds.order_by("position")[:FILLED])
            people = []
            for b in range(len(beds)):
                n = w * BEDS + b
                birth_date, _codes = PROFILES[n % len(PROFILES)]
                name = f"{SURNAMES[n % len(SURNAMES)]} {GIVEN_NAMES[n // len(SURNAMES) % len(GIVEN_NAMES)]}{n}"
                people.append(Patient(hospital_id=f"S{n + 1:07d}", name=name, birth_date=birth_date))
            people = Patient.objects.bulk_create(people)
            admitted = [now - timedelta_hours(30 + (w * BEDS + b) % 200) for b in range(len(beds))]
            stays = Admission.objects.bulk_create(
                Admission(patient=p, ward=ward, bed=bed, admitted_at=at, admitted_by=admitter)
                for p, bed, at in zip(people, beds, admitted, strict=True)
            )
            Placement.objects.bulk_create(
                Placement(
                    admission=a, ward=ward, bed=a.bed, kind="admitted", starts_at=a.admitted_at, placed_by=admitter
                )
                for a in stays
            )
            notes, checklists = [], []
            for b, stay in enumerate(stays):
                _birth, codes = PROFILES[(w * BEDS + b) % len(PROFILES)]
                noted = [factors[code] for code in codes]
                notes += [
                    AdmissionRiskFactor(admission=stay, risk_factor=f, noted_at=stay.admitted_at, noted_by=admitter)
                    for f in noted
                ]
                key = frozenset(codes)
                if key not in proposed:
                    proposed[key] = list(ChecklistTemplate.objects.proposed_for({f.pk for f in noted}))
                checklists += [
                    PatientChecklist(
                        admission=stay,
                        template=t,
                        version=published[t.pk],
                        started_at=stay.admitted_at,
                        started_by=admitter,
                    )
                    for t in proposed[key]
                    if t.pk in published
                ]
            AdmissionRiskFactor.objects.bulk_create(notes)
            PatientChecklist.objects.bulk_create(checklists)
        wards.append(ward.pk)
        tablets.append(tablet.username)
    return {"wards": wards, "tablets": tablets, "nurses": [user.username for user in nurses]}


def timedelta_hours(hours: float):
    from datetime import timedelta

    return timedelta(hours=hours)


def plan_of_ticks() -> dict:
    """Per ward: the patients and the (checklist, item) rows of their current shift."""
    from benchmark_shift_work import tick_targets

    from checklists.models import Admission

    plan = defaultdict(dict)
    for admission in Admission.objects.open().order_by("pk"):
        plan[admission.ward_id].setdefault("admissions", []).append(admission)
    return {
        ward: {"admissions": [a.pk for a in rows["admissions"]], "targets": tick_targets(rows["admissions"])}
        for ward, rows in plan.items()
    }


# --- the clients -------------------------------------------------------------------------------


class Log:
    """Every request: kind, status, seconds, and the pages a 5xx showed."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows: list[tuple[str, object, float, float]] = []  # (kind, status, seconds, at)
        self.bad_pages: list[str] = []
        self.acknowledged: dict[str, int] = {}  # note → the record the answer showed
        self.failed: set[str] = set()
        # note → (client, url, data) of a tick that got no acknowledgement: sent again after the
        # load with the same token, as a nurse taps again after "try again".
        self.unanswered: dict[str, tuple] = {}
        self.retried: dict[str, object] = {}  # note → the status of the tick sent again
        self.recorded_first: set[str] = set()  # unanswered, yet the first post was recorded

    def add(self, kind, status, seconds, at, body=""):
        with self.lock:
            self.rows.append((kind, status, seconds, at))
            if isinstance(status, int) and status >= 500:
                clear = any(word in body for word in TRY_AGAIN) and not any(word in body for word in TRACEBACK)
                if not clear:
                    self.bad_pages.append(f"{kind} {status}: {body[:200]!r}")


# An answer cut off on the way: the connection refused or reset (OSError), or the app server
# killed half-way through its answer (http.client.IncompleteRead and the like).
CUT_OFF = (OSError, http.client.HTTPException)


def timed(log: Log, kind: str, send, *args) -> tuple[object, str, dict]:
    started = time.monotonic()
    try:
        status, body, headers = send(*args)
    except CUT_OFF as error:
        status, body, headers = type(error).__name__, "", {}
    log.add(kind, status, time.monotonic() - started, started, body)
    return status, body, headers


class Client(Nurse):
    """A browser (load_test's Nurse) that also keeps response headers (the ETag)."""

    def fetch(self, path: str, data=None, headers=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=70) as response:
                return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), dict(error.headers)


def tablet(client: Client, ward: int, pages: list[int], ends: float, log: Log, pause: float) -> None:
    from django.urls import reverse

    tags: dict[str, str] = {}
    n = 0
    while time.monotonic() < ends:
        n += 1
        for kind, path in (
            ("board", reverse("checklists:ward_board", args=[ward])),
            ("patient", reverse("checklists:admission_detail", args=[pages[n % len(pages)]])),
        ):
            headers = {"If-None-Match": tags[path]} if path in tags else {}
            started = time.monotonic()
            try:
                status, body, answer = client.fetch(path, headers=headers)
            except CUT_OFF as error:
                status, body, answer = type(error).__name__, "", {}
            log.add(kind + (" 304" if status == 304 else ""), status, time.monotonic() - started, started, body)
            if status == 200 and answer.get("ETag"):
                tags[path] = answer["ETag"]
        time.sleep(pause)


def nurse(client: Client, number: int, plan: dict, ends: float, log: Log) -> None:
    from django.urls import reverse

    wards = sorted(plan)
    sequence = 0
    while time.monotonic() < ends:
        sequence += 1
        ward = plan[wards[(number + sequence) % len(wards)]]
        checklist_pk, item_pk = ward["targets"][(number * 7 + sequence) % len(ward["targets"])]
        note = f"{PREFIX} n{number:02d} {sequence:06d}"
        headers = {"HX-Request": "true", "X-CSRFToken": client.csrf_cookie()}
        url = reverse("checklists:item_record", args=[checklist_pk, item_pk])
        data = {"status": "done", "note": note, "token": str(uuid.uuid4())}
        status, body, _ = timed(log, "record", client.fetch, url, data, headers)
        # Acknowledged: the answer is the item's row showing a standing record (data-record: its pk).
        shown = re.search(rf'id="item-{checklist_pk}-{item_pk}".*?data-record="(\d+)"', body, re.S)
        with log.lock:
            if status == 200 and shown:
                log.acknowledged[note] = int(shown.group(1))
            else:
                log.failed.add(note)
                log.unanswered[note] = (client, url, data)
        time.sleep(0.05)


def tap_again(log: Log) -> None:
    """Each tick that was not acknowledged, sent again with its own token (what the nurse's tablet
    does when she taps again after 「もう一度」): the first post may have been recorded before its
    answer was lost (its app server killed, the database gone between the commit and the answer);
    the token makes the second post answer with that record instead of a second one."""
    from checklists.models import CheckRecord

    for note, (client, url, data) in sorted(log.unanswered.items()):
        if CheckRecord.objects.filter(note=note).exists():
            log.recorded_first.add(note)
        headers = {"HX-Request": "true", "X-CSRFToken": client.csrf_cookie()}
        status, body, _ = timed(log, "record again", client.fetch, url, data, headers)
        checklist_pk, item_pk = url.rstrip("/").split("/")[-4], url.rstrip("/").split("/")[-2]
        shown = re.search(rf'id="item-{checklist_pk}-{item_pk}".*?data-record="(\d+)"', body, re.S)
        log.retried[note] = status
        if status == 200 and shown:
            log.acknowledged[note] = int(shown.group(1))


def print_runs(clients: list[Client], wards: list[int], log: Log, results: list) -> None:
    """Each client prints all of its ward at once; wait for the runs to finish (or fail)."""
    from django.db import DatabaseError, close_old_connections, connection
    from django.urls import reverse

    from checklists.models import PrintJob

    started = time.monotonic()
    jobs = []
    for client, ward in zip(clients, wards, strict=True):
        url = reverse("checklists:ward_print", args=[ward])
        client.fetch(url)  # the form page: the CSRF cookie
        csrf = {"X-CSRFToken": client.csrf_cookie()}
        status, _body, headers = timed(log, "print request", client.fetch, url, {"all": "1"}, csrf)
        match = re.search(r"/print-runs/(\d+)/", headers.get("Location", ""))
        if status == 302 and match:
            jobs.append(int(match.group(1)))
    pending = set(jobs)
    while pending and time.monotonic() - started < 240:
        time.sleep(1)
        try:
            close_old_connections()
            done = PrintJob.objects.filter(pk__in=pending, status__in=[PrintJob.Status.DONE, PrintJob.Status.FAILED])
            for job in done:
                pending.discard(job.pk)
                results.append((job.status, len(job.admission_ids), time.monotonic() - started))
        except DatabaseError:  # PostgreSQL may be restarting: ask again
            connection.close()
    results.extend(("unfinished", 0, time.monotonic() - started) for _ in pending)
    print(
        f"print runs {jobs}: {len(jobs) - len(pending)} finished after {time.monotonic() - started:.0f} s", flush=True
    )


# --- the run -----------------------------------------------------------------------------------


def any_server_answers(stack: Stack, data: dict, password: str) -> list[str]:
    """Log in on app server 1, then use that session on server 2 for a page and a print run, whose
    PDF (made by whichever print worker took it) is downloaded from server 1."""
    from django.urls import reverse

    from checklists.models import PrintJob

    ward = data["wards"][0]
    first = Client(stack.app_url(0), data["tablets"][0], password)
    first.log_in()
    second = Client(stack.app_url(1), data["tablets"][0], password)
    second.jar = first.jar
    second.opener = first.opener
    lines = []
    status, _body, _ = second.fetch(reverse("checklists:ward_board", args=[ward]))
    lines.append(f"session made on :{stack.ports[0]}, board read on :{stack.ports[1]}: {status}")
    url = reverse("checklists:ward_print", args=[ward])
    second.fetch(url)
    status, _body, headers = second.fetch(url, {"all": "1"}, {"X-CSRFToken": second.csrf_cookie()})
    job = int(re.search(r"/print-runs/(\d+)/", headers.get("Location", "")).group(1))
    deadline = time.monotonic() + 180
    while PrintJob.objects.get(pk=job).status not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.5)
    first.base = stack.app_url(0)
    status, body, headers = first.fetch(reverse("checklists:print_job_download", args=[job]))
    lines.append(
        f"print run {job} requested on :{stack.ports[1]}, {PrintJob.objects.get(pk=job).status}, PDF downloaded on"
        f" :{stack.ports[0]}: {status} {headers.get('Content-Type', '')} {len(body)} chars"
    )
    if status != 200 or not body.startswith("%PDF"):
        raise ScaleError("any server answers any request: " + " / ".join(lines))
    return lines


def quantile(values, q):
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100)[q - 1]


def report(log: Log, seconds: float, prints: list, outage: tuple, kill: tuple, stray: dict) -> tuple[list[str], bool]:
    from checklists.models import CheckRecord

    kept = Counter(CheckRecord.objects.filter(note__startswith=PREFIX + " ").values_list("note", flat=True))
    by_kind = defaultdict(list)
    statuses = defaultdict(Counter)
    for kind, status, took, _at in log.rows:
        by_kind[kind].append(took)
        statuses[kind][status] += 1
    lines = [f"{len(log.rows)} requests in {seconds:g} s: {len(log.rows) / seconds:.1f} req/s through nginx"]
    for kind in sorted(by_kind):
        took = sorted(by_kind[kind])
        counts = ", ".join(f"{s}: {n}" for s, n in sorted(statuses[kind].items(), key=str))
        lines.append(
            f"  {kind:<14} {len(took):>6}  p50 {quantile(took, 50) * 1000:6.0f} ms"
            f"  p95 {quantile(took, 95) * 1000:6.0f} ms  ({counts})"
        )
    # A 503 of the outage: the request was being answered at some moment while PostgreSQL was down
    # (or in the 10 s after, while the app servers reconnect).
    in_outage = [
        r
        for r in log.rows
        if isinstance(r[1], int) and r[1] == 503 and r[3] <= outage[1] + 10 and r[3] + r[2] >= outage[0]
    ]
    # A 502 while app server 1 was down: a request it was answering when it was killed (nginx does
    # not send a POST again); the user gets scripts/scale/unavailable.html ("try again").
    at_kill = [
        r for r in log.rows if isinstance(r[1], int) and r[1] == 502 and r[3] <= kill[2] and r[3] + r[2] >= kill[2] - 1
    ]
    other_5xx = [
        r
        for r in log.rows
        if isinstance(r[1], int) and r[1] >= 500 and not (r[1] == 503 and r in in_outage) and r not in at_kill
    ]
    no_answer = [r for r in log.rows if not isinstance(r[1], int)]
    # Lost: the answer showed a record the database does not have. An answer may show an earlier
    # record of the same nurse (a repeat within REPEAT_SECONDS): not lost, counted apart.
    shown = dict(CheckRecord.objects.filter(pk__in=log.acknowledged.values()).values_list("pk", "note"))
    lost = sum(1 for pk in log.acknowledged.values() if pk not in shown)
    repeats = sum(1 for note, pk in log.acknowledged.items() if pk in shown and shown[pk] != note)
    duplicated = sum(n - 1 for n in kept.values() if n > 1)
    # Phantom: a record the database has that no answer acknowledged, even the tick sent again.
    phantom = len(set(kept) - set(log.acknowledged))
    recorded_before_lost = sum(1 for note in log.recorded_first if note in log.acknowledged and kept.get(note) == 1)
    lines.append(
        f"app server 1 killed at {kill[0]:.0f} s, back at {kill[1]:.0f} s; PostgreSQL down {outage[2]:.0f}–"
        f"{outage[3]:.0f} s: 503 'try again' pages during it and the 10 s after: {len(in_outage)}"
    )
    lines.append(f"503/5xx pages without 'try again' or with a traceback: {len(log.bad_pages)}")
    lines += [f"    {page}" for page in log.bad_pages[:5]]
    lines.append(f"502 of requests in flight on the killed app server: {len(at_kill)}")
    lines.append(f"other 5xx: {len(other_5xx)} | no answer: {len(no_answer)}")
    done = [p for p in prints if p[0] == "done"]
    sheets = sum(p[1] for p in done)
    span = max((p[2] for p in prints), default=0)
    lines.append(
        f"print runs: {len(done)} of {len(prints)} done, {sheets} sheets, last finished after {span:.0f} s"
        f" ({sheets / span if span else 0:.2f} sheets/s)"
    )
    lines.append(
        f"records: {len(log.acknowledged)} acknowledged, {len(log.failed)} failed and sent again with their token"
        f" ({sum(1 for status in log.retried.values() if status == 200)} answered 200, {recorded_before_lost} of them"
        f" with the record the first post had made) | lost {lost} | duplicated {duplicated} | phantom {phantom}"
        f" | answered with an earlier record (a repeat) {repeats}"
    )
    lines += stray.get("lines", [])
    ok = (
        lost == 0
        and duplicated == 0
        and phantom == 0
        and not other_5xx
        and not log.bad_pages
        and len(done) == len(prints)
        and len(prints) > 0
    )
    return lines, ok


def main() -> int:
    global WARDS, FILLED  # a smaller hospital for a quick try (--wards, --filled)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120, help="how long the load runs, default 120")
    parser.add_argument("--pg-down", type=float, default=4, help="seconds PostgreSQL is stopped, default 4")
    parser.add_argument("--tablet-pause", type=float, default=1.0, help="seconds between a tablet's polls")
    parser.add_argument("--wards", type=int, default=WARDS, help=f"wards of {BEDS} beds, default {WARDS}")
    parser.add_argument("--filled", type=int, default=FILLED, help=f"patients per ward, default {FILLED}")
    parser.add_argument("--serve", action="store_true", help="start the stack, print its URLs and wait")
    args = parser.parse_args()
    WARDS, FILLED = args.wards, args.filled
    folder = Path(tempfile.mkdtemp(prefix="wardsafe-scale-"))
    stack = None
    begun = time.monotonic()
    try:
        env = environment(folder)
        manage(env, "migrate", "--noinput")
        manage(env, "compilemessages", "--ignore=.venv", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        manage(env, "load_content")
        import django

        django.setup()
        password = secrets.token_urlsafe(12)
        data = seed(password)
        seeded = time.monotonic() - begun
        plan = plan_of_ticks()
        stack = Stack(env, folder)
        stack.start()
        print(
            f"stack: nginx {stack.url} → gunicorn :{stack.ports[0]} and :{stack.ports[1]} (2 workers each),"
            f" 2 print workers, PostgreSQL; logs in {folder}"
        )
        print(f"seeded {WARDS} wards × {BEDS} beds, {WARDS * FILLED} patients, in {seeded:.0f} s")
        for line in any_server_answers(stack, data, password):
            print("any server:", line)
        if args.serve:
            print(f"serving; log in as {data['tablets'][0]} / {password}; Ctrl-C stops")
            signal.pause()
        from django.db import connection

        connection.close()
        log = Log()
        # Every client logs in first (each its own session and CSRF token); then the clock starts.
        tablets = []
        for ward, username in zip(data["wards"], data["tablets"], strict=True):
            client = Client(stack.url, username, password)
            client.log_in()
            tablets.append((client, ward))
        nurses = []
        for username in data["nurses"]:
            client = Client(stack.url, username, password)
            client.log_in()
            nurses.append(client)
        printers = [Client(stack.url, data["tablets"][i], password) for i in range(1, 1 + 2 * PRINT_WARDS)]
        for client in printers:
            client.log_in()
        start = time.monotonic()
        ends = start + args.seconds
        threads = [
            threading.Thread(target=tablet, args=(c, w, plan[w]["admissions"], ends, log, args.tablet_pause))
            for c, w in tablets
        ]
        threads += [threading.Thread(target=nurse, args=(c, n, plan, ends, log)) for n, c in enumerate(nurses)]
        prints: list = []
        rounds = [(0.05, printers[:PRINT_WARDS], data["wards"][1 : 1 + PRINT_WARDS])]
        rounds.append((0.25, printers[PRINT_WARDS:], data["wards"][1 + PRINT_WARDS : 1 + 2 * PRINT_WARDS]))
        for at, clients, wards in rounds:
            threads.append(
                threading.Thread(
                    target=lambda at=at, c=clients, w=wards: (
                        time.sleep(at * args.seconds),
                        print_runs(c, w, log, prints),
                    )
                )
            )
        for thread in threads:
            thread.daemon = True
            thread.start()
        time.sleep(max(0.0, start + args.seconds * 0.5 - time.monotonic()))
        killed = time.monotonic() - start
        killed_at = time.monotonic()
        stack.kill_app(0)
        time.sleep(5)
        stack.start_app(0)
        back = time.monotonic() - start
        time.sleep(max(0.0, start + args.seconds * 0.7 - time.monotonic()))
        down_at = time.monotonic()
        postgres("stop")
        time.sleep(args.pg_down)
        postgres("start")
        up_at = time.monotonic()
        deadline = time.monotonic() + 300  # print runs may finish after the load; nothing waits longer
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        stuck = sum(thread.is_alive() for thread in threads)
        tap_again(log)
        connection.close()
        lines, ok = report(
            log,
            args.seconds,
            prints,
            (down_at, up_at, down_at - start, up_at - start),
            (killed, back, killed_at),
            {"lines": [f"clients still waiting at the end: {stuck}"] if stuck else []},
        )
        print(
            f"WardSafe scale run: {WARDS} wards, {WARDS * BEDS} beds, {len(data['tablets'])} tablets, {NURSES} nurses"
        )
        for line in lines:
            print(line)
        print(f"goal {'met' if ok else 'NOT met'}; whole run {time.monotonic() - begun:.0f} s")
        return 0 if ok else 1
    except ScaleError as error:
        print(f"scale run could not be made: {error}", file=sys.stderr)
        return 2
    finally:
        if stack is not None:
            stack.stop()
        if os.environ.get("SCALE_KEEP_LOGS") != "true":
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
