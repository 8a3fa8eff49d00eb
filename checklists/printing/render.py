"""The render and write steps of the printouts: Django templates under
``templates/checklists/pdf/`` display what ``gather`` collected, and WeasyPrint lays the HTML out
and writes the bytes — the bedside sheet, the patient and family handout, the downtime (paper)
sheet, the handover, and the whole-ward print runs.

Nothing is fetched while rendering: the stylesheet is a template parsed once per process and
handed to WeasyPrint, the risk icons are characters of the font, and the URL fetcher refuses
every URL, so a render never waits on the network or sends anything to it. The font family
is set on ``html`` by name ("Noto Sans CJK JP", Debian's fonts-noto-cjk), so kana, kanji and
Latin share one font, embedded once per document and subset (by HarfBuzz when
libharfbuzz-subset0 is installed; without it WeasyPrint silently takes ~25 times longer).

The bedside sheet must fit one A4 page: ``bedside_layout`` starts at the density that
``layout.first_page`` estimates will fit and steps down while WeasyPrint still needs a second
page. A ward run lays out each sheet as its own document (the one-page check, and progress to
report) and writes ONE PDF from all their pages, so that the font is embedded once.
"""

import functools
import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .. import selectors
from ..fonts import FALLBACK_FONTS, FONT_FAMILY
from ..models import Admission
from ..shifts import ShiftSlot
from .gather import BedsideSheet, bedside_sheets, downtime_sheet, handout
from .layout import DENSITIES, BedsidePage, first_page

logger = logging.getLogger(__name__)


def _weasyprint():
    # Imported when first needed: importing WeasyPrint costs about 0.6 s, which only the
    # processes that print should pay.
    import weasyprint

    return weasyprint


def font_configuration():
    """One FontConfiguration for the documents of a print run (saves loading fonts per sheet)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.cache
def _fetcher():
    """One URL fetcher per process (making one loads the system's certificates, ~25 ms); it
    refuses every URL but ``data:`` anyway."""
    return _weasyprint().URLFetcher(allowed_protocols=("data",))


@functools.cache
def _parsed_stylesheet():
    families = ", ".join(f'"{family}"' for family in (FONT_FAMILY, *FALLBACK_FONTS))
    css = render_to_string("checklists/pdf/pdf.css", {"font_families": families})
    return _weasyprint().CSS(string=css, url_fetcher=_fetcher())


def stylesheet():
    """templates/checklists/pdf/pdf.css, parsed once per process (~45 ms a document otherwise);
    in development (DEBUG) read again each time, so that edits show at once."""
    if settings.DEBUG:
        _parsed_stylesheet.cache_clear()
    return _parsed_stylesheet()


def render_document(html: str, *, font_config=None):
    """Lay out ``html`` with the PDF stylesheet; no URL is fetched."""
    document = _weasyprint().HTML(string=html, base_url=None, url_fetcher=_fetcher())
    return document.render(font_config=font_config, stylesheets=[stylesheet()])


def write_pdf(documents: list) -> bytes:
    """One PDF from the pages of several laid-out documents: fonts are embedded once."""
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


def _context(**context) -> dict:
    return {"language": translation.get_language() or "ja", **context}


BEDSIDE_TEMPLATE = "checklists/pdf/bedside_sheet.html"


def bedside_html(pages: list[BedsidePage]) -> str:
    return render_to_string(BEDSIDE_TEMPLATE, _context(pages=pages))


def bedside_layout(sheet: BedsideSheet, *, font_config=None) -> tuple[BedsidePage, object]:
    """The sheet on exactly one A4 page: start at the density the estimate allows, and take
    the next smaller one while the layout still needs a second page. Returns the page that was
    laid out and WeasyPrint's document."""
    page = first_page(sheet)
    for density in DENSITIES[DENSITIES.index(page.density) :]:
        page = page if page.density == density else BedsidePage.at(sheet, density)
        document = render_document(bedside_html([page]), font_config=font_config)
        if len(document.pages) == 1:
            return page, document
    logger.warning("Bedside sheet of admission %s needs %d pages", sheet.admission.pk, len(document.pages))
    return page, document


def bedside_pdf(admissions: Iterable[Admission], *, on_progress: Callable[[int], None] | None = None) -> bytes:
    """Bedside sheets as ONE document (fonts embedded once), one page per patient."""
    sheets = bedside_sheets(admissions)
    font_config = font_configuration()
    documents = []
    for done, sheet in enumerate(sheets, start=1):
        documents.append(bedside_layout(sheet, font_config=font_config)[1])
        if on_progress is not None:
            on_progress(done)
    return write_pdf(documents)


def handout_pdf(admission: Admission) -> bytes:
    html = render_to_string("checklists/pdf/handout.html", _context(handout=handout(admission)))
    return render_document(html).write_pdf()


def downtime_pdf(admission: Admission, *, at: datetime | None = None) -> bytes:
    html = render_to_string("checklists/pdf/downtime_sheet.html", _context(sheet=downtime_sheet(admission, at=at)))
    return render_document(html).write_pdf()


def handover_pdf(*, ward, slot: ShiftSlot, previous: ShiftSlot) -> bytes:
    """The handover page as a PDF."""
    entries = selectors.handover(ward, slot, previous)
    html = render_to_string(
        "checklists/pdf/handover.html",
        _context(ward=ward, slot=slot, entries=entries, printed_at=timezone.localtime()),
    )
    return render_document(html).write_pdf()
