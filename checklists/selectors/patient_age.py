"""Risk factors on a given duty date: the ones nurses noted, and the ones the patient's age gives
on that date (a child under 15; 70 and over). The age is read on the duty date of the shift a
page shows, so a patient who turns 15 or 70 during the stay changes on that day, not never.

A note of an age-derived factor (the child factor used to be noted at admission) is kept as it
was written, but not read: the birth date decides."""

from datetime import date

from ..models import Admission, Patient, RiskFactor


def age_band_on(patient: Patient, day: date) -> str:
    """``Patient.AgeBand`` on ``day``: child, adult, or 70 and over."""
    return patient.age_band_on(day)


def factor_codes_on(admission: Admission, day: date) -> set[str]:
    """The codes of the risk factors that hold for the stay on ``day``. ``admission`` comes with
    ``active_risk_factor_notes`` prefetched (``for_shift_work`` / ``for_slot_work``)."""
    noted = {note.risk_factor.code for note in admission.active_risk_factor_notes}
    return (noted - set(RiskFactor.AGE_DERIVED)) | admission.patient.age_factor_codes_on(day)
