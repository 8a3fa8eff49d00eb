"""factory_boy factories for tests. Clinical rows are normally made by services;
factories make the reference data around them."""

from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from checklists import roles
from checklists.models import Bed, ChecklistTemplate, RiskFactor, TemplateVersion, Ward

PASSWORD = "secret-pass-123"
ADULT_BIRTH_DATE = date(1970, 5, 1)
# Every Morse Fall Scale answer at its highest: 25 + 15 + 30 + 20 + 20 + 15 = 125, 「高」 (≥ 45).
MFS_HIGHEST = {
    "history-of-falling": "yes",
    "secondary-diagnosis": "yes",
    "ambulatory-aid": "furniture",
    "iv-therapy": "yes",
    "gait": "impaired",
    "mental-status": "forgets-limitations",
}
CHILD_BIRTH_DATE = date(2020, 5, 1)


def role_group(name: str) -> Group:
    """The role's group as migration 0002_roles makes it. Transactional tests (the browser tests)
    flush the database afterwards, and the flush removes migration data: bring it back."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        codenames = roles.PERMISSIONS[name]
        group.permissions.set(Permission.objects.filter(content_type__app_label="checklists", codename__in=codenames))
    return group


def in_role(default: str | None):
    """Post-generation: put the user in a role group (``role=...`` overrides the default)."""

    def add(user, create, extracted, **kwargs):
        name = extracted or default
        if create and name:
            user.groups.add(role_group(name))

    return factory.PostGeneration(add)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)
    role = in_role(None)


class NurseFactory(UserFactory):
    role = in_role(roles.NURSE)


class LeaderFactory(UserFactory):
    role = in_role(roles.SHIFT_LEADER)


class AdminUserFactory(UserFactory):
    role = in_role(roles.CHECKLIST_ADMIN)
    is_staff = True


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"ward-{n}")
    name = factory.Sequence(lambda n: f"病棟{n}")


class BedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bed

    ward = factory.SubFactory(WardFactory)
    code = factory.Sequence(lambda n: f"{100 + n}")
    position = factory.Sequence(lambda n: n)


class RiskFactorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskFactor
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"factor-{n}")
    group = RiskFactor.Group.FALL
    name_ja = factory.Sequence(lambda n: f"因子{n}")
    name_en = factory.Sequence(lambda n: f"Factor {n}")


class TemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistTemplate

    code = factory.Sequence(lambda n: f"template-{n}")
    category = ChecklistTemplate.Category.FALL
    name_ja = factory.Sequence(lambda n: f"テンプレート{n}")
    name_en = factory.Sequence(lambda n: f"Template {n}")


class DraftVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateVersion

    template = factory.SubFactory(TemplateFactory)
    number = 1
    status = TemplateVersion.Status.DRAFT
