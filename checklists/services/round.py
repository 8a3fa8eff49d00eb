"""The rest of a round in one tap: record "done" for the open, non-critical items a nurse
confirmed, each as its own record (item, nurse, time) with its audit row, all in one
transaction. Critical items are never recorded this way: each needs its own tap."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import CheckRecord, PatientChecklist, TemplateItem
from .recording import RecordedMeanwhile, item_record


@transaction.atomic
def rest_record_done(
    *, entries: Iterable[tuple[PatientChecklist, TemplateItem, int]], by
) -> tuple[list[CheckRecord], list[TemplateItem]]:
    """``entries``: (checklist, item, seen) the confirmation listed, ``seen`` being the standing
    record the page showed for the item (0: none). Returns the records made (a repeat returns
    the first one) and the items skipped because a colleague recorded them meanwhile. A
    critical item refuses the whole lot."""
    entries = list(entries)
    if not entries:
        raise ValidationError(_("Nothing is left to record as done."))
    critical = [item.text for _checklist, item, _seen in entries if item.is_critical]
    if critical:
        raise ValidationError(
            _("Critical items need their own tap: %(items)s. Nothing was saved.") % {"items": ", ".join(critical)}
        )
    records, skipped = [], []
    for checklist, item, seen in entries:
        try:
            records.append(
                item_record(checklist=checklist, item=item, status=CheckRecord.Status.DONE, by=by, seen=seen)
            )
        except RecordedMeanwhile:
            skipped.append(item)
    return records, skipped
