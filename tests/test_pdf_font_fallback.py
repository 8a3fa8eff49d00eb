"""Characters outside Noto Sans CJK (emoji, symbols) in a name or a note print with the
fallback font (Symbola, Debian's fonts-symbola) instead of as empty boxes (issue 13, finding 13).
A sheet without such characters still embeds the Japanese font only."""

import subprocess

import pytest

from checklists import printing, services
from checklists.models import Admission

from .conftest import tokyo
from .factories import ADULT_BIRTH_DATE
from .test_pdf_platform import assert_japanese_font_only, pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db
NAME = "星野 🌸 花子★"


def test_the_fallback_font_is_installed():
    for family in printing.FALLBACK_FONTS:
        matched = subprocess.run(["fc-match", family], capture_output=True, check=True).stdout.decode()
        assert family in matched, f"fonts-symbola is missing: {family} resolves to {matched}"


@pytest.fixture
def emoji_patient(content, beds, nurse, factors):
    return services.patient_admit(
        hospital_id="H777",
        name=NAME,
        birth_date=ADULT_BIRTH_DATE,
        bed=beds[3],
        risk_factors=[factors["unsteady_gait"]],
        by=nurse,
        at=tokyo(2026, 11, 20, 9, 0),
    )


def test_an_emoji_in_a_name_is_printed_with_the_fallback_font_not_a_box(emoji_patient, tmp_path):
    data = printing.bedside_pdf([Admission.objects.for_shift_work().get(pk=emoji_patient.pk)])
    fonts = {font["name"].split("+")[-1] for font in pdf_fonts(data)}
    assert any("Symbola" in name for name in fonts), fonts
    assert any("Noto-Sans-CJK-JP" in name for name in fonts), fonts
    for font in pdf_fonts(data):
        assert (font["embedded"], font["subset"]) == ("yes", "yes"), font["line"]
    text = pdf_text(data)
    assert "🌸" in text and "★" in text
    (tmp_path / "emoji.pdf").write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", str(tmp_path / "emoji.pdf"), str(tmp_path / "p")]
    )


def test_a_sheet_without_such_characters_embeds_the_japanese_font_only(admission):
    assert_japanese_font_only(printing.bedside_pdf([Admission.objects.for_shift_work().get(pk=admission.pk)]))
