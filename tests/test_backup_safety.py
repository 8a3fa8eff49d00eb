"""manage.py backup holds patient data and password hashes: the file is readable by its owner
only, whatever the umask. On SQLite it copies the database with the online-backup API and dumps
the copy, so nurses keep writing and the live file is never held in a read transaction."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from .test_production_mode import production_env

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def permissive_umask():
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.mark.parametrize("name", ["wardsafe.json", "wardsafe.json.gz", "wardsafe.json.xz"])
def test_a_backup_file_is_readable_by_its_owner_only(fall_checklist, tmp_path, permissive_umask, name):
    path = tmp_path / name
    call_command("backup", path, verbosity=0)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.django_db(transaction=True)
def test_a_backup_through_the_online_copy_leaves_only_the_file_behind(fall_checklist, tmp_path, permissive_umask):
    """Outside a transaction (as from the command line) SQLite is copied first; the copy goes."""
    path = tmp_path / "wardsafe.json"
    call_command("backup", path, verbosity=0)
    assert [p.name for p in tmp_path.iterdir()] == ["wardsafe.json"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rows = json.loads(path.read_text(encoding="utf-8"))
    assert any(row["model"] == "checklists.patientchecklist" for row in rows)


# Runs in its own process on an SQLite file, as `manage.py backup` runs beside the servers. While
# the rows are being written out, another connection (a nurse's tick) writes with a 0.5 s
# timeout, and checkpoints the whole write-ahead log: both succeed only if the backup holds no
# transaction on the live file.
DURING_THE_DUMP = """
import sqlite3, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from checklists.management.commands import backup

for n in range(300):
    get_user_model().objects.create_user(username=f"user-{n}")
live = sys.argv[1]
seen = {}

def rows_with_a_nurse_writing(models, database):
    for number, row in enumerate(original(models, database)):
        if number == 100:
            nurse = sqlite3.connect(live, timeout=0.5)
            try:
                nurse.execute("BEGIN IMMEDIATE")
                nurse.execute("INSERT INTO auth_group (name) VALUES ('written during the backup')")
                nurse.execute("COMMIT")
                seen["write"] = "ok"
                busy, _, _ = nurse.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                seen["checkpoint"] = "blocked" if busy else "ok"
            except sqlite3.OperationalError as error:
                seen["write"] = str(error)
            finally:
                nurse.close()
        yield row

original = backup.table_rows
backup.table_rows = rows_with_a_nurse_writing
call_command("backup", sys.argv[2], verbosity=0)
print(seen["write"], seen.get("checkpoint"))
"""


def test_nurses_write_and_the_log_is_checkpointed_while_a_backup_is_written(tmp_path):
    env = production_env(tmp_path)
    live = tmp_path / "prod.sqlite3"
    for args in (["manage.py", "migrate", "-v", "0"], ["-c", DURING_THE_DUMP, str(live), str(tmp_path / "b.json")]):
        result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ok", "ok"]
    rows = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert sum(row["model"] == "auth.user" for row in rows) == 300
    assert not any(row["fields"].get("name") == "written during the backup" for row in rows)  # after the copy
