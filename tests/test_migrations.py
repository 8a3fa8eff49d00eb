"""Models and migrations are in step."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_are_in_step():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_the_roles_exist_with_their_permissions():
    from django.contrib.auth.models import Group

    nurse = set(Group.objects.get(name="nurse").permissions.values_list("codename", flat=True))
    admin = set(Group.objects.get(name="checklist_admin").permissions.values_list("codename", flat=True))
    assert {"add_checkrecord", "add_admission"} <= nurse
    assert "change_checklisttemplate" not in nurse
    assert {"change_checklisttemplate", "add_templateitem"} <= admin
    assert "add_checkrecord" not in admin
    assert Group.objects.filter(name="shift_leader").exists()
