"""The editor's pages: the template list by category with versions and patient counts,
a template's versions, the draft editor with provenance warnings, the preview as nurses
see it, and the history. Each page runs a fixed number of queries."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checklists import services
from checklists.models import AuditEvent, ChecklistTemplate

from .factories import ADULT_BIRTH_DATE, TemplateFactory

pytestmark = pytest.mark.django_db


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_shows_templates_by_category_with_versions_and_patients(
    checklist_admin_client, fall_checklist, checklist_admin, beds, nurse
):
    fall = fall_checklist.template
    draft = services.template_draft_create(template=fall, by=checklist_admin)
    services.template_publish(version=draft, by=checklist_admin, change_note="v2")
    services.template_draft_create(template=fall, by=checklist_admin)
    newcomer = services.patient_admit(
        hospital_id="H300", name="新規", birth_date=ADULT_BIRTH_DATE, bed=beds[1], by=nurse
    )
    services.checklist_start(admission=newcomer, template=fall, by=nurse)

    response = checklist_admin_client.get(reverse("checklists:template_list"))
    rows = {t.code: t for t in response.context["templates"]}
    assert (rows["fall"].published_number, rows["fall"].draft_number) == (2, 3)
    assert (rows["fall"].patients_on_published, rows["fall"].patients_on_older) == (1, 1)
    assert (rows["aspiration"].published_number, rows["aspiration"].draft_number) == (1, None)
    categories = [t.category for t in response.context["templates"]]
    order = list(ChecklistTemplate.Category.values)
    assert categories == sorted(categories, key=order.index)
    page = response.content.decode()
    assert "Fall prevention" in page and "v3 draft" in page


def test_the_list_runs_one_query_for_all_templates(checklist_admin_client, fall_checklist, checklist_admin):
    url = reverse("checklists:template_list")
    before = queries_of(checklist_admin_client, url)
    for n in range(5):
        template = TemplateFactory(code=f"extra-{n}")
        services.template_draft_create(template=template, by=checklist_admin)
    assert queries_of(checklist_admin_client, url) == before == 4


def test_the_template_page_shows_each_version_with_its_patients(
    checklist_admin_client, fall_checklist, checklist_admin
):
    fall = fall_checklist.template
    draft = services.template_draft_create(template=fall, by=checklist_admin)
    services.template_publish(version=draft, by=checklist_admin, change_note="文言の修正")
    url = reverse("checklists:template_detail", args=[fall.pk])
    response = checklist_admin_client.get(url)
    versions = {v.number: v for v in response.context["versions"]}
    assert (versions[1].status, versions[1].active_patients) == ("retired", 1)
    assert (versions[2].status, versions[2].active_patients) == ("published", 0)
    assert response.context["on_older"] == 1
    assert "文言の修正" in response.content.decode()
    assert queries_of(checklist_admin_client, url) == 6


def test_the_draft_editor_warns_about_missing_and_unquoted_passages(
    checklist_admin_client, fall, checklist_admin, tmp_path, settings
):
    draft = services.template_draft_create(template=fall, by=checklist_admin)
    seed_items = list(draft.items.exclude(source="institution").order_by("position"))
    (tmp_path / seed_items[0].source_document).write_text("only this passage is in the seed", encoding="utf-8")
    settings.WARDSAFE_SEEDS_DIR = tmp_path
    services.template_item_update(item=seed_items[1], by=None, source_passage="")

    response = checklist_admin_client.get(reverse("checklists:version_detail", args=[draft.pk]))
    notes = {item.key: notes for item, notes in response.context["rows"]}
    assert notes[seed_items[1].key] == ["No quoted passage from the source document."]
    assert notes[seed_items[0].key] == [f"The passage is not found word for word in {seed_items[0].source_document}."]
    # Documents that are not seed files (another hospital's manual) are not checked.
    unchecked = [i for i in seed_items[2:] if i.source_document != seed_items[0].source_document]
    assert all(notes[i.key] == [] for i in unchecked)
    assert response.content.decode().count('data-testid="item-warning"') >= 2


def test_every_shipped_passage_is_found_in_its_seed_document(checklist_admin_client, fall):
    if not settings.WARDSAFE_SEEDS_DIR.is_dir():
        pytest.skip("seed documents not available")
    response = checklist_admin_client.get(reverse("checklists:version_detail", args=[fall.versions.get().pk]))
    assert response.context["warning_count"] == 0


def test_the_draft_editor_runs_a_fixed_number_of_queries(checklist_admin_client, fall, checklist_admin):
    draft = services.template_draft_create(template=fall, by=checklist_admin)
    url = reverse("checklists:version_detail", args=[draft.pk])
    before = queries_of(checklist_admin_client, url)
    for n in range(5):
        services.template_item_add(version=draft, by=checklist_admin, text_ja=f"追加{n}", source="institution")
    assert queries_of(checklist_admin_client, url) == before == 6  # +1: the items' rules (issue 11)


def test_the_item_form_offers_the_seed_documents(checklist_admin_client, fall, checklist_admin, tmp_path, settings):
    (tmp_path / "000_seed.txt").write_text("x", encoding="utf-8")
    (tmp_path / "001_seed.txt").write_text("y", encoding="utf-8")
    settings.WARDSAFE_SEEDS_DIR = tmp_path
    draft = services.template_draft_create(template=fall, by=checklist_admin)
    page = checklist_admin_client.get(reverse("checklists:item_add", args=[draft.pk])).content.decode()
    assert '<datalist id="seed-documents">' in page
    assert '<option value="000_seed.txt"></option>' in page and '<option value="001_seed.txt"></option>' in page
    assert 'list="seed-documents"' in page


def test_the_preview_shows_the_draft_as_the_patient_page_does_without_record_buttons(
    checklist_admin_client, fall, checklist_admin
):
    draft = services.template_draft_create(template=fall, by=checklist_admin)
    item = draft.items.get(key="minimise-bed-path")
    services.template_item_update(item=item, by=None, text_ja="プレビューの文言", text_en="Preview wording")
    response = checklist_admin_client.get(reverse("checklists:version_preview", args=[draft.pk]))
    page = response.content.decode()
    assert 'class="item-row"' in page and 'id="preview-minimise-bed-path"' in page
    assert "Preview wording" in page
    # As on the round page the row is one line; why and where from are on the version page.
    assert "/record/" not in page
    assert 'data-action="done"' not in page


def test_the_history_lists_who_did_what_newest_first(checklist_admin_client, fall, checklist_admin):
    draft = services.template_draft_create(template=fall, by=checklist_admin)
    services.template_item_update(item=draft.items.get(key="minimise-bed-path"), by=checklist_admin, why_ja="理由")
    services.template_publish(version=draft, by=checklist_admin, change_note="理由を追記")
    response = checklist_admin_client.get(reverse("checklists:template_history", args=[fall.pk]))
    actions = [event.action for event, _ in response.context["entries"]]
    assert actions[:4] == ["version_published", "version_retired", "draft_edited", "draft_created"]
    summaries = [summary for _, summary in response.context["entries"]]
    assert summaries[0] == "Version 2 published: 理由を追記"
    assert summaries[2] == "Item minimise-bed-path edited: why it matters (Japanese)"
    assert "educator" in response.content.decode()


def test_the_history_leaves_out_nurses_records_and_is_paginated(
    checklist_admin_client, fall_checklist, nurse, checklist_admin
):
    fall = fall_checklist.template
    draft = services.template_draft_create(template=fall, by=checklist_admin)
    item = draft.items.first()
    for n in range(30):
        services.template_item_update(item=item, by=checklist_admin, why_ja=f"理由{n}")
    url = reverse("checklists:template_history", args=[fall.pk])
    first = checklist_admin_client.get(url)
    assert len(first.context["entries"]) == 25
    assert all(event.action != "checklist_started" for event, _ in first.context["entries"])
    second = checklist_admin_client.get(url, {"page": 2})
    assert second.context["page"].number == 2
    assert AuditEvent.objects.filter(template=fall, action="checklist_started").exists()
    assert queries_of(checklist_admin_client, url) == queries_of(checklist_admin_client, url + "?page=2") == 7
