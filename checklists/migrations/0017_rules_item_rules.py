"""Item rules (issue 11): an item applies if the patient has any of some factors, not if the
patient has any of others, to some age bands (from an age), in some shifts (night-only items are
not asked of 日勤). ``TemplateItem.only_if`` becomes an "applies if" rule row of its item.

Shifts get ``is_night``: the shipped 準夜, 深夜 and 夜勤 (and any shift that crosses midnight or
starts before 06:00 or from 16:00) are night shifts. On PostgreSQL shift definitions are
append-only (migration 0010); this one-off backfill switches their trigger off for its UPDATE
only. The rules of a published item never change: the database refuses it, as for the items
(migration 0004). An item's source gets a third kind: a seed passage supports the risk, the
action is the institution's (it names and quotes the document like a seed item).
"""

from datetime import time

import django.db.models.deletion
from django.db import migrations, models

from checklists.postgres import RunSQLOnPostgreSQL

RULES_NEVER_CHANGE = """
CREATE FUNCTION wardsafe_refuse_change_of_published_item_rule() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_status text;
BEGIN
    SELECT v.status INTO old_status FROM checklists_templateitem i
        JOIN checklists_templateversion v ON v.id = i.version_id WHERE i.id = OLD.item_id;
    IF old_status IS NOT NULL AND old_status <> 'draft' THEN
        RAISE EXCEPTION '% of a rule of template item % refused: its version is %', TG_OP, OLD.item_id, old_status
            USING ERRCODE = 'restrict_violation',
                  HINT = 'Rules change only in a draft: create a new draft of the template.';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$
"""
FORWARD = [
    RULES_NEVER_CHANGE,
    """
    CREATE TRIGGER published_item_rules_never_change
    BEFORE UPDATE OR DELETE ON checklists_itemfactorrule
    FOR EACH ROW EXECUTE FUNCTION wardsafe_refuse_change_of_published_item_rule()
    """,
]
BACKWARD = [
    "DROP TRIGGER published_item_rules_never_change ON checklists_itemfactorrule",
    "DROP FUNCTION wardsafe_refuse_change_of_published_item_rule()",
]


def only_if_to_rules(apps, schema_editor):
    TemplateItem = apps.get_model("checklists", "TemplateItem")
    ItemFactorRule = apps.get_model("checklists", "ItemFactorRule")
    ItemFactorRule.objects.bulk_create(
        ItemFactorRule(item_id=pk, kind="applies_if", risk_factor_id=factor)
        for pk, factor in TemplateItem.objects.filter(only_if__isnull=False).values_list("pk", "only_if_id")
    )


def rules_to_only_if(apps, schema_editor):
    """Back to one factor per item: the first "applies if" factor (the others are lost)."""
    TemplateItem = apps.get_model("checklists", "TemplateItem")
    ItemFactorRule = apps.get_model("checklists", "ItemFactorRule")
    for rule in ItemFactorRule.objects.filter(kind="applies_if").order_by("item_id", "pk"):
        TemplateItem.objects.filter(pk=rule.item_id, only_if__isnull=True).update(only_if_id=rule.risk_factor_id)


def looks_like_night(starts: time, ends: time) -> bool:
    return ends < starts or starts < time(6, 0) or starts >= time(16, 0)


