"""Reading a ward's pages needs a role: the permission ``view_ward_pages`` for the nurse and
shift-leader groups. The checklist-admin group loses ``view_patientchecklist`` (its rows in the
Django admin are named after the patient). The codenames are written out here, not read from
checklists.roles, so that this migration does the same thing whatever roles.py says later."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READERS = ["nurse", "shift_leader"]


def _permission(apps, codename):
    for app_config in apps.get_app_configs():  # the new permission exists before post_migrate
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    return apps.get_model("auth", "Permission").objects.get(content_type__app_label="checklists", codename=codename)


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ward_pages = _permission(apps, "view_ward_pages")
    for group in Group.objects.filter(name__in=READERS):
        group.permissions.add(ward_pages)
    for group in Group.objects.filter(name="checklist_admin"):
        group.permissions.remove(_permission(apps, "view_patientchecklist"))


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="checklist_admin"):
        group.permissions.add(_permission(apps, "view_patientchecklist"))


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0014_check_record_form_token"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="ward",
            options={
                "ordering": ["code"],
                "permissions": [("view_ward_pages", "Can read the ward's pages, PDFs and print runs")],
                "verbose_name": "ward",
                "verbose_name_plural": "wards",
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
