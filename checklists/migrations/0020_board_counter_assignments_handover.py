"""The board's live pages: a change counter per ward (the ETag of its board), the warning and
overdue thresholds of each ward, care assignments (受け持ち), handover notes and 申し送り済み.

On PostgreSQL the assignments, notes and acknowledgements are append-only (the trigger function
of migration 0004). Nurses and shift leaders may take patients, write handover notes and
acknowledge them; shift leaders may assign nurses. The codenames are written out here."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

from checklists.postgres import RunSQLOnPostgreSQL

APPEND_ONLY = ["checklists_careassignment", "checklists_handovernote", "checklists_handoveracknowledgement"]
FORWARD = [
    f"""CREATE TRIGGER {table.removeprefix("checklists_")}_rows_are_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION wardsafe_refuse_change_of_history()"""
    for table in APPEND_ONLY
]
BACKWARD = [
    f"DROP TRIGGER {table.removeprefix('checklists_')}_rows_are_append_only ON {table}" for table in APPEND_ONLY
]

WARD_WORK = [
    "view_careassignment",
    "add_careassignment",
    "view_handovernote",
    "add_handovernote",
    "view_handoveracknowledgement",
    "add_handoveracknowledgement",
]
GRANTS = {"nurse": WARD_WORK, "shift_leader": [*WARD_WORK, "assign_nurses"]}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():  # the new permissions exist before post_migrate
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        permissions = Permission.objects.filter(content_type__app_label="checklists", codename__in=codenames)
        for group in Group.objects.filter(name=name):
            group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0019_assessments_scales_and_records"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="WardChangeCounter",
            fields=[
                (
                    "ward",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="change_counter",
                        serialize=False,
                        to="checklists.ward",
                        verbose_name="ward",
                    ),
                ),
                ("count", models.PositiveBigIntegerField(default=0, verbose_name="changes")),
            ],
            options={
                "verbose_name": "ward change counter",
                "verbose_name_plural": "ward change counters",
            },
        ),
        migrations.AddField(
            model_name="ward",
            name="overdue_minutes",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="Critical items still open this long before the end of the shift (0: at the end) turn red.",
                verbose_name="overdue before the shift ends (minutes)",
            ),
        ),
        migrations.AddField(
            model_name="ward",
            name="overdue_warning_minutes",
            field=models.PositiveSmallIntegerField(
                default=120,
                help_text="Critical items still open this long before the end of the shift turn amber on the board.",
                verbose_name="warn before the shift ends (minutes)",
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
                    ("pdf_downloaded", "PDF opened"),
                    ("care_assigned", "Patient assigned to a nurse"),
                    ("handover_note_written", "Handover note written"),
                    ("handover_acknowledged", "Handover acknowledged"),
                ],
                max_length=40,
                verbose_name="action",
            ),
        ),
        migrations.CreateModel(
            name="HandoverAcknowledgement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("duty_date", models.DateField(verbose_name="duty date")),
                (
                    "acknowledged_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="acknowledged at"
                    ),
                ),
                (
                    "acknowledged_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="acknowledged by",
                    ),
                ),
                (
                    "admission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="handover_acknowledgements",
                        to="checklists.admission",
                        verbose_name="admission",
                    ),
                ),
                (
                    "shift",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="checklists.shiftdefinition",
                        verbose_name="shift",
                    ),
                ),
            ],
            options={
                "verbose_name": "handover acknowledgement",
                "verbose_name_plural": "handover acknowledgements",
                "ordering": ["duty_date", "shift", "admission", "acknowledged_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="CareAssignment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("duty_date", models.DateField(verbose_name="duty date")),
                (
                    "assigned_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="assigned at"),
                ),
                (
                    "admission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="care_assignments",
                        to="checklists.admission",
                        verbose_name="admission",
                    ),
                ),
                (
                    "assigned_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="assigned by",
                    ),
                ),
                (
                    "nurse",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="care_assignments",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="nurse",
                    ),
                ),
                (
                    "shift",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="checklists.shiftdefinition",
                        verbose_name="shift",
                    ),
                ),
            ],
            options={
                "verbose_name": "care assignment",
                "verbose_name_plural": "care assignments",
                "ordering": ["duty_date", "shift", "admission", "assigned_at", "pk"],
                "permissions": [("assign_nurses", "Can assign nurses to patients")],
                "indexes": [models.Index(fields=["duty_date", "shift", "admission"], name="assignment_slot_idx")],
            },
        ),
        migrations.CreateModel(
            name="HandoverNote",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("duty_date", models.DateField(verbose_name="duty date")),
                (
                    "text",
                    models.TextField(blank=True, default="", max_length=1000, verbose_name="note for the next shift"),
                ),
                (
                    "written_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="written at"),
                ),
                (
                    "admission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="handover_notes",
                        to="checklists.admission",
                        verbose_name="admission",
                    ),
                ),
                (
                    "shift",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="checklists.shiftdefinition",
                        verbose_name="shift",
                    ),
                ),
                (
                    "written_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="written by",
                    ),
                ),
            ],
            options={
                "verbose_name": "handover note",
                "verbose_name_plural": "handover notes",
                "ordering": ["duty_date", "shift", "admission", "written_at", "pk"],
                "indexes": [models.Index(fields=["duty_date", "shift", "admission"], name="handover_note_slot_idx")],
            },
        ),
        RunSQLOnPostgreSQL(sql=FORWARD, reverse_sql=BACKWARD),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
