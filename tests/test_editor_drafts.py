"""Editing content through the editor: a template is created with an empty draft; editing
a published template makes a draft copy; draft items are added, edited, removed and
reordered; triggers are edited; published items never change."""

import pytest
from django.urls import reverse

from checklists import services
from checklists.models import AuditEvent, ChecklistTemplate, TemplateItem

pytestmark = pytest.mark.django_db


def item_data(revision, **overrides):
    return {
        "revision": revision,
        "text_ja": "夜間はベッドを最低位にした",
        "text_en": "Bed at its lowest position at night",
        "why_ja": "転落時の衝撃を減らす。",
        "why_en": "Lowers the impact of a fall.",
        "frequency": "every_shift",
        "is_critical": "on",
        "applies_if_any": [],
        "not_if_any": [],
        "age_bands": ["child", "adult", "older"],
        "from_age": "",
        "due_in": "all",
        "source": "institution",
        "source_document": "",
        "source_passage": "",
    } | overrides


def test_creating_a_template_makes_an_empty_draft_version_1(checklist_admin_client, content, factors):
    response = checklist_admin_client.post(
        reverse("checklists:template_create"),
        {"code": "pressure-care", "category": "condition", "name_ja": "褥瘡予防", "triggers": [factors["child"].pk]},
    )
    template = ChecklistTemplate.objects.get(code="pressure-care")
    draft = template.versions.get()
    assert response.url == reverse("checklists:version_detail", args=[draft.pk])
    assert (draft.number, draft.status, draft.items.count()) == (1, "draft", 0)
    assert list(template.triggers.values_list("code", flat=True)) == ["child"]
    assert AuditEvent.objects.filter(template=template, action="template_created").exists()


