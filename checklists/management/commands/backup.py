"""Back up everything WardSafe holds into one JSON file; ``manage.py restore`` loads it.

    manage.py backup /var/backups/wardsafe/wardsafe-2026-11-21.json.gz
    manage.py restore /var/backups/wardsafe/wardsafe-2026-11-21.json.gz   # into an empty, migrated database

The file holds the users (with their password hashes), their roles (groups), the admin
site's change history and every row of the checklists app: wards, beds, patients, stays,
risk factors, shifts, templates with all their versions and items, patient checklists,
check records, planned examinations, print runs and the audit trail. It is the JSON of
Django's ``dumpdata`` / ``loaddata``. Every row keeps its ID (the admin site's history and
the audit trail refer to rows by ID). References to content types and permissions, which
``migrate`` makes and numbers differently in each database, are by name
(``["add_checkrecord", "checklists", "checkrecord"]``), and so are references to users
(``["nurse-a"]``), so the file loads into any database that ``manage.py migrate`` has made,
on SQLite or PostgreSQL. Times keep their microseconds (``dumpdata`` itself cuts them to
milliseconds, which would change every time in the audit trail).

Left out, because ``migrate`` or the running app makes them again: content types and
permissions, sessions (everyone logs in again), django-axes lockouts, the task queue (a
print run that was queued when the backup was taken stays "queued": request it again).

A backup taken while nurses are recording still holds together, and does not hold them up.
On PostgreSQL the whole backup reads one snapshot (REPEATABLE READ), which writers do not wait
for. On SQLite the database is first copied with SQLite's online-backup API
(``sqlite3.Connection.backup``: one quick page copy, during which WAL lets nurses keep writing)
into a temporary file next to the backup, and the rows are read from that copy: a dump of the
live file would hold one read transaction for minutes on a large database, blocking writers
without WAL, or the checkpoint of its write-ahead log with it (and a transaction begun
IMMEDIATE, as the settings begin them, would hold the write lock all that time).
The file is written under a temporary name and renamed when complete; an existing file is never
overwritten. The file holds patient data and password hashes: it is created readable by its
owner only (0600), and so is the temporary copy; keep it where only the operators can read it.

Production (PostgreSQL): pg_dump and pg_restore are the backup path. They keep everything
above plus the schema, the migration history and the append-only triggers, and they are
fast on a large database; this command is for the SQLite set-up, for moving between the
two databases, and as a second, readable copy.

    # Back up, while WardSafe runs (pg_dump reads one consistent snapshot):
    pg_dump --format=custom --file=wardsafe-$(date +%F).dump "$DATABASE_URL"

    # Check that the file is readable (lists its contents):
    pg_restore --list wardsafe-2026-11-21.dump > /dev/null

    # Restore into a new, empty database (never over the live one), all or nothing:
    createdb wardsafe_restored
    pg_restore --exit-on-error --single-transaction --no-owner \\
        --dbname=postgres://USER@HOST:5432/wardsafe_restored wardsafe-2026-11-21.dump
    DATABASE_URL=postgres://USER@HOST:5432/wardsafe_restored python manage.py migrate --check

``migrate --check`` fails if the restored schema is older than the code; then run
``manage.py migrate`` on the restored database before pointing WardSafe at it.
"""

import bz2
import contextlib
import datetime
import gzip
import io
import lzma
import os
import sqlite3
import tempfile
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction

# What loaddata reads back: NAME.json, optionally compressed; UTF-8 whatever the machine's locale.
OPENERS = {".json": open, ".json.gz": gzip.open, ".json.bz2": bz2.open, ".json.xz": lzma.open}
OWNER_ONLY = 0o600
COPY_ALIAS = "wardsafe_backup_copy"


def backed_up_models() -> list:
    """The models whose rows make a WardSafe backup (their many-to-many links come with them)."""
    return [
        apps.get_model("auth", "User"),
        apps.get_model("auth", "Group"),
        apps.get_model("admin", "LogEntry"),
        *apps.get_app_config("checklists").get_models(),
    ]


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, except that times keep their microseconds (it cuts them to
    milliseconds, as JavaScript would). loaddata reads both."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def check_file_name(path: Path) -> str:
    """The file's suffix, one of OPENERS."""
    suffix = next((suffix for suffix in sorted(OPENERS, key=len, reverse=True) if path.name.endswith(suffix)), None)
    if suffix is None:
        raise CommandError(f"{path}: the name of a backup file ends with {', '.join(OPENERS)}.")
    return suffix


