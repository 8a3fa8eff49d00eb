"""A tick that fails is never silent (issue 13): the row says "not saved — try again" with the
reason, the button comes back, and the same tap works once the server answers again. The
server's failures are simulated by intercepting the request in the browser."""

import re

from playwright.sync_api import Page, expect

from checklists.models import CheckRecord

from .test_nurse_shift import CALL_BELL, admit, item_row

RECORD_URL = re.compile(r"/checklists/\d+/items/\d+/record/(\?.*)?$")  # the button's token is in its address
NOT_SAVED = "保存されていません — もう一度お試しください。"


def patient_page(page: Page, live_ward):
    admission = admit(live_ward, "401", ["unsteady_gait"], name="山田 太郎", hospital_id="H100")
    page.goto(f"{live_ward.url}/admissions/{admission.pk}/")
    row = item_row(page, "fall", CALL_BELL)
    return row, row.locator('[data-action="done"]')


def test_a_tick_answered_busy_says_not_saved_and_gives_the_button_back(logged_in_page: Page, live_ward):
    page = logged_in_page
    row, done = patient_page(page, live_ward)
    page.route(RECORD_URL, lambda route: route.fulfill(status=503, headers={"X-WardSafe-Error": "busy"}, body="busy"))
    done.click()
    note = row.locator(".not-saved")
    expect(note).to_have_text(re.compile(rf"^{NOT_SAVED} システムが混み合っています。.*紙の用紙に記録"))
    expect(done).to_be_enabled()
    expect(row).to_have_class(re.compile(r"\brequest-failed\b"))
    assert not CheckRecord.objects.exists()

    page.unroute(RECORD_URL)
    done.click()  # the same tap, once the server answers again
    expect(item_row(page, "fall", CALL_BELL).locator('[data-action="correct"]')).to_have_count(1)
    expect(item_row(page, "fall", CALL_BELL).locator(".not-saved")).to_have_count(0)
    assert CheckRecord.objects.count() == 1


def test_the_button_is_disabled_while_its_tick_is_on_the_way(logged_in_page: Page, live_ward):
    page = logged_in_page
    _row, done = patient_page(page, live_ward)
    held = []
    page.route(RECORD_URL, lambda route: held.append(route))  # the request waits until the test lets it go
    done.click()
    expect(done).to_be_disabled()
    done.click(force=True)  # a second tap while it is on the way sends nothing
    assert len(held) == 1
    held[0].continue_()
    expect(item_row(page, "fall", CALL_BELL).locator('[data-action="correct"]')).to_have_count(1)
    assert CheckRecord.objects.count() == 1


def test_a_dropped_connection_says_there_is_no_connection(logged_in_page: Page, live_ward):
    page = logged_in_page
    row, done = patient_page(page, live_ward)
    page.route(RECORD_URL, lambda route: route.abort("connectionreset"))
    done.click()
    expect(row.locator(".not-saved")).to_have_text(f"{NOT_SAVED} サーバーに接続できません。")
    expect(done).to_be_enabled()


def test_a_session_that_ended_does_not_put_the_login_form_into_the_row(logged_in_page: Page, live_ward):
    page = logged_in_page
    row, done = patient_page(page, live_ward)
    page.context.clear_cookies(name="sessionid")  # idle logout, or a logout in another tab
    done.click()
    expect(row.locator(".not-saved")).to_have_text(re.compile("ログアウトされました"))
    expect(page.locator("#id_username")).to_have_count(0)
    assert not CheckRecord.objects.exists()
