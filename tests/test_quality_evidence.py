"""The 加算 evidence export (CSV and PDF) on the data set of test_quality_assessments: one row per
admission onto the ward, with the screen's date, day, result and the measures started; hospital
ID and bed, never a patient name unless asked for (and only to a user of the ward); every
download audited; the PDF in the Japanese font."""

import csv
import io
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from checklists.models import AuditEvent

from .factories import AdminUserFactory
from .test_quality_assessments import data  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2026-10", "end": "2026-11"}


def _csv(response):
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_has_a_row_per_admission_with_the_screen_and_the_measures(data, client):  # noqa: F811
    client.force_login(data.nurse)
    header, *rows = _csv(client.get(f"/quality/wards/{data.a.pk}/evidence.csv", PERIOD))
    assert len(header) == 9  # no patient column
    by_id = {row[0]: row for row in rows}
    assert [row[0] for row in rows] == ["H2", "H1", "H6", "H3", "H4"]  # in order of admission
    assert by_id["H1"][1:6] == ["401", "2026-11-01 00:30", "2026-11-03 23:30", "3", "期限内"]
    assert by_id["H1"][6:] == ["ハイリスク", "はい", "せん妄予防 2026-11-04"]
    assert by_id["H2"][4:6] == ["4", "遅れ"]
    assert by_id["H6"][4:9] == ["4", "遅れ", "該当なし", "いいえ", ""]
    assert by_id["H3"][3:7] == ["", "", "未実施", ""]
    assert by_id["H4"][5] == "期限前"
    assert "仮名" not in response_text(client, data, PERIOD)
    event = AuditEvent.objects.filter(action=AuditEvent.Action.PDF_DOWNLOADED).latest("id")
    assert event.data == {"kind": "evidence_csv", "start": "2026-10", "end": "2026-11", "names": False}
    assert event.ward_id == data.a.pk


def response_text(client, dataset, query):
    return client.get(f"/quality/wards/{dataset.a.pk}/evidence.csv", query).content.decode("utf-8-sig")


def test_names_only_when_asked_and_only_for_the_wards_users(data, client):  # noqa: F811
    client.force_login(data.nurse)
    header, *rows = _csv(client.get(f"/quality/wards/{data.a.pk}/evidence.csv", PERIOD | {"names": "1"}))
    assert header[1] == "患者"
    assert rows[0][:2] == ["H2", "仮名 P2"]
    admin = AdminUserFactory()
    client.force_login(admin)
    assert client.get(f"/quality/wards/{data.a.pk}/evidence.csv", PERIOD).status_code == 200
    assert client.get(f"/quality/wards/{data.a.pk}/evidence.csv", PERIOD | {"names": "1"}).status_code == 403
    assert client.get(f"/quality/wards/{data.a.pk}/evidence.pdf", PERIOD | {"names": "1"}).status_code == 403


def test_the_pdf_is_a4_in_the_japanese_font_and_names_no_patient(data, client, tmp_path):  # noqa: F811
    client.force_login(data.nurse)
    response = client.get(f"/quality/wards/{data.a.pk}/evidence.pdf", PERIOD)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "evidence.pdf"
    path.write_bytes(response.content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK-JP" in fonts
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "東4病棟" in text and "H1" in text and "せん妄予防 2026-11-04" in text
    assert "仮名" not in text
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89" in info  # A4
    event = AuditEvent.objects.filter(action=AuditEvent.Action.PDF_DOWNLOADED).latest("id")
    assert event.data["kind"] == "evidence_pdf"


def test_the_export_runs_the_same_queries_as_with_no_admission(data, client):  # noqa: F811
    client.force_login(data.nurse)
    with CaptureQueriesContext(connection) as full:
        client.get(f"/quality/wards/{data.a.pk}/evidence.csv", PERIOD)
    with CaptureQueriesContext(connection) as empty:
        client.get(f"/quality/wards/{data.a.pk}/evidence.csv", {"start": "2025-01", "end": "2025-02"})
    with CaptureQueriesContext(connection) as named:
        client.get(f"/quality/wards/{data.a.pk}/evidence.csv", PERIOD | {"names": "1"})
    assert len(full) == len(empty) == 10  # tests/query_budgets.py
    assert len(named) == 11  # + may this user read the ward's names