class Command(BaseCommand):
    help = "Write every WardSafe record (users, roles, wards, patients, checklists, records, audit trail) to a file."

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path, help="the file to write: NAME.json, or NAME.json.gz to compress it")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the database to back up (default: default)")

    def handle(self, *args, output: Path, database: str, **options):
        suffix = check_file_name(output)
        if output.exists():
            raise CommandError(f"{output} already exists. Backups are never overwritten: choose a new name.")
        if not output.parent.is_dir():
            raise CommandError(f"The folder {output.parent} does not exist.")
        partial = output.with_name(f".partial-{os.getpid()}-{output.name}")
        connection = connections[database]
        counts = {}
        try:
            with contextlib.ExitStack() as stack:
                # Inside a caller's transaction (tests, scripts) that transaction is the snapshot.
                if connection.vendor == "sqlite" and not connection.in_atomic_block:
                    database = stack.enter_context(sqlite_copy(database, folder=output.parent))
                stream = stack.enter_context(private_text_file(partial, suffix))
                stack.enter_context(transaction.atomic(using=database))
                if connection.vendor == "postgresql" and not connection.in_atomic_block:
                    # PostgreSQL gives each statement its own snapshot by default; the backup must
                    # read one, or a record made meanwhile could point at a checklist it lacks.
                    # (Only the outermost transaction can choose its isolation level.)
                    with connections[database].cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                # Users and groups first: rows that name them by natural key come after.
                models = serializers.sort_dependencies([(None, backed_up_models())], allow_cycles=True)
                for model in models:
                    counts[model._meta.label] = model._base_manager.using(database).count()
                serializers.serialize(
                    "json",
                    table_rows(models, database),
                    stream=stream,
                    cls=ExactJSONEncoder,
                    use_natural_foreign_keys=True,
                )
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
        if options["verbosity"]:
            self.stdout.write(f"Backed up {sum(counts.values())} rows of {len(counts)} tables to {output}.")


@contextlib.contextmanager
def private_text_file(path: Path, suffix: str):
    """A new file at ``path``, readable by its owner only whatever the umask, for writing text in
    the format that ``suffix`` names (one of OPENERS)."""
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY), "wb") as raw:
        if suffix == ".json":
            with io.TextIOWrapper(raw, encoding="utf-8") as stream:
                yield stream
        else:
            with OPENERS[suffix](raw, "wt", encoding="utf-8") as stream:
                yield stream


@contextlib.contextmanager
def sqlite_copy(database: str, *, folder: Path):
    """A copy of the SQLite database ``database`` made with SQLite's online-backup API, in a
    private temporary folder inside ``folder`` (deleted afterwards); yields the database alias
    that reads it."""
    source = connections[database]
    source.ensure_connection()
    with tempfile.TemporaryDirectory(prefix=".wardsafe-backup-", dir=folder) as private:  # mode 0700
        path = Path(private) / "copy.sqlite3"
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY))
        target = sqlite3.connect(path)
        try:
            # All pages in one step: under WAL, writers carry on meanwhile. (Copying in several
            # steps would start over each time a nurse's write changed the database.)
            source.connection.backup(target)
        finally:
            target.close()
        # This thread's connection under an alias of its own, outside settings.DATABASES.
        copy = type(source)(source.settings_dict | {"NAME": str(path), "OPTIONS": {}}, alias=COPY_ALIAS)
        connections[COPY_ALIAS] = copy
        try:
            yield COPY_ALIAS
        finally:
            copy.close()
            del connections[COPY_ALIAS]


def table_rows(models, database: str):
    """Every row of ``models`` in that order, each table by primary key, as dumpdata reads them."""
    for model in models:
        yield from model._base_manager.using(database).order_by(model._meta.pk.name).iterator()
