"""Login, language, and the Django admin with the seed-derived templates and their provenance."""

import pytest
from django.urls import reverse

from checklists.models import TemplateVersion

pytestmark = pytest.mark.django_db


def test_the_login_page_is_japanese_by_default(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="")
    assert '<html lang="ja">' in response.content.decode()


def test_the_admin_shows_the_templates_with_their_provenance(client, content, checklist_admin):
    client.force_login(checklist_admin)
    listing = client.get(reverse("admin:checklists_checklisttemplate_changelist")).content.decode()
    assert "転倒予防" in listing and "治療中の観察" in listing
    version = TemplateVersion.objects.get(template__code="fall", status="published")
    page = client.get(reverse("admin:checklists_templateversion_change", args=[version.pk])).content.decode()
    item = version.items.exclude(source="institution").first()
    assert item.source_document in page
    assert item.source_passage in page
    assert "立位・歩行評価は早期に行い" in page


def test_the_admin_cannot_edit_published_items_or_records(client, content, checklist_admin):
    client.force_login(checklist_admin)
    item = TemplateVersion.objects.get(template__code="fall").items.first()
    response = client.post(reverse("admin:checklists_templateitem_change", args=[item.pk]), {"text_ja": "改変"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.text_ja != "改変"
    assert client.get(reverse("admin:checklists_checkrecord_add")).status_code == 403


def test_an_english_browser_still_gets_japanese_until_the_user_switches(client, nurse, fall_checklist):
    client.force_login(nurse)
    page = client.get(reverse("checklists:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9", follow=True).content.decode()
    assert '<html lang="ja">' in page and "ログアウト" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("checklists:home"), follow=True).content.decode()
    assert '<html lang="en">' in page and "Log out" in page
    assert "Fall prevention" in page
