"""The board's rows come from the cache until what they show changes (checklists/views/board_rows.py).

After every kind of write (16 of them), the board drawn with the cache warm is the board drawn with an empty
cache: never stale. A write of one stay's own draws that row only; a write of the ward's draws
them all. The 受け持つ button and the language are the asker's own, cache or not."""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from checklists import scale_content, selectors, services
from checklists.models import ChecklistTemplate, RiskFactor, ScaleVersion, ShiftDefinition
from checklists.shifts import ShiftCalendar

from .conftest import tokyo
from .factories import ADULT_BIRTH_DATE, MFS_HIGHEST, NurseFactory

pytestmark = pytest.mark.django_db


def rows_of(client, ward) -> str:
    """The board's rows as drawn (the page around them carries a new CSRF token each time)."""
    html = client.get(reverse("checklists:ward_board", args=[ward.pk]), {"show": "all"}).content.decode()
    return html[html.index("<tbody>") : html.index("</tbody>")]


@pytest.fixture
def world(content, fall_checklist, beds, nurse, factors, frozen_clock):
    """Bed 401: the fall checklist's patient; 402: a second patient on the delirium checklist;
    403 and 404 empty. The day shift of 2026-11-21."""
    second = services.patient_admit(
        hospital_id="H200",
        name="佐藤 花",
        birth_date=ADULT_BIRTH_DATE,
        bed=beds[1],
        risk_factors=[factors["restlessness"]],
        by=nurse,
        at=tokyo(2026, 11, 20, 11),
    )
    delirium = services.checklist_start(
        admission=second, template=ChecklistTemplate.objects.get(code="delirium"), by=nurse, at=tokyo(2026, 11, 20, 11)
    )
    return {"fall": fall_checklist, "delirium": delirium, "second": second, "beds": beds, "nurse": nurse}


def _record(w):
    item = w["fall"].version.items.get(key="call-bell-within-reach")
    services.item_record(checklist=w["fall"], item=item, status="done", by=w["nurse"])


def _record_to_correct(w):
    item = w["fall"].version.items.get(key="call-bell-within-reach")
    w["record"] = services.item_record(checklist=w["fall"], item=item, status="done", by=w["nurse"])


def _correct(w):
    services.record_correct(record=w["record"], status="not_done", note="入浴中", by=w["nurse"])


def _transcribe(w):
    services.item_transcribe(
        checklist=w["fall"],
        item=w["fall"].version.items.get(key="call-bell-within-reach"),
        duty_date=date(2026, 11, 21),
        shift=ShiftDefinition.objects.get(code="night"),
        status="done",
        by=w["nurse"],
        at=tokyo(2026, 11, 21, 9, 30),
    )


def _assign(w):
    slot = ShiftCalendar.for_ward(w["fall"].admission.ward).shift_at()
    services.care_assign(admission=w["fall"].admission, slot=slot, nurse=w["nurse"], by=w["nurse"])


def _assess(w):
    mfs = ScaleVersion.objects.with_content().get(scale__code="morse-fall-scale", status="published")
    services.assessment_record(admission=w["second"], version=mfs, answers=MFS_HIGHEST, by=w["nurse"])


def _note_factor(w, factors):
    services.admission_risk_factor_note(
        admission=w["fall"].admission, risk_factor=factors["night_sedative"], by=w["nurse"]
    )


def _start(w):
    services.checklist_start(
        admission=w["second"], template=ChecklistTemplate.objects.get(code="aspiration"), by=w["nurse"]
    )


def _stop(w):
    services.checklist_stop(checklist=w["delirium"], by=w["nurse"], reason="せん妄のリスクなし")


def _move_to_v2(w, admin):
    draft = services.template_draft_create(template=w["fall"].template, by=admin)
    for item in draft.items.filter(is_critical=True):  # the board shows the first open one's wording
        services.template_item_update(item=item, by=admin, text_ja=f"{item.text_ja}（第2版）")
    v2 = services.template_publish(version=draft, by=admin, change_note="文言")
    services.checklist_move_to_version(checklists=[w["fall"]], version=v2, by=admin)


def _transfer(w):
    services.admission_transfer(admission=w["fall"].admission, bed=w["beds"][2], by=w["nurse"])


def _discharge(w):
    services.admission_discharge(admission=w["second"], by=w["nurse"])


def _admit(w):
    services.patient_admit(
        hospital_id="H300", name="鈴木 一", birth_date=ADULT_BIRTH_DATE, bed=w["beds"][3], by=w["nurse"]
    )


