"""HTTP figures with wrk (Debian's ``wrk``), the sibling of benchmark_shift_work.py's in-process ones.

One run, one server, so the ratios are fair (absolute figures swing ±20 % on these machines):
gunicorn in production mode (2 sync workers, whitenoise, DEBUG off) on a temporary SQLite file
with the demo ward (``load_demo``: 8 patients), or on BENCH_DATABASE_URL (a throwaway PostgreSQL);
wrk ``-t2 -c16 -d<seconds>s`` against

- ``login``            GET /accounts/login/ (template + session): the yardstick;
- ``board``            GET the demo ward's board, logged in as the demo nurse;
- ``board unchanged``  the same with ``If-None-Match`` set to the board's ETag, when the board
                       sends one (a 304 while nothing changed); "no ETag" otherwise.

It prints requests/s, the share of non-2xx/3xx answers, and each page's throughput as a ratio
to the login page's (issue 14's goals: board ≥ 25 %, unchanged board ≥ 60 %).

    .venv/bin/python scripts/benchmark_http.py                # 10 s per page
    .venv/bin/python scripts/benchmark_http.py --seconds 20
"""

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT_DIR / "scripts")]

from load_test import Nurse, free_port, stop  # noqa: E402

PYTHON = sys.executable
DEMO_PASSWORD = "demo-sakura-401"  # checklists/management/commands/load_demo.py


def wrk(url: str, seconds: int, headers: dict) -> tuple[float, int, int]:
    """requests/s, requests, non-2xx/3xx answers."""
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rate, total, int(bad.group(1)) if bad else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: bash scripts/scale/setup.sh (apt-get install wrk)", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="wardsafe-http-"))
    database = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder / 'http.sqlite3'}"
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WARDSAFE_"))}
    base_env |= {"DATABASE_URL": database, "DJANGO_SETTINGS_MODULE": "wardsafe.settings"}
    setup_env = base_env | {"DJANGO_DEBUG": "true"}  # load_demo refuses with DEBUG off
    env = base_env | {
        "WARDSAFE_PRODUCTION": "true",
        "WARDSAFE_ALLOW_SQLITE": "true",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
    }
    server = None
    try:
        for command, environment in (
            (["migrate", "--noinput"], setup_env),
            (["load_content"], setup_env),
            (["load_demo"], setup_env),
            (["collectstatic", "--noinput", "-v", "0"], env),
        ):
            subprocess.run(
                [PYTHON, "manage.py", *command], cwd=PROJECT_DIR, env=environment, check=True, capture_output=True
            )
        port = free_port()
        gunicorn = Path(PYTHON).with_name("gunicorn")
        server = subprocess.Popen(
            [str(gunicorn), "wardsafe.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=(folder / "gunicorn.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=5).close()
                break
            except OSError:
                time.sleep(0.1)
        nurse = Nurse(base, "nurse", DEMO_PASSWORD)
        nurse.log_in()
        session = next(c.value for c in nurse.jar if c.name == "sessionid")
        _status, page = nurse.request("/")
        ward = re.search(r'href="/wards/(\d+)/"', page)
        board = f"/wards/{ward.group(1) if ward else 1}/"
        request = urllib.request.Request(base + board, headers={"Cookie": f"sessionid={session}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            etag = response.headers.get("ETag")
        cookie = {"Cookie": f"sessionid={session}"}
        runs = [("login", "/accounts/login/", {}), ("board", board, cookie)]
        if etag:
            runs.append(("board unchanged", board, cookie | {"If-None-Match": etag}))
        results = {name: wrk(base + path, args.seconds, headers) for name, path, headers in runs}
        login = results["login"][0]
        print(f"WardSafe HTTP figures: gunicorn 2 workers, wrk -t2 -c16 -d{args.seconds}s, {database.split(':')[0]}")
        for name, (rate, total, bad) in results.items():
            print(
                f"  {name:<16} {rate:8.1f} req/s  {total:7d} requests  {bad} non-2xx/3xx  {rate / login:6.1%} of login"
            )
        if not etag:
            print("  board unchanged  no ETag on the board yet: nothing to revalidate")
        return 0
    finally:
        stop(server)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
