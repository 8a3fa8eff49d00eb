"""Reference data: wards and their beds, risk factors and shift definitions, created by code
(the demo ward, the tests) or edited in the Django admin, each with its audit row."""

from collections.abc import Iterable

from django.db import transaction

from ..models import AuditEvent, Bed, RiskFactor, ShiftDefinition, Ward
from .audit import audit_event_write


def reference_data_save(*, obj, by, changed: Iterable[str] = ()) -> None:
    """Save a ward, bed, risk factor or shift edited in the admin, with its audit row."""
    obj.full_clean()
    with transaction.atomic():
        adding = obj._state.adding
        obj.save()
        audit_event_write(
            actor=by,
            action=AuditEvent.Action.CONTENT_CHANGED,
            obj=obj,
            data={"created": adding, "fields": sorted(changed)},
        )


@transaction.atomic
def ward_create(*, code: str, name: str, bed_codes: Iterable[str] = (), by=None) -> Ward:
    ward = Ward(code=code, name=name)
    ward.full_clean()
    ward.save()
    for position, bed_code in enumerate(bed_codes, start=1):
        bed = Bed(ward=ward, code=bed_code, position=position)
        bed.full_clean()
        bed.save()
    audit_event_write(actor=by, action=AuditEvent.Action.CONTENT_CHANGED, obj=ward, ward=ward, data={"created": True})
    return ward


@transaction.atomic
def risk_factor_create(*, code: str, group: str, name_ja: str, by=None, **fields) -> RiskFactor:
    factor = RiskFactor(code=code, group=group, name_ja=name_ja, **fields)
    factor.full_clean()
    factor.save()
    audit_event_write(actor=by, action=AuditEvent.Action.CONTENT_CHANGED, obj=factor, data={"created": True})
    return factor


@transaction.atomic
def shift_definition_create(*, code: str, name_ja: str, starts_at, ends_at, by=None, **fields) -> ShiftDefinition:
    shift = ShiftDefinition(code=code, name_ja=name_ja, starts_at=starts_at, ends_at=ends_at, **fields)
    shift.full_clean()
    shift.save()
    audit_event_write(actor=by, action=AuditEvent.Action.CONTENT_CHANGED, obj=shift, data={"created": True})
    return shift