def _fall_event(w, injury_levels):
    services.safety_event_record(  # recent_fall: the post-fall items apply
        admission=w["fall"].admission,
        kind="fall",
        occurred_at=tokyo(2026, 11, 21, 9, 45),
        place="toilet",
        description="トイレで転倒",
        witness="nobody",
        injury_level=injury_levels["1"],
        by=w["nurse"],
    )


def _bed_code(w):
    bed = w["beds"][3]
    bed.code = "404A"
    services.reference_data_save(obj=bed, by=w["nurse"], changed=["code"])


def _scale_setting(w, admin):
    mfs = ScaleVersion.objects.get(scale__code="morse-fall-scale", status="published")
    services.ward_scale_setting_set(
        ward=w["fall"].admission.ward,
        scale=mfs.scale,
        due_within_days=7,  # admitted yesterday: the Morse Fall Scale is no longer due
        reassess_every_days=None,
        cutoffs={},
        by=admin,
    )


PREPARED = {"a correction": _record_to_correct}


def _scale_renamed(w, admin):
    """A new version of the Morse Fall Scale whose short name (on the due chips) changed."""
    published = ScaleVersion.objects.with_content().get(scale__code="morse-fall-scale", status="published")
    document = services.scale_document(published) | {"short_name_ja": "MFS", "change_note": "略称を変更"}
    spec = scale_content.parse_scale(document, factor_codes=set(RiskFactor.objects.values_list("code", flat=True)))
    services.scale_publish(version=services.scale_import(spec=spec, by=admin), by=admin, change_note="略称を変更")


WRITES = {
    "a record": _record,
    "a correction": _correct,
    "a paper record": _transcribe,
    "an assignment": _assign,
    "an assessment": _assess,
    "a risk factor": lambda w, factors: _note_factor(w, factors),
    "a checklist started": _start,
    "a checklist stopped": _stop,
    "a move to a new version": lambda w, admin: _move_to_v2(w, admin),
    "a transfer": _transfer,
    "a discharge": _discharge,
    "an admission": _admit,
    "a fall": lambda w, injury_levels: _fall_event(w, injury_levels),
    "a bed's code (the admin)": _bed_code,
    "a scale's ward setting": lambda w, admin: _scale_setting(w, admin),
    "a scale's new version (the editor)": lambda w, admin: _scale_renamed(w, admin),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_after_each_kind_of_write_the_cached_board_is_the_board_drawn_afresh(
    client, world, factors, checklist_admin, injury_levels, write
):
    if write in PREPARED:
        PREPARED[write](world)
    client.force_login(world["nurse"])
    before = rows_of(client, world["fall"].admission.ward)
    arguments = {"factors": factors, "admin": checklist_admin, "injury_levels": injury_levels}
    do = WRITES[write]
    wanted = do.__code__.co_varnames[1 : do.__code__.co_argcount]
    do(world, **{name: arguments[name] for name in wanted})
    cached = rows_of(client, world["fall"].admission.ward)
    cache.clear()
    assert cached == rows_of(client, world["fall"].admission.ward)
    assert cached != before, "the write shows on the board"


def test_a_write_of_one_stay_draws_its_row_only_and_a_ward_write_draws_every_row(client, world, monkeypatch):
    drawn = []
    bed_rows = selectors.bed_rows

    def spy(ward, beds, *args):
        drawn.append(sorted(bed.code for bed, _ in beds))
        return bed_rows(ward, beds, *args)

    monkeypatch.setattr(selectors, "bed_rows", spy)
    client.force_login(world["nurse"])
    ward = world["fall"].admission.ward
    rows_of(client, ward)
    rows_of(client, ward)  # nothing changed: nothing drawn
    _record(world)
    rows_of(client, ward)
    _admit(world)
    rows_of(client, ward)
    assert drawn == [["401", "402", "403", "404"], ["401"], ["401", "402", "403", "404"]]


def test_the_take_button_and_the_language_are_the_askers_own(client, world):
    ward = world["fall"].admission.ward
    _assign(world)  # nurse-a has bed 401 this shift
    other = NurseFactory(username="nurse-b")
    ward.staff.add(other)
    take = 'value="take"'
    client.force_login(world["nurse"])
    mine = rows_of(client, ward)
    client.force_login(other)
    theirs = rows_of(client, ward)
    row_401 = slice(0, theirs.index('data-bed="402"'))
    assert take not in mine[: mine.index('data-bed="402"')] and take in theirs[row_401]
    client.cookies["django_language"] = "en"
    english = rows_of(client, ward)
    assert "Empty bed" in english and "Empty bed" not in theirs
