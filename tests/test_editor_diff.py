"""The diff between two versions: items matched by key, added / removed / changed, and
for a changed item every changed field with its old and new value."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checklists import diff, services
from checklists.models import TemplateVersion

pytestmark = pytest.mark.django_db


def loaded(*versions):
    found = TemplateVersion.objects.with_items().in_bulk([v.pk for v in versions])
    return [found[v.pk] for v in versions]


def test_an_untouched_draft_has_no_differences(fall, draft):
    changes = diff.compare(*loaded(fall.versions.get(status="published"), draft))
    assert changes.is_empty
    assert changes.unchanged == draft.items.count()


def test_added_removed_and_changed_items_are_listed_field_by_field(fall, draft, checklist_admin, factors):
    published = fall.versions.get(status="published")
    services.template_item_remove(item=draft.items.get(key="physio-referral"), by=checklist_admin)
    services.template_item_add(
        version=draft, by=checklist_admin, key="night-light", text_ja="足元灯をつけた", source="institution"
    )
    bed_path = draft.items.get(key="minimise-bed-path")
    services.template_item_update(
        item=bed_path,
        by=checklist_admin,
        text_ja="動線を最小化した",
        frequency="daily",
        is_critical=False,
        applies_if_any=[factors["child"]],
        due_in="night",
    )

    changes = diff.compare(*loaded(published, draft))

    assert [item.key for item in changes.added] == ["night-light"]
    assert [item.key for item in changes.removed] == ["physio-referral"]
    [changed] = changes.changed
    assert changed.key == "minimise-bed-path"
    fields = {change.name: (change.old, change.new) for change in changed.fields}
    old = published.items.get(key="minimise-bed-path")
    assert fields == {
        "text_ja": (old.text_ja, "動線を最小化した"),
        "frequency": ("Every shift", "Once a day"),
        "is_critical": ("yes", "no"),
        "applies_if_any": ("—", factors["child"].name),
        "due_in": ("Every shift", "Night shifts only"),
    }
    assert changes.unchanged == published.items.count() - 2


def test_a_change_of_order_is_reported_with_the_old_and_new_place(fall, draft, checklist_admin):
    second = draft.items.order_by("position")[1]
    services.template_item_move(item=second, direction="up", by=checklist_admin)
    changes = diff.compare(*loaded(fall.versions.get(status="published"), draft))
    places = {c.key: [(f.old, f.new) for f in c.fields if f.name == "position"] for c in changes.changed}
    assert places == {second.key: [("2", "1")], draft.items.order_by("position")[1].key: [("1", "2")]}


def test_provenance_changes_are_listed(fall, draft, checklist_admin):
    item = draft.items.exclude(source="institution").first()
    services.template_item_update(item=item, by=checklist_admin, source_passage="別の引用")
    [changed] = diff.compare(*loaded(fall.versions.get(status="published"), draft)).changed
    assert [(f.name, f.new) for f in changed.fields] == [("source_passage", "別の引用")]


def test_without_an_older_version_every_item_counts_as_added(draft):
    changes = diff.compare(None, loaded(draft)[0])
    assert len(changes.added) == draft.items.count() and not changes.removed


def test_the_diff_page_compares_the_published_version_with_the_draft_by_default(checklist_admin_client, fall, draft):
    services.template_item_remove(item=draft.items.get(key="physio-referral"), by=None)
    response = checklist_admin_client.get(reverse("checklists:template_diff", args=[fall.pk]))
    changes = response.context["changes"]
    assert (changes.old.status, changes.new) == ("published", draft)
    assert 'class="diff-removed" data-item="physio-referral"' in response.content.decode()


def test_any_two_versions_can_be_chosen(checklist_admin_client, fall, draft, checklist_admin):
    services.template_item_update(item=draft.items.get(key="minimise-bed-path"), by=None, text_ja="v2の文言")
    services.template_publish(version=draft, by=checklist_admin, change_note="v2")
    v3 = services.template_draft_create(template=fall, by=checklist_admin)
    v1 = fall.versions.get(number=1)
    response = checklist_admin_client.get(
        reverse("checklists:template_diff", args=[fall.pk]), {"old": v1.pk, "new": v3.pk}
    )
    page = response.content.decode()
    assert response.context["changes"].old == v1
    assert 'data-field="text_ja"' in page and "v2の文言" in page


def test_choosing_the_same_version_twice_is_a_form_error(checklist_admin_client, fall):
    v1 = fall.versions.get()
    response = checklist_admin_client.get(
        reverse("checklists:template_diff", args=[fall.pk]), {"old": v1.pk, "new": v1.pk}
    )
    assert response.status_code == 200
    assert "Choose two different versions." in response.content.decode()


def test_the_diff_page_runs_a_fixed_number_of_queries(checklist_admin_client, fall, draft, checklist_admin):
    url = reverse("checklists:template_diff", args=[fall.pk])
    with CaptureQueriesContext(connection) as small:
        checklist_admin_client.get(url)
    for n in range(5):
        services.template_item_add(version=draft, by=checklist_admin, text_ja=f"追加{n}", source="institution")
    with CaptureQueriesContext(connection) as large:
        checklist_admin_client.get(url)
    assert len(small) == len(large) == 10, "\n".join(q["sql"] for q in large.captured_queries)
