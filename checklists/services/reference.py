"""Reference data: wards and their beds and risk factors, created by code (the demo ward, the
tests) or edited in the Django admin, each with its audit row. Shifts are in ``shift_patterns``."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from ..models import AuditEvent, Bed, RiskFactor, Ward, WardShiftPattern
from .audit import audit_event_write
from .shift_patterns import first_shift_pattern_id
from .ward_changes import wards_changed


def reference_data_save(*, obj, by, changed: Iterable[str] = ()) -> None:
    """Save a ward, bed or risk factor edited in the admin, with its audit row."""
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
        wards_changed()  # a ward's thresholds, a bed's code, a factor's or a reason's name: every board


@transaction.atomic
def ward_create(*, code: str, name: str, bed_codes: Iterable[str] = (), by=None) -> Ward:
    ward = Ward(code=code, name=name)
    ward.full_clean()
    ward.save()
    for position, bed_code in enumerate(bed_codes, start=1):
        bed = Bed(ward=ward, code=bed_code, position=position)
        bed.full_clean()
        bed.save()
    # Written down from the first day, so that no later pattern can change what the ward ran.
    if (pattern_id := first_shift_pattern_id()) is not None:
        WardShiftPattern.objects.create(
            ward=ward, pattern_id=pattern_id, effective_from=timezone.localdate(), created_by=by
        )
    audit_event_write(actor=by, action=AuditEvent.Action.CONTENT_CHANGED, obj=ward, ward=ward, data={"created": True})
    return ward


@transaction.atomic
def risk_factor_create(*, code: str, group: str, name_ja: str, by=None, **fields) -> RiskFactor:
    factor = RiskFactor(code=code, group=group, name_ja=name_ja, **fields)
    factor.full_clean()
    factor.save()
    audit_event_write(actor=by, action=AuditEvent.Action.CONTENT_CHANGED, obj=factor, data={"created": True})
    return factor
