"""A checklist admin in a real browser: edits the fall-prevention template in the editor,
reorders an item, compares the draft with the published version, publishes it; a patient
started on the old version still shows the old wording, a newly admitted patient gets
the new one; then the admin moves the old patient, whose earlier records keep the old wording
on the patient page and in the history (one row per item, the record marked v1).

The admin works in English (switched with the navbar button); the nurse in Japanese.
Screenshots of the editor and the diff page go to ``test-artifacts/``.
"""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from checklists import services
from checklists.models import ChecklistTemplate, RiskFactor, TemplateItem
from tests.factories import ADULT_BIRTH_DATE, PASSWORD

from .conftest import log_in

BED_PATH = "minimise-bed-path"  # every shift, critical, the third item of fall v1
NEW_JA = "ベッド周囲の動線を最小化し、夜間は足元灯をつけた"
NEW_EN = "Kept the path around the bed short and the night light on"


def admit_on_fall(live_ward, bed_code: str, *, name: str, hospital_id: str):
    """Admit with unsteady gait and start the fall checklist (as the nurse would confirm it)."""
    bed = next(bed for bed in live_ward.beds if bed.code == bed_code)
    admission = services.patient_admit(
        hospital_id=hospital_id,
        name=name,
        birth_date=ADULT_BIRTH_DATE,
        bed=bed,
        risk_factors=list(RiskFactor.objects.filter(code="unsteady_gait")),
        by=live_ward.nurse,
    )
    services.checklist_start(
        admission=admission, template=ChecklistTemplate.objects.get(code="fall"), by=live_ward.nurse
    )
    return admission


def log_in_as_admin(page: Page, base_url: str, username: str) -> Page:
    """The admin has no ward: after the login form she opens the editor from the navbar, in English."""
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_test_id("editor-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checklist templates")
    return page


def bed_path_row(page: Page):
    return page.locator(
        f'section[data-template="fall"] [data-item="{BED_PATH}"], [data-row-template="fall"] [data-item="{BED_PATH}"]'
    )


@pytest.fixture
def admin_page(page: Page, live_ward, checklist_admin) -> Page:
    return log_in_as_admin(page, live_ward.url, checklist_admin.get_username())


@pytest.fixture
def nurse_page(browser: Browser, live_ward):
    """The nurse, in her own browser context (own session, Japanese). Closed before the live
    server stops, so that no keep-alive request outlives the test database."""
    context = browser.new_context()
    yield log_in(context.new_page(), live_ward.url, live_ward.nurse.get_username())
    context.close()


def test_admin_edits_and_publishes_while_patients_keep_their_wording(
    admin_page: Page, nurse_page: Page, live_ward, artifacts
):
    old_text = TemplateItem.objects.get(version__template__code="fall", key=BED_PATH).text_ja
    earlier = admit_on_fall(live_ward, "401", name="山田 太郎", hospital_id="H100")
    page = admin_page
    statuses = []
    page.on("response", lambda response: statuses.append(response.status))
    page.reload()

    # The template list: fall prevention, published v1, one patient on it.
    row = page.locator('tr[data-template="fall"]')
    expect(row.get_by_test_id("published")).to_have_text("v1")
    expect(row.get_by_test_id("on-published")).to_have_text("1")
    page.screenshot(path=artifacts / "editor-list.png", full_page=True)
    row.get_by_role("link", name="Fall prevention").click()

    # Editing makes a draft copy of v1.
    page.get_by_test_id("create-draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("v2")
    item = page.locator(f'[data-testid="draft-items"] [data-item="{BED_PATH}"]')
    expect(item).to_contain_text(old_text)

    # Edit the item's Japanese and English text.
    item.get_by_role("link", name="Edit").click()
    page.locator("#id_text_ja").fill(NEW_JA)
    page.locator("#id_text_en").fill(NEW_EN)
    page.screenshot(path=artifacts / "editor-item-form.png", full_page=True)
    page.get_by_role("button", name="Save item").click()
    expect(page.locator(".alert-success")).to_contain_text("Item saved.")
    expect(item).to_contain_text(NEW_JA)

    # Move it up one place (a plain form post, no JavaScript needed).
    keys_before = page.locator('[data-testid="draft-items"] > li').evaluate_all("els => els.map(e => e.dataset.item)")
    assert keys_before.index(BED_PATH) == 2
    item.get_by_role("button", name="Move up").click()
    keys_after = page.locator('[data-testid="draft-items"] > li').evaluate_all("els => els.map(e => e.dataset.item)")
    assert keys_after.index(BED_PATH) == 1
    page.screenshot(path=artifacts / "editor-draft.png", full_page=True)

    # The diff: the item's text changed (old → new) and its place in the list.
    page.get_by_role("link", name="Compare", exact=True).click()
    changed = page.locator(f'.diff-changed[data-item="{BED_PATH}"]')
    expect(changed.locator('tr[data-field="text_ja"] .diff-old')).to_have_text(old_text)
    expect(changed.locator('tr[data-field="text_ja"] .diff-new')).to_have_text(NEW_JA)
    expect(changed.locator('tr[data-field="text_en"] .diff-new')).to_have_text(NEW_EN)
    expect(changed.locator('tr[data-field="position"]')).to_be_visible()
    page.screenshot(path=artifacts / "editor-diff.png", full_page=True)

    # Publish with a change note (required: the browser refuses an empty one first).
    page.go_back()
    page.get_by_test_id("publish").click()
    page.get_by_role("button", name="Publish").click()
    assert page.locator("#id_change_note").evaluate("el => !el.checkValidity()")
    expect(page).to_have_url(re.compile(r"/editor/versions/\d+/publish/$"))
    page.locator("#id_change_note").fill("夜間の足元灯を追加")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".alert-success")).to_contain_text("Version 2 is published")
    expect(page.locator('tr[data-version="1"]')).to_contain_text("Superseded")
    expect(page.locator('tr[data-version="2"]')).to_contain_text("Published")
    page.screenshot(path=artifacts / "editor-template.png", full_page=True)

    # A patient admitted now gets v2; the earlier patient stays on v1 with the old wording.
    newcomer = admit_on_fall(live_ward, "402", name="中村 直子", hospital_id="H200")
    nurse = nurse_page
    nurse.goto(f"{live_ward.url}/admissions/{earlier.pk}/")
    expect(nurse.locator('section[data-template="fall"]')).to_contain_text("v1")
    expect(bed_path_row(nurse)).to_contain_text(old_text)
    expect(bed_path_row(nurse)).not_to_contain_text(NEW_JA)
    nurse.goto(f"{live_ward.url}/admissions/{newcomer.pk}/")
    expect(nurse.locator('section[data-template="fall"]')).to_contain_text("v2")
    expect(bed_path_row(nurse)).to_contain_text(NEW_JA)

    assert not [status for status in statuses if status >= 500]


