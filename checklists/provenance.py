"""Whether a checklist item says where it comes from: an item taken from a seed document
must quote its passage, and the passage must be found word for word in the named document
(a file in ``WARDSAFE_SEEDS_DIR``). The editor shows these warnings beside a version's
items and on the publish page."""

import re
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .models import TemplateItem

SEED_001 = "001_"  # Isaacs syndrome: one web page, every number the content ships comes from it
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:\s*[〜~–-]\s*\d+(?:\.\d+)?)?\s*(?:℃|°C|分|時間|L|リットル)")


def provenance_notes(items) -> dict[int, list[str]]:
    """Warnings per item: a seed-sourced item without its passage, a passage that is not found
    word for word in the named seed document, or a number that only seed 001 gives."""
    seeds = Path(settings.WARDSAFE_SEEDS_DIR)
    texts: dict[str, str | None] = {}
    notes: dict[int, list[str]] = {}
    for item in items:
        if item.source not in TemplateItem.QUOTING:
            continue
        if item.source_document.startswith(SEED_001) and (numbers := NUMBER.findall(f"{item.text_ja} {item.why_ja}")):
            notes.setdefault(item.pk, []).append(
                _(
                    "For the institution's reviewer: %(numbers)s comes only from seed 001, one web page with "
                    "unverifiable figures. Check it against the institution's own procedure."
                )
                % {"numbers": "、".join(dict.fromkeys(numbers))}
            )
        if not item.source_passage.strip():
            notes.setdefault(item.pk, []).append(_("No quoted passage from the source document."))
            continue
        if item.source_document not in texts:
            path = seeds / item.source_document
            is_seed = Path(item.source_document).name == item.source_document and path.is_file()
            texts[item.source_document] = path.read_text(encoding="utf-8", errors="replace") if is_seed else None
        text = texts[item.source_document]
        if text is not None and item.source_passage not in text:
            notes.setdefault(item.pk, []).append(
                _("The passage is not found word for word in %(document)s.") % {"document": item.source_document}
            )
    return notes
