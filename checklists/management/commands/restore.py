"""Load a backup made by ``manage.py backup`` into an empty database, all of it or nothing.

    createdb wardsafe_restored   # or a new SQLite file: DATABASE_URL=sqlite:////path/restored.sqlite3
    DATABASE_URL=... python manage.py migrate
    DATABASE_URL=... python manage.py restore /var/backups/wardsafe/wardsafe-2026-11-21.json.gz

"Empty" means what ``migrate`` leaves: the role groups, permissions and content types, and
no user and no row of the checklists app. A database that already holds WardSafe data is
refused (nothing is merged, nothing is overwritten). The backup's groups, with their IDs,
replace the ones ``migrate`` made. The whole load is one transaction:
if any row fails (a damaged or incomplete file), nothing is restored. Rows are only
inserted, which PostgreSQL's append-only triggers allow; the ID sequences are reset
afterwards so that new rows continue after the restored ones.

See ``backup.py`` for what a backup holds, and for pg_dump / pg_restore on PostgreSQL.
"""

from pathlib import Path

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, transaction

from .backup import backed_up_models, check_file_name

# migrate makes the role groups (migration 0002_roles); the backup's groups replace them.
MADE_BY_MIGRATE = {"auth.Group"}


class Command(BaseCommand):
    help = "Restore a WardSafe backup into an empty, migrated database (all of it or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="a file written by manage.py backup")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the database to restore into")

    def handle(self, *args, backup: Path, database: str, **options):
        check_file_name(backup)
        backup = backup.resolve()
        if not backup.is_file():
            raise CommandError(f"There is no backup file {backup}.")
        models = backed_up_models()
        try:
            with transaction.atomic(using=database):
                self._check_empty(models, database)
                Group.objects.using(database).all().delete()
                # loaddata: natural keys, deferred constraint checks, then the sequences reset.
                call_command("loaddata", str(backup), database=database, verbosity=0)
                counts = {model._meta.label: model._base_manager.using(database).count() for model in models}
        except (DatabaseError, DeserializationError, OSError) as error:
            raise CommandError(f"Nothing was restored: {error}") from error
        if options["verbosity"]:
            self.stdout.write(f"Restored {sum(counts.values())} rows of {len(counts)} tables from {backup}.")

    def _check_empty(self, models, database: str) -> None:
        holding = [
            model._meta.label
            for model in models
            if model._meta.label not in MADE_BY_MIGRATE and model._base_manager.using(database).exists()
        ]
        if holding:
            raise CommandError(
                f"The database already holds WardSafe data ({', '.join(holding)}); nothing was restored. "
                "Restore into an empty database: create it, run manage.py migrate, then manage.py restore."
            )
