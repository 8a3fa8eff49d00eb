"""Item rules (issue 11, point 2): whether an item applies to a stay on a duty date, in a shift.
``selectors.item_applies`` decides for every page; these tests pin each rule at its edges,
the night flag of the shipped shifts, the diff and the export of the rules."""

from datetime import date

import pytest

from checklists import diff, selectors, services
from checklists.models import Admission, DueIn, ShiftPattern, TemplateItem, TemplateVersion
from checklists.shifts import ShiftCalendar, slot_of

from .conftest import tokyo

pytestmark = pytest.mark.django_db

DUTY_DATE = date(2026, 11, 21)


def circumstances(codes=(), age=45, band="adult", is_night=None):
    return selectors.Circumstances(factor_codes=frozenset(codes), age=age, age_band=band, is_night=is_night)


@pytest.fixture
def rule_item(draft, checklist_admin, factors):
    """A draft item for myoclonus or tremor, not while nil by mouth, for adults and 70 and over."""
    services.template_item_add(
        version=draft,
        by=checklist_admin,
        key="rule-item",
        text_ja="規則つきの項目",
        source="institution",
        applies_if_any=[factors["myoclonus"], factors["tremor"]],
        not_if_any=[factors["nil_by_mouth"]],
        for_children=False,
    )
    return TemplateItem.objects.with_rules().get(version=draft, key="rule-item")


def test_an_item_applies_if_the_patient_has_any_of_its_factors(rule_item):
    assert selectors.item_applies(rule_item, circumstances({"tremor"}))
    assert selectors.item_applies(rule_item, circumstances({"myoclonus", "oms"}))
    assert not selectors.item_applies(rule_item, circumstances({"oms"}))


def test_an_item_does_not_apply_if_the_patient_has_any_of_its_exclusions(rule_item):
    assert not selectors.item_applies(rule_item, circumstances({"tremor", "nil_by_mouth"}))


def test_an_item_applies_only_in_its_age_bands(rule_item):
    assert not selectors.item_applies(rule_item, circumstances({"tremor"}, age=9, band="child"))
    assert selectors.item_applies(rule_item, circumstances({"tremor"}, age=88, band="older"))


def test_an_item_from_an_age_applies_from_that_birthday(fall):
    bell = TemplateItem.objects.with_rules().get(version__template=fall, key="call-bell-within-reach")
    assert bell.from_age == 6
    assert not selectors.item_applies(bell, circumstances(age=5, band="child"))
    assert selectors.item_applies(bell, circumstances(age=6, band="child"))


def test_a_night_only_item_is_due_in_night_shifts_and_on_a_whole_day_sheet(fall):
    watch = TemplateItem.objects.with_rules().get(version__template=fall, key="night-sedative-watch")
    sedated = {"night_sedative"}
    assert not selectors.item_applies(watch, circumstances(sedated, is_night=False))
    assert selectors.item_applies(watch, circumstances(sedated, is_night=True))
    assert selectors.item_applies(watch, circumstances(sedated, is_night=None))


def test_a_day_only_item_is_not_asked_at_night(rule_item):
    rule_item.due_in = "day"
    assert selectors.item_applies(rule_item, circumstances({"tremor"}, is_night=False))
    assert not selectors.item_applies(rule_item, circumstances({"tremor"}, is_night=True))


def test_the_shipped_patterns_mark_their_night_shifts(content):
    nights = {
        pattern.code: {shift.code: shift.is_night for shift in pattern.versions.get().shifts.all()}
        for pattern in ShiftPattern.objects.all()
    }
    assert nights == {
        "three-shift": {"day": False, "evening": True, "night": True},
        "two-shift": {"day": False, "overnight": True},
    }


