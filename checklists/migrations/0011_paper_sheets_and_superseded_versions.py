"""A paper record names the sheet it was typed in from (the stay's code printed on the
downtime sheet), and the database refuses the same sheet's item twice for one slot: saving a
column twice no longer duplicates it. Paper records typed in before this migration keep an
empty sheet (the rows are append-only), so the key does not cover them; the service still
checks them.

Wording only (no SQL): a version replaced by a newer one reads "superseded" (旧版), not
"retired", and the audit trail has the shift pattern actions.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0010_shift_patterns_in_force"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkrecord",
            name="paper_sheet",
            field=models.CharField(blank=True, default="", max_length=20, verbose_name="paper sheet"),
        ),
        migrations.AddConstraint(
            model_name="checkrecord",
            constraint=models.UniqueConstraint(
                condition=models.Q(("paper_sheet", ""), _negated=True),
                fields=("paper_sheet", "item", "duty_date", "shift"),
                name="a_paper_sheet_is_transcribed_once_per_item_and_slot",
                violation_error_message="This item of this paper sheet was already transcribed for that shift.",
            ),
        ),
        migrations.AddConstraint(
            model_name="checkrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(("source", "paper"), ("paper_sheet", ""), _connector="OR"),
                name="only_paper_records_name_a_sheet",
            ),
        ),
        migrations.AlterField(
            model_name="templateversion",
            name="retired_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="superseded at"),
        ),
        migrations.AlterField(
            model_name="templateversion",
            name="status",
            field=models.CharField(
                choices=[("draft", "Draft"), ("published", "Published"), ("retired", "Superseded")],
                default="draft",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("patient_admitted", "Patient admitted"),
                    ("patient_transferred", "Patient transferred"),
                    ("patient_discharged", "Patient discharged"),
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
                    ("version_retired", "Version superseded"),
                    ("content_changed", "Content changed"),
                    ("template_edited", "Template edited"),
                    ("template_exported", "Template exported"),
                    ("checklist_moved", "Patient moved to a new version"),
                    ("check_transcribed", "Paper record transcribed"),
                    ("examination_planned", "Examination planned"),
                    ("examination_removed", "Examination removed"),
                    ("print_requested", "Print run requested"),
                    ("shift_pattern_created", "Shift pattern created"),
                    ("shift_pattern_changed", "Shift times changed from a date"),
                    ("ward_shift_pattern_set", "Ward's shift pattern set from a date"),
                ],
                max_length=40,
                verbose_name="action",
            ),
        ),
    ]
