"""Hospital IDs stored normalised, one patient per normalised ID; and the audit action for a
confirmed rename at re-admission.

Every patient's ``hospital_id`` is rewritten as ``checklists.models.stays.hospital_id_normalise``
gives it (Unicode NFKC, spaces and hyphens removed, capitals; copied below as it is today, so
that this migration keeps doing what it did). Then the database checks the normalised form.

Two patients whose IDs normalise to the same value (``H0001234`` and ``Ｈ０００１２３４``) may be one
person registered twice, or two people: only someone who knows them can say. So the migration
refuses, changes nothing, and lists them; give one of each pair a distinct ID (or, if they are
one person, move the stays by hand), then migrate again. An ID that normalises to nothing, or
to more than 32 characters, is refused the same way.
"""

import re
import unicodedata

from django.db import migrations, models
from django.db.models.functions import Upper

SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc\uff70]")


def normalise(value: str) -> str:
    return SEPARATORS.sub("", unicodedata.normalize("NFKC", value)).upper()


FIX = (
    "Give one of them a distinct hospital ID, e.g.\n"
    '    manage.py shell -c "from checklists.models import Patient; '
    "Patient.objects.filter(pk=ID).update(hospital_id='NEWID')\"\n"
    "then run manage.py migrate again. Nothing was changed."
)


def hospital_ids_normalise(apps, schema_editor):
    Patient = apps.get_model("checklists", "Patient")
    groups: dict[str, list] = {}
    for patient in Patient.objects.order_by("pk"):
        groups.setdefault(normalise(patient.hospital_id), []).append(patient)
    clashes = {value: patients for value, patients in groups.items() if len(patients) > 1}
    unusable = [p for value, patients in groups.items() if not value or len(value) > 32 for p in patients]
    if clashes or unusable:
        lines = [
            f"  {value}: " + "; ".join(f"#{p.pk} {p.hospital_id!r} {p.name} {p.birth_date}" for p in patients)
            for value, patients in clashes.items()
        ]
        lines += [f"  #{p.pk} {p.hospital_id!r} {p.name}: normalises to {normalise(p.hospital_id)!r}" for p in unusable]
        raise RuntimeError(
            "Cannot store hospital IDs normalised: these patients would share one ID, or get an empty or "
            "too long one. They may be one person registered twice, or different people.\n"
            + "\n".join(lines)
            + "\n"
            + FIX
        )
    for value, (patient,) in groups.items():
        if patient.hospital_id != value:
            Patient.objects.filter(pk=patient.pk).update(hospital_id=value)


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0006_bed_history"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("patient_admitted", "Patient admitted"),
                    ("patient_transferred", "Patient transferred"),
                    ("patient_discharged", "Patient discharged"),
                    ("patient_renamed", "Patient renamed"),
                    ("risk_factor_noted", "Risk factor noted"),
                    ("risk_factor_removed", "Risk factor removed"),
                    ("checklist_started", "Checklist started"),
                    ("checklist_stopped", "Checklist stopped"),
                    ("check_recorded", "Check recorded"),
                    ("check_corrected", "Check corrected"),
                    ("template_created", "Template created"),
                    ("template_imported", "Template imported"),
                    ("draft_created", "Draft created"),
                    ("draft_edited", "Draft edited"),
                    ("version_published", "Version published"),
                    ("version_retired", "Version retired"),
                    ("content_changed", "Content changed"),
                    ("template_edited", "Template edited"),
                    ("template_exported", "Template exported"),
                    ("checklist_moved", "Patient moved to a new version"),
                    ("check_transcribed", "Paper record transcribed"),
                    ("examination_planned", "Examination planned"),
                    ("examination_removed", "Examination removed"),
                    ("print_requested", "Print run requested"),
                ],
                max_length=40,
                verbose_name="action",
            ),
        ),
        migrations.RunPython(hospital_ids_normalise, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="patient",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("hospital_id", ""), _negated=True),
                    models.Q(("hospital_id__contains", " "), _negated=True),
                    models.Q(("hospital_id__contains", "-"), _negated=True),
                    ("hospital_id", Upper("hospital_id")),
                ),
                name="hospital_id_is_normalised",
                violation_error_message="A hospital ID is stored without spaces or hyphens, in capitals.",
            ),
        ),
    ]
