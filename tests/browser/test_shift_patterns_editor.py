"""A checklist admin in a real browser changes the shifts from a date: the day shift of the
three-shift pattern starts at 08:00 from next week (a new version, the old one kept), and the
ward switches to two shifts the week after; the shift list shows what is in force today and
what comes later. Screenshots of the three pages go to ``test-artifacts/``."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from checklists.models import ShiftPattern, WardShiftPattern

from .test_admin_editor import log_in_as_admin


def test_admin_changes_the_shifts_and_the_wards_pattern_from_a_date(page: Page, live_ward, checklist_admin, artifacts):
    log_in_as_admin(page, live_ward.url, checklist_admin.get_username())
    page.get_by_role("link", name="Shifts").click()
    three = page.locator('section[data-pattern="three-shift"]')
    expect(three.locator('tr[data-state="current"]')).to_contain_text("08:30–17:00")

    next_week = timezone.localdate() + timedelta(days=7)
    three.get_by_role("link", name="Change the shifts from a date").click()
    page.locator("#id_effective_from").fill(next_week.isoformat())
    page.locator("#id_shifts-0-starts_at").fill("08:00")
    page.locator("#id_shifts-0-ends_at").fill("16:45")
    page.locator("#id_note").fill("早出に合わせる")
    page.screenshot(path=artifacts / "editor-shift-change.png", full_page=True)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("div.alert-success[role=alert]")).to_contain_text(f"changes from {next_week.isoformat()}")
    expect(three.locator('tr[data-version="2"][data-state="upcoming"]')).to_contain_text("08:00–16:45")
    expect(three.locator('tr[data-version="1"][data-state="current"]')).to_contain_text("08:30–17:00")

    page.locator(f'tr[data-ward="{live_ward.ward.code}"]').get_by_role("link").click()
    page.locator("#id_pattern").select_option(label="Two shifts")
    page.locator("#id_effective_from").fill((next_week + timedelta(days=7)).isoformat())
    page.screenshot(path=artifacts / "editor-ward-shifts.png", full_page=True)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(f'tr[data-ward="{live_ward.ward.code}"]')).to_contain_text("Two shifts from")
    page.screenshot(path=artifacts / "editor-shifts.png", full_page=True)
    assert WardShiftPattern.objects.get(ward=live_ward.ward).pattern == ShiftPattern.objects.get(code="two-shift")
