"""The constraints that services and forms also check by hand get the same words as their
``violation_error_message`` (already translated in locale/ja), so ``full_clean()`` and model
forms no longer fall back to Django's generic message. No schema change: ``AlterConstraint``
emits no SQL.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0004_append_only_triggers"),
    ]

    operations = [
        migrations.AlterConstraint(
            model_name="admission",
            name="one_open_admission_per_patient",
            constraint=models.UniqueConstraint(
                condition=models.Q(("discharged_at__isnull", True)),
                fields=("patient",),
                name="one_open_admission_per_patient",
                violation_error_message=(
                    "The bed or the patient was just taken by another admission. Reload and try again."
                ),
            ),
        ),
        migrations.AlterConstraint(
            model_name="admission",
            name="one_open_admission_per_bed",
            constraint=models.UniqueConstraint(
                condition=models.Q(("discharged_at__isnull", True)),
                fields=("bed",),
                name="one_open_admission_per_bed",
                violation_error_message=(
                    "The bed or the patient was just taken by another admission. Reload and try again."
                ),
            ),
        ),
        migrations.AlterConstraint(
            model_name="admission",
            name="discharge_not_before_admission",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("discharged_at__isnull", True), ("discharged_at__gte", models.F("admitted_at")), _connector="OR"
                ),
                name="discharge_not_before_admission",
                violation_error_message="The discharge time cannot be before the admission.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="checkrecord",
            name="a_record_is_corrected_at_most_once",
            constraint=models.UniqueConstraint(
                fields=("corrects",),
                name="a_record_is_corrected_at_most_once",
                violation_error_message="This record was already corrected. Correct the newer record instead.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="checkrecord",
            name="not_done_and_not_applicable_need_a_reason",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "done"), models.Q(("note", ""), _negated=True), _connector="OR"),
                name="not_done_and_not_applicable_need_a_reason",
                violation_error_message="Give a short reason for “not applicable” or “not done”.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="patientchecklist",
            name="a_stopped_checklist_has_a_reason",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("stopped_at__isnull", True), models.Q(("stop_reason", ""), _negated=True), _connector="OR"
                ),
                name="a_stopped_checklist_has_a_reason",
                violation_error_message="Give a reason for stopping the checklist.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="shiftdefinition",
            name="a_shift_has_a_length",
            constraint=models.CheckConstraint(
                condition=models.Q(("starts_at", models.F("ends_at")), _negated=True),
                name="a_shift_has_a_length",
                violation_error_message="A shift must end at another time than it starts.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="templateitem",
            name="item_provenance_is_a_document_or_the_institution",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("source", "seed"), models.Q(("source_document", ""), _negated=True)),
                    models.Q(("source", "institution"), ("source_document", ""), ("source_passage", "")),
                    _connector="OR",
                ),
                name="item_provenance_is_a_document_or_the_institution",
                violation_error_message="Name the source document, or mark the item as added by the institution.",
            ),
        ),
    ]