def test_the_patient_page_asks_the_night_item_in_the_night_shift_only(content, beds, nurse, factors):
    admission = services.patient_admit(
        hospital_id="N1",
        name="夜間 眠",
        birth_date=date(1980, 1, 1),
        bed=beds[1],
        risk_factors=[factors["night_sedative"]],
        by=nurse,
        at=tokyo(2026, 11, 20, 10),
    )
    fall = factors["night_sedative"].triggered_templates.get(code="fall")
    services.checklist_start(admission=admission, template=fall, by=nurse)
    admission = Admission.objects.for_shift_work().get(pk=admission.pk)
    shifts = {shift.code: shift for shift in ShiftCalendar.for_ward(admission.ward).shifts_on(DUTY_DATE)}
    seen = {}
    for code in ("day", "evening", "night"):
        slot = slot_of(shifts[code], DUTY_DATE)
        shift = selectors.patient_shifts([admission], [], slot)[admission.pk]
        seen[code] = "night-sedative-watch" in {state.item.key for c in shift.checklists for state in c.items}
    assert seen == {"day": False, "evening": True, "night": True}


def test_the_diff_lists_rule_changes(fall, draft, checklist_admin, factors):
    item = draft.items.get(key="observe-myoclonus-tremor")
    services.template_item_update(
        item=item,
        by=checklist_admin,
        applies_if_any=[factors["myoclonus"]],
        not_if_any=[factors["oms"]],
        due_in="night",
    )
    published = TemplateVersion.objects.with_items().get(template=fall, status="published")
    changes = diff.compare(published, TemplateVersion.objects.with_items().get(pk=draft.pk))
    (change,) = changes.changed
    fields = {f.name: (f.old, f.new) for f in change.fields}
    assert fields["applies_if_any"] == ("Myoclonus, Tremor", "Myoclonus")
    assert fields["not_if_any"] == ("—", "Opsoclonus-myoclonus syndrome (OMS)")
    assert fields["due_in"] == (str(DueIn.ALL.label), str(DueIn.NIGHT.label))


def test_a_factor_cannot_both_bring_an_item_and_keep_it_away(draft, checklist_admin, factors):
    item = draft.items.get(key="observe-myoclonus-tremor")
    with pytest.raises(services.ValidationError, match="both"):
        services.template_item_update(
            item=item, by=checklist_admin, applies_if_any=[factors["oms"]], not_if_any=[factors["oms"]]
        )


def test_a_new_draft_copies_the_rules(fall, draft):
    copied = TemplateItem.objects.with_rules().get(version=draft, key="night-sedative-watch")
    assert [f.code for f in copied.applies_if_factors] == ["night_sedative"]
    assert copied.due_in == "night"


def test_the_export_writes_format_2_with_the_rules_and_reads_back(fall, checklist_admin):
    document = services.template_export(template=fall, by=checklist_admin)
    assert document["format"] == "wardsafe-template/3"
    items = {item["key"]: item for item in document["versions"][0]["items"]}
    assert items["observe-myoclonus-tremor"]["applies_if_any"] == ["myoclonus", "tremor"]
    assert items["call-bell-within-reach"]["from_age"] == 6
    assert items["child-motor-regression"]["age_bands"] == ["child"]
    _template, draft, _notes = services.template_import_document(
        data=document | {"code": "fall-copy"}, by=checklist_admin
    )
    watch = TemplateItem.objects.with_rules().get(version=draft, key="night-sedative-watch")
    assert ([f.code for f in watch.applies_if_factors], watch.due_in) == (["night_sedative"], "night")


def test_a_version_1_file_is_still_imported_with_only_if_as_an_applies_if_rule(fall, checklist_admin):
    document = services.template_export(template=fall, by=checklist_admin) | {"code": "fall-v1"}
    document["format"] = "wardsafe-template/1"
    for item in document["versions"][0]["items"]:
        for name in ("applies_if_any", "not_if_any", "age_bands", "from_age", "due_in"):
            item.pop(name)
        item["only_if"] = "tremor" if item["key"] == "observe-myoclonus-tremor" else None
    _template, draft, _notes = services.template_import_document(data=document, by=checklist_admin)
    item = TemplateItem.objects.with_rules().get(version=draft, key="observe-myoclonus-tremor")
    assert [f.code for f in item.applies_if_factors] == ["tremor"]
    assert (item.for_children, item.due_in) == (True, "all")
