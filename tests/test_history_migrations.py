"""The data migrations of an existing database: the bed history of today's stays, rebuilt from
the audit trail of their transfers where it adds up (0006), and the hospital IDs normalised,
refusing two patients who would share one (0007). Runs on SQLite and PostgreSQL."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from .migrations import migrate, migrate_to_latest

BEFORE = [("checklists", "0005_constraint_messages")]
BED_HISTORY = [("checklists", "0006_bed_history")]
NORMALISED = [("checklists", "0007_hospital_ids_normalised")]
TOKYO = ZoneInfo("Asia/Tokyo")

pytestmark = pytest.mark.django_db(transaction=True)


def at(day, hour):
    return datetime(2026, 11, day, hour, tzinfo=TOKYO)


@pytest.fixture
def old_database():
    """The schema before the bed history, given back at the latest migrations afterwards."""
    apps = migrate(BEFORE)
    yield apps
    migrate_to_latest()


def make_stays(apps):
    User = apps.get_model("auth", "User")
    Ward, Bed = apps.get_model("checklists", "Ward"), apps.get_model("checklists", "Bed")
    Patient, Admission = apps.get_model("checklists", "Patient"), apps.get_model("checklists", "Admission")
    AuditEvent = apps.get_model("checklists", "AuditEvent")
    nurse, mover = User.objects.create(username="nurse-a"), User.objects.create(username="nurse-b")
    east, west = Ward.objects.create(code="east-4", name="東4病棟"), Ward.objects.create(code="west-3", name="西3病棟")
    e401, e402 = Bed.objects.create(ward=east, code="401"), Bed.objects.create(ward=east, code="402")
    w301 = Bed.objects.create(ward=west, code="301")

    def stay(hospital_id, bed, admitted):
        patient = Patient.objects.create(hospital_id=hospital_id, name=hospital_id, birth_date=date(1970, 5, 1))
        return Admission.objects.create(
            patient=patient, ward=bed.ward, bed=bed, admitted_at=admitted, admitted_by=nurse
        )

    def transferred(admission, when, by, old, new):
        AuditEvent.objects.create(
            at=when,
            actor=by,
            action="patient_transferred",
            admission=admission,
            ward=new.ward,
            object_type="checklists.admission",
            object_id=str(admission.pk),
            object_repr="",
            data={"from_bed": old.code, "from_ward": old.ward.code, "to_bed": new.code, "to_ward": new.ward.code},
        )
        admission.bed, admission.ward = new, new.ward
        admission.save()

    still = stay("H1", e402, at(20, 10))  # never moved
    moved = stay("H2", e401, at(19, 9))  # 東4病棟 401, then 西3病棟 301
    transferred(moved, at(20, 14), mover, e401, w301)
    renamed = stay("H3", e401, at(19, 9))  # its audit names a bed code that no longer exists
    transferred(renamed, at(20, 15), mover, Bed(ward=west, code="399"), e401)
    return {"still": still.pk, "moved": moved.pk, "renamed": renamed.pk, "nurse": nurse.pk, "mover": mover.pk}


def test_the_bed_history_of_existing_stays_comes_from_their_admission_and_audited_transfers(old_database):
    ids = make_stays(old_database)
    apps = migrate(BED_HISTORY)
    Placement = apps.get_model("checklists", "Placement")

    def history(key):
        rows = Placement.objects.filter(admission_id=ids[key]).order_by("starts_at")
        return [(p.ward.code, p.bed.code, p.kind, p.starts_at, p.placed_by_id) for p in rows]

    assert history("still") == [("east-4", "402", "admitted", at(20, 10), ids["nurse"])]
    assert history("moved") == [
        ("east-4", "401", "admitted", at(19, 9), ids["nurse"]),
        ("west-3", "301", "transferred", at(20, 14), ids["mover"]),
    ]
    # The trail does not add up: one placement from the admission, in the stay's current bed.
    assert history("renamed") == [("east-4", "401", "admitted", at(19, 9), ids["nurse"])]


def test_hospital_ids_are_normalised_by_the_migration(old_database):
    Patient = old_database.get_model("checklists", "Patient")
    for raw in ["Ｈ０００１２３４", "h 2-3", "H9"]:
        Patient.objects.create(hospital_id=raw, name=raw, birth_date=date(1970, 5, 1))
    apps = migrate(NORMALISED)
    stored = set(apps.get_model("checklists", "Patient").objects.values_list("hospital_id", flat=True))
    assert stored == {"H0001234", "H23", "H9"}


def test_two_patients_sharing_a_normalised_id_stop_the_migration_with_their_names(old_database):
    Patient = old_database.get_model("checklists", "Patient")
    Patient.objects.create(hospital_id="H0001234", name="山田 太郎", birth_date=date(1970, 5, 1))
    second = Patient.objects.create(hospital_id="Ｈ０００１２３４", name="山田 太郎", birth_date=date(1970, 5, 1))
    with pytest.raises(RuntimeError) as refused:
        migrate(NORMALISED)
    message = str(refused.value)
    assert "H0001234" in message and f"#{second.pk} 'Ｈ０００１２３４' 山田 太郎" in message
    assert "Nothing was changed" in message
    assert set(Patient.objects.values_list("hospital_id", flat=True)) == {"H0001234", "Ｈ０００１２３４"}
    # Once an operator has told them apart, the migration goes through.
    Patient.objects.filter(pk=second.pk).update(hospital_id="H0001235")
    migrate(NORMALISED)
