"""Export and import of templates as ``wardsafe-template/1`` JSON: all versions or only
the published one; import validates the whole file first, reports every error clearly
and never half-imports; an existing code gets a new draft."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from checklists import content, services
from checklists.models import AuditEvent, ChecklistTemplate, TemplateItem, TemplateVersion
from checklists.services import interchange

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_versions(fall, checklist_admin):
    """fall with v1 retired, v2 published (one item reworded) and v3 a draft."""
    draft = services.template_draft_create(template=fall, by=checklist_admin)
    services.template_item_update(item=draft.items.get(key="minimise-bed-path"), by=None, text_ja="v2の文言")
    services.template_publish(version=draft, by=checklist_admin, change_note="v2")
    return services.template_draft_create(template=fall, by=checklist_admin)


def upload(document, name="template.json") -> SimpleUploadedFile:
    data = document if isinstance(document, bytes) else json.dumps(document, ensure_ascii=False).encode()
    return SimpleUploadedFile(name, data, content_type="application/json")


def snapshot():
    return (ChecklistTemplate.objects.count(), TemplateVersion.objects.count(), TemplateItem.objects.count())


def test_exporting_all_versions_downloads_json_with_an_ascii_file_name(checklist_admin_client, fall, two_versions):
    response = checklist_admin_client.post(reverse("checklists:template_export", args=[fall.pk]), {"scope": "all"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="wardsafe-fall-all-') and disposition.isascii()
    document = json.loads(response.content)
    assert [(v["number"], v["status"]) for v in document["versions"]] == [
        (1, "retired"),
        (2, "published"),
        (3, "draft"),
    ]
    assert "v2の文言" in response.content.decode()
    spec = content.parse_template(document)
    assert spec.code == "fall" and len(spec.versions) == 3


def test_exporting_the_published_version_only(checklist_admin_client, fall, two_versions):
    response = checklist_admin_client.post(
        reverse("checklists:template_export", args=[fall.pk]), {"scope": "published"}
    )
    document = json.loads(response.content)
    assert [(v["number"], v["status"]) for v in document["versions"]] == [(2, "published")]
    assert "published" in response["Content-Disposition"]


def test_exporting_is_recorded(fall, checklist_admin):
    services.template_export(template=fall, by=checklist_admin, published_only=True)
    event = AuditEvent.objects.get(action="template_exported")
    assert (event.actor, event.template, event.data) == (checklist_admin, fall, {"scope": "published", "versions": [1]})


def test_an_exported_file_imports_as_a_new_template_whose_only_version_is_a_draft_of_the_published_one(
    checklist_admin_client, fall, two_versions, checklist_admin
):
    document = services.template_export(template=fall, by=checklist_admin)
    document |= {"code": "fall-copy", "name_ja": "転倒予防(他院)"}
    response = checklist_admin_client.post(reverse("checklists:template_import"), {"file": upload(document)})
    copy = ChecklistTemplate.objects.get(code="fall-copy")
    draft = copy.versions.get()
    assert response.url == reverse("checklists:version_detail", args=[draft.pk])
    assert (draft.number, draft.status, draft.published_at) == (1, "draft", None)
    original = fall.versions.get(number=2).items.values_list("key", "text_ja", "source_document", "source_passage")
    assert list(draft.items.values_list("key", "text_ja", "source_document", "source_passage")) == list(original)
    assert set(copy.triggers.all()) == set(fall.triggers.all())
    assert AuditEvent.objects.filter(template=copy, action="template_imported", actor=checklist_admin).exists()


def test_importing_an_existing_code_makes_a_new_draft_from_the_files_published_version(
    checklist_admin_client, fall, checklist_admin
):
    document = services.template_export(template=fall, by=checklist_admin)
    document["versions"][0]["items"][0]["text_ja"] = "他院で改訂した文言"
    document["name_ja"] = "名前は変わらない"
    response = checklist_admin_client.post(reverse("checklists:template_import"), {"file": upload(document)})
    draft = fall.versions.get(status="draft")
    assert response.url == reverse("checklists:version_detail", args=[draft.pk])
    assert draft.number == 2
    assert draft.items.order_by("position").first().text_ja == "他院で改訂した文言"
    fall.refresh_from_db()
    assert fall.name_ja == "転倒予防"
    assert fall.versions.get(status="published").number == 1


def test_importing_into_a_template_with_a_draft_is_refused(checklist_admin_client, fall, checklist_admin):
    document = services.template_export(template=fall, by=checklist_admin)
    services.template_draft_create(template=fall, by=checklist_admin)
    before = snapshot()
    response = checklist_admin_client.post(reverse("checklists:template_import"), {"file": upload(document)})
    assert response.status_code == 200
    assert "already has a draft (version 2)" in response.content.decode()
    assert snapshot() == before


def test_unknown_risk_factors_are_all_listed_and_nothing_is_imported(checklist_admin_client, fall, checklist_admin):
    document = services.template_export(template=fall, by=checklist_admin) | {"code": "other"}
    document["triggers"] = ["no-such-factor"]
    document["versions"][0]["items"][0]["applies_if_any"] = ["martian"]
    document["versions"][0]["items"][1]["text_ja"] = ""
    before = snapshot()
    response = checklist_admin_client.post(reverse("checklists:template_import"), {"file": upload(document)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "triggers: unknown risk factor &#x27;no-such-factor&#x27;" in page
    assert "versions[0].items[0].applies_if_any: unknown risk factor &#x27;martian&#x27;" in page
    assert "versions[0].items[1].text_ja: is required" in page
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"format": "wardsafe-template/1", "code": ', "The file is not valid JSON (line 1, column"),
        ("テンプレート".encode("shift_jis"), "The file is not UTF-8 text."),
        (b"[1, 2]", "The file must contain one JSON object"),
        (b'{"format": "something-else"}', "format: must be"),
        (
            b'{"format": "wardsafe-template/1", "code": "x", "category": "fall", "name_ja": "x", "triggers": [{}]}',
            "triggers: must be a list of risk factor codes",
        ),
    ],
)
def test_a_malformed_file_is_a_clear_error_not_a_500(checklist_admin_client, fall, data, message):
    before = snapshot()
    response = checklist_admin_client.post(reverse("checklists:template_import"), {"file": upload(data)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


def test_an_import_that_fails_half_way_leaves_nothing_behind(fall, checklist_admin, monkeypatch):
    document = services.template_export(template=fall, by=checklist_admin) | {"code": "half"}
    calls = []

    def fail_after_the_template_and_its_draft(version, item_specs, factors):
        calls.append(version.number)
        raise services.ValidationError("disk full")

    monkeypatch.setattr(interchange, "_items_create", fail_after_the_template_and_its_draft)
    before = snapshot()
    with pytest.raises(services.ValidationError):
        services.template_import_document(data=document, by=checklist_admin)
    assert calls == [1]
    assert snapshot() == before
    assert not ChecklistTemplate.objects.filter(code="half").exists()
