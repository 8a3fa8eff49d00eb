"""A nurse fills the Morse Fall Scale in a real browser, in one screen: the band shows, the
patient page lists the result and what is still due, and the board shows 転倒 高 and the due
assessments. Screenshots go to test-artifacts/ (the Japanese errors of the form are tested in
test_assessment_views.py: the browser's own check of the required answers comes first here)."""

import pytest
from playwright.sync_api import Page, expect

from checklists import services

from ..factories import ADULT_BIRTH_DATE, PASSWORD

pytestmark = pytest.mark.browser

HIGH = {
    "history-of-falling": "yes",
    "secondary-diagnosis": "yes",
    "iv-therapy": "yes",
}


def test_a_nurse_fills_the_morse_scale_and_the_board_shows_the_risk_level(logged_in_page: Page, live_ward, artifacts):
    page = logged_in_page
    admission = services.patient_admit(
        hospital_id="H4001", name="山田 花子", birth_date=ADULT_BIRTH_DATE, bed=live_ward.beds[0], by=live_ward.nurse
    )
    page.goto(f"{live_ward.url}/admissions/{admission.pk}/")
    section = page.get_by_test_id("assessments")
    expect(section).to_contain_text("Morse Fall Scale")
    section.locator('[data-scale="morse-fall-scale"]').get_by_role("link", name="評価する").click()
    page.screenshot(path=artifacts / "assessment-form.png", full_page=True)
    for question, answer in HIGH.items():
        page.locator(f'input[name="q-{question}"][value="{answer}"]').check()
    page.locator('input[name="q-ambulatory-aid"][value="none"]').check()
    page.locator('input[name="q-gait"][value="normal"]').check()
    page.locator('input[name="q-mental-status"][value="oriented"]').check()
    page.get_by_role("button", name="アセスメントを保存").click()
    expect(page.get_by_text("60点、高")).to_be_visible()
    expect(page.get_by_test_id("assessments").locator('[data-scale="morse-fall-scale"]')).to_contain_text("高 (60)")
    page.screenshot(path=artifacts / "assessment-patient-page.png", full_page=True)
    page.goto(live_ward.board_url())
    chips = page.get_by_test_id("assessment-chips").first
    expect(chips).to_contain_text("転倒 高")
    expect(chips.locator('[data-due="delirium-risk-screen"]')).to_be_visible()
    page.screenshot(path=artifacts / "assessment-board-chips.png", full_page=True)


def test_an_admin_sees_the_scales_and_the_notice_warning_in_japanese(page: Page, live_ward, checklist_admin, artifacts):
    page.goto(f"{live_ward.url}/accounts/login/")
    page.locator("#id_username").fill(checklist_admin.get_username())
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.goto(f"{live_ward.url}/editor/scales/")
    expect(page.get_by_test_id("scale-list")).to_contain_text("Morse Fall Scale")
    page.screenshot(path=artifacts / "scale-list.png", full_page=True)
    page.get_by_role("link", name="せん妄リスク因子の確認(別紙様式7の3に準じた施設の様式)").click()
    expect(page.get_by_test_id("check-against-notice")).to_contain_text("現行の告示・通知と照合")
    page.screenshot(path=artifacts / "scale-detail-delirium.png", full_page=True)
    page.get_by_role("link", name="JSONで編集").click()
    page.get_by_role("button", name="確認して下書きを保存").click()
    expect(page.get_by_text("下書き(第2版)を保存しました")).to_be_visible()
    # The same draft, one question in forms: an answer's points changed, the draft shows them.
    page.locator("#question-dementia").get_by_role("link", name="編集").click()
    page.locator('[name="answers-1-points"]').fill("2")
    page.get_by_role("button", name="確認して下書きを保存").click()
    expect(page.get_by_text("下書き(第2版)を保存しました")).to_be_visible()
    expect(page.locator("#question-dementia")).to_contain_text("(2)")
    page.screenshot(path=artifacts / "scale-detail-edited.png", full_page=True)
