"""How an audit event reads in a template's history: one line a nurse educator can follow
("Item fall-03 edited: Text (Japanese), How often"), made from the event's action and the
details its service wrote. An event written by an older version of the app still reads."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditEvent, TemplateItem

DRAFT_CHANGES = {
    "item_added": gettext_lazy("Item %(item)s added"),
    "item_updated": gettext_lazy("Item %(item)s edited"),
    "item_removed": gettext_lazy("Item %(item)s removed"),
    "item_moved": gettext_lazy("Item %(item)s moved"),
}


def item_field_label(name: str) -> str:
    """The label of a template item's field, or its name when the field is gone."""
    try:
        return str(TemplateItem._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # written by an older version of the app
        return name


def event_summary(event: AuditEvent, factor_names: dict[str, str]) -> str:
    """One line a nurse educator can read, from the event's action and details.

    ``factor_names`` maps risk factor codes to names, for the triggers an event names."""
    data, Action = event.data, AuditEvent.Action
    if event.action == Action.DRAFT_EDITED and data.get("change") in DRAFT_CHANGES:
        text = DRAFT_CHANGES[data["change"]] % {"item": data.get("item", "")}
        if data.get("fields"):
            text += ": " + ", ".join(item_field_label(name) for name in data["fields"])
        return text
    if event.action == Action.VERSION_PUBLISHED:
        return _("Version %(number)s published: %(note)s") % {
            "number": data.get("number"),
            "note": data.get("change_note", ""),
        }
    if event.action == Action.VERSION_RETIRED:
        return _("Version %(number)s superseded by version %(by)s") % {
            "number": data.get("number"),
            "by": data.get("replaced_by"),
        }
    if event.action == Action.DRAFT_CREATED:
        source = data.get("copied_from") or data.get("imported_from")
        if source:
            return _("Draft version %(number)s created from version %(source)s") % {
                "number": data.get("number"),
                "source": source,
            }
        return _("Draft version %(number)s created") % {"number": data.get("number")}
    if event.action == Action.TEMPLATE_EDITED:
        added = ", ".join(factor_names.get(code, code) for code in data.get("triggers_added", []))
        removed = ", ".join(factor_names.get(code, code) for code in data.get("triggers_removed", []))
        return _("Triggers changed. Added: %(added)s. Removed: %(removed)s.") % {
            "added": added or "—",
            "removed": removed or "—",
        }
    if event.action == Action.TEMPLATE_EXPORTED:
        return _("Exported versions %(numbers)s") % {"numbers": ", ".join(map(str, data.get("versions", [])))}
    if event.action == Action.TEMPLATE_IMPORTED:
        if "into_draft" in data:
            return _("Imported from a file into draft version %(number)s") % {"number": data["into_draft"]}
        return _("Imported from a file with versions %(numbers)s") % {
            "numbers": ", ".join(map(str, data.get("versions", [])))
        }
    if event.action == Action.CHECKLIST_MOVED:
        # The editor's history names no patient: the ward (and bed, in moves since it was noted).
        where = " ".join(filter(None, [event.ward.name if event.ward_id else "", data.get("bed", "")]))
        return _("A patient on %(where)s: moved from version %(old)s to version %(new)s") % {
            "where": where or "—",
            "old": data.get("from"),
            "new": data.get("to"),
        }
    return event.object_repr
