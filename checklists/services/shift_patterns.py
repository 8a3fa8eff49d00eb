"""Shift patterns and the pattern each ward runs. Nothing here changes a row: a new pattern, a
change of a pattern's shifts (a new version) and a ward's change of pattern are each a new row,
in force from a chosen duty date, so every slot before that date keeps the shifts it had.

A change takes effect from tomorrow at the earliest: today's shifts may already have begun,
and records, handovers and "left by the previous shift" are made from them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AuditEvent, ShiftDefinition, ShiftPattern, ShiftPatternVersion, Ward, WardShiftPattern
from ..shifts import ShiftCalendar
from .audit import audit_event_write
from .ward_changes import ward_changed, wards_changed


def first_shift_pattern_id() -> int | None:
    """The pattern a ward without an assignment runs: the first one made that has shifts
    (``ShiftCalendar``'s default)."""
    return ShiftPattern.objects.filter(versions__isnull=False).order_by("pk").values_list("pk", flat=True).first()


@dataclass(frozen=True)
class ShiftSpec:
    """One shift of a pattern version, as a form or the content files give it."""

    code: str
    name_ja: str
    starts_at: time
    ends_at: time
    name_en: str = ""
    is_night: bool = False  # night-only items are asked in this shift


def _check_effective_from(effective_from: date) -> None:
    if effective_from <= timezone.localdate():
        raise ValidationError(
            {
                "effective_from": _(
                    "A change takes effect from tomorrow at the earliest: shifts that have begun keep their times."
                )
            }
        )


def _add_version(
    *, pattern: ShiftPattern, effective_from: date, shifts: Sequence[ShiftSpec], by, note: str = ""
) -> ShiftPatternVersion:
    if not shifts:
        raise ValidationError(_("A shift pattern needs at least one shift."))
    codes = [spec.code for spec in shifts]
    if len(set(codes)) != len(codes):
        raise ValidationError(_("Each shift of a pattern needs its own code."))
    number = (pattern.versions.aggregate(Max("number"))["number__max"] or 0) + 1
    version = ShiftPatternVersion(
        pattern=pattern, number=number, effective_from=effective_from, note=note.strip(), created_by=by
    )
    version.full_clean()
    version.save()
    for position, spec in enumerate(shifts, start=1):
        shift = ShiftDefinition(
            version=version,
            code=spec.code,
            name_ja=spec.name_ja,
            name_en=spec.name_en,
            starts_at=spec.starts_at,
            ends_at=spec.ends_at,
            is_night=spec.is_night,
            position=position,
        )
        shift.full_clean()
        shift.save()
    return version


def _shift_data(shifts: Sequence[ShiftSpec]) -> list[dict]:
    return [
        {"code": s.code, "starts": f"{s.starts_at:%H:%M}", "ends": f"{s.ends_at:%H:%M}", "night": s.is_night}
        for s in shifts
    ]


@transaction.atomic
def shift_pattern_create(
    *, code: str, name_ja: str, shifts: Sequence[ShiftSpec], by=None, name_en: str = "", position: int = 0
) -> ShiftPattern:
    """A new pattern with its first version. Its date is today's, but it matters only from the
    day a ward runs the pattern (tomorrow at the earliest, ``ward_shift_pattern_set``)."""
    pattern = ShiftPattern(code=code, name_ja=name_ja, name_en=name_en, position=position)
    pattern.full_clean()
    pattern.save()
    version = _add_version(pattern=pattern, effective_from=timezone.localdate(), shifts=shifts, by=by)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.SHIFT_PATTERN_CREATED,
        obj=pattern,
        data={"version": version.number, "shifts": _shift_data(shifts)},
    )
    return pattern


@transaction.atomic
def shift_pattern_change(
    *, pattern: ShiftPattern, effective_from: date, shifts: Sequence[ShiftSpec], by, note: str = ""
) -> ShiftPatternVersion:
    """The pattern's shifts from duty date ``effective_from`` on (times, names, shifts added or
    switched off): a new version. Every ward on the pattern follows; earlier slots keep theirs."""
    _check_effective_from(effective_from)
    pattern = ShiftPattern.objects.select_for_update().get(pk=pattern.pk)  # one number per version
    version = _add_version(pattern=pattern, effective_from=effective_from, shifts=shifts, by=by, note=note)
    wards_changed()  # whichever wards run the pattern
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.SHIFT_PATTERN_CHANGED,
        obj=version,
        data={
            "pattern": pattern.code,
            "version": version.number,
            "effective_from": effective_from.isoformat(),
            "shifts": _shift_data(shifts),
        },
    )
    return version


@transaction.atomic
def ward_shift_pattern_set(*, ward: Ward, pattern: ShiftPattern, effective_from: date, by) -> WardShiftPattern:
    """The ward runs ``pattern`` from duty date ``effective_from`` on (三交代 → 二交代)."""
    _check_effective_from(effective_from)
    ward = Ward.objects.select_for_update().get(pk=ward.pk)
    if not pattern.versions.exists():
        raise ValidationError(_("%(pattern)s has no shifts yet.") % {"pattern": pattern})
    if ShiftCalendar.for_ward(ward).pattern_id_on(effective_from) == pattern.pk:
        raise ValidationError(
            _("%(ward)s already runs %(pattern)s on %(date)s.")
            % {"ward": ward, "pattern": pattern, "date": effective_from.isoformat()}
        )
    assignment = WardShiftPattern.objects.create(
        ward=ward, pattern=pattern, effective_from=effective_from, created_by=by
    )
    ward_changed(ward)
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.WARD_SHIFT_PATTERN_SET,
        obj=assignment,
        ward=ward,
        data={"pattern": pattern.code, "effective_from": effective_from.isoformat()},
    )
    return assignment
