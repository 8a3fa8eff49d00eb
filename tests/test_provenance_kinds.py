"""Provenance (issue 11, point 4): a third kind, "a seed passage supports the risk; the action is
the institution's", loaded from the shipped content and shown in the editor, and the numbers that
come only from seed 001 flagged for the institution's reviewer."""

import pytest
from django.urls import reverse

from checklists import provenance, services
from checklists.models import TemplateItem

pytestmark = pytest.mark.django_db


def test_the_shipped_risk_items_keep_their_passage_as_the_third_kind(content):
    item = TemplateItem.objects.get(version__template__code="dehydration", key="drinks-within-reach")
    assert item.source == TemplateItem.Source.RISK
    assert item.source_document.startswith("000_") and "二次障害が重なりやすい" in item.source_passage


def test_the_version_page_says_the_action_is_the_institutions(checklist_admin_client, fall):
    version = fall.versions.get(status="published")
    page = checklist_admin_client.get(reverse("checklists:version_detail", args=[version.pk])).content.decode()
    assert "The action is the institution's; the seed passage supports the risk." in page


def test_seed_001_numbers_are_flagged_for_the_reviewer(content):
    items = list(TemplateItem.objects.filter(version__template__code="isaacs-care"))
    notes = provenance.provenance_notes(items)
    flagged = {item.key for item in items if any("seed 001" in note for note in notes.get(item.pk, []))}
    assert flagged == {"bath-temperature", "heat-pack-below-42"}
    bath = next(item for item in items if item.key == "bath-temperature")
    assert "38〜40℃" in notes[bath.pk][0] and "10〜15分" in notes[bath.pk][0]


def test_a_risk_item_needs_its_document_and_passage_to_be_published(draft, checklist_admin):
    services.template_item_add(
        version=draft,
        by=checklist_admin,
        key="risk-no-passage",
        text_ja="施設の対策",
        source="risk",
        source_document="000_816e0e447fd1bbca.txt",
    )
    with pytest.raises(services.ValidationError, match="risk-no-passage"):
        services.template_publish(version=draft, by=checklist_admin, change_note="第3の種類")
    with pytest.raises(services.ValidationError):
        services.template_item_add(version=draft, by=checklist_admin, text_ja="文書なし", source="risk")
