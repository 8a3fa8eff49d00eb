"""SQLite as a safe embedded default: write transactions take the lock when they begin, WAL lets
readers and a writer work at once, a writer waits 20 s for its turn; production mode refuses
SQLite unless it was chosen on purpose, and the deploy check says why."""

import contextlib
import sqlite3
import threading

import pytest
from django.conf import settings
from django.db import OperationalError, connection, connections, transaction

from .test_production_mode import manage, production_env


def wrapper_for(path, **options):
    """A Django connection to the SQLite file ``path`` with the project's settings (or ``options``)."""
    settings_dict = connection.settings_dict | {"NAME": str(path)}
    if options:
        settings_dict = settings_dict | {"OPTIONS": options}
    return type(connections["default"])(settings_dict, alias=f"file-{path.name}")


@pytest.fixture
def database_file(tmp_path, django_db_blocker):
    """A small SQLite file of its own (not the test database), which these tests may open."""
    path = tmp_path / "ward.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE tick (id INTEGER PRIMARY KEY, nurse TEXT)")
    with django_db_blocker.unblock():
        yield path


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")
def test_sqlite_connections_use_wal_a_busy_timeout_and_immediate_transactions(database_file):
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 20
    db = wrapper_for(database_file)
    try:
        with db.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 20_000
    finally:
        db.close()
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def two_nurses_read_then_write(database_file, **options) -> list:
    """Two transactions that read, then write, at the same time (as a tick reads the checklist,
    then writes the record). Returns the errors they met."""
    errors = []
    both_read = threading.Barrier(2)

    def nurse(name):
        db = connections[db_alias] = wrapper_for(database_file, **options)  # this thread's connection
        try:
            with transaction.atomic(using=db_alias), db.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM tick")
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_read.wait(timeout=1)  # with IMMEDIATE the other one waits at BEGIN instead
                cursor.execute("INSERT INTO tick (nurse) VALUES (%s)", [name])
        except OperationalError as error:
            errors.append(str(error))
        finally:
            db.close()
            del connections[db_alias]

    db_alias = f"file-{database_file.name}"
    threads = [threading.Thread(target=nurse, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")
def test_with_djangos_defaults_two_nurses_writing_at_once_meet_database_is_locked(database_file):
    errors = two_nurses_read_then_write(database_file, timeout=5)  # deferred transactions, rollback journal
    assert errors == ["database is locked"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")
def test_with_the_project_settings_two_nurses_writing_at_once_both_succeed(database_file):
    # The first connection with the project's settings (migrate's, on a real install) turns the
    # file to WAL for good; switching the journal needs the file to itself, so do it up front
    # rather than racing it against the nurses' first BEGIN.
    first = wrapper_for(database_file)
    first.ensure_connection()
    first.close()
    assert two_nurses_read_then_write(database_file) == []
    with sqlite3.connect(database_file) as db:
        assert sorted(row[0] for row in db.execute("SELECT nurse FROM tick")) == ["a", "b"]


def test_production_mode_refuses_sqlite_and_the_deploy_check_says_why(tmp_path):
    env = production_env(tmp_path)
    del env["WARDSAFE_ALLOW_SQLITE"]
    for command in (["check", "--deploy"], ["migrate", "-v", "0"]):
        result = manage(env, *command)
        assert result.returncode != 0, command
        assert "wardsafe.E001" in result.stderr and "SQLite lets one nurse write at a time" in result.stderr
        assert "WARDSAFE_ALLOW_SQLITE=true" in result.stderr


def test_production_mode_accepts_postgresql_without_a_word(tmp_path):
    env = production_env(tmp_path, DATABASE_URL="postgres://wardsafe@127.0.0.1:1/wardsafe")
    del env["WARDSAFE_ALLOW_SQLITE"]
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_behind_the_proxy_the_deploy_check_asks_for_the_trusted_proxy_count(tmp_path):
    env = production_env(tmp_path, DJANGO_SECURE_PROXY_SSL_HEADER="true")
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "wardsafe.W001" in result.stderr and "one stranger can lock every computer out" in result.stderr
    result = manage(env | {"WARDSAFE_TRUSTED_PROXY_COUNT": "1"}, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
