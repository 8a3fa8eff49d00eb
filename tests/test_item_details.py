"""The per-patient detail of an item (「歩行器使用・見守り」): a nurse sets or changes it from the
patient page; each change is a new row (the latest stands, an empty text clears it), audited
and counted as a change of the ward in the same transaction; a detail too long is refused with
the limit, never cut; it follows the patient to a newer version of the checklist."""

import pytest
from django.urls import reverse

from checklists import services
from checklists.models import AuditEvent, ItemDetail, WardChangeCounter

from .conftest import tokyo

pytestmark = pytest.mark.django_db


@pytest.fixture
def walking(fall_checklist):
    return fall_checklist.version.items.get(key="assess-standing-walking")


def change_count(ward) -> int:
    return WardChangeCounter.objects.filter(ward=ward).values_list("count", flat=True).first() or 0


def test_setting_a_detail_writes_a_row_an_audit_row_and_counts_a_change(fall_checklist, walking, nurse):
    before = change_count(fall_checklist.admission.ward)
    detail = services.item_detail_set(checklist=fall_checklist, item=walking, text=" 歩行器使用・見守り ", by=nurse)
    assert (detail.text, detail.item_key, detail.written_by) == ("歩行器使用・見守り", walking.key, nurse)
    event = AuditEvent.objects.get(action=AuditEvent.Action.ITEM_DETAIL_SET)
    assert event.data == {"item": walking.key, "text": "歩行器使用・見守り", "previous": ""}
    assert event.admission == fall_checklist.admission
    assert change_count(fall_checklist.admission.ward) == before + 1


def test_a_change_is_a_new_row_and_the_latest_stands(fall_checklist, walking, nurse):
    first = services.item_detail_set(
        checklist=fall_checklist, item=walking, text="歩行器使用・見守り", by=nurse, at=tokyo(2026, 11, 20, 11, 0)
    )
    services.item_detail_set(
        checklist=fall_checklist, item=walking, text="車椅子・介助", by=nurse, at=tokyo(2026, 11, 20, 12, 0)
    )
    first.refresh_from_db()
    assert first.text == "歩行器使用・見守り"  # kept as it was
    assert ItemDetail.objects.count() == 2
    current = ItemDetail.objects.current_by_item([fall_checklist.admission])
    assert [d.text for d in current.values()] == ["車椅子・介助"]
    # The same text again writes nothing; an empty one clears the detail (a row too).
    services.item_detail_set(checklist=fall_checklist, item=walking, text="車椅子・介助", by=nurse)
    assert ItemDetail.objects.count() == 2
    services.item_detail_set(checklist=fall_checklist, item=walking, text="", by=nurse, at=tokyo(2026, 11, 20, 13, 0))
    assert ItemDetail.objects.count() == 3
    assert ItemDetail.objects.current_by_item([fall_checklist.admission]) == {}


def test_a_detail_too_long_is_refused_with_the_limit_not_cut(fall_checklist, walking, nurse):
    with pytest.raises(services.ValidationError) as error:
        services.item_detail_set(checklist=fall_checklist, item=walking, text="あ" * 61, by=nurse)
    assert "61" in error.value.messages[0] and "60" in error.value.messages[0]
    assert not ItemDetail.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ITEM_DETAIL_SET).exists()


def test_an_item_that_asks_for_no_detail_takes_none(fall_checklist, nurse):
    bell = fall_checklist.version.items.get(key="call-bell-within-reach")
    with pytest.raises(services.ValidationError):
        services.item_detail_set(checklist=fall_checklist, item=bell, text="手元", by=nurse)


def test_a_discharged_patient_takes_no_detail(fall_checklist, walking, nurse):
    services.admission_discharge(admission=fall_checklist.admission, by=nurse)
    with pytest.raises(services.ValidationError):
        services.item_detail_set(checklist=fall_checklist, item=walking, text="見守り", by=nurse)


def test_the_patient_page_shows_the_detail_and_links_to_its_form(client, fall_checklist, walking, nurse):
    client.force_login(nurse)
    page = reverse("checklists:admission_detail", args=[fall_checklist.admission_id])
    html = client.get(page).content.decode()
    url = reverse("checklists:item_detail", args=[fall_checklist.pk, walking.pk])
    bell = fall_checklist.version.items.get(key="call-bell-within-reach")
    assert url in html and walking.detail_prompt_ja in html
    assert reverse("checklists:item_detail", args=[fall_checklist.pk, bell.pk]) not in html
    response = client.post(url, {"text": "歩行器使用・見守り"})
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{fall_checklist.pk}-{walking.pk}")
    html = client.get(page).content.decode()
    assert "歩行器使用・見守り" in html
    assert "歩行器使用・見守り" in client.get(url).content.decode()  # the form shows the current detail


def test_the_form_refuses_a_long_detail_in_japanese_saying_the_limit(client, fall_checklist, walking, nurse):
    client.force_login(nurse)
    url = reverse("checklists:item_detail", args=[fall_checklist.pk, walking.pk])
    html = client.get(url).content.decode()
    assert "maxlength" not in html  # said, not cut by the browser
    response = client.post(url, {"text": "歩" * 75})
    assert response.status_code == 200
    html = response.content.decode()
    assert "75" in html and "60" in html and "文字" in html
    assert "歩" * 75 in html  # what she typed comes back whole
    assert not ItemDetail.objects.exists()


def test_the_form_speaks_english_when_the_user_does(client, fall_checklist, walking, nurse, in_english):
    client.force_login(nurse)
    url = reverse("checklists:item_detail", args=[fall_checklist.pk, walking.pk])
    response = client.post(url, {"text": "x" * 61})
    assert "at most 60 fit" in response.content.decode()


def test_an_item_without_a_prompt_has_no_detail_page(client, fall_checklist, nurse):
    client.force_login(nurse)
    bell = fall_checklist.version.items.get(key="call-bell-within-reach")
    assert client.get(reverse("checklists:item_detail", args=[fall_checklist.pk, bell.pk])).status_code == 404


def test_a_detail_follows_the_patient_to_a_newer_version(fall_checklist, walking, nurse, checklist_admin):
    services.item_detail_set(checklist=fall_checklist, item=walking, text="歩行器使用・見守り", by=nurse)
    draft = services.template_draft_create(template=fall_checklist.template, by=checklist_admin)
    services.template_publish(version=draft, by=checklist_admin, change_note="文言")
    [moved] = services.checklist_move_to_version(checklists=[fall_checklist], version=draft, by=checklist_admin)
    current = ItemDetail.objects.current_by_item([fall_checklist.admission])
    assert current[(fall_checklist.admission_id, moved.template_id, "assess-standing-walking")].text == (
        "歩行器使用・見守り"
    )


def test_the_django_admin_lists_details_for_a_superuser_and_changes_none(admin_client, fall_checklist, walking, nurse):
    detail = services.item_detail_set(checklist=fall_checklist, item=walking, text="歩行器使用・見守り", by=nurse)
    listing = admin_client.get(reverse("admin:checklists_itemdetail_changelist"))
    assert listing.status_code == 200
    assert "歩行器使用・見守り" in listing.content.decode()
    assert admin_client.get(reverse("admin:checklists_itemdetail_add")).status_code == 403
    change = admin_client.post(reverse("admin:checklists_itemdetail_change", args=[detail.pk]), {"text": "車椅子"})
    assert change.status_code == 403
    detail.refresh_from_db()
    assert detail.text == "歩行器使用・見守り"
