"""The patient page as a round in a real browser (issue 12): a double tap makes one record and
the done row says who and when; a quick reason in two taps; "the rest: done" with its
confirmation (no critical item in it); two nurses in two browser contexts, the second posting on
a stale view, is asked instead of recording over the first; axe-core finds no serious WCAG 2.2 AA
violation on the page, its dialogs and the login page; the page on a 1024×768 tablet and a
390×844 phone (screenshots in test-artifacts/)."""

import re

import pytest
from playwright.sync_api import Page, expect

from checklists import selectors, services
from checklists.models import CheckRecord, QuickReason, ScaleVersion
from checklists.names import staff_name

from ..factories import MFS_HIGHEST, NurseFactory
from .accessibility import assert_no_serious_axe_violations
from .conftest import log_in
from .test_nurse_shift import BED_PATH, CALL_BELL, admit, item_row, no_horizontal_scroll

PHYSIO = "physio-referral"


@pytest.fixture
def quick_reasons(role_groups):
    """The shipped reasons (the flush between browser tests empties the table the migration filled)."""
    for position, (ja, en, status) in enumerate(
        [("入眠中", "Asleep", "not_done"), ("検査で離床中", "Away for an examination", "not_done")], start=1
    ):
        QuickReason.objects.get_or_create(name_ja=ja, defaults={"name_en": en, "status": status, "position": position})


@pytest.fixture
def patient(live_ward, quick_reasons):
    return admit(live_ward, "401", ["unsteady_gait"], name="山田 太郎", hospital_id="H0001")


def open_patient(page: Page, live_ward, patient) -> Page:
    page.goto(f"{live_ward.url}/admissions/{patient.pk}/")
    expect(page.locator("#round")).to_be_attached()
    return page


def test_a_double_tap_makes_one_record_and_the_row_says_who_and_when(logged_in_page: Page, live_ward, patient):
    live_ward.nurse.first_name, live_ward.nurse.last_name = "花子", "看護"
    live_ward.nurse.save()
    page = open_patient(logged_in_page, live_ward, patient)
    row = item_row(page, "fall", CALL_BELL)
    row.locator("[data-action=done]").dblclick()
    recorded = row.locator("[data-action=correct]")
    expect(recorded).to_have_text(re.compile(r"^✓?\s*実施済 \d\d:\d\d 看護 花子$"))
    page.wait_for_load_state("networkidle")
    assert CheckRecord.objects.filter(item__key=CALL_BELL).count() == 1
    expect(row.locator("[data-action=done]")).to_have_count(0)  # the next tap is a correction
    recorded.click()
    expect(page.locator("#record-dialog")).to_contain_text("下のボタンで、この記録を訂正します")


def test_a_quick_reason_in_two_taps(logged_in_page: Page, live_ward, patient, artifacts):
    page = open_patient(logged_in_page, live_ward, patient)
    row = item_row(page, "fall", PHYSIO)
    row.locator("[data-action=reason]").click()
    dialog = page.locator("#record-dialog")
    expect(dialog).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.screenshot(path=artifacts / "round-record-dialog-1024.png")
    dialog.get_by_role("button", name="入眠中").click()
    expect(dialog).to_be_hidden()
    expect(row.locator("[data-action=correct]")).to_contain_text("未実施")
    record = CheckRecord.objects.get(item__key=PHYSIO)
    assert (record.status, record.note) == ("not_done", "入眠中")


def test_a_note_too_long_stays_in_the_open_dialog_and_says_so(logged_in_page: Page, live_ward, patient):
    page = open_patient(logged_in_page, live_ward, patient)
    item_row(page, "fall", PHYSIO).locator("[data-action=reason]").click()
    dialog = page.locator("#record-dialog")
    long_note = "理由" * 260
    dialog.locator("textarea[name=note]").fill(long_note)
    dialog.get_by_role("button", name="未実施", exact=True).click()
    expect(dialog.get_by_role("alert")).to_contain_text("500")
    expect(dialog).to_be_visible()
    expect(dialog.locator("textarea[name=note]")).to_have_value(long_note)
    assert not CheckRecord.objects.exists()


def test_the_rest_done_confirms_what_it_records_and_leaves_critical_items(logged_in_page: Page, live_ward, patient):
    page = open_patient(logged_in_page, live_ward, patient)
    page.locator("[data-action=rest-done]").click()
    dialog = page.locator("#rest-dialog")
    expect(dialog).to_be_visible()
    assert_no_serious_axe_violations(page)
    listed = dialog.locator(".rest-list li")
    critical = list(patient.checklists.get().version.items.filter(is_critical=True).values_list("text_ja", flat=True))
    listed_count = listed.count()
    assert listed_count > 0
    assert not any(text in listed.all_inner_texts()[i] for i in range(listed.count()) for text in critical)
    with page.expect_navigation():
        dialog.locator("[data-action=rest-confirm]").click()
    expect(page.get_by_role("alert").first).to_contain_text("件を「実施」として記録しました")
    made = CheckRecord.objects.filter(checklist__admission=patient)
    assert made.count() == listed_count
    assert not made.filter(item__is_critical=True).exists()
    expect(item_row(page, "fall", BED_PATH).locator("[data-action=done]")).to_be_visible()


