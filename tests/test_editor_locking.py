"""Two admins editing the same draft: the second save, made on an older read, is refused
with "changed by X at T, reload"; nothing is overwritten silently. Every draft edit —
adding, editing, removing, reordering items, publishing — and trigger edits are covered."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from checklists import services
from checklists.models import AuditEvent

from .conftest import TOKYO
from .factories import AdminUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_a(db):
    return AdminUserFactory(username="sato", first_name="花子", last_name="佐藤")


@pytest.fixture
def admin_b(db):
    return AdminUserFactory(username="tanaka")


def browser_of(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def stale_message(page: str, who: str) -> bool:
    return f"This draft was changed by {who} at " in page and "Reload it and make your change again." in page


def test_the_second_save_of_an_item_is_refused_naming_the_first_editor(draft, admin_a, admin_b):
    item = draft.items.get(key="minimise-bed-path")
    url = reverse("checklists:item_edit", args=[item.pk])
    a, b = browser_of(admin_a), browser_of(admin_b)
    form_a, form_b = a.get(url).context["form"], b.get(url).context["form"]
    data = {name: value for name, value in form_a.initial.items() if value is not None}
    data |= {"applies_if_any": [], "not_if_any": [], "age_bands": ["child", "adult", "older"], "due_in": "all"}
    data["is_critical"] = "on"

    assert a.post(url, data | {"why_ja": "管理者Aの理由"}).status_code == 302
    response = b.post(url, data | {"why_ja": "管理者Bの理由", "revision": form_b.initial["revision"]})

    assert response.status_code == 200
    page = response.content.decode()
    assert stale_message(page, "佐藤 花子")
    item.refresh_from_db()
    assert item.why_ja == "管理者Aの理由"


def test_the_refusal_names_the_time_of_the_change_in_ward_time(draft, admin_a, admin_b):
    item = draft.items.first()
    read = draft.revision
    services.template_item_update(item=item, by=admin_a, why_ja="A", expected_revision=read)
    # Audit rows are append-only (the database refuses to move one in time): read when it was.
    changed_at = AuditEvent.objects.get(action="draft_edited").at.astimezone(TOKYO)
    with pytest.raises(services.ValidationError, match=f"at {changed_at:%Y-%m-%d %H:%M}"):
        services.template_item_update(item=item, by=admin_b, why_ja="B", expected_revision=read)


def test_the_refusal_names_the_latest_editor_not_the_first(draft, admin_a, admin_b, checklist_admin):
    item = draft.items.first()
    read = draft.revision
    services.template_item_update(item=item, by=admin_a, why_ja="A", expected_revision=read)
    services.template_item_update(item=item, by=checklist_admin, why_ja="C", expected_revision=read + 1)
    with pytest.raises(services.ValidationError, match="changed by educator"):
        services.template_item_update(item=item, by=admin_b, why_ja="B", expected_revision=read)


@pytest.mark.parametrize("second_edit", ["add", "remove", "move", "publish"])
def test_every_kind_of_draft_edit_is_refused_on_a_stale_read(draft, admin_a, admin_b, second_edit):
    read = draft.revision
    first, last = draft.items.order_by("position").first(), draft.items.order_by("position").last()
    services.template_item_update(item=first, by=admin_a, why_ja="A", expected_revision=read)
    count = draft.items.count()
    with pytest.raises(services.ValidationError, match="changed by"):
        if second_edit == "add":
            services.template_item_add(
                version=draft, by=admin_b, text_ja="追加", source="institution", expected_revision=read
            )
        elif second_edit == "remove":
            services.template_item_remove(item=last, by=admin_b, expected_revision=read)
        elif second_edit == "move":
            services.template_item_move(item=last, direction="up", by=admin_b, expected_revision=read)
        else:
            services.template_publish(version=draft, by=admin_b, change_note="B", expected_revision=read)
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.items.count() == count
    assert draft.items.order_by("position").last() == last


def test_a_stale_reorder_from_the_page_shows_the_message_and_moves_nothing(draft, admin_a, admin_b):
    editor = reverse("checklists:version_detail", args=[draft.pk])
    a, b = browser_of(admin_a), browser_of(admin_b)
    revision_seen_by_b = b.get(editor).context["version"].revision
    last = draft.items.order_by("position").last()
    a.post(reverse("checklists:item_remove", args=[draft.items.first().pk]), {"revision": draft.revision})
    keys = list(draft.items.order_by("position").values_list("key", flat=True))
    response = b.post(
        reverse("checklists:item_move", args=[last.pk]),
        {"revision": revision_seen_by_b, "direction": "up"},
        follow=True,
    )
    assert stale_message(response.content.decode(), "佐藤 花子")
    assert list(draft.items.order_by("position").values_list("key", flat=True)) == keys


def test_a_stale_publish_from_the_page_is_refused(draft, admin_a, admin_b):
    url = reverse("checklists:version_publish", args=[draft.pk])
    b = browser_of(admin_b)
    revision_seen_by_b = b.get(url).context["form"].initial["revision"]
    services.template_item_remove(item=draft.items.first(), by=admin_a, expected_revision=draft.revision)
    response = b.post(url, {"revision": revision_seen_by_b, "change_note": "B"})
    assert response.status_code == 200 and "changed by" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_two_admins_editing_triggers_the_second_is_refused(fall, admin_a, admin_b, factors):
    url = reverse("checklists:template_triggers", args=[fall.pk])
    a, b = browser_of(admin_a), browser_of(admin_b)
    seen_a, seen_b = a.get(url).context["form"].initial["seen"], b.get(url).context["form"].initial["seen"]
    current = list(map(int, seen_a.split(",")))
    a.post(url, {"risk_factors": [*current, factors["child"].pk], "seen": seen_a})
    response = b.post(url, {"risk_factors": current[:1], "seen": seen_b})
    assert response.status_code == 200
    assert "The triggers were changed by" in response.content.decode()
    assert fall.triggers.filter(code="child").exists() and fall.triggers.count() == len(current) + 1
