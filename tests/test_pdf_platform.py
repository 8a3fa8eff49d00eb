"""What the PDFs need from the machine: HarfBuzz subsetting (without it WeasyPrint silently
falls back to fontTools, about 25 times slower), the Japanese font, poppler's tools for these
tests, and a renderer that fetches nothing.

The helpers here (``pdf_text``, ``pdf_fonts``, ``pdf_pages``, ``pdf_page_size``) are used by the
other PDF tests; they fail with a clear message when poppler-utils is missing.
"""

import ctypes.util
import logging
import re
import shutil
import subprocess
import urllib.request

import pytest

from checklists import printing

POPPLER = "poppler-utils (apt-get install poppler-utils; `make test` installs it)"


def pdf_text(data: bytes) -> str:
    """The PDF's text as pdftotext extracts it, in content order (WeasyPrint draws in document
    order, so columns do not interleave): text that is really there, not glyph soup."""
    if shutil.which("pdftotext") is None:
        pytest.fail(f"pdftotext is missing: the PDF tests need {POPPLER}")
    args = ["pdftotext", "-enc", "UTF-8", "-raw", "-", "-"]
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout.decode()


WORD = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>')


def type_size(data: bytes, fragment: str) -> float:
    """About the font size (pt) of the first word containing ``fragment``: pdftotext's word boxes
    of Noto Sans CJK are 1.45 em high."""
    if shutil.which("pdftotext") is None:
        pytest.fail(f"pdftotext is missing: the PDF tests need {POPPLER}")
    output = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True, check=True)
    for top, bottom, word in WORD.findall(output.stdout.decode()):
        if fragment in word:
            return (float(bottom) - float(top)) / 1.45
    raise AssertionError(f"{fragment!r} is not in the PDF")


def pdf_fonts(data: bytes) -> list[dict]:
    """pdffonts' table: one dict per font with name, type, embedded, subset, unicode."""
    if shutil.which("pdffonts") is None:
        pytest.fail(f"pdffonts is missing: the PDF tests need {POPPLER}")
    output = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True).stdout.decode()
    fonts = []
    for line in output.splitlines()[2:]:
        # name, type (may contain spaces), encoding, emb, sub, uni, object ID (2 columns)
        columns = line.split()
        fonts.append(
            {"name": columns[0], "embedded": columns[-5], "subset": columns[-4], "unicode": columns[-3], "line": line}
        )
    return fonts


def _info(data: bytes) -> dict:
    if shutil.which("pdfinfo") is None:
        pytest.fail(f"pdfinfo is missing: the PDF tests need {POPPLER}")
    output = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return dict(line.split(":", 1) for line in output.splitlines() if ":" in line)


def pdf_pages(data: bytes) -> int:
    return int(_info(data)["Pages"])


def pdf_page_size(data: bytes) -> tuple[float, float]:
    """Width and height of the first page in points: A4 is about 595 × 842."""
    width, _x, height, *_rest = _info(data)["Page size"].split()
    return float(width), float(height)


def assert_japanese_font_only(data: bytes) -> None:
    """Every font is Noto Sans CJK JP, embedded and subset, with a Unicode map (extractable)."""
    fonts = pdf_fonts(data)
    assert fonts, "no font in the PDF"
    for font in fonts:
        assert "Noto-Sans-CJK-JP" in font["name"], font["line"]
        assert (font["embedded"], font["subset"], font["unicode"]) == ("yes", "yes", "yes"), font["line"]


# --- the tests ---------------------------------------------------------------------------------


def test_libharfbuzz_subset_is_installed_and_weasyprint_uses_it():
    assert ctypes.util.find_library("harfbuzz-subset"), (
        "libharfbuzz-subset0 is missing: WeasyPrint falls back to fontTools and a bedside sheet takes "
        "~7.5 s instead of ~0.3 s. Install it: apt-get install libharfbuzz-subset0"
    )
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    # weasyprint.pdf.fonts.Font.subset takes HarfBuzz only when both hold.
    assert harfbuzz_subset is not None, "WeasyPrint could not load libharfbuzz-subset"
    assert harfbuzz.hb_version_atleast(4, 1, 0), "HarfBuzz is older than 4.1: WeasyPrint would use fontTools"


def test_a_render_subsets_the_font_with_harfbuzz_not_fonttools(caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        data = printing.render_document(
            '<html lang="ja"><p style="font-family: \'Noto Sans CJK JP\'">転倒予防</p>'
        ).write_pdf()
    assert not [r for r in caplog.records if "fontTools" in r.getMessage()], caplog.text
    assert "転倒予防" in pdf_text(data)
    assert_japanese_font_only(data)


def test_the_japanese_font_is_installed_by_name():
    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig's fc-match is not installed")
    matched = subprocess.run(["fc-match", printing.FONT_FAMILY], capture_output=True, check=True).stdout.decode()
    assert "Noto Sans CJK JP" in matched, f"fonts-noto-cjk is missing: {printing.FONT_FAMILY} resolves to {matched}"


def test_rendering_fetches_no_url(monkeypatch):
    opened = []
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", lambda self, *a, **k: opened.append(a))
    html = (
        '<html lang="ja"><link rel="stylesheet" href="https://cdn.example.com/x.css">'
        '<img src="http://example.com/tracker.png"><img src="file:///etc/hostname"><p>紙</p>'
    )
    printing.render_document(html).write_pdf()
    assert opened == []