def test_a_post_on_a_stale_view_asks_who_recorded_meanwhile(browser, live_ward, patient, artifacts):
    colleague = NurseFactory(username="nurse-b", first_name="京子", last_name="主任")
    live_ward.ward.staff.add(colleague)
    mine = browser.new_context(viewport={"width": 1024, "height": 768}, locale="ja-JP")
    theirs = browser.new_context(viewport={"width": 1024, "height": 768}, locale="ja-JP")
    try:
        me = open_patient(log_in(mine.new_page(), live_ward.url, live_ward.nurse.get_username()), live_ward, patient)
        them = open_patient(log_in(theirs.new_page(), live_ward.url, "nurse-b"), live_ward, patient)
        # The colleague ticks two items; my page, rendered before, still offers Done on both.
        for key in (CALL_BELL, BED_PATH):
            item_row(them, "fall", key).locator("[data-action=done]").click()
            expect(item_row(them, "fall", key).locator("[data-action=correct]")).to_be_visible()

        # Mine as a correction of theirs (my page is still the stale one).
        item_row(me, "fall", BED_PATH).locator("[data-action=done]").click()
        dialog = me.locator("#record-dialog")
        expect(dialog.get_by_test_id("recorded-meanwhile")).to_contain_text("主任 京子")
        me.screenshot(path=artifacts / "round-recorded-meanwhile-1024.png")
        assert_no_serious_axe_violations(me)
        dialog.locator("[data-action=record-mine]").click()
        expect(item_row(me, "fall", BED_PATH).locator("[data-action=correct]")).to_contain_text(
            staff_name(live_ward.nurse)
        )
        # Theirs kept: nothing written, and my page shows their record.
        item_row(me, "fall", CALL_BELL).locator("[data-action=done]").click()
        expect(dialog.get_by_test_id("recorded-meanwhile")).to_contain_text("主任 京子")
        dialog.locator("[data-action=keep-theirs]").click()
        expect(item_row(me, "fall", CALL_BELL).locator("[data-action=correct]")).to_contain_text("主任 京子")
        assert CheckRecord.objects.filter(item__key=CALL_BELL).count() == 1
        correction = CheckRecord.objects.get(item__key=BED_PATH, corrects__isnull=False)
        assert correction.recorded_by == live_ward.nurse
        assert correction.corrects.recorded_by == colleague
    finally:
        mine.close()
        theirs.close()


@pytest.mark.parametrize(("width", "height"), [(1024, 768), (390, 844)], ids=["tablet", "phone"])
def test_the_round_page_fits_and_passes_axe(browser, live_ward, patient, artifacts, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP")
    try:
        page = context.new_page()
        page.goto(f"{live_ward.url}/accounts/login/")
        assert_no_serious_axe_violations(page)
        page = open_patient(log_in(page, live_ward.url, live_ward.nurse.get_username()), live_ward, patient)
        assert no_horizontal_scroll(page)
        for button in page.locator("#round [data-action=done], #round [data-action=reason]").all()[:6]:
            box = button.bounding_box()
            assert box["height"] >= 44 and box["width"] >= 44
        page.screenshot(path=artifacts / f"round-patient-{width}.png")
        assert_no_serious_axe_violations(page)
    finally:
        context.close()


@pytest.mark.parametrize(("width", "height"), [(1024, 768), (390, 844)], ids=["tablet", "phone"])
def test_the_round_starts_on_the_first_screen_with_the_assessments_in_one_line(
    browser, live_ward, patient, artifacts, width, height
):
    """The header, the shift and the assessments leave the first item row on the first screen, on
    the phone too: the risk levels and what is due sit in one line (a due one opens its form in one
    tap), the whole assessments card follows the round, and the stay's occasional actions are one
    menu."""
    mfs = ScaleVersion.objects.get(scale__code="morse-fall-scale", status="published")
    services.assessment_record(admission=patient, version=mfs, answers=MFS_HIGHEST, by=live_ward.nurse)
    due = [status for status in selectors.assessment_summaries([patient])[patient.pk].statuses if status.is_due]
    assert due, "the delirium screen of a new admission is due"
    context = browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP")
    try:
        page = log_in(context.new_page(), live_ward.url, live_ward.nurse.get_username())
        page = open_patient(page, live_ward, patient)
        strip = page.get_by_test_id("assessment-strip")
        expect(strip.locator('[data-scale="morse-fall-scale"]')).to_have_text(re.compile(r"高 \(\d+\)"))
        first_row = page.locator("#round .item-row").first.bounding_box()
        assert first_row["y"] + first_row["height"] <= height, first_row
        assert page.evaluate(
            "() => !!(document.querySelector('#round').compareDocumentPosition("
            "document.querySelector('#assessments')) & Node.DOCUMENT_POSITION_FOLLOWING)"
        )
        assert no_horizontal_scroll(page)
        page.screenshot(path=artifacts / f"round-first-screen-{width}.png")

        page.get_by_test_id("stay-menu").locator("summary").click()
        expect(page.get_by_test_id("stay-menu").get_by_role("link", name="転床")).to_be_visible()
        assert no_horizontal_scroll(page)
        page.keyboard.press("Escape")
        expect(page.get_by_test_id("stay-menu")).not_to_have_attribute("open", "")

        strip.locator(f'[data-due="{due[0].scale.code}"]').click()
        expect(page).to_have_url(re.compile(rf"/admissions/{patient.pk}/assessments/{due[0].scale.pk}/new/$"))
    finally:
        context.close()
