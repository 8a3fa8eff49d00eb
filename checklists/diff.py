"""What changed between two versions of a checklist template (read-only).

Items are matched by ``key``, which stays the same across versions: an item is added,
removed, or changed field by field (old → new). A change of order is reported when the
items both versions share come in a different order. The versions come from
``TemplateVersionQuerySet.with_items`` so that nothing here queries.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models import TemplateItem, TemplateVersion
from .models.content import LIST_SEPARATOR

# The item's factor rules (rows, not fields) and how the diff names them.
RULES = {
    "applies_if_any": (_("applies if the patient has any of"), "applies_if_factors"),
    "not_if_any": (_("does not apply if the patient has any of"), "unless_factors"),
}
# The fields compared, in the order the diff lists them (items are matched by key).
COMPARED_FIELDS = (*TemplateItem.CONTENT_FIELDS[1:], *RULES)


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass
class ItemChange:
    key: str
    old: TemplateItem
    new: TemplateItem
    fields: list[FieldChange]


@dataclass
class VersionDiff:
    old: TemplateVersion | None
    new: TemplateVersion
    added: list[TemplateItem] = field(default_factory=list)
    removed: list[TemplateItem] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _shown(item: TemplateItem, name: str) -> str:
    """A field's value as the editor shows it."""
    if name == "frequency":
        return str(item.get_frequency_display())
    if name == "source":
        return str(item.get_source_display())
    if name == "due_in":
        return str(item.get_due_in_display())
    if name in ("is_critical", "for_children", "for_adults", "for_older"):
        return str(_("yes") if getattr(item, name) else _("no"))
    if name == "from_age":
        return "—" if item.from_age is None else str(item.from_age)
    if name in RULES:
        return str(LIST_SEPARATOR).join(factor.name for factor in getattr(item, RULES[name][1])) or "—"
    return getattr(item, name)


def _raw(item: TemplateItem, name: str):
    if name in RULES:
        return sorted(factor.code for factor in getattr(item, RULES[name][1]))
    return getattr(item, name)


def _label(name: str) -> str:
    return str(RULES[name][0]) if name in RULES else str(TemplateItem._meta.get_field(name).verbose_name)


def compare(old: TemplateVersion | None, new: TemplateVersion) -> VersionDiff:
    """The changes from ``old`` to ``new``; with no ``old`` every item counts as added."""
    old_items = list(old.items.all()) if old is not None else []
    new_items = list(new.items.all())
    old_by_key = {item.key: item for item in old_items}
    new_by_key = {item.key: item for item in new_items}
    result = VersionDiff(old=old, new=new)
    result.added = [item for item in new_items if item.key not in old_by_key]
    result.removed = [item for item in old_items if item.key not in new_by_key]

    # Order: each shared item's rank among the shared items, before and after.
    shared_old = [item.key for item in old_items if item.key in new_by_key]
    shared_new = [item.key for item in new_items if item.key in old_by_key]
    old_rank = {key: rank for rank, key in enumerate(shared_old)}
    new_rank = {key: rank for rank, key in enumerate(shared_new)}
    old_place = {item.key: place for place, item in enumerate(old_items, start=1)}
    new_place = {item.key: place for place, item in enumerate(new_items, start=1)}

    for key in shared_new:
        before, after = old_by_key[key], new_by_key[key]
        changes = [
            FieldChange(
                name=name,
                label=_label(name),
                old=_shown(before, name),
                new=_shown(after, name),
            )
            for name in COMPARED_FIELDS
            if _raw(before, name) != _raw(after, name)
        ]
        if old_rank[key] != new_rank[key]:
            changes.append(
                FieldChange(
                    name="position", label=str(_("place in the list")), old=str(old_place[key]), new=str(new_place[key])
                )
            )
        if changes:
            result.changed.append(ItemChange(key=key, old=before, new=after, fields=changes))
        else:
            result.unchanged += 1
    return result