def test_a_template_code_that_exists_is_a_form_error(checklist_admin_client, fall):
    response = checklist_admin_client.post(
        reverse("checklists:template_create"), {"code": "fall", "category": "fall", "name_ja": "重複"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert ChecklistTemplate.objects.filter(code="fall").count() == 1


def test_editing_a_published_template_makes_a_draft_copy(checklist_admin_client, fall):
    published = fall.versions.get(status="published")
    response = checklist_admin_client.post(reverse("checklists:template_draft_create", args=[fall.pk]))
    draft = fall.versions.get(status="draft")
    assert response.url == reverse("checklists:version_detail", args=[draft.pk])
    assert list(draft.items.values_list("key", "text_ja")) == list(published.items.values_list("key", "text_ja"))


def test_a_second_draft_is_refused_with_a_message(checklist_admin_client, fall, draft):
    response = checklist_admin_client.post(reverse("checklists:template_draft_create", args=[fall.pk]), follow=True)
    assert "already has a draft" in response.content.decode()
    assert fall.versions.filter(status="draft").count() == 1


def test_an_admin_adds_an_item_with_every_field(checklist_admin_client, draft, factors):
    data = item_data(
        draft.revision,
        applies_if_any=[factors["myoclonus"].pk, factors["tremor"].pk],
        not_if_any=[factors["nil_by_mouth"].pk],
        age_bands=["adult", "older"],
        from_age="18",
        due_in="night",
        frequency="daily",
    )
    response = checklist_admin_client.post(reverse("checklists:item_add", args=[draft.pk]), data)
    item = draft.items.with_rules().get(text_ja="夜間はベッドを最低位にした")
    assert response.url == reverse("checklists:version_detail", args=[draft.pk]) + f"#item-{item.key}"
    assert (item.text_en, item.why_ja, item.why_en) == (data["text_en"], data["why_ja"], data["why_en"])
    assert (item.frequency, item.is_critical, item.source) == ("daily", True, "institution")
    assert {f.code for f in item.applies_if_factors} == {"myoclonus", "tremor"}
    assert [f.code for f in item.unless_factors] == ["nil_by_mouth"]
    assert (item.for_children, item.for_adults, item.for_older, item.from_age, item.due_in) == (
        False,
        True,
        True,
        18,
        "night",
    )
    assert item.position == draft.items.count()
    event = AuditEvent.objects.filter(action="draft_edited").first()
    assert event.data["change"] == "item_added" and event.data["item"] == item.key


def test_a_new_item_gets_a_key_from_its_english_text_unique_across_versions(draft, checklist_admin):
    item = services.template_item_add(
        version=draft, by=checklist_admin, text_ja="ベッド柵", text_en="Call bell within reach", source="institution"
    )
    # The published version already has call-bell-within-reach: the new key must differ.
    assert item.key == "call-bell-within-reach-2"
    japanese_only = services.template_item_add(version=draft, by=checklist_admin, text_ja="確認", source="institution")
    assert japanese_only.key == "item"


def test_a_seed_item_without_a_document_is_a_form_error(checklist_admin_client, draft):
    count = draft.items.count()
    response = checklist_admin_client.post(
        reverse("checklists:item_add", args=[draft.pk]), item_data(draft.revision, source="seed")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["source_document"]
    assert draft.items.count() == count


def test_an_item_without_text_is_a_form_error(checklist_admin_client, draft):
    count = draft.items.count()
    response = checklist_admin_client.post(
        reverse("checklists:item_add", args=[draft.pk]), item_data(draft.revision, text_ja="")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["text_ja"]
    assert draft.items.count() == count


def test_choosing_institution_drops_a_typed_document_and_passage(checklist_admin_client, draft):
    checklist_admin_client.post(
        reverse("checklists:item_add", args=[draft.pk]),
        item_data(draft.revision, source="institution", source_document="000.txt", source_passage="引用"),
    )
    item = draft.items.get(text_ja="夜間はベッドを最低位にした")
    assert (item.source, item.source_document, item.source_passage) == ("institution", "", "")


def test_editing_an_item_changes_the_draft_only(checklist_admin_client, fall, draft):
    item = draft.items.get(key="minimise-bed-path")
    published = fall.versions.get(status="published").items.get(key="minimise-bed-path")
    data = item_data(
        draft.revision,
        text_ja="ベッド周囲の動線を最小化し、障害物を除いた",
        source="seed",
        source_document=item.source_document,
        source_passage=item.source_passage,
        key="renamed-key",
    )
    response = checklist_admin_client.post(reverse("checklists:item_edit", args=[item.pk]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    published.refresh_from_db()
    assert item.text_ja == "ベッド周囲の動線を最小化し、障害物を除いた"
    assert item.key == "minimise-bed-path", "the key is fixed once the item exists"
    assert published.text_ja != item.text_ja
    event = AuditEvent.objects.filter(action="draft_edited").first()
    assert event.data["change"] == "item_updated" and "text_ja" in event.data["fields"]


def test_removing_an_item_keeps_it_in_the_published_version(checklist_admin_client, fall, draft):
    item = draft.items.get(key="minimise-bed-path")
    checklist_admin_client.post(reverse("checklists:item_remove", args=[item.pk]), {"revision": draft.revision})
    assert not draft.items.filter(key="minimise-bed-path").exists()
    assert fall.versions.get(status="published").items.filter(key="minimise-bed-path").exists()


def test_items_move_up_and_down_by_swapping_with_their_neighbour(checklist_admin_client, draft):
    keys = list(draft.items.order_by("position").values_list("key", flat=True))
    second = draft.items.get(key=keys[1])
    response = checklist_admin_client.post(
        reverse("checklists:item_move", args=[second.pk]), {"revision": draft.revision, "direction": "up"}
    )
    assert response.url.endswith(f"#item-{keys[1]}")
    assert list(draft.items.order_by("position").values_list("key", flat=True))[:2] == [keys[1], keys[0]]
    draft.refresh_from_db()
    checklist_admin_client.post(
        reverse("checklists:item_move", args=[second.pk]), {"revision": draft.revision, "direction": "down"}
    )
    assert list(draft.items.order_by("position").values_list("key", flat=True)) == keys


def test_the_first_item_cannot_move_up(draft, checklist_admin):
    first = draft.items.order_by("position").first()
    with pytest.raises(services.ValidationError, match="already the first"):
        services.template_item_move(item=first, direction="up", by=checklist_admin, expected_revision=draft.revision)


def test_published_items_cannot_be_edited_through_the_editor(checklist_admin_client, fall):
    item = fall.versions.get(status="published").items.first()
    text = item.text_ja
    response = checklist_admin_client.post(reverse("checklists:item_edit", args=[item.pk]), item_data(1))
    assert response.status_code == 302
    checklist_admin_client.post(reverse("checklists:item_remove", args=[item.pk]), {"revision": 1})
    checklist_admin_client.post(reverse("checklists:item_move", args=[item.pk]), {"revision": 1, "direction": "down"})
    item.refresh_from_db()
    assert item.text_ja == text and item.position == 1
    with pytest.raises(services.ValidationError, match="can no longer change"):
        services.template_item_move(item=item, direction="down", by=None)


def test_editing_triggers_is_audited_as_a_template_edit(checklist_admin_client, fall, factors):
    before = set(fall.triggers.values_list("pk", flat=True))
    url = reverse("checklists:template_triggers", args=[fall.pk])
    seen = checklist_admin_client.get(url).context["form"].initial["seen"]
    wanted = (before - {factors["dizziness"].pk}) | {factors["child"].pk}
    response = checklist_admin_client.post(url, {"risk_factors": sorted(wanted), "seen": seen})
    assert response.url == reverse("checklists:template_detail", args=[fall.pk])
    assert set(fall.triggers.values_list("pk", flat=True)) == wanted
    event = AuditEvent.objects.get(template=fall, action="template_edited")
    assert event.data == {"triggers_added": ["child"], "triggers_removed": ["dizziness"]}


def test_saving_the_same_triggers_writes_no_audit_event(fall, checklist_admin):
    services.template_triggers_set(template=fall, triggers=fall.triggers.all(), by=checklist_admin)
    assert not AuditEvent.objects.filter(template=fall, action="template_edited").exists()


def test_draft_items_keep_their_provenance(draft):
    seed = draft.items.exclude(source="institution").first()
    assert seed.source_document.endswith(".txt") and seed.source_passage
    assert TemplateItem.objects.filter(version=draft, source="institution").exists()
