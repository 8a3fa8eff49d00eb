"""Mark the item-slots of the shifts that ended since the last run as due or not (``ItemSlot``),
ward by ward, so that a slot nobody recorded counts as missed on the quality pages. Run it after
each shift ends (scripts/print-worker.sh does, every WORKER_SLOTS_SECONDS); the first run goes
back to each ward's first stay. ``--days N`` recomputes the last N days again (after a risk
factor or a bed move was entered late).
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from checklists import services
from checklists.models import Ward


class Command(BaseCommand):
    help = "Mark the item-slots of ended shifts as due (the quality pages' missed slots)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=0, help="recompute the last N days as well")

    def handle(self, *args, **options):
        now = timezone.now()
        since = now - timedelta(days=options["days"]) if options["days"] else None
        slots = sum(services.item_slots_catch_up(ward=ward, until=now, since=since) for ward in Ward.objects.all())
        if options["verbosity"] >= 1:
            self.stdout.write(f"{slots} ward shift slots refreshed.")
