"""Safety events (falls, suspected aspiration, delirium) with the hospital's injury scale, and
teach-back audits; an index on the check records' duty date for the quality figures.

The shipped injury scale is 影響度分類 (the Japanese national university hospitals' incident
levels), each level mapped to none / minor / major / death; admins edit it in the admin.
Events and teach-back audits are append-only: on PostgreSQL the function of migration 0004
refuses their UPDATE and DELETE. The nurse and shift-leader groups may record both and read
the quality pages of their wards; checklist admins may read every ward's figures and edit the
scale. The codenames are written out here, not read from checklists.roles.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

import checklists.models.reference
from checklists.postgres import RunSQLOnPostgreSQL

INJURY_LEVELS = [
    # code, name_ja, name_en, harm, description_ja
    ("0", "レベル0", "Level 0", "none", "誤りが実施される前に気付いた。"),
    ("1", "レベル1", "Level 1", "none", "患者への実害はなかった。"),
    (
        "2",
        "レベル2",
        "Level 2",
        "minor",
        "処置や治療は要しなかった（観察の強化、バイタルサインの変化、検査の必要性）。",
    ),
    ("3a", "レベル3a", "Level 3a", "minor", "簡単な処置や治療を要した（消毒、湿布、皮膚の縫合、鎮痛剤の投与など）。"),
    ("3b", "レベル3b", "Level 3b", "major", "濃厚な処置や治療を要した（骨折、手術、入院日数の延長など）。"),
    ("4a", "レベル4a", "Level 4a", "major", "永続的な障害や後遺症が残ったが、機能障害や美容上の問題は伴わない。"),
    ("4b", "レベル4b", "Level 4b", "major", "永続的な障害や後遺症が残り、機能障害や美容上の問題を伴う。"),
    ("5", "レベル5", "Level 5", "death", "死亡（原疾患の自然経過によるものを除く）。"),
]

WARD_ROLES = ["nurse", "shift_leader"]
WARD_CODENAMES = [
    "view_injurylevel",
    "view_safetyevent",
    "add_safetyevent",
    "view_teachbackaudit",
    "add_teachbackaudit",
    "view_quality_pages",
]
ADMIN_CODENAMES = ["view_injurylevel", "add_injurylevel", "change_injurylevel", "view_quality_pages"]


def injury_levels_ship(apps, schema_editor):
    InjuryLevel = apps.get_model("checklists", "InjuryLevel")
    for position, (code, name_ja, name_en, harm, description_ja) in enumerate(INJURY_LEVELS, start=1):
        InjuryLevel.objects.get_or_create(
            code=code,
            defaults={
                "name_ja": name_ja,
                "name_en": name_en,
                "harm": harm,
                "description_ja": description_ja,
                "position": position,
            },
        )


def _permissions(apps, codenames):
    for app_config in apps.get_app_configs():  # the new permissions exist before post_migrate
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return list(Permission.objects.filter(content_type__app_label="checklists", codename__in=codenames))


def permissions_grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=WARD_ROLES):
        group.permissions.add(*_permissions(apps, WARD_CODENAMES))
    for group in Group.objects.filter(name="checklist_admin"):
        group.permissions.add(*_permissions(apps, ADMIN_CODENAMES))


def permissions_revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=[*WARD_ROLES, "checklist_admin"]):
        group.permissions.remove(*_permissions(apps, WARD_CODENAMES + ADMIN_CODENAMES))


APPEND_ONLY = ["checklists_safetyevent", "checklists_teachbackaudit"]
FORWARD = [
    f"""
    CREATE TRIGGER {table[11:]}s_are_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION wardsafe_refuse_change_of_history()
    """
    for table in APPEND_ONLY
]
BACKWARD = [f"DROP TRIGGER {table[11:]}s_are_append_only ON {table}" for table in APPEND_ONLY]


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0020_board_counter_assignments_handover"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="InjuryLevel",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=20, unique=True, verbose_name="code")),
                ("name_ja", models.CharField(max_length=100, verbose_name="name (Japanese)")),
                ("name_en", models.CharField(blank=True, default="", max_length=100, verbose_name="name (English)")),
                ("description_ja", models.TextField(blank=True, default="", verbose_name="description (Japanese)")),
                ("description_en", models.TextField(blank=True, default="", verbose_name="description (English)")),
                (
                    "harm",
                    models.CharField(
                        choices=[
                            ("none", "No injury"),
                            ("minor", "Minor injury"),
                            ("major", "Major injury"),
                            ("death", "Death"),
                        ],
                        max_length=10,
                        verbose_name="harm",
                    ),
                ),
                ("position", models.PositiveIntegerField(default=0, verbose_name="position")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
            ],
            options={
                "verbose_name": "injury level",
                "verbose_name_plural": "injury levels",
                "ordering": ["position", "code"],
            },
            bases=(checklists.models.reference.Bilingual, models.Model),
        ),
        migrations.CreateModel(
            name="SafetyEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("fall", "Fall (転倒・転落)"),
                            ("aspiration", "Suspected aspiration (誤嚥・誤嚥性肺炎疑い)"),
                            ("delirium", "Delirium episode (せん妄発症)"),
                        ],
                        max_length=20,
                        verbose_name="event",
                    ),
                ),
                ("occurred_at", models.DateTimeField(verbose_name="when")),
                ("occurred_on", models.DateField(editable=False, verbose_name="date")),
                (
                    "place",
                    models.CharField(
                        choices=[
                            ("bedside", "At the bedside"),
                            ("toilet", "Toilet"),
                            ("bathroom", "Bathroom"),
                            ("corridor", "Corridor"),
                            ("day_room", "Day room"),
                            ("other", "Elsewhere"),
                        ],
                        max_length=20,
                        verbose_name="where",
                    ),
                ),
                ("description", models.TextField(verbose_name="what happened")),
                (
                    "witness",
                    models.CharField(
                        choices=[
                            ("staff", "Seen by staff"),
                            ("family", "Seen by family"),
                            ("other", "Seen by someone else"),
                            ("nobody", "Not witnessed"),
                        ],
                        max_length=10,
                        verbose_name="witnessed",
                    ),
                ),
                ("immediate_actions", models.TextField(blank=True, default="", verbose_name="immediate actions")),
                (
                    "active_checklists",
                    models.JSONField(blank=True, default=list, editable=False, verbose_name="checklists running then"),
                ),
                (
                    "recorded_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="recorded at"),
                ),
                (
                    "correction_reason",
                    models.TextField(blank=True, default="", verbose_name="reason for the correction"),
                ),
                ("withdrawn", models.BooleanField(default=False, verbose_name="recorded in error")),
            ],
            options={
                "verbose_name": "safety event",
                "verbose_name_plural": "safety events",
                "ordering": ["-occurred_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="TeachBackAudit",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "asked",
                    models.CharField(
                        choices=[("patient", "Patient"), ("family", "Family")], max_length=10, verbose_name="asked"
                    ),
                ),
                ("names_risks", models.BooleanField(verbose_name="names the risks")),
                ("names_plan", models.BooleanField(verbose_name="names the plan")),
                ("sheet_current", models.BooleanField(verbose_name="bedside sheet current and posted")),
                ("audited_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="audited at")),
            ],
            options={
                "verbose_name": "teach-back audit",
                "verbose_name_plural": "teach-back audits",
                "ordering": ["-audited_at", "-id"],
            },
        ),
        migrations.AlterModelOptions(
            name="ward",
            options={
                "ordering": ["code"],
                "permissions": [
                    ("view_ward_pages", "Can read the ward's pages, PDFs and print runs"),
                    ("view_quality_pages", "Can read the quality figures, charts and monthly reports"),
                ],
                "verbose_name": "ward",
                "verbose_name_plural": "wards",
            },
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
                    ("safety_event_recorded", "Safety event recorded"),
                    ("safety_event_corrected", "Safety event corrected"),
                    ("teach_back_recorded", "Teach-back audit recorded"),
                ],
                max_length=40,
                verbose_name="action",
            ),
        ),
        migrations.AddIndex(
            model_name="checkrecord",
            index=models.Index(fields=["duty_date", "shift"], name="record_duty_date_idx"),
        ),
        migrations.AddField(
            model_name="safetyevent",
            name="admission",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="safety_events",
                to="checklists.admission",
                verbose_name="admission",
            ),
        ),
        migrations.AddField(
            model_name="safetyevent",
            name="corrects",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="corrected_by",
                to="checklists.safetyevent",
                verbose_name="corrects",
            ),
        ),
        migrations.AddField(
            model_name="safetyevent",
            name="injury_level",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="checklists.injurylevel",
                verbose_name="injury level",
            ),
        ),
        migrations.AddField(
            model_name="safetyevent",
            name="recorded_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recorded by",
            ),
        ),
        migrations.AddField(
            model_name="safetyevent",
            name="ward",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="checklists.ward", verbose_name="ward"
            ),
        ),
        migrations.AddField(
            model_name="teachbackaudit",
            name="admission",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="teach_back_audits",
                to="checklists.admission",
                verbose_name="admission",
            ),
        ),
        migrations.AddField(
            model_name="teachbackaudit",
            name="recorded_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recorded by",
            ),
        ),
        migrations.AddField(
            model_name="teachbackaudit",
            name="ward",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="checklists.ward", verbose_name="ward"
            ),
        ),
        migrations.AddIndex(
            model_name="safetyevent",
            index=models.Index(fields=["ward", "occurred_at"], name="safety_event_ward_idx"),
        ),
        migrations.AddConstraint(
            model_name="safetyevent",
            constraint=models.UniqueConstraint(
                fields=("corrects",),
                name="an_event_is_corrected_at_most_once",
                violation_error_message="This event was already corrected. Correct the newer entry instead.",
            ),
        ),
        migrations.AddConstraint(
            model_name="safetyevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "fall"), _negated=True),
                    ("injury_level__isnull", False),
                    ("withdrawn", True),
                    _connector="OR",
                ),
                name="a_fall_has_an_injury_level",
                violation_error_message="Choose the injury level of the fall.",
            ),
        ),
        migrations.AddConstraint(
            model_name="safetyevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("corrects__isnull", True), models.Q(("correction_reason", ""), _negated=True), _connector="OR"
                ),
                name="a_correction_has_a_reason",
                violation_error_message="Give the reason for the correction.",
            ),
        ),
        migrations.AddConstraint(
            model_name="safetyevent",
            constraint=models.CheckConstraint(
                condition=models.Q(("withdrawn", False), ("corrects__isnull", False), _connector="OR"),
                name="only_a_correction_withdraws",
                violation_error_message="Only a correction can withdraw an event.",
            ),
        ),
        migrations.AddIndex(
            model_name="teachbackaudit",
            index=models.Index(fields=["ward", "audited_at"], name="teach_back_ward_idx"),
        ),
        migrations.RunPython(injury_levels_ship, migrations.RunPython.noop),
        migrations.RunPython(permissions_grant, permissions_revoke),
        RunSQLOnPostgreSQL(sql=FORWARD, reverse_sql=BACKWARD),
    ]
