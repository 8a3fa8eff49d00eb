"""WCAG 2.2 AA (axe-core) on every page a ward nurse and a shift leader open, on a 1024×768
tablet, in Japanese and (the board and the patient page) in English; and English text on the
board and the patient page is never broken in the middle of a word.

The pages come from the URL catalogue (tests/url_catalogue.py): every GET a ward A nurse gets
a 200 from, less the PDFs and CSVs, plus the board's and the handover's filters, the patient
lookup on the admission form and the record dialog (a fragment, opened from the patient page).
Each page's violations are collected and the test fails once with all of them.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from checklists import services
from checklists.forms import SlotForm
from checklists.models import ChecklistTemplate, RiskFactor, ScaleVersion

from ..factories import ADULT_BIRTH_DATE, MFS_HIGHEST
from ..url_catalogue import EXPECTATIONS, ROLES, build_world
from .accessibility import assert_no_serious_axe_violations
from .conftest import log_in

TABLET = {"width": 1024, "height": 768}
NURSE = ROLES.index("nurse_a")
NOT_PAGES = re.compile(r"_(pdf|csv|download)$")  # files, not pages
FRAGMENTS = {"checklists:item_dialog"}  # opened from the patient page, as a nurse does
LONG_NAME = "Bartholomew Featherstonehaugh-Worthington"
BUSY_FACTORS = ["oms", "unsteady_gait", "myoclonus", "dysarthria", "insomnia", "steroid", "ivig", "night_sedative"]

# Every English word (ASCII, split on white space) inside the roots that is drawn on two lines or
# more other than after a hyphen (where English wraps a compound: "bed-|exit"), shown with "|" where
# its lines break. Lines are told apart by their tops: a word can come in
# several rects on one line (Chrome splits a range at a shaping run, e.g. in an ellipsed cell).
BROKEN_WORDS_JS = """
(selectors) => {
  const lineOf = (node, start, end) => {
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    const rects = [...range.getClientRects()].filter((rect) => rect.width > 0 && rect.height > 0);
    return rects.length ? Math.round(rects[0].top + rects[0].height / 2) : null;
  };
  const broken = [];
  for (const root of document.querySelectorAll(selectors)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const pattern = /\\S+/g;
      let match;
      while ((match = pattern.exec(node.textContent))) {
        const word = match[0];
        if (!/^[\\x21-\\x7e]+$/.test(word) || !/[A-Za-z]{2}/.test(word)) continue;
        let drawn = "", midWord = false, last = null;
        for (let i = 0; i < word.length; i++) {
          const line = lineOf(node, match.index + i, match.index + i + 1);
          if (line !== null && last !== null && Math.abs(line - last) > 4) {
            drawn += "|";
            midWord ||= word[i - 1] !== "-";
          }
          if (line !== null) last = line;
          drawn += word[i];
        }
        if (midWord) {
          const parent = node.parentElement;
          broken.push(`${drawn} (${parent.tagName.toLowerCase()}.${[...parent.classList].join(".")})`);
        }
      }
    }
  }
  return broken;
}
"""


class Audit:
    """axe-core on each page in turn; the violations are kept, and ``assert_clean`` fails once."""

    def __init__(self):
        self.pages: list[str] = []
        self.violations: list[str] = []

    def check(self, page: Page, label: str) -> None:
        page.wait_for_load_state("networkidle")
        self.pages.append(label)
        # The patient page's "the rest: done" bar floats at the foot of the screen while the round
        # scrolls under it: whichever row passes under its edge is half hidden for that moment (axe
        # target-size counts what the bar covers). At the end of the round the bar rests in its own
        # place and every row and the bar are audited uncovered.
        page.evaluate("() => document.querySelector('.round-rest') && window.scrollTo(0, document.body.scrollHeight)")
        try:
            assert_no_serious_axe_violations(page)
        except AssertionError as error:
            self.violations.append(f"[{label}] {error}")

    def visit(self, page: Page, url: str, label: str) -> None:
        response = page.goto(url)
        assert response is not None and response.status == 200, (label, url, response and response.status)
        self.check(page, label)

    def assert_clean(self) -> None:
        assert self.pages
        assert not self.violations, f"{len(self.violations)} of {len(self.pages)} pages:\n" + "\n\n".join(
            self.violations
        )


def nurse_pages() -> list[str]:
    return [
        name
        for name, expect_ in EXPECTATIONS.items()
        if expect_.get[NURSE] == 200 and not NOT_PAGES.search(name) and name not in FRAGMENTS
    ]


@pytest.fixture
def world(live_server):
    """The catalogue's world, ward A's patient cared for by nurse-a this shift, and in bed 402 a
    busy patient with a long English name and a high Morse Fall Scale result."""
    world = build_world()
    world.url = live_server.url
    nurse = world.users["nurse_a"]
    slot = SlotForm(ward=world.a.ward).slot
    services.care_assign(admission=world.a.admission, slot=slot, nurse=nurse, by=nurse)
    busy = services.patient_admit(
        hospital_id="H300999",
        name=LONG_NAME,
        birth_date=ADULT_BIRTH_DATE,
        bed=world.a.empty_bed,
        risk_factors=list(RiskFactor.objects.filter(code__in=BUSY_FACTORS)),
        by=nurse,
    )
    noted = [note.risk_factor_id for note in busy.risk_factor_notes.all()]
    for template in ChecklistTemplate.objects.proposed_for(noted):
        services.checklist_start(admission=busy, template=template, by=nurse)
    mfs = ScaleVersion.objects.get(scale__code="morse-fall-scale", status="published")
    services.assessment_record(admission=busy, version=mfs, answers=MFS_HIGHEST, by=nurse)
    world.busy = busy
    return world


def record_on_the_patient_page(page: Page, audit: Audit) -> None:
    """One item done with one tap, one not done with a reason (axe on the open record dialog)."""
    row_id = page.locator("#round .item-row").filter(has=page.locator('[data-action="done"]')).first.get_attribute("id")
    page.locator(f'#{row_id} [data-action="done"]').click()
    expect(page.locator(f'#{row_id} [data-action="correct"]')).to_be_visible()
    other = page.locator("#round .item-row").filter(has=page.locator('[data-action="reason"]')).first
    other.locator('[data-action="reason"]').click()
    dialog = page.locator("#record-dialog")
    expect(dialog).to_be_visible()
    audit.check(page, "record dialog (reason)")
    dialog.get_by_role("textbox").fill("検査のため病棟不在")
    dialog.get_by_role("button", name="未実施", exact=True).click()
    expect(dialog).to_be_hidden()


def test_every_nurse_and_leader_page_passes_axe(page: Page, browser, world, artifacts):
    page.set_viewport_size(TABLET)
    audit = Audit()
    page.goto(f"{world.url}/accounts/login/")
    audit.check(page, "login")
    log_in(page, world.url, world.users["nurse_a"].get_username())
    ward, admission = world.a.ward, world.a.admission

    # The patient page first: a record done, one not done with a reason, the record dialog opened by an item's text.
    page.goto(f"{world.url}/admissions/{admission.pk}/")
    audit.check(page, "patient page (before records)")
    record_on_the_patient_page(page, audit)
    page.locator("#round .item-row a.item-text").first.click()
    expect(page.locator("#record-dialog")).to_be_visible()
    audit.check(page, "record dialog (item text)")
    page.locator("#record-dialog").get_by_role("button", name="閉じる").click()

    for name in nurse_pages():
        audit.visit(page, world.url + EXPECTATIONS[name].url(name, world), name)
        if name == "checklists:admission_detail":
            page.screenshot(path=artifacts / "axe-patient.png", full_page=True)
        elif name == "checklists:ward_handover":
            page.screenshot(path=artifacts / "axe-handover.png", full_page=True)
    board = f"{world.url}/wards/{ward.pk}/"
    audit.visit(page, f"{board}?show=mine", "board, my patients")
    audit.visit(page, f"{board}?show=all", "board, the whole ward")
    page.screenshot(path=artifacts / "axe-board.png", full_page=True)
    audit.visit(page, f"{board}handover/?nurse={world.users['nurse_a'].pk}", "handover of one nurse")
    audit.visit(page, f"{world.url}/admissions/{world.busy.pk}/", "patient page (busy patient)")

    # The patient lookup on the admission form (an htmx swap of the patient fields).
    page.goto(f"{board}admit/")
    page.locator("#id_hospital_id").fill(admission.patient.hospital_id)
    page.locator("button[name=lookup]").click()
    audit.check(page, "admission form, patient lookup")

    # English: the board and the busy patient's page.
    page.goto(f"{board}?show=all")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    audit.check(page, "board (English)")
    page.screenshot(path=artifacts / "axe-board-en.png", full_page=True)
    audit.visit(page, f"{world.url}/admissions/{world.busy.pk}/", "patient page (English)")
    page.screenshot(path=artifacts / "axe-patient-en.png", full_page=True)

    # The shift leader: the care assignments (her form), the board and the handover.
    context = browser.new_context(viewport=TABLET)
    try:
        leader = context.new_page()
        log_in(leader, world.url, world.users["leader"].get_username())
        audit.check(leader, "board (leader)")
        audit.visit(leader, f"{board}assignments/", "care assignments (leader)")
        expect(leader.locator("main form select").first).to_be_visible()
        leader.screenshot(path=artifacts / "axe-assignments-leader.png", full_page=True)
        audit.visit(leader, f"{board}handover/", "handover (leader)")
    finally:
        context.close()

    audit.assert_clean()


def test_english_words_are_never_broken_mid_word(page: Page, world, artifacts):
    page.set_viewport_size(TABLET)
    log_in(page, world.url, world.users["nurse_a"].get_username())
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"{world.url}/wards/{world.a.ward.pk}/?show=all")  # her patient and the busy one
    board = page.get_by_test_id("ward-board")
    expect(board).to_contain_text(LONG_NAME)
    broken = {"board": page.evaluate(BROKEN_WORDS_JS, "[data-testid=ward-board]")}

    page.goto(f"{world.url}/admissions/{world.busy.pk}/")
    expect(page.locator("#round")).to_be_visible()
    page.wait_for_load_state("networkidle")
    broken["patient page"] = page.evaluate(BROKEN_WORDS_JS, "#round")
    page.screenshot(path=artifacts / "words-patient-en.png", full_page=True)
    assert not any(broken.values()), broken

    # The check sees a word broken anywhere (it is not blind): with break-all the item texts break.
    page.evaluate("document.querySelectorAll('#round .item-text').forEach((a) => { a.style.wordBreak = 'break-all'; })")
    assert page.evaluate(BROKEN_WORDS_JS, "#round")
