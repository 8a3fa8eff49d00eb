"""The audit trail's one writer.

Every service appends its audit row with ``audit_event_write``, inside the service's own
transaction, so that an action and its row are committed together or not at all. AuditEvent rows
are never updated or deleted (migration 0004's triggers refuse it)."""

from ..models import AuditEvent


def audit_event_write(*, actor, action: str, obj, ward=None, admission=None, template=None, data=None) -> AuditEvent:
    """Append one audit row. Callers are services, inside their own transaction."""
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        ward=ward,
        admission=admission,
        template=template,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        data=data or {},
    )