def test_admin_moves_a_patient_whose_earlier_records_keep_the_old_wording(
    admin_page: Page, nurse_page: Page, live_ward, checklist_admin, artifacts
):
    earlier = admit_on_fall(live_ward, "401", name="山田 太郎", hospital_id="H100")
    nurse = nurse_page
    nurse.goto(f"{live_ward.url}/admissions/{earlier.pk}/")
    old_text = TemplateItem.objects.get(version__template__code="fall", key=BED_PATH).text_ja
    bed_path_row(nurse).locator('[data-action="done"]').click()
    expect(bed_path_row(nurse).locator('[data-action="correct"]')).to_have_count(1)

    fall = ChecklistTemplate.objects.get(code="fall")
    draft = services.template_draft_create(template=fall, by=checklist_admin)
    services.template_item_update(item=draft.items.get(key=BED_PATH), by=checklist_admin, text_ja=NEW_JA)
    services.template_publish(version=draft, by=checklist_admin, change_note="足元灯")

    page = admin_page
    page.reload()
    page.locator('tr[data-template="fall"]').get_by_test_id("on-older").get_by_role("link").click()
    patient = page.locator("tr[data-checklist]").first  # the editor names no patient: ward and bed
    expect(patient).to_contain_text("v1")
    patient.get_by_role("checkbox").check()
    page.screenshot(path=artifacts / "editor-patients.png", full_page=True)
    page.get_by_test_id("move").click()
    expect(page.locator("div.alert-success[role=alert]")).to_contain_text("1 patient moved to version 2")
    expect(page.get_by_test_id("nobody-on-older")).to_be_visible()

    page.get_by_role("link", name="History").click()
    expect(page.get_by_test_id("history").locator('tr[data-action="checklist_moved"]')).to_contain_text(
        "moved from version 1 to version 2"
    )

    nurse.reload()
    expect(nurse.locator('section[data-template="fall"]')).to_contain_text("v2")
    expect(bed_path_row(nurse)).to_contain_text(NEW_JA)
    bed_path_row(nurse).locator('[data-action="correct"]').click()  # the record dialog lists the records
    expect(nurse.locator("#record-dialog .earlier-wording")).to_contain_text(old_text)  # the record, made on v1
    nurse.screenshot(path=artifacts / "patient-after-move.png", full_page=True)
    nurse.goto(f"{live_ward.url}/admissions/{earlier.pk}/history/")
    expect(nurse.locator("main")).to_contain_text(old_text)
    expect(nurse.locator('section[data-template="fall"]')).to_have_count(1)
    expect(nurse.locator(f'tr[data-item="{BED_PATH}"] [data-earlier-version="1"]')).to_have_count(1)
    nurse.screenshot(path=artifacts / "history-after-move.png", full_page=True)
