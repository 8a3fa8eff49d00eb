"""The audit trail's one writer.

Every service appends its audit row with ``audit_event_write``, inside the service's own
transaction, so that an action and its row are committed together or not at all. AuditEvent rows
are never updated or deleted (migration 0004's triggers refuse it)."""

from ..models import AuditEvent


def audit_event_write(
    *,
    actor,
    action: str,
    obj,
    ward=None,
    admission=None,
    template=None,
    data=None,
    description: str | None = None,
    at=None,
) -> AuditEvent:
    """Append one audit row. Callers are services, inside their own transaction. ``description``
    replaces ``str(obj)`` when that would say too much (a patient's name for a mere lookup)."""
    when = {"at": at} if at is not None else {}  # else the field's default: now
    return AuditEvent.objects.create(
        **when,
        actor=actor,
        action=action,
        ward=ward,
        admission=admission,
        template=template,
        object_type=obj._meta.label_lower,
        object_id="" if obj.pk is None else str(obj.pk),
        object_repr=(str(obj) if description is None else description)[:200],
        data=data or {},
    )
