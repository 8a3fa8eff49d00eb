"""Every shift belongs to a pattern version (0009 put the global shifts into one), its code is
unique within the version, and ``is_active`` goes: a shift is in force when its version is.

On PostgreSQL the pattern versions, their shifts and the wards' pattern assignments become
append-only like the check records (migration 0004's function refuses an UPDATE or DELETE):
a change of shift times is a new version from a duty date, so no past slot can move. The
role groups get the permissions of the new tables (a checklist admin adds patterns, versions
and assignments, and no longer changes a shift in place).
"""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

from checklists import roles
from checklists.postgres import RunSQLOnPostgreSQL

APPEND_ONLY = {
    "shift_pattern_versions_are_append_only": "checklists_shiftpatternversion",
    "shift_definitions_are_append_only": "checklists_shiftdefinition",
    "ward_shift_patterns_are_append_only": "checklists_wardshiftpattern",
}
FORWARD = [
    f"""
    CREATE TRIGGER {trigger}
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION wardsafe_refuse_change_of_history()
    """
    for trigger, table in APPEND_ONLY.items()
]
BACKWARD = [f"DROP TRIGGER {trigger} ON {table}" for trigger, table in APPEND_ONLY.items()]


def grant_role_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in roles.PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label="checklists", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0009_shift_patterns_from_global_shifts"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="shiftdefinition",
            options={
                "ordering": ["version", "position", "starts_at"],
                "verbose_name": "shift",
                "verbose_name_plural": "shifts",
            },
        ),
        migrations.RemoveField(model_name="shiftdefinition", name="is_active"),
        migrations.AlterField(
            model_name="shiftdefinition",
            name="version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="shifts",
                to="checklists.shiftpatternversion",
                verbose_name="pattern version",
            ),
        ),
        migrations.AddConstraint(
            model_name="shiftdefinition",
            constraint=models.UniqueConstraint(
                fields=("version", "code"), name="shift_codes_unique_per_pattern_version"
            ),
        ),
        RunSQLOnPostgreSQL(sql=FORWARD, reverse_sql=BACKWARD),
        migrations.RunPython(grant_role_permissions, migrations.RunPython.noop),
    ]
