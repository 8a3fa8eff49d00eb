"""The checklist editor's writes on a draft's items: add, change (with the item's rules),
remove and reorder. Each locks the draft and refuses a stale edit (``editor.draft_for_edit``)."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..models import ItemFactorRule, RiskFactor, TemplateItem, TemplateVersion
from .editor import draft_for_edit

# An item's factor rules, beside its fields: lists of risk factors (ItemFactorRule rows).
RULE_FIELDS = {"applies_if_any": ItemFactorRule.Kind.APPLIES_IF, "not_if_any": ItemFactorRule.Kind.UNLESS}
ITEM_FIELDS = (*TemplateItem.CONTENT_FIELDS, *RULE_FIELDS)


def _rule_codes(item: TemplateItem) -> dict[str, list[str]]:
    """The item's factor rules as stored: {"applies_if_any": [codes], "not_if_any": [codes]}."""
    rules = list(ItemFactorRule.objects.filter(item=item).select_related("risk_factor").order_by("risk_factor__code"))
    return {name: [r.risk_factor.code for r in rules if r.kind == kind] for name, kind in RULE_FIELDS.items()}


def _rules_set(item: TemplateItem, rules: dict[str, Iterable[RiskFactor]], stored: dict | None = None) -> None:
    """Set the item's factor rules (a draft's item; published ones never change). ``stored``: the
    rules as they were (``_rule_codes``), so that a kind that did not change is not rewritten;
    None for a new item."""
    wanted = {name: list(dict.fromkeys(factors)) for name, factors in rules.items()}
    both = set(wanted.get("applies_if_any", [])) & set(wanted.get("not_if_any", []))
    if both:
        raise ValidationError(
            {
                "not_if_any": _("%(factors)s cannot both bring the item and keep it away.")
                % {"factors": ", ".join(sorted(factor.name for factor in both))}
            }
        )
    for name, factors in wanted.items():
        if stored is not None and sorted(factor.code for factor in factors) == stored[name]:
            continue
        if stored is not None:
            ItemFactorRule.objects.filter(item=item, kind=RULE_FIELDS[name]).delete()
        ItemFactorRule.objects.bulk_create(
            ItemFactorRule(item=item, kind=RULE_FIELDS[name], risk_factor=factor) for factor in factors
        )


def _split_rules(fields: dict) -> dict[str, list[RiskFactor]]:
    return {name: list(fields.pop(name)) for name in RULE_FIELDS if name in fields}


def _item_key(version: TemplateVersion, text_en: str) -> str:
    """A key for a new item: from its English text, unique across all versions of the template
    (so the diff never mistakes a new item for an old one that was removed)."""
    base = slugify(text_en)[:50].strip("-") or "item"
    taken = set(TemplateItem.objects.filter(version__template_id=version.template_id).values_list("key", flat=True))
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


def _item_clean(item: TemplateItem) -> None:
    """Check an item's rules with messages an admin can act on, then the model's own checks."""
    for name in ("text_ja", "text_en", "why_ja", "why_en", "source_document", "source_passage"):
        setattr(item, name, (getattr(item, name) or "").strip())
    if not item.text_ja:
        raise ValidationError({"text_ja": _("Enter the item's text in Japanese.")})
    if item.source in TemplateItem.QUOTING and not item.source_document:
        raise ValidationError(
            {"source_document": _("Name the source document, or mark the item as added by the institution.")}
        )
    if item.source == TemplateItem.Source.INSTITUTION and (item.source_document or item.source_passage):
        raise ValidationError(
            {"source_document": _("An item added by the institution has no source document or passage.")}
        )
    if TemplateItem.objects.filter(version_id=item.version_id, key=item.key).exclude(pk=item.pk).exists():
        raise ValidationError(
            {"key": _("Another item of this draft already uses the key %(key)s.") % {"key": item.key}}
        )
    item.full_clean()


@transaction.atomic
def template_item_add(*, version: TemplateVersion, by, expected_revision: int | None = None, **fields) -> TemplateItem:
    """Add an item at the end of a draft. Without a key, one is made from the English text."""
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    fields["key"] = (fields.get("key") or "").strip() or _item_key(version, fields.get("text_en", ""))
    rules = _split_rules(fields)
    version = draft_for_edit(version, expected_revision, by, change={"change": "item_added", "item": fields["key"]})
    position = (version.items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    item = TemplateItem(version=version, position=position, **fields)
    _item_clean(item)
    item.save()
    _rules_set(item, rules)
    return item


@transaction.atomic
def template_item_update(*, item: TemplateItem, by, expected_revision: int | None = None, **fields) -> TemplateItem:
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    current = TemplateItem.objects.filter(pk=item.pk).first()
    if current is None:
        raise ValidationError(_("This item was removed from the draft meanwhile. Reload the draft."))
    rules = _split_rules(fields)
    stored = _rule_codes(current) if rules else {}
    changed = sorted(
        [name for name, value in fields.items() if getattr(current, name) != value]
        + [name for name, factors in rules.items() if sorted(f.code for f in factors) != stored[name]]
    )
    draft_for_edit(
        current.version,
        expected_revision,
        by,
        change={"change": "item_updated", "item": current.key, "fields": changed},
    )
    for name, value in fields.items():
        setattr(current, name, value)
    _item_clean(current)
    current.save()
    _rules_set(current, rules, stored)
    return current


@transaction.atomic
def template_item_remove(*, item: TemplateItem, by, expected_revision: int | None = None) -> None:
    draft_for_edit(item.version, expected_revision, by, change={"change": "item_removed", "item": item.key})
    TemplateItem.objects.filter(pk=item.pk).delete()


@transaction.atomic
def template_item_move(*, item: TemplateItem, direction: str, by, expected_revision: int | None = None) -> TemplateItem:
    """Swap an item of a draft with its neighbour above ("up") or below ("down")."""
    if direction not in ("up", "down"):
        raise ValidationError(_("An item can be moved up or down."))
    current = TemplateItem.objects.filter(pk=item.pk).first()
    if current is None:
        raise ValidationError(_("This item was removed from the draft meanwhile. Reload the draft."))
    version = draft_for_edit(
        current.version, expected_revision, by, change={"change": "item_moved", "item": current.key, "to": direction}
    )
    items = list(version.items.order_by("position", "id"))
    index = next(i for i, other in enumerate(items) if other.pk == current.pk)
    neighbour = index - 1 if direction == "up" else index + 1
    if not 0 <= neighbour < len(items):
        raise ValidationError(
            _("This item is already the first.") if direction == "up" else _("This item is already the last.")
        )
    items[index], items[neighbour] = items[neighbour], items[index]
    for position, other in enumerate(items, start=1):
        other.position = position
    TemplateItem.objects.bulk_update(items, ["position"])
    return items[neighbour]
