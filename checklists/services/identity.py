"""Who is admitted: the person behind a hospital ID. Part of ``patient_admit``'s transaction
(these helpers run inside it and write no audit row of their own; ``patient_admit`` audits).

- The hospital ID arrives normalised (``models.stays.hospital_id_normalise``); a new one must
  match the hospital's format, ``settings.WARDSAFE_HOSPITAL_ID_FORMAT``.
- A new ID for a name and birth date already known under another ID may be one person
  registered twice: refused with the code ``POSSIBLY_THE_SAME_PERSON`` until the nurse confirms
  it is another person.
- A known ID re-admitted under another name (or reading) is refused with
  ``RENAME_UNCONFIRMED`` until the nurse confirms the new name; then the patient is renamed.
- Birth dates are plausible: from 1900-01-01 to today.
"""

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import Admission, Patient
from ..models.stays import (
    BIRTH_DATE_IN_THE_FUTURE,
    BIRTH_DATE_TOO_EARLY,
    EARLIEST_BIRTH_DATE,
    TAKEN_BY_ANOTHER_ADMISSION,
)

# The codes of the two refusals a nurse may overrule by confirming (the admission form asks).
POSSIBLY_THE_SAME_PERSON = "possibly_the_same_person"
RENAME_UNCONFIRMED = "rename_unconfirmed"


def birth_date_check(birth_date: date, today: date) -> None:
    """Refuse a birth date after ``today`` or before 1900 (year 0001 is a typing slip)."""
    if birth_date > today:
        raise ValidationError(BIRTH_DATE_IN_THE_FUTURE)
    if birth_date < EARLIEST_BIRTH_DATE:
        raise ValidationError(BIRTH_DATE_TOO_EARLY)


def _new_patient(*, hospital_id: str, name: str, name_kana: str, birth_date: date, confirmed: bool) -> Patient:
    """A patient not known yet: the ID in the hospital's format, and not (unconfirmed) a second
    record of someone known under another ID."""
    if not re.fullmatch(settings.WARDSAFE_HOSPITAL_ID_FORMAT, hospital_id):
        raise ValidationError(
            _("%(id)s is not a hospital ID in this hospital's format. Check the ID.") % {"id": hospital_id}
        )
    same = Patient.objects.possibly_the_same_person(name=name, birth_date=birth_date, hospital_id=hospital_id)
    if same and not confirmed:
        raise ValidationError(
            _(
                "%(name)s, born %(date)s, is already registered under hospital ID %(ids)s. Admit under that ID, "
                "or confirm that this is another person."
            ),
            code=POSSIBLY_THE_SAME_PERSON,
            # ``patients``: for the page that shows them before the nurse confirms.
            params={
                "name": name,
                "date": birth_date.isoformat(),
                "ids": ", ".join(p.hospital_id for p in same),
                "patients": [p.pk for p in same],
            },
        )
    patient = Patient(hospital_id=hospital_id, name=name, name_kana=name_kana, birth_date=birth_date)
    patient.full_clean()
    try:
        with transaction.atomic():
            patient.save()
    except IntegrityError as error:
        # The same new patient is being admitted by another request (a double tap, a retry):
        # neither saw the other's uncommitted row, and the hospital ID is unique.
        raise ValidationError(TAKEN_BY_ANOTHER_ADMISSION) from error
    return patient


def _known_patient(patient: Patient, *, name: str, name_kana: str, birth_date: date, confirmed: bool) -> dict:
    """Checks on re-admitting a known patient; the rename to make (``{}`` if none), which the
    nurse must have confirmed."""
    if patient.birth_date != birth_date:
        raise ValidationError(
            # Not the date itself: the form must not tell a birth date to whoever types an ID.
            _("Hospital ID %(id)s belongs to a patient with another birth date. Check the ID and the birth date.")
            % {"id": patient.hospital_id}
        )
    if Admission.objects.open().filter(patient=patient).exists():
        raise ValidationError(_("%(patient)s is already admitted.") % {"patient": patient.name})
    renamed = {
        field: [old, new]
        for field, old, new in [("name", patient.name, name), ("name_kana", patient.name_kana, name_kana)]
        if old != new
    }
    if renamed and not confirmed:
        raise ValidationError(
            _("Hospital ID %(id)s is registered as %(old)s. Confirm the new name before admitting."),
            code=RENAME_UNCONFIRMED,
            # ``renamed``: what differs, for the page that shows it before the nurse confirms.
            params={
                "id": patient.hospital_id,
                "old": " ".join(filter(None, [patient.name, patient.name_kana])),
                "renamed": renamed,
            },
        )
    return renamed


def patient_for_admission(
    *, hospital_id: str, name: str, name_kana: str, birth_date: date, confirm_new_person: bool, confirm_rename: bool
) -> tuple[Patient, dict]:
    """The patient to admit, locked, and the rename made (``{field: [old, new]}``, ``{}`` if none).
    ``hospital_id`` is normalised already."""
    patient = Patient.objects.select_for_update().filter(hospital_id=hospital_id).first()
    details = {"name": name, "name_kana": name_kana, "birth_date": birth_date}
    if patient is None:
        return _new_patient(hospital_id=hospital_id, confirmed=confirm_new_person, **details), {}
    renamed = _known_patient(patient, confirmed=confirm_rename, **details)
    if renamed:
        patient.name, patient.name_kana = name, name_kana
        patient.full_clean()
        patient.save(update_fields=["name", "name_kana"])
    return patient, renamed
