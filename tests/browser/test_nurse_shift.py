"""A nurse's shift in a real browser: admit, record with one tap, mark not applicable,
correct, reload, the ward board and the handover; in English; without JavaScript;
invalid input; the board on a 1024×768 tablet.

The current shift follows the wall clock, so nothing here asserts which shift it is:
everything is recorded and read back within the same (current) shift.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from checklists import services
from checklists.models import ChecklistTemplate, CheckRecord, RiskFactor, TemplateItem

from ..factories import ADULT_BIRTH_DATE
from .conftest import log_in

NOT_APPLICABLE_OR_NOT_DONE = re.compile(r"^該当なし\s*/\s*未実施$")
REASON_REQUIRED_JA = "「該当なし」または「未実施」の場合は、理由を簡潔に入力してください。"

# Counted fall-prevention items for a patient with unsteady gait only (no sedative, no stiffness, adult):
# two once-per-stay items, three every-shift items and the physiotherapy referral.
CALL_BELL = "call-bell-within-reach"  # every shift, critical
PHYSIO = "physio-referral"  # once per stay
BED_PATH = "minimise-bed-path"  # every shift, critical


def shot(page: Page, artifacts, name: str) -> None:
    page.screenshot(path=artifacts / name, full_page=True)


def item_row(page: Page, template: str, key: str):
    # An open critical item sits in the round's critical block (data-row-template), the others in their checklist.
    return page.locator(
        f'section[data-template="{template}"] [data-item="{key}"], [data-row-template="{template}"] [data-item="{key}"]'
    )


def item_text(template: str, key: str, language: str = "ja") -> str:
    item = TemplateItem.objects.get(version__template__code=template, version__status="published", key=key)
    return getattr(item, f"text_{language}")


def admit(live_ward, bed_code: str, factor_codes: list[str], *, name: str, hospital_id: str, birth_date=None):
    """Admit through the services with the proposed checklists started (for flows that start later)."""
    bed = next(bed for bed in live_ward.beds if bed.code == bed_code)
    factors = list(RiskFactor.objects.filter(code__in=factor_codes))
    admission = services.patient_admit(
        hospital_id=hospital_id,
        name=name,
        birth_date=birth_date or ADULT_BIRTH_DATE,
        bed=bed,
        risk_factors=factors,
        by=live_ward.nurse,
    )
    noted = [note.risk_factor_id for note in admission.risk_factor_notes.all()]
    for template in ChecklistTemplate.objects.proposed_for(noted):
        services.checklist_start(admission=admission, template=template, by=live_ward.nurse)
    return admission


def open_details(row, summary_text):
    """Open a <details> of the row by its visible summary and return it."""
    details = row.locator("details").filter(has=row.page.locator("summary", has_text=summary_text))
    details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    return details


def open_record_dialog(row, action: str):
    """Open the row's record dialog by its reason button or its recorded (correction) button."""
    row.locator(f'[data-action="{action}"]').click()
    dialog = row.page.locator("#record-dialog")
    expect(dialog).to_be_visible()
    return dialog


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_nurse_admits_records_corrects_and_hands_over(logged_in_page: Page, live_ward, artifacts):
    page = logged_in_page
    statuses = []
    page.on("response", lambda response: statuses.append(response.status))

    # Admit from the empty bed 402 on the ward board, with two risk factors ticked by their labels.
    page.locator('tr[data-bed="402"]').get_by_role("link", name="入院登録", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/wards/{live_ward.ward.pk}/admit/\?bed=\d+$"))
    expect(page.locator("#id_bed option:checked")).to_have_text("402")
    page.locator("#id_hospital_id").fill("H2001")
    page.locator("#id_name").fill("中村 直子")
    page.locator("#id_name_kana").fill("ナカムラ ナオコ")
    page.locator("#id_birth_date").fill("1958-03-14")
    page.get_by_label("歩行不安定・運動失調").check()
    page.get_by_label("構音障害").check()
    page.locator("main form button.btn-primary[type=submit]").click()

    # The proposed checklists are pre-ticked; the nurse confirms them.
    expect(page).to_have_url(re.compile(r"/admissions/\d+/checklists/$"))
    expect(page.locator('[data-template="fall"] input[type=checkbox]')).to_be_checked()
    expect(page.locator('[data-template="aspiration"] input[type=checkbox]')).to_be_checked()
    for not_triggered in ("delirium", "dehydration", "treatment", "explanation"):
        expect(page.locator(f'[data-template="{not_triggered}"] input[type=checkbox]')).not_to_be_checked()
    page.locator("main form button[type=submit]").click()

    # The patient page.
    expect(page).to_have_url(re.compile(r"/admissions/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("中村 直子")
    expect(page.locator("section[data-template]")).to_have_count(2)
    fall_chip = page.locator('section[data-template="fall"] .progress-chip')
    expect(fall_chip).to_have_text(re.compile(r"^0/\d+$"))

    # One tap on 実施: only the row changes, the page is not reloaded; the button now says who and when.
    page.evaluate("window.__marker = 1")
    bell = item_row(page, "fall", CALL_BELL)
    done = bell.locator('[data-action="done"]')
    expect(done).to_have_text("実施")
    done.click()
    expect(bell.locator('[data-action="correct"]')).to_have_text(re.compile(r"実施済 \d\d:\d\d nurse-a$"))
    expect(bell).to_have_class(re.compile(r"\bsettled\b"))
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"

    # 該当なし with a typed reason, in the record dialog.
    physio = item_row(page, "fall", PHYSIO)
    dialog = open_record_dialog(physio, "reason")
    dialog.get_by_role("textbox").fill("医師の指示待ちのため")
    dialog.get_by_role("button", name="該当なし", exact=True).click()
    expect(dialog).to_be_hidden()
    expect(physio.locator('[data-action="correct"]')).to_contain_text("該当なし")
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"

    # Correct the 実施 of the call bell to 未実施 with a note: the old record stays, struck through.
    dialog = open_record_dialog(bell, "correct")
    dialog.get_by_role("textbox").fill("ナースコール故障、交換を依頼")
    dialog.get_by_role("button", name="未実施", exact=True).click()
    expect(dialog).to_be_hidden()
    expect(bell.locator('[data-action="correct"]')).to_contain_text("未実施")
    dialog = open_record_dialog(bell, "correct")
    lines = dialog.locator(".record-line")
    expect(lines).to_have_count(2)
    expect(lines.nth(0)).to_have_class(re.compile(r"\bsuperseded\b"))
    expect(lines.nth(0)).to_contain_text("実施")
    expect(lines.nth(1)).not_to_have_class(re.compile(r"\bsuperseded\b"))
    expect(lines.nth(1)).to_contain_text("未実施")
    expect(lines.nth(1)).to_contain_text("ナースコール故障、交換を依頼")
    assert lines.nth(0).evaluate("el => getComputedStyle(el).textDecorationLine") == "line-through"
    dialog.get_by_role("button", name="閉じる").click()
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"

    # After a reload everything is still there, and the progress counts it.
    page.reload()
    assert page.evaluate("window.__marker") is None
    expect(item_row(page, "fall", CALL_BELL).locator('[data-action="correct"]')).to_contain_text("未実施")
    # The physiotherapy referral is once per stay: settled, it is folded away with the as-needed items.
    page.locator('section[data-template="fall"] details.folded > summary').click()
    dialog = open_record_dialog(item_row(page, "fall", PHYSIO), "correct")
    expect(dialog.locator(".record-line")).to_contain_text("医師の指示待ちのため")
    dialog.get_by_role("button", name="閉じる").click()
    expect(fall_chip).to_have_text(re.compile(r"^1/\d+$"))
    shot(page, artifacts, "patient.png")

    # The ward board: the patient in bed 402 with progress chips.
    page.get_by_role("link", name="WardSafe").click()
    board_row = page.locator('[data-testid="ward-board"] tr[data-bed="402"]')
    expect(board_row).to_contain_text("中村 直子")
    chips = board_row.locator(".bar-chip")
    expect(chips.filter(has_text="転倒予防")).to_have_text(re.compile(r"^転倒予防 1/\d+$"))
    expect(chips.filter(has_text="誤嚥予防")).to_have_text(re.compile(r"^誤嚥予防 0/\d+$"))
    expect(page.locator('tr[data-bed="401"]')).to_have_class(re.compile(r"\bempty-bed\b"))
    shot(page, artifacts, "board.png")

    # The handover: new risk factors of this shift, the not-done item with its reason, the notes.
    page.get_by_role("link", name="申し送り", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/wards/{live_ward.ward.pk}/handover/$"))
    entry = page.locator('section[data-bed="402"]')
    expect(entry).to_contain_text("中村 直子")
    expect(entry).to_contain_text("+ 歩行不安定・運動失調")
    expect(entry).to_contain_text("+ 構音障害")
    expect(entry).to_contain_text(f"× {item_text('fall', CALL_BELL)} — ナースコール故障、交換を依頼")
    expect(entry).to_contain_text("医師の指示待ちのため")
    expect(entry).to_contain_text(f"⚠ {item_text('fall', BED_PATH)}")
    shot(page, artifacts, "handover.png")

    assert not [status for status in statuses if status >= 500]
    records = CheckRecord.objects.filter(checklist__admission__patient__hospital_id="H2001")
    assert records.count() == 3
    assert records.filter(corrects__isnull=False).count() == 1


def test_the_core_flow_in_english(logged_in_page: Page, live_ward, artifacts):
    admit(live_ward, "401", ["unsteady_gait"], name="山田 太郎", hospital_id="H100")
    page = logged_in_page
    page.reload()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="日本語")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.get_by_role("link", name="山田 太郎").click()

    page.evaluate("window.__marker = 1")
    bell = item_row(page, "fall", CALL_BELL)
    expect(bell).to_contain_text(item_text("fall", CALL_BELL, "en"))
    bell.get_by_role("button", name="Done", exact=True).click()
    expect(bell.locator('[data-action="correct"]')).to_contain_text("Done (recorded)")
    expect(bell.locator('[data-action="correct"]')).to_contain_text("nurse-a")

    physio = item_row(page, "fall", PHYSIO)
    dialog = open_record_dialog(physio, "reason")
    dialog.get_by_role("textbox").fill("Waiting for the doctor's order")
    dialog.get_by_role("button", name="Not applicable", exact=True).click()
    expect(physio.locator('[data-action="correct"]')).to_contain_text("Not applicable")
    dialog = open_record_dialog(physio, "correct")
    expect(dialog.locator(".record-line")).to_contain_text("Waiting for the doctor's order")
    dialog.get_by_role("button", name="Close").click()
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    shot(page, artifacts, "patient-en.png")

    page.get_by_role("link", name="WardSafe").click()
    chip = page.locator('tr[data-bed="401"] .bar-chip')
    expect(chip).to_have_text(re.compile(r"^Fall prevention 2/\d+$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    shot(page, artifacts, "board-en.png")


def test_recording_works_without_javascript(browser, live_ward, artifacts):
    admission = admit(live_ward, "403", ["unsteady_gait"], name="鈴木 一郎", hospital_id="H300")
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, live_ward.url, live_ward.nurse.get_username())
        page.get_by_role("link", name="鈴木 一郎").click()
        detail = re.compile(rf"/admissions/{admission.pk}/(#item-\d+-\d+)?$")
        expect(page).to_have_url(detail)

        bell = item_row(page, "fall", CALL_BELL)
        bell.locator('[data-action="done"]').click()
        expect(page).to_have_url(re.compile(rf"/admissions/{admission.pk}/#item-\d+-\d+$"))
        expect(bell.locator('[data-action="correct"]')).to_contain_text("実施済")
        expect(bell.locator('[data-action="correct"]')).to_contain_text("nurse-a")

        # Without JavaScript the record dialog is a page of its own.
        path = item_row(page, "fall", BED_PATH)
        path.locator('[data-action="reason"]').click()
        form = page.get_by_test_id("record-dialog")
        form.get_by_role("textbox").fill("検査で離床中のため")
        form.get_by_role("button", name="未実施", exact=True).click()
        expect(page).to_have_url(re.compile(rf"/admissions/{admission.pk}/#item-\d+-\d+$"))
        expect(path.locator('[data-action="correct"]')).to_contain_text("未実施")

        # An empty reason: the message is shown on the page and nothing is recorded.
        physio = item_row(page, "fall", PHYSIO)
        physio.locator('[data-action="reason"]').click()
        page.get_by_test_id("record-dialog").get_by_role("button", name="未実施", exact=True).click()
        expect(page.get_by_role("alert")).to_contain_text(REASON_REQUIRED_JA)
        expect(physio.locator('[data-action="correct"]')).to_have_count(0)
        shot(page, artifacts, "patient-nojs.png")
    finally:
        context.close()
    statuses = dict(CheckRecord.objects.filter(checklist__admission=admission).values_list("item__key", "status"))
    assert statuses == {CALL_BELL: "done", BED_PATH: "not_done"}


@pytest.mark.parametrize("reason", ["", "   "])
def test_not_done_without_a_reason_is_refused_in_the_row(logged_in_page: Page, live_ward, reason):
    admission = admit(live_ward, "404", ["unsteady_gait"], name="田中 健", hospital_id="H400")
    page = logged_in_page
    statuses = []
    page.on("response", lambda response: statuses.append(response.status))
    page.goto(f"{live_ward.url}/admissions/{admission.pk}/")
    page.evaluate("window.__marker = 1")

    bell = item_row(page, "fall", CALL_BELL)
    dialog = open_record_dialog(bell, "reason")
    dialog.get_by_role("textbox").fill(reason)
    dialog.get_by_role("button", name="未実施", exact=True).click()

    expect(dialog.get_by_role("alert")).to_have_text(REASON_REQUIRED_JA)
    expect(dialog).to_be_visible()  # the dialog stays open on an error
    expect(bell.locator('[data-action="correct"]')).to_have_count(0)
    expect(bell).not_to_have_class(re.compile(r"\bsettled\b"))
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    assert not [status for status in statuses if status >= 500]
    assert not CheckRecord.objects.filter(checklist__admission=admission).exists()


def test_the_board_fits_a_tablet_and_buttons_are_touch_sized(page: Page, live_ward, artifacts):
    """1024×768: no horizontal scroll on a full board; 実施 buttons at least 44 px tall."""
    page.set_viewport_size({"width": 1024, "height": 768})
    busy = admit(
        live_ward,
        "401",
        ["oms", "unsteady_gait", "myoclonus", "dysarthria", "insomnia", "steroid", "ivig", "night_sedative"],
        name="山田 太郎左衛門",
        hospital_id="H0001234",
    )
    admit(
        live_ward,
        "402",
        ["unsteady_gait", "dysphagia", "poor_intake", "restlessness"],
        name="佐藤 さくら",
        hospital_id="H2",
    )
    admit(live_ward, "403", ["isaacs", "muscle_stiffness", "excessive_sweating"], name="鈴木 一郎", hospital_id="H3")
    log_in(page, live_ward.url, live_ward.nurse.get_username())

    expect(page.locator('tr[data-bed="401"] .bar-chip')).not_to_have_count(0)
    assert no_horizontal_scroll(page), page.evaluate("document.documentElement.scrollWidth")
    shot(page, artifacts, "board-1024.png")

    page.get_by_role("link", name="山田 太郎左衛門").click()
    expect(page).to_have_url(re.compile(rf"/admissions/{busy.pk}/$"))
    buttons = page.locator('#round .card-body > .item-row [data-action="done"]')  # not the folded ones
    expect(buttons.first).to_be_visible()  # the URL changes before the page has loaded
    assert buttons.count() > 10
    for index in range(buttons.count()):
        box = buttons.nth(index).bounding_box()
        assert box is not None and box["height"] >= 44, (index, box)
        assert box["width"] >= 44, (index, box)
    assert no_horizontal_scroll(page), page.evaluate("document.documentElement.scrollWidth")
    shot(page, artifacts, "patient-1024.png")


# --- regressions: bugs found by these tests, fixed in the app -----------------------------------------


def test_the_progress_chip_follows_a_one_tap_record(logged_in_page: Page, live_ward):
    admission = admit(live_ward, "401", ["unsteady_gait"], name="山田 太郎", hospital_id="H100")
    page = logged_in_page
    page.goto(f"{live_ward.url}/admissions/{admission.pk}/")
    chip = page.locator('section[data-template="fall"] .progress-chip')
    expect(chip).to_have_text(re.compile(r"^0/\d+$"))
    item_row(page, "fall", CALL_BELL).locator('[data-action="done"]').click()
    expect(item_row(page, "fall", CALL_BELL).locator('[data-action="correct"]')).to_have_count(1)
    expect(chip).to_have_text(re.compile(r"^1/\d+$"), timeout=2000)


def test_an_error_without_javascript_is_shown_as_an_error(browser, live_ward):
    admission = admit(live_ward, "401", ["unsteady_gait"], name="山田 太郎", hospital_id="H100")
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, live_ward.url, live_ward.nurse.get_username())
        page.goto(f"{live_ward.url}/admissions/{admission.pk}/")
        item_row(page, "fall", CALL_BELL).locator('[data-action="reason"]').click()
        page.get_by_test_id("record-dialog").get_by_role("button", name="未実施", exact=True).click()
        alert = page.get_by_role("alert").filter(has_text=REASON_REQUIRED_JA)
        expect(alert).to_have_class(re.compile(r"\balert-danger\b"), timeout=2000)
    finally:
        context.close()
