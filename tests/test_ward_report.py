"""The monthly ward report: A4, Japanese first, in the PDFs' Japanese font (pdffonts), with the
month's figures, the most-missed critical items and the events, without patient names unless
asked for (pdftotext); asking for names is for those who read the ward's pages."""

import shutil
import subprocess

import pytest
from django.conf import settings
from django.utils import translation

from checklists import printing

from .factories import AdminUserFactory
from .test_quality_figures import NOV, data  # noqa: F401 - the fixed data set

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed"),
]

NAMES = ("一 太郎", "二 次郎", "三 花子")


def text_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, check=True, text=True).stdout


def test_the_report_is_japanese_in_the_cjk_font_with_the_months_figures(data, tmp_path):  # noqa: F811
    with translation.override("ja"):  # Japanese first: the default language
        pdf = printing.ward_report_pdf(ward=data.a, month=NOV)
    (tmp_path / "report.pdf").write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", tmp_path / "report.pdf"], capture_output=True, check=True, text=True).stdout
    assert "Noto-Sans-CJK-JP" in fonts
    text = text_of(pdf, tmp_path)
    assert "病棟月次報告" in text and "東4病棟" in text and "2026-11" in text
    assert "46.79" in text  # patient-days of the month
    assert "21.37" in text  # falls per 1,000 patient-days
    assert "ナースコール" in text  # the most-missed critical item
    assert "トイレで転倒" in text  # the month's fall
    for name in NAMES:
        assert name not in text
    assert "患者氏名を載せていません" in text
    shutil.copy(tmp_path / "report.pdf", "/tmp/ward-report.pdf")


def test_names_appear_only_when_asked(data, tmp_path):  # noqa: F811
    with translation.override("ja"):
        text = text_of(printing.ward_report_pdf(ward=data.a, month=NOV, include_names=True), tmp_path)
    assert "二 次郎" in text  # P2's fall on the ward this month
    assert "一 太郎" not in text  # P1's event was on the other ward


def test_a_checklist_admin_gets_the_report_but_not_the_names(data, client):  # noqa: F811
    client.force_login(AdminUserFactory(username="educator"))
    url = f"/quality/wards/{data.a.pk}/report.pdf"
    response = client.get(url, {"month": "2026-11"})
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert client.get(url, {"month": "2026-11", "names": "1"}).status_code == 403


def test_a_nurse_gets_names_on_her_ward_and_nothing_of_another(data, client):  # noqa: F811
    client.force_login(data.nurse)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    assert client.get(f"/quality/wards/{data.a.pk}/report.pdf", {"month": "2026-11", "names": "1"}).status_code == 200
    data.b.staff.remove(data.nurse)
    for page in ("completion/", "events/", "teach-back/", "plot.csv", "report.pdf"):
        assert client.get(f"/quality/wards/{data.b.pk}/{page}").status_code == 404
