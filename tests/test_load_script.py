"""scripts/load_test.py runs: nurses log in and tick against gunicorn with a backup in the middle,
and every acknowledged tick is found in the database exactly once (a 3-second smoke run; the
60-second figures are in the issue notes)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_short_load_run_with_a_backup_loses_and_duplicates_nothing():
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
    result = subprocess.run(
        [sys.executable, "scripts/load_test.py", "--nurses", "3", "--seconds", "3", "--backup"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5xx: 0 | lost: 0 | duplicated: 0 | phantom: 0" in result.stdout
    assert "backup: " in result.stdout and "Backed up" in result.stdout
    assert "SQLite (wal journal)" in result.stdout
