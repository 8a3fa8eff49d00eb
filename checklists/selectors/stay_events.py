"""What the patient history and the handover show of safety events and teach-back audits:
a stay's entries (corrected ones marked, with what replaced them), and the events on a ward
during a shift. Each is one query (two for a stay: events, audits)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef

from ..models import SafetyEvent, TeachBackAudit


@dataclass(frozen=True)
class StayEvents:
    events: list  # every entry, newest first, each with ``replaced`` (a later correction exists)
    teach_backs: list

    @property
    def standing(self) -> list:
        return [event for event in self.events if not event.replaced and not event.withdrawn]


def _with_replaced(queryset):
    return queryset.annotate(replaced=Exists(SafetyEvent.objects.filter(corrects=OuterRef("pk"))))


def stay_events(admission) -> StayEvents:
    events = _with_replaced(SafetyEvent.objects.filter(admission=admission).for_display())
    audits = (
        TeachBackAudit.objects.filter(admission=admission)
        .annotate(replaced=Exists(TeachBackAudit.objects.filter(corrects=OuterRef("pk"))))
        .select_related("recorded_by")
        .order_by("-audited_at", "-id")
    )
    return StayEvents(events=list(events), teach_backs=list(audits))


def ward_events_during(ward, start: datetime, end: datetime) -> list:
    """The standing events that happened on ``ward`` between ``start`` and ``end`` (a shift), with
    the patient and bed, oldest first: what the handover says happened this shift."""
    events = (
        SafetyEvent.objects.standing()
        .filter(ward=ward)
        .between(start, end)
        .select_related("admission__patient", "admission__bed", "injury_level")
        .order_by("occurred_at", "id")
    )
    return list(events)
