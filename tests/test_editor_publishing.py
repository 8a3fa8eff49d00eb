"""Publishing a draft from the editor: a required change note; it becomes the one published
version and the old one is retired; patients' checklists do not change; an empty draft,
an item without text or a seed-sourced item without its quoted passage is refused."""

import pytest
from django.urls import reverse

from checklists import services
from checklists.models import AuditEvent, ChecklistTemplate, PatientChecklist, TemplateItem

from .factories import ADULT_BIRTH_DATE

pytestmark = pytest.mark.django_db


def publish(client, draft, note="転倒予防の文言を修正"):
    return client.post(
        reverse("checklists:version_publish", args=[draft.pk]), {"revision": draft.revision, "change_note": note}
    )


def test_publishing_retires_the_old_version_and_leaves_the_patient_on_it(checklist_admin_client, fall_checklist, draft):
    old = fall_checklist.version
    item = draft.items.get(key="minimise-bed-path")
    services.template_item_update(item=item, by=None, text_ja="新しい文言", expected_revision=draft.revision)
    draft.refresh_from_db()
    response = publish(checklist_admin_client, draft)
    assert response.url == reverse("checklists:template_detail", args=[draft.template_id])
    old.refresh_from_db()
    draft.refresh_from_db()
    assert (old.status, draft.status, draft.change_note) == ("retired", "published", "転倒予防の文言を修正")
    assert old.retired_at == draft.published_at
    fall_checklist.refresh_from_db()
    assert fall_checklist.version == old and fall_checklist.is_active
    assert old.items.get(key="minimise-bed-path").text_ja != "新しい文言"
    assert PatientChecklist.objects.filter(version=draft).count() == 0


def test_a_new_patient_starts_on_the_newly_published_version(checklist_admin_client, draft, beds, nurse):
    publish(checklist_admin_client, draft)
    admission = services.patient_admit(
        hospital_id="H200", name="新規 患者", birth_date=ADULT_BIRTH_DATE, bed=beds[1], by=nurse
    )
    checklist = services.checklist_start(admission=admission, template=draft.template, by=nurse)
    assert checklist.version == draft


def test_publishing_needs_a_change_note(checklist_admin_client, draft):
    response = publish(checklist_admin_client, draft, note="")
    assert response.status_code == 200
    assert response.context["form"].errors["change_note"]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_publishing_an_empty_draft_is_a_clear_error_not_a_500(checklist_admin_client, content, checklist_admin):
    template = services.template_create(code="empty", category="fall", name_ja="空", by=checklist_admin)
    draft = template.versions.get()
    response = publish(checklist_admin_client, draft)
    assert response.status_code == 200
    assert "An empty draft cannot be published" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_publishing_a_draft_with_an_item_without_text_is_refused(draft, checklist_admin):
    TemplateItem.objects.filter(version=draft, key="minimise-bed-path").update(text_ja=" ")
    with pytest.raises(services.ValidationError, match="minimise-bed-path has none"):
        services.template_publish(version=draft, by=checklist_admin, change_note="x")


def test_a_seed_item_without_its_passage_blocks_publishing_and_is_named(checklist_admin_client, draft):
    item = draft.items.exclude(source="institution").get(key="minimise-bed-path")
    services.template_item_update(item=item, by=None, source_passage="", expected_revision=draft.revision)
    draft.refresh_from_db()
    page = checklist_admin_client.get(reverse("checklists:version_detail", args=[draft.pk])).content.decode()
    assert 'data-testid="provenance-warning"' in page
    assert "No quoted passage from the source document." in page
    response = publish(checklist_admin_client, draft)
    assert response.status_code == 200
    assert "Items without a passage: minimise-bed-path" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_publishing_is_recorded_with_the_change_note(checklist_admin_client, draft, checklist_admin):
    publish(checklist_admin_client, draft)
    published = AuditEvent.objects.get(action="version_published", object_id=str(draft.pk))
    retired = AuditEvent.objects.get(action="version_retired")
    assert published.actor == checklist_admin and published.data["change_note"] == "転倒予防の文言を修正"
    assert retired.data == {"number": draft.number - 1, "replaced_by": draft.number}


def test_a_published_version_cannot_be_published_again_from_the_editor(checklist_admin_client, content):
    published = ChecklistTemplate.objects.get(code="fall").versions.get(status="published")
    response = checklist_admin_client.post(
        reverse("checklists:version_publish", args=[published.pk]), {"revision": 1, "change_note": "x"}
    )
    assert response.url == reverse("checklists:version_detail", args=[published.pk])


def test_the_publish_page_shows_what_changes(checklist_admin_client, draft):
    services.template_item_remove(item=draft.items.get(key="minimise-bed-path"), by=None)
    draft.refresh_from_db()
    response = checklist_admin_client.get(reverse("checklists:version_publish", args=[draft.pk]))
    changes = response.context["changes"]
    assert [item.key for item in changes.removed] == ["minimise-bed-path"]
    assert 'data-item="minimise-bed-path"' in response.content.decode()
