"""checklists.backends.ModelBackendInOneQuery answers every permission question as Django's
ModelBackend does, in one query instead of two, and once per request."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from checklists.backends import ModelBackendInOneQuery

from .factories import AdminUserFactory, LeaderFactory, NurseFactory, UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as a new request loads it: no permission cache yet."""
    return get_user_model().objects.get(pk=user.pk)


def with_own_permission(user):
    user.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    return user


@pytest.mark.parametrize(
    "make",
    [
        NurseFactory,
        LeaderFactory,
        AdminUserFactory,
        lambda: with_own_permission(NurseFactory()),  # a role and a permission of her own
        lambda: with_own_permission(UserFactory()),  # no role: her own permission only
        lambda: UserFactory(is_superuser=True),
        lambda: NurseFactory(is_active=False),
    ],
    ids=["nurse", "leader", "admin", "nurse+own", "own only", "superuser", "inactive"],
)
def test_the_permissions_are_django_s_in_one_query(make):
    user = make()
    expected = ModelBackend().get_all_permissions(fresh(user))
    user = fresh(user)
    with CaptureQueriesContext(connection) as queries:
        found = ModelBackendInOneQuery().get_all_permissions(user)
        assert ModelBackendInOneQuery().has_perm(user, next(iter(expected), "checklists.none")) == bool(expected)
    assert found == expected
    assert len(queries) == (1 if user.is_active else 0)
    if user.is_active and not user.is_superuser:
        assert expected, "the case has permissions to compare"


def test_an_object_permission_is_none_as_in_django():
    user = fresh(NurseFactory())
    assert ModelBackendInOneQuery().get_all_permissions(user, obj=object()) == set()
