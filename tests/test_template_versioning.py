"""Template versions: drafts copy the published version, publishing retires the old
one, published items never change, and patients keep the wording they started on."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from checklists import services
from checklists.models import AuditEvent, TemplateVersion

pytestmark = pytest.mark.django_db


def test_a_draft_copies_the_published_items(fall, checklist_admin):
    published = fall.versions.get(status="published")
    draft = services.template_draft_create(template=fall, by=checklist_admin)
    assert (draft.number, draft.status) == (published.number + 1, "draft")
    assert list(draft.items.values_list("key", "text_ja", "source_passage")) == list(
        published.items.values_list("key", "text_ja", "source_passage")
    )


def test_a_template_has_at_most_one_draft(fall, checklist_admin):
    services.template_draft_create(template=fall, by=checklist_admin)
    with pytest.raises(ValidationError, match="already has a draft"):
        services.template_draft_create(template=fall, by=checklist_admin)


def test_published_items_can_never_change(fall, checklist_admin):
    item = fall.versions.get(status="published").items.first()
    with pytest.raises(ValidationError, match="can no longer change"):
        services.template_item_update(item=item, by=checklist_admin, text_ja="書き換え")
    with pytest.raises(ValidationError, match="can no longer change"):
        services.template_item_remove(item=item, by=checklist_admin)
    item.refresh_from_db()
    assert item.text_ja != "書き換え"


def test_publishing_retires_the_old_version_and_leaves_patients_on_it(fall_checklist, checklist_admin):
    fall = fall_checklist.template
    old = fall_checklist.version
    draft = services.template_draft_create(template=fall, by=checklist_admin)
    item = draft.items.get(key=old.items.first().key)
    services.template_item_update(item=item, by=checklist_admin, text_ja="新しい文言", expected_revision=draft.revision)
    services.template_publish(version=draft, by=checklist_admin, change_note="文言を修正")

    old.refresh_from_db()
    draft.refresh_from_db()
    assert (old.status, draft.status) == ("retired", "published")
    assert fall.versions.filter(status="published").count() == 1
    fall_checklist.refresh_from_db()
    assert fall_checklist.version == old
    assert old.items.get(key=item.key).text_ja != "新しい文言"
    actions = set(AuditEvent.objects.filter(template=fall).values_list("action", flat=True))
    assert {"draft_created", "draft_edited", "version_published", "version_retired"} <= actions


def test_a_new_checklist_starts_on_the_newly_published_version(fall_checklist, checklist_admin, nurse):
    draft = services.template_draft_create(template=fall_checklist.template, by=checklist_admin)
    services.template_publish(version=draft, by=checklist_admin, change_note="再公開")
    services.checklist_stop(checklist=fall_checklist, by=nurse, reason="再評価")
    again = services.checklist_start(admission=fall_checklist.admission, template=fall_checklist.template, by=nurse)
    assert again.version == draft


def test_publishing_needs_a_change_note_and_items(checklist_admin, content):
    template = services.template_create(code="new", category="fall", name_ja="新規", by=checklist_admin)
    draft = template.versions.get()
    with pytest.raises(ValidationError, match="Describe what changed"):
        services.template_publish(version=draft, by=checklist_admin, change_note="")
    with pytest.raises(ValidationError, match="empty draft"):
        services.template_publish(version=draft, by=checklist_admin, change_note="初版")
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_an_item_without_text_is_refused(checklist_admin, content):
    template = services.template_create(code="new", category="fall", name_ja="新規", by=checklist_admin)
    with pytest.raises(ValidationError) as refused:
        services.template_item_add(version=template.versions.get(), by=checklist_admin, key="x", text_ja="")
    assert list(refused.value.message_dict) == ["text_ja"]
    assert not template.versions.get().items.exists()


def test_a_seed_item_must_name_its_document(checklist_admin, content):
    template = services.template_create(code="new", category="fall", name_ja="新規", by=checklist_admin)
    draft = template.versions.get()
    with pytest.raises(ValidationError) as refused:
        services.template_item_add(version=draft, by=checklist_admin, key="x", text_ja="観察した", source="seed")
    assert list(refused.value.message_dict) == ["source_document"]
    item = services.template_item_add(
        version=draft, by=checklist_admin, key="y", text_ja="観察した", source="institution"
    )
    assert item.source == "institution"


def test_only_a_draft_can_be_published(fall, checklist_admin):
    published = fall.versions.get(status="published")
    with pytest.raises(ValidationError, match="Only a draft"):
        services.template_publish(version=published, by=checklist_admin, change_note="x")


def test_a_stale_edit_of_a_draft_is_refused(fall, checklist_admin):
    draft = services.template_draft_create(template=fall, by=checklist_admin)
    read_revision = draft.revision
    item = draft.items.first()
    services.template_item_update(
        item=item, by=checklist_admin, why_ja="管理者Aの編集", expected_revision=read_revision
    )
    with pytest.raises(ValidationError, match="changed by educator"):
        services.template_item_update(
            item=item, by=checklist_admin, why_ja="管理者Bの編集", expected_revision=read_revision
        )
    item.refresh_from_db()
    assert item.why_ja == "管理者Aの編集"


def test_the_database_allows_one_published_version_per_template(fall):
    with pytest.raises(IntegrityError), transaction.atomic():
        TemplateVersion.objects.create(
            template=fall, number=99, status="published", published_at=fall.versions.get().published_at
        )