def mark_night_shifts(apps, schema_editor):
    ShiftDefinition = apps.get_model("checklists", "ShiftDefinition")
    night = [s.pk for s in ShiftDefinition.objects.all() if looks_like_night(s.starts_at, s.ends_at)]
    if not night:
        return
    postgres = schema_editor.connection.vendor == "postgresql"
    table = "checklists_shiftdefinition"
    if postgres:
        schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER shift_definitions_are_append_only")
    ShiftDefinition.objects.filter(pk__in=night).update(is_night=True)
    if postgres:
        schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER shift_definitions_are_append_only")


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0016_audit_action_pdf_downloaded"),
    ]

    operations = [
        migrations.CreateModel(
            name="ItemFactorRule",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("applies_if", "applies if the patient has any of"),
                            ("unless", "does not apply if the patient has any of"),
                        ],
                        max_length=20,
                        verbose_name="rule",
                    ),
                ),
            ],
            options={
                "verbose_name": "item rule",
                "verbose_name_plural": "item rules",
                "ordering": ["item", "kind", "risk_factor__position", "risk_factor__code"],
            },
        ),
        migrations.AddField(
            model_name="shiftdefinition",
            name="is_night",
            field=models.BooleanField(
                default=False,
                help_text="Items due in night shifts only are asked in this shift.",
                verbose_name="night shift",
            ),
        ),
        migrations.AddField(
            model_name="templateitem",
            name="due_in",
            field=models.CharField(
                choices=[("all", "Every shift"), ("night", "Night shifts only"), ("day", "Day shifts only")],
                default="all",
                max_length=10,
                verbose_name="due in",
            ),
        ),
        migrations.AddField(
            model_name="templateitem",
            name="for_adults",
            field=models.BooleanField(default=True, verbose_name="for adults (15 to 69)"),
        ),
        migrations.AddField(
            model_name="templateitem",
            name="for_children",
            field=models.BooleanField(default=True, verbose_name="for children (under 15)"),
        ),
        migrations.AddField(
            model_name="templateitem",
            name="for_older",
            field=models.BooleanField(default=True, verbose_name="for patients aged 70 and over"),
        ),
        migrations.AddField(
            model_name="templateitem",
            name="from_age",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Leave empty for every age; e.g. 6 keeps an item away from toddlers.",
                null=True,
                verbose_name="from age (years)",
            ),
        ),
        migrations.AddConstraint(
            model_name="templateitem",
            constraint=models.CheckConstraint(
                condition=models.Q(("for_children", True), ("for_adults", True), ("for_older", True), _connector="OR"),
                name="an_item_is_for_some_age_band",
                violation_error_message="Choose at least one age band the item is for.",
            ),
        ),
        migrations.AddField(
            model_name="itemfactorrule",
            name="item",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="factor_rules",
                to="checklists.templateitem",
                verbose_name="item",
            ),
        ),
        migrations.AddField(
            model_name="itemfactorrule",
            name="risk_factor",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="item_rules",
                to="checklists.riskfactor",
                verbose_name="risk factor",
            ),
        ),
        migrations.AddConstraint(
            model_name="itemfactorrule",
            constraint=models.UniqueConstraint(
                fields=("item", "risk_factor"), name="a_factor_is_in_one_rule_of_an_item"
            ),
        ),
        migrations.RunPython(only_if_to_rules, rules_to_only_if),
        migrations.RemoveField(
            model_name="templateitem",
            name="only_if",
        ),
        migrations.RunPython(mark_night_shifts, migrations.RunPython.noop),
        RunSQLOnPostgreSQL(FORWARD, BACKWARD),
        migrations.RemoveConstraint(
            model_name="templateitem",
            name="item_provenance_is_a_document_or_the_institution",
        ),
        migrations.AlterField(
            model_name="templateitem",
            name="source",
            field=models.CharField(
                choices=[
                    ("seed", "Source document"),
                    ("institution", "Added by the institution"),
                    ("risk", "Seed passage for the risk; action added by the institution"),
                ],
                default="seed",
                max_length=20,
                verbose_name="source",
            ),
        ),
        migrations.AddConstraint(
            model_name="templateitem",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("source__in", ["seed", "risk"]), models.Q(("source_document", ""), _negated=True)),
                    models.Q(("source", "institution"), ("source_document", ""), ("source_passage", "")),
                    _connector="OR",
                ),
                name="item_provenance_is_a_document_or_the_institution",
                violation_error_message="Name the source document, or mark the item as added by the institution.",
            ),
        ),
    ]
