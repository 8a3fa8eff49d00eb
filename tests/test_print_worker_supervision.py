"""The print worker is supervised: scripts/print-worker.sh starts `manage.py db_worker` again when
it exits (django-tasks-db's worker dies on any database error but a locked SQLite file), with a
growing pause and a bound, and stops with the server without restarting it."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .test_production_mode import production_env

ROOT = Path(__file__).resolve().parent.parent
LOOP = ROOT / "scripts" / "print-worker.sh"


def fake_python(tmp_path, body: str) -> Path:
    """A stand-in for `python manage.py db_worker` that notes each start in starts.log."""
    script = tmp_path / "fake-python"
    script.write_text(f'#!/usr/bin/env bash\necho "$@" >> {tmp_path}/starts.log\n{body}\n')
    script.chmod(0o755)
    return script


def starts(tmp_path) -> list[str]:
    log = tmp_path / "starts.log"
    return log.read_text().splitlines() if log.exists() else []


def test_a_worker_that_keeps_exiting_is_restarted_a_bounded_number_of_times(tmp_path):
    python = fake_python(tmp_path, "exit 1")
    env = os.environ | {
        "PY": str(python),
        "WORKER_RESTART_DELAY": "0",
        "WORKER_PRUNE_SECONDS": "0",
        "WORKER_SLOTS_SECONDS": "0",
        "WORKER_MAX_RESTARTS": "3",
    }
    result = subprocess.run(["bash", str(LOOP)], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert starts(tmp_path) == ["manage.py db_worker --queue-name *"] * 4  # the first start and 3 restarts
    assert result.stderr.count("restarting in 0 s") == 3
    assert "giving up" in result.stderr


def test_stopping_the_loop_stops_the_worker_once_and_does_not_start_it_again(tmp_path):
    # The worker finishes its sheet on SIGTERM: it must get exactly one, and not be restarted.
    python = fake_python(
        tmp_path, f"trap 'echo term >> {tmp_path}/signals.log; exit 0' TERM\nsleep 30 & wait $!\nsleep 30 & wait $!"
    )
    env = os.environ | {
        "PY": str(python),
        "WORKER_RESTART_DELAY": "0",
        "WORKER_PRUNE_SECONDS": "0",
        "WORKER_SLOTS_SECONDS": "0",
    }
    loop = subprocess.Popen(["setsid", "bash", str(LOOP)], env=env, stderr=subprocess.PIPE, text=True)
    for _ in range(100):
        if starts(tmp_path):
            break
        time.sleep(0.05)
    time.sleep(0.2)
    os.killpg(loop.pid, signal.SIGTERM)  # as serve-dev.sh and serve-prod.sh stop it
    assert loop.wait(timeout=10) == 0
    assert len(starts(tmp_path)) == 1
    assert (tmp_path / "signals.log").read_text().splitlines() == ["term"]


def test_a_real_worker_that_dies_on_a_database_error_is_started_again(tmp_path):
    env = production_env(tmp_path) | {"PY": sys.executable, "WORKER_RESTART_DELAY": "1"}
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert migrate.returncode == 0, migrate.stderr
    database = tmp_path / "prod.sqlite3"
    log_path = tmp_path / "loop.log"

    def wait_for(text: str, times: int = 1) -> str:
        deadline = time.monotonic() + 30
        while (log := log_path.read_text()).count(text) < times:
            assert time.monotonic() < deadline, log
            time.sleep(0.1)
        return log

    with log_path.open("w") as log:
        loop = subprocess.Popen(["setsid", "bash", str(LOOP)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for("Starting worker")
        # The task table goes missing (a botched migration, a restore): "no such table" is an
        # OperationalError, which the worker does not survive.
        with sqlite3.connect(database) as db:
            db.execute("ALTER TABLE django_tasks_database_dbtaskresult RENAME TO away")
        text = wait_for("restarting")
        assert "OperationalError: no such table" in text
        assert "print-worker: the print worker exited with status 1; restarting in 1 s" in text
        with sqlite3.connect(database) as db:
            db.execute("ALTER TABLE away RENAME TO django_tasks_database_dbtaskresult")
        wait_for("Starting worker", times=2)
        time.sleep(3)  # it polls again, and stays up
        assert log_path.read_text().count("restarting") == 1
        assert loop.poll() is None
    finally:
        os.killpg(loop.pid, signal.SIGTERM)
        loop.wait(timeout=30)


@pytest.mark.parametrize("script", ["serve-dev.sh", "serve-prod.sh"])
def test_the_servers_start_the_print_worker_through_the_restart_loop(script):
    text = (ROOT / "scripts" / script).read_text()
    assert "setsid bash scripts/print-worker.sh &" in text
    assert "manage.py db_worker " not in text  # no worker started outside the loop


def test_the_loop_prunes_old_print_runs_at_start_and_then_periodically(tmp_path):
    python = fake_python(tmp_path, '[ "$2" = db_worker ] && { sleep 30 & wait $!; }; exit 0')
    env = os.environ | {"PY": str(python), "WORKER_PRUNE_SECONDS": "1", "WORKER_SLOTS_SECONDS": "0"}
    loop = subprocess.Popen(["setsid", "bash", str(LOOP)], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 10
        while starts(tmp_path).count("manage.py prune_print_runs --verbosity 0") < 2:
            assert time.monotonic() < deadline, starts(tmp_path)
            time.sleep(0.1)
        assert starts(tmp_path).count("manage.py db_worker --queue-name *") == 1
    finally:
        os.killpg(loop.pid, signal.SIGTERM)
        assert loop.wait(timeout=10) == 0


def test_the_loop_refreshes_the_quality_item_slots_at_start_and_then_periodically(tmp_path):
    # No cron job: the quality pages count missed slots because the worker's loop marks them.
    python = fake_python(tmp_path, '[ "$2" = db_worker ] && { sleep 30 & wait $!; }; exit 0')
    env = os.environ | {"PY": str(python), "WORKER_PRUNE_SECONDS": "0", "WORKER_SLOTS_SECONDS": "1"}
    loop = subprocess.Popen(["setsid", "bash", str(LOOP)], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 10
        while starts(tmp_path).count("manage.py quality_slots_refresh --verbosity 0") < 2:
            assert time.monotonic() < deadline, starts(tmp_path)
            time.sleep(0.1)
        assert starts(tmp_path).count("manage.py db_worker --queue-name *") == 1
        assert "manage.py prune_print_runs --verbosity 0" not in starts(tmp_path)
    finally:
        os.killpg(loop.pid, signal.SIGTERM)
        assert loop.wait(timeout=10) == 0


def test_a_failed_refresh_is_tried_again_at_the_next_round(tmp_path):
    python = fake_python(tmp_path, '[ "$2" = db_worker ] && { sleep 30 & wait $!; exit 0; }; exit 1')
    env = os.environ | {"PY": str(python), "WORKER_PRUNE_SECONDS": "0", "WORKER_SLOTS_SECONDS": "1"}
    loop = subprocess.Popen(["setsid", "bash", str(LOOP)], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 10
        while starts(tmp_path).count("manage.py quality_slots_refresh --verbosity 0") < 2:
            assert time.monotonic() < deadline, starts(tmp_path)
            time.sleep(0.1)
        assert starts(tmp_path).count("manage.py db_worker --queue-name *") == 1  # the worker stays up
    finally:
        os.killpg(loop.pid, signal.SIGTERM)
        assert loop.wait(timeout=10) == 0
    assert "refreshing the quality item-slots failed; trying again later" in loop.stderr.read()
