"""The board is live: two nurses in two browser contexts; one records on the patient page, the
other's board (left open, no reload) shows it at its next poll. The polls are conditional
(If-None-Match → 304 while nothing changed) and are not activity for the idle logout. Also the
board at a glance, looked at: 1024×768 shows at least 10 beds, and 390×844 is one column."""

import re

import pytest
from playwright.sync_api import Browser, expect

from checklists import services
from checklists.forms import SlotForm
from checklists.models import ChecklistTemplate
from checklists.names import staff_name

from ..factories import ADULT_BIRTH_DATE, BedFactory, NurseFactory
from .conftest import log_in
from .test_nurse_shift import item_row

CALL_BELL = "call-bell-within-reach"
POLL_WAIT_MS = 30_000  # the board polls every 20 s


@pytest.fixture
def colleague(live_ward):
    nurse = NurseFactory(username="nurse-b", first_name="花子", last_name="看護")
    live_ward.ward.staff.add(nurse)
    return nurse


def admit_on_fall(live_ward, bed, name, hospital_id):
    admission = services.patient_admit(
        hospital_id=hospital_id, name=name, birth_date=ADULT_BIRTH_DATE, bed=bed, risk_factors=[], by=live_ward.nurse
    )
    services.checklist_start(
        admission=admission, template=ChecklistTemplate.objects.get(code="fall"), by=live_ward.nurse
    )
    return admission


def test_a_colleagues_record_reaches_the_open_board_without_a_reload(browser: Browser, live_ward, colleague, artifacts):
    admission = admit_on_fall(live_ward, live_ward.beds[0], "中村 直子", "H700")
    watcher = browser.new_context(viewport={"width": 1024, "height": 768}).new_page()
    recorder = browser.new_context(viewport={"width": 1024, "height": 768}).new_page()
    polls = []
    watcher.on("response", lambda r: polls.append((r.status, r.request.headers)) if "/wards/" in r.url else None)
    log_in(watcher, live_ward.url, colleague.get_username())
    count = watcher.locator('tr[data-bed="401"] .bar-chip')
    expect(count).to_have_text(re.compile(r"^転倒予防 0/\d+$"))
    watcher.evaluate("window.__marker = 1")

    log_in(recorder, live_ward.url, live_ward.nurse.get_username())
    recorder.goto(f"{live_ward.url}/admissions/{admission.pk}/")
    item_row(recorder, "fall", CALL_BELL).locator('[data-action="done"]').click()
    expect(item_row(recorder, "fall", CALL_BELL).locator(".recorded.status-done")).to_have_count(1)

    expect(count).to_have_text(re.compile(r"^転倒予防 1/\d+$"), timeout=POLL_WAIT_MS)
    assert watcher.evaluate("window.__marker") == 1, "the board was reloaded"
    sent = [headers for status, headers in polls if headers.get("x-wardsafe-poll") == "1"]
    assert sent and all("if-none-match" in headers for headers in sent)
    watcher.screenshot(path=artifacts / "board-live-1024.png", full_page=False)


def test_an_unchanged_board_is_not_swapped_and_the_poll_is_a_304(browser: Browser, live_ward, colleague):
    admit_on_fall(live_ward, live_ward.beds[0], "中村 直子", "H701")
    page = browser.new_context().new_page()
    statuses = []
    page.on("response", lambda r: statuses.append(r.status) if r.request.headers.get("x-wardsafe-poll") else None)
    log_in(page, live_ward.url, colleague.get_username())
    page.evaluate("document.querySelector('[data-testid=ward-board]').dataset.mark = 'kept'")
    page.wait_for_timeout(22_000)
    assert statuses and set(statuses) == {304}
    assert page.evaluate("document.querySelector('[data-testid=ward-board]').dataset.mark") == "kept"


def test_a_colleagues_record_reaches_the_open_patient_page_without_a_reload(
    browser: Browser, live_ward, colleague, artifacts
):
    """The patient page polls like the board (issue 12, item 5): a colleague's tick shows in the
    open page's row at the next poll, without a reload, and the polls are conditional."""
    admission = admit_on_fall(live_ward, live_ward.beds[0], "中村 直子", "H701")
    patient_url = f"{live_ward.url}/admissions/{admission.pk}/"
    watcher = browser.new_context(viewport={"width": 1024, "height": 768}).new_page()
    recorder = browser.new_context(viewport={"width": 1024, "height": 768}).new_page()
    polls = []
    watcher.on("response", lambda r: polls.append((r.status, r.request.headers)) if "/admissions/" in r.url else None)
    log_in(watcher, live_ward.url, colleague.get_username())
    watcher.goto(patient_url)
    expect(item_row(watcher, "fall", CALL_BELL).locator('[data-action="done"]')).to_be_visible()
    watcher.evaluate("window.__marker = 1")

    log_in(recorder, live_ward.url, live_ward.nurse.get_username())
    recorder.goto(patient_url)
    item_row(recorder, "fall", CALL_BELL).locator('[data-action="done"]').click()
    expect(item_row(recorder, "fall", CALL_BELL).locator(".recorded.status-done")).to_have_count(1)

    seen = item_row(watcher, "fall", CALL_BELL).locator(".recorded.status-done")
    expect(seen).to_have_count(1, timeout=POLL_WAIT_MS)
    expect(seen).to_contain_text(staff_name(live_ward.nurse))  # who recorded it
    assert watcher.evaluate("window.__marker") == 1, "the page was reloaded"
    sent = [headers for status, headers in polls if headers.get("x-wardsafe-poll") == "1"]
    assert sent and all("if-none-match" in headers for headers in sent)
    # The refreshed round still records: the watcher ticks another item in one tap.
    other = watcher.locator('#round .item-row [data-action="done"]').first
    row_id = other.locator("xpath=ancestor::div[contains(@class, 'item-row')]").get_attribute("id")
    other.click()
    expect(watcher.locator(f"#{row_id} .recorded.status-done")).to_have_count(1)
    watcher.screenshot(path=artifacts / "patient-live-1024.png", full_page=False)


def test_the_board_at_a_glance_on_a_tablet_and_a_phone(browser: Browser, live_ward, colleague, artifacts):
    for n in range(5, 17):
        BedFactory(ward=live_ward.ward, code=f"4{n:02d}", position=n)
    beds = list(live_ward.ward.beds.order_by("position"))
    for index, bed in enumerate(beds[:12]):
        admission = admit_on_fall(live_ward, bed, f"患者 {index}", f"H8{index:02d}")
        if index % 3 == 0:
            services.care_assign(admission=admission, slot=_slot(live_ward.ward), nurse=colleague, by=colleague)
    tablet = browser.new_context(viewport={"width": 1024, "height": 768}).new_page()
    log_in(tablet, live_ward.url, live_ward.nurse.get_username())
    tablet.screenshot(path=artifacts / "board-1024x768.png")
    visible = tablet.evaluate(
        "Array.from(document.querySelectorAll('[data-testid=ward-board] tbody tr'))"
        ".filter(r => r.getBoundingClientRect().bottom <= window.innerHeight).length"
    )
    assert visible >= 10, f"only {visible} beds fit on a 1024×768 screen"
    expect(tablet.locator('tr[data-bed="401"] .cell-nurse')).to_contain_text("看護 花子")  # family name first
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(phone, live_ward.url, live_ward.nurse.get_username())
    phone.screenshot(path=artifacts / "board-390x844.png")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the phone board scrolls sideways ({width} px)"


def _slot(ward):
    return SlotForm(ward=ward).slot
