"""A nurse records a fall in the browser, sees it on the patient's history, then opens her
ward's quality pages: the charts are server-side SVG images that load under the strict CSP
(no console error), and the CSV link downloads. Screenshots go to test-artifacts/."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from checklists import services
from checklists.models import ChecklistTemplate
from tests.factories import ADULT_BIRTH_DATE


def test_a_fall_recorded_in_the_browser_shows_on_the_history_and_the_quality_pages(
    logged_in_page, live_ward, artifacts
):
    page = logged_in_page
    services.injury_scale_ship()
    admission = services.patient_admit(
        hospital_id="H100",
        name="山田 太郎",
        birth_date=ADULT_BIRTH_DATE,
        bed=live_ward.beds[0],
        by=live_ward.nurse,
        at=timezone.now() - timedelta(days=2),
    )
    checklist = services.checklist_start(
        admission=admission,
        template=ChecklistTemplate.objects.get(code="fall"),
        by=live_ward.nurse,
        at=timezone.now() - timedelta(days=2),
    )
    for item, status in zip(
        checklist.version.items.unconditional()[:4], ["done", "done", "not_done", "done"], strict=True
    ):
        services.item_record(
            checklist=checklist, item=item, status=status, note="" if status == "done" else "不在", by=live_ward.nurse
        )
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(f"{live_ward.url}/admissions/{admission.pk}/events/new/")
    page.locator("#id_kind").select_option("fall")
    page.locator("#id_place").select_option("toilet")
    page.locator("#id_description").fill("トイレ前で尻もち")
    page.locator("#id_injury_level").select_option(label="レベル2 — 軽度の傷害")
    page.locator("#id_witness").select_option("nobody")
    page.get_by_role("button", name="イベントを記録する").click()
    expect(page.get_by_test_id("stay-events")).to_contain_text("トイレ前で尻もち")
    page.screenshot(path=artifacts / "patient-history-events.png", full_page=True)

    page.goto(f"{live_ward.url}/quality/wards/{live_ward.ward.pk}/events/")
    charts = page.locator("img.quality-chart")
    expect(charts.first).to_be_visible()
    assert charts.first.evaluate("image => image.naturalWidth") > 0
    expect(page.get_by_test_id("events")).to_contain_text("転倒・転落")
    expect(page.get_by_test_id("events")).not_to_contain_text("山田")
    page.screenshot(path=artifacts / "quality-events.png", full_page=True)

    page.goto(f"{live_ward.url}/quality/wards/{live_ward.ward.pk}/completion/")
    assert page.locator("img.quality-chart").nth(1).evaluate("image => image.naturalWidth") > 0
    page.screenshot(path=artifacts / "quality-completion.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_test_id("csv-completion-heat-map").click()
    assert download.value.suggested_filename.startswith("completion-heat-map-")
    assert not [e for e in errors if "Content Security Policy" in e], errors
