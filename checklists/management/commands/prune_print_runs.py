"""Fail the print runs that stopped making progress and delete what is past its retention time:
print-run PDFs (they hold names and risks) and finished task results older than
``WARDSAFE_PRINT_RETENTION_HOURS`` (24 by default). The PrintJob rows stay for the audit trail;
their page says "expired, print again". scripts/print-worker.sh runs this every
``WORKER_PRUNE_SECONDS`` (an hour by default) while the worker runs."""

from django.conf import settings
from django.core.management.base import BaseCommand

from checklists import services


class Command(BaseCommand):
    help = "Fail stalled print runs; delete print-run PDFs and task results past the retention time."

    def handle(self, *args, **options):
        failed = services.print_runs_fail_stale()
        pdfs, results = services.print_runs_prune()
        if options["verbosity"] >= 1:
            hours = settings.WARDSAFE_PRINT_RETENTION_HOURS
            self.stdout.write(
                f"{failed} stalled print runs failed; {pdfs} PDFs and {results} task results"
                f" older than {hours} h deleted."
            )
