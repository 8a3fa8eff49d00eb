"""Template import under misuse (issue 13, finding 11): a file marked "published" lands in a
draft (publishing goes through the review, with a change note), a file with too many items is
refused before its items are checked, the error list is cut at 50 with "and N more", duplicate
JSON keys are refused, and the checks take time in proportion to the file (no query per item)."""

import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checklists import services
from checklists.content import FORMAT, MAX_ERRORS_SHOWN, read_json
from checklists.models import ChecklistTemplate, TemplateVersion

pytestmark = pytest.mark.django_db
URL = "checklists:template_import"


def upload(data) -> SimpleUploadedFile:
    raw = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return SimpleUploadedFile("template.json", raw, content_type="application/json")


def document(items: int, *, code="big", status="published", bad=False) -> dict:
    """A template file with ``items`` items in one version; ``bad``: every item lacks its text."""
    return {
        "format": FORMAT,
        "code": code,
        "category": "fall",
        "name_ja": "大きな",
        "versions": [
            {
                "number": 1,
                "status": status,
                "change_note": "",
                "items": [
                    {"key": f"k{n}", "text_ja": "" if bad else "x", "source": {"institution": True}}
                    for n in range(items)
                ],
            }
        ],
    }


def post(client, data):
    started = time.perf_counter()
    response = client.post(reverse(URL), {"file": upload(data)})
    return response, time.perf_counter() - started


def test_a_file_marked_published_lands_in_a_draft_and_says_so(checklist_admin_client, content):
    response = checklist_admin_client.post(reverse(URL), {"file": upload(document(3, code="other"))}, follow=True)
    template = ChecklistTemplate.objects.get(code="other")
    assert list(template.versions.values_list("number", "status")) == [(1, "draft")]
    assert not TemplateVersion.objects.published().filter(template=template).exists()
    page = response.content.decode()
    assert "marks version 1 as Published; it was imported as a draft" in page
    assert "publish it with a change note" in page


def test_publishing_the_imported_draft_needs_a_change_note(checklist_admin, content):
    _template, draft, _notes = services.template_import_document(data=document(3, code="other"), by=checklist_admin)
    with pytest.raises(services.ValidationError):
        services.template_publish(version=draft, by=checklist_admin, change_note="")


def test_a_33000_item_file_is_refused_fast_by_the_item_limit(checklist_admin_client, content, capsys):
    data = document(33_000)
    assert len(upload(data).read()) < 2 * 1024 * 1024  # under the size limit
    response, seconds = post(checklist_admin_client, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file has 33000 items; a template file may have at most 2000 (500 per version)." in page
    assert not ChecklistTemplate.objects.filter(code="big").exists()
    with capsys.disabled():
        print(f"\n33,000-item file refused in {seconds:.2f} s")
    assert seconds < 3


def test_a_500_item_file_imports_in_well_under_two_seconds_without_a_query_per_item(
    checklist_admin_client, content, capsys
):
    with CaptureQueriesContext(connection) as queries:
        response, seconds = post(checklist_admin_client, document(500))
    assert response.status_code == 302
    assert ChecklistTemplate.objects.get(code="big").versions.get().items.count() == 500
    with capsys.disabled():
        print(f"\n500-item file imported in {seconds:.2f} s, {len(queries)} queries")
    assert len(queries) < 40
    assert seconds < 2


def test_the_error_list_stops_at_fifty_and_counts_the_rest(checklist_admin_client, content):
    response, _seconds = post(checklist_admin_client, document(400, bad=True))
    page = response.content.decode()
    assert page.count(": is required") == MAX_ERRORS_SHOWN
    assert "… and 350 more problems." in page
    assert len(page) < 100_000


def test_more_items_than_a_file_may_hold_are_refused_before_any_is_checked(checklist_admin_client, content):
    data = document(0)
    data["versions"] = [
        {"number": n, "status": "retired", "items": document(450, bad=True)["versions"][0]["items"]}
        for n in range(1, 6)
    ]
    response, _seconds = post(checklist_admin_client, data)
    page = response.content.decode()
    assert "The file has 2250 items; a template file may have at most 2000" in page
    assert ": is required" not in page


def test_a_duplicate_json_key_is_refused(checklist_admin_client, content):
    raw = json.dumps(document(1, code="dup"), ensure_ascii=False)
    raw = raw.replace('"code": "dup"', '"code": "dup", "code": "fall"')
    assert raw.count('"code"') == 2
    response, _seconds = post(checklist_admin_client, raw.encode())
    assert response.status_code == 200
    assert "The file names &#x27;code&#x27; twice in one object" in response.content.decode()
    assert not ChecklistTemplate.objects.filter(code="dup").exists()


def test_the_shipped_content_reader_refuses_duplicate_keys_too(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"a": 1, "a": 2}', encoding="utf-8")
    with pytest.raises(services.ValidationError, match="appears twice"):
        read_json(path)


def test_a_version_over_the_per_version_limit_is_refused_without_its_items_being_checked(
    checklist_admin_client, content
):
    response, _seconds = post(checklist_admin_client, document(600, bad=True))
    page = response.content.decode()
    assert "versions[0].items: has 600 items; a version may have at most 500" in page
    assert ": is required" not in page
