"""Migration 0017 on a database of the release before: each item's ``only_if`` becomes an
"applies if" rule of its item (published items included, which the database keeps frozen), and
the evening and night shifts become night shifts (on PostgreSQL through the shift table's
append-only trigger, switched off for that one backfill)."""

from datetime import time

import pytest

from .conftest import tokyo
from .migrations import migrate, migrate_to_latest

BEFORE = [("checklists", "0016_audit_action_pdf_downloaded")]
AFTER = [("checklists", "0017_rules_item_rules")]


@pytest.fixture
def old_database(transactional_db):
    apps = migrate(BEFORE)
    pattern = apps.get_model("checklists", "ShiftPattern").objects.create(code="three-shift", name_ja="三交代")
    version = apps.get_model("checklists", "ShiftPatternVersion").objects.create(
        pattern=pattern, number=1, effective_from=tokyo(2026, 10, 1, 0, 0).date()
    )
    Shift = apps.get_model("checklists", "ShiftDefinition")
    for n, (code, starts, ends) in enumerate(
        [("day", time(8, 30), time(17, 0)), ("evening", time(16, 30), time(1, 0)), ("night", time(0, 30), time(9, 0))]
    ):
        Shift.objects.create(version=version, code=code, name_ja=code, starts_at=starts, ends_at=ends, position=n)
    tremor = apps.get_model("checklists", "RiskFactor").objects.create(code="tremor", group="fall", name_ja="振戦")
    template = apps.get_model("checklists", "ChecklistTemplate").objects.create(
        code="fall", category="fall", name_ja="転倒"
    )
    published = apps.get_model("checklists", "TemplateVersion").objects.create(
        template=template, number=1, status="published", published_at=tokyo(2026, 10, 1, 9, 0)
    )
    Item = apps.get_model("checklists", "TemplateItem")
    Item.objects.create(version=published, key="tremor-watch", text_ja="振戦", source="institution", only_if=tremor)
    Item.objects.create(version=published, key="everyone", text_ja="全員", source="institution")
    yield
    migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_only_if_becomes_an_applies_if_rule_and_the_night_shifts_are_marked(old_database):
    apps = migrate(AFTER)  # the models as of 0017: today's have fields that came later
    ItemFactorRule, ShiftDefinition, TemplateItem = (
        apps.get_model("checklists", name) for name in ("ItemFactorRule", "ShiftDefinition", "TemplateItem")
    )
    rules = list(ItemFactorRule.objects.values_list("item__key", "kind", "risk_factor__code"))
    assert rules == [("tremor-watch", "applies_if", "tremor")]
    everyone = TemplateItem.objects.get(key="everyone")
    assert (everyone.for_children, everyone.for_adults, everyone.for_older, everyone.due_in) == (
        True,
        True,
        True,
        "all",
    )
    nights = dict(ShiftDefinition.objects.values_list("code", "is_night"))
    assert nights == {"day": False, "evening": True, "night": True}
