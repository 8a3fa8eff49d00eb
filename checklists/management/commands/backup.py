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

On PostgreSQL the whole backup reads one snapshot (REPEATABLE READ), so a backup taken
while nurses are recording still holds together. The file is written under a temporary
name and renamed when complete; an existing file is never overwritten. The file holds
patient data and password hashes: keep it where only the operators can read it.

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
import datetime
import gzip
import lzma
import os
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction

# What loaddata reads back: NAME.json, optionally compressed; UTF-8 whatever the machine's locale.
OPENERS = {".json": open, ".json.gz": gzip.open, ".json.bz2": bz2.open, ".json.xz": lzma.open}


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
        opener = OPENERS[check_file_name(output)]
        if output.exists():
            raise CommandError(f"{output} already exists. Backups are never overwritten: choose a new name.")
        if not output.parent.is_dir():
            raise CommandError(f"The folder {output.parent} does not exist.")
        partial = output.with_name(f".partial-{os.getpid()}-{output.name}")
        connection = connections[database]
        # Only the outermost transaction can choose its isolation level.
        one_snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
        counts = {}
        try:
            with transaction.atomic(using=database), opener(partial, "wt", encoding="utf-8") as stream:
                if one_snapshot:
                    # PostgreSQL gives each statement its own snapshot by default; the backup must
                    # read one, or a record made meanwhile could point at a checklist it lacks.
                    # (SQLite's read transaction already is one snapshot.)
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                # Users and groups first: rows that name them by natural key come after.
                models = serializers.sort_dependencies([(None, backed_up_models())], allow_cycles=True)
                for model in models:
                    counts[model._meta.label] = model._base_manager.using(database).count()
                serializers.serialize(
                    "json",
                    _rows(models, database),
                    stream=stream,
                    cls=ExactJSONEncoder,
                    use_natural_foreign_keys=True,
                )
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
        if options["verbosity"]:
            self.stdout.write(f"Backed up {sum(counts.values())} rows of {len(counts)} tables to {output}.")


def _rows(models, database: str):
    """Every row of ``models`` in that order, each table by primary key, as dumpdata reads them."""
    for model in models:
        yield from model._base_manager.using(database).order_by(model._meta.pk.name).iterator()
