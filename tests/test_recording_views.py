"""The patient page: items due this shift, one-tap records over htmx or plain posts,
reasons, corrections, and bad input answered clearly."""

import re

import pytest
from django.urls import reverse

from checklists import services
from checklists.models import ChecklistTemplate, CheckRecord

from .conftest import tokyo
from .factories import NurseFactory, WardFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def page_url(fall_checklist):
    return reverse("checklists:admission_detail", args=[fall_checklist.admission.pk])


def record_url(checklist, item):
    return reverse("checklists:item_record", args=[checklist.pk, item.pk])


def test_the_patient_page_shows_only_the_items_that_apply(client, nurse, admission, page_url, frozen_clock):
    """An adult with unsteady gait and IVIg, in the day shift (日勤): the night-only items and
    those for other factors are not shown."""
    delirium = services.checklist_start(
        admission=admission, template=ChecklistTemplate.objects.get(code="delirium"), by=nurse
    )
    treatment = services.checklist_start(
        admission=admission, template=ChecklistTemplate.objects.get(code="treatment"), by=nurse
    )
    client.force_login(nurse)
    page = client.get(page_url).content.decode()
    shown = set(re.findall(r'data-item="([a-z0-9-]+)"', page))
    assert "adjust-night-stimulation" not in shown  # night shifts only
    assert {"ivig-bp", "ivig-fluids", "review-causes-together"} <= shown
    assert not {"steroid-not-stopped", "rituximab-infusion-reaction", "immuno-infection-signs"} & shown
    delirium_keys = set(delirium.version.items.values_list("key", flat=True))
    assert delirium_keys - shown == {"adjust-night-stimulation"}
    assert treatment.version.items.filter(key__in=shown).count() == 6  # the IVIg items
    assert "実施" in page and "理由" in page  # 該当なし / 未実施 are in the record dialog


def test_the_page_shows_why_and_the_quoted_source(client, nurse, fall_checklist, page_url):
    item = fall_checklist.version.items.exclude(source="institution").first()
    client.force_login(nurse)
    page = client.get(page_url).content.decode()
    dialog_url = reverse("checklists:item_dialog", args=[fall_checklist.pk, item.pk])
    assert dialog_url in page  # fetched on demand, not sent with every row
    dialog = client.get(dialog_url, **HTMX).content.decode()
    assert item.why_ja in dialog
    assert item.source_document in dialog and item.source_passage in dialog
    assert "該当なし" in dialog and "未実施" in dialog


def test_one_tap_over_htmx_returns_the_updated_row(client, nurse, fall_checklist):
    item = fall_checklist.version.items.first()
    client.force_login(nurse)
    response = client.post(record_url(fall_checklist, item), {"status": "done"}, **HTMX)
    assert response.status_code == 200
    row = response.content.decode()
    assert row.lstrip().startswith('<div class="item-row settled"')
    assert f'id="item-{fall_checklist.pk}-{item.pk}"' in row
    assert "<html" not in row
    assert CheckRecord.objects.get().recorded_by == nurse


def test_without_javascript_the_form_posts_and_redirects_back(client, nurse, fall_checklist, page_url):
    item = fall_checklist.version.items.first()
    client.force_login(nurse)
    response = client.post(record_url(fall_checklist, item), {"status": "done"})
    assert response.status_code == 302
    assert response.url == f"{page_url}#item-{fall_checklist.pk}-{item.pk}"
    assert CheckRecord.objects.count() == 1


def test_not_applicable_without_a_reason_is_explained_in_the_row(client, nurse, fall_checklist):
    item = fall_checklist.version.items.first()
    client.force_login(nurse)
    response = client.post(record_url(fall_checklist, item), {"status": "not_applicable", "note": " "}, **HTMX)
    assert response.status_code == 200
    assert "理由" in response.content.decode()
    assert not CheckRecord.objects.exists()


def test_not_done_without_a_reason_is_explained_after_the_redirect(client, nurse, fall_checklist, page_url):
    item = fall_checklist.version.items.first()
    client.force_login(nurse)
    response = client.post(record_url(fall_checklist, item), {"status": "not_done"}, follow=True)
    assert response.status_code == 200
    assert "理由" in response.content.decode()
    assert not CheckRecord.objects.exists()


def test_a_reason_is_stored_with_the_record(client, nurse, fall_checklist):
    item = fall_checklist.version.items.first()
    client.force_login(nurse)
    response = client.post(record_url(fall_checklist, item), {"status": "not_done", "note": "検査中"}, **HTMX)
    assert "未実施" in response.content.decode()
    assert CheckRecord.objects.get().note == "検査中"
    dialog = client.get(reverse("checklists:item_dialog", args=[fall_checklist.pk, item.pk]), **HTMX)
    assert "検査中" in dialog.content.decode()


def test_a_correction_shows_the_old_record_struck_through(client, nurse, fall_checklist):
    item = fall_checklist.version.items.first()
    wrong = services.item_record(checklist=fall_checklist, item=item, status="done", by=nurse)
    client.force_login(nurse)
    url = reverse("checklists:record_correct", args=[wrong.pk])
    client.post(url, {"status": "not_done", "note": "取り違え"}, **HTMX)
    dialog = client.get(reverse("checklists:item_dialog", args=[fall_checklist.pk, item.pk]), **HTMX)
    assert re.search(rf'record-line superseded"\s+data-record="{wrong.pk}"', dialog.content.decode())
    assert CheckRecord.objects.get(corrects=wrong).note == "取り違え"


def test_a_record_on_a_discharged_patient_is_refused_with_a_message(client, nurse, fall_checklist, page_url):
    item = fall_checklist.version.items.first()
    services.admission_discharge(admission=fall_checklist.admission, by=nurse, at=tokyo(2026, 11, 22, 9, 0))
    client.force_login(nurse)
    response = client.post(record_url(fall_checklist, item), {"status": "done"}, follow=True)
    assert response.status_code == 200
    assert not CheckRecord.objects.exists()
    assert "退院" in response.content.decode()


def test_an_unknown_status_and_an_overlong_note_are_explained_in_the_row(client, in_english, nurse, fall_checklist):
    item = fall_checklist.version.items.first()
    client.force_login(nurse)
    response = client.post(record_url(fall_checklist, item), {"status": "<script>", "note": "x" * 600}, **HTMX)
    assert response.status_code == 200
    row = response.content.decode()
    assert "&lt;script&gt; is not one of the available choices" in row and "<script>" not in row
    assert "at most 500 characters" in row
    assert not CheckRecord.objects.exists()


def test_an_item_of_another_checklist_is_not_found(client, nurse, fall_checklist):
    other = ChecklistTemplate.objects.get(code="delirium").versions.get().items.first()
    client.force_login(nurse)
    assert client.post(record_url(fall_checklist, other), {"status": "done"}).status_code == 404


def test_a_nurse_of_another_ward_cannot_see_or_record(client, fall_checklist, page_url):
    stranger = NurseFactory()
    WardFactory(code="west-3").staff.add(stranger)
    client.force_login(stranger)
    assert client.get(page_url).status_code == 404
    item = fall_checklist.version.items.first()
    assert client.post(record_url(fall_checklist, item), {"status": "done"}).status_code == 404
    assert not CheckRecord.objects.exists()
