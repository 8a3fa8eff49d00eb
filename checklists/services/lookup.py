"""The hospital-ID lookup of the admission form, which must not be a patient index for anyone
who can open it: a known ID answers only "known patient" until the birth date typed with it
matches (then the name, reading and earlier stays are shown, to prefill the form); a user may
look up at most ``settings.WARDSAFE_LOOKUP_LIMIT`` IDs per ``WARDSAFE_LOOKUP_WINDOW_MINUTES``;
and every lookup, refused ones included, is an audit row (who, from which ward, which ID, what
it answered).

The limit is counted from the audit rows themselves, so it holds across app servers and
restarts with no shared cache; a refused lookup is not counted, so asking again during the
wait does not prolong it.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import AuditEvent, Patient
from ..models.stays import hospital_id_normalise
from .audit import audit_event_write

UNKNOWN, KNOWN, MATCHED, THROTTLED = "unknown", "known", "matched", "throttled"


@dataclass(frozen=True)
class PatientLookup:
    """What a lookup may show: ``outcome`` and, only when the birth date matched, the patient."""

    outcome: str
    patient: Patient | None = None
    retry_after_minutes: int = 0

    @property
    def is_known(self) -> bool:
        return self.outcome in (KNOWN, MATCHED)


def _lookups_since(user, since: datetime):
    return AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.PATIENT_LOOKED_UP, at__gte=since).exclude(
        data__outcome=THROTTLED
    )


def _wait_minutes(user, now: datetime, window: timedelta) -> int:
    """Minutes until the oldest counted lookup of the window leaves it (at least one)."""
    oldest = _lookups_since(user, now - window).order_by("at").values_list("at", flat=True).first()
    left = (oldest + window - now) if oldest else timedelta(0)
    return max(1, -(-int(left.total_seconds()) // 60))


def _patient(hospital_id: str) -> Patient | None:
    if "\x00" in hospital_id:  # no ID has NUL, and PostgreSQL refuses it in a query
        return None
    return Patient.objects.with_hospital_id(hospital_id).prefetch_related("admissions__ward").first()


@transaction.atomic
def patient_lookup(*, hospital_id: str, birth_date: date | None, by, ward) -> PatientLookup:
    """Look up a typed hospital ID for admitting into ``ward``; audited, and throttled per user."""
    now = timezone.now()
    window = timedelta(minutes=settings.WARDSAFE_LOOKUP_WINDOW_MINUTES)
    normalised = hospital_id_normalise(hospital_id)[:40] if "\x00" not in hospital_id else ""
    if _lookups_since(by, now - window).count() >= settings.WARDSAFE_LOOKUP_LIMIT:
        result = PatientLookup(THROTTLED, retry_after_minutes=_wait_minutes(by, now, window))
        patient = None
    else:
        patient = _patient(hospital_id)
        if patient is None:
            result = PatientLookup(UNKNOWN)
        elif birth_date is not None and patient.birth_date == birth_date:
            result = PatientLookup(MATCHED, patient=patient)
        else:
            result = PatientLookup(KNOWN)
    # The row names the ID looked up, never the patient's name; it is about a patient, so checklist
    # admins do not see it in the admin.
    audit_event_write(
        actor=by,
        action=AuditEvent.Action.PATIENT_LOOKED_UP,
        obj=patient or Patient(hospital_id=normalised),
        ward=ward,
        description=normalised,
        at=now,
        data={"hospital_id": normalised, "outcome": result.outcome, "birth_date_given": birth_date is not None},
    )
    return result
