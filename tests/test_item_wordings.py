"""Two wordings per item: the record wording nurses tick (「…を確認した」) and the bedside
instruction (「ナースコールは手の届く位置に」) that the bedside sheet and the handout print, in
Japanese and English; and the per-patient detail an item may ask for. The shipped content has
both wordings for every item, a content file of the previous format still loads, an installed
older release gets them through load_content's upgrade, and export, import, the editor's form
and the diff carry them."""

import json
import re
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from checklists import content as content_format
from checklists import diff, services
from checklists.models import ChecklistTemplate, TemplateItem, TemplateVersion

pytestmark = pytest.mark.django_db

CONTENT_DIR = settings.WARDSAFE_CONTENT_DIR
# A log line, not an instruction: what the record wording says after the fact.
LOG_ENDINGS_JA = ("した", "を行った", "を決めた", "った")
LOG_START_EN = re.compile(r"^(Checked|Recorded|Gave|Kept|Put|Watched|Observed|Reported|Asked|Told|Set|Assessed)\b")
# Items where a per-patient detail makes sense (walking aid, diet form, thickness, bed and sensor).
DETAIL_ITEMS = {
    "assess-standing-walking",
    "universal-precautions",
    "check-diet-texture",
    "thickened-drinks-supervised",
    "fluid-restriction-order",
}


def shipped_items() -> list[tuple[str, dict]]:
    items = []
    for path in sorted((CONTENT_DIR / "templates").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["format"] == content_format.FORMAT, path.name
        for version in data["versions"]:
            items += [(f"{path.stem}/{item['key']}", item) for item in version["items"]]
    return items


def test_every_shipped_item_has_a_short_bedside_instruction_in_both_languages():
    items = shipped_items()
    assert len(items) > 80
    for where, item in items:
        ja, en = item.get("instruction_ja", ""), item.get("instruction_en", "")
        assert ja and en, where
        assert len(ja) <= 40 and len(en) <= 70, where
        assert ja != item["text_ja"] and en != item["text_en"], where


def test_no_instruction_is_a_log_line():
    for where, item in shipped_items():
        assert not item["instruction_ja"].rstrip("。").endswith(LOG_ENDINGS_JA), where
        assert not LOG_START_EN.match(item["instruction_en"]), where


def test_the_shipped_items_that_need_a_per_patient_detail_ask_for_one_in_both_languages():
    asking = {where.split("/")[1]: item for where, item in shipped_items() if item.get("detail_prompt_ja")}
    assert set(asking) >= DETAIL_ITEMS
    for key, item in asking.items():
        assert item["detail_prompt_en"], key


def test_the_loaded_content_carries_both_wordings(content):
    bell = TemplateItem.objects.get(key="call-bell-within-reach", version__status="published")
    assert bell.instruction_ja == "ナースコールは手の届く位置に"
    assert bell.instruction_en == "Call bell within reach"
    assert bell.text_ja.endswith("確認した")
    walking = TemplateItem.objects.get(key="assess-standing-walking", version__status="published")
    assert walking.asks_detail and walking.detail_prompt_ja
    assert not bell.asks_detail
    assert not TemplateItem.objects.filter(version__status="published", instruction_ja="").exists()


def test_an_item_without_an_instruction_falls_back_to_the_record_wording(fall, draft, checklist_admin):
    item = services.template_item_add(
        version=draft, by=checklist_admin, key="night-light", text_ja="足元灯をつけた", source="institution"
    )
    assert item.instruction == "足元灯をつけた"
    item.instruction_ja = "足元灯をつける"
    assert item.instruction == "足元灯をつける"


@pytest.fixture
def previous_release(tmp_path):
    """The shipped content as the previous release had it: format 2, no instructions, no prompts."""
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    for path in (folder / "templates").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["format"] = content_format.FORMAT_2
        for version in data["versions"]:
            for item in version["items"]:
                for name in ("instruction_ja", "instruction_en", "detail_prompt_ja", "detail_prompt_en"):
                    item.pop(name, None)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return folder


def test_an_installed_previous_release_gets_the_instructions_as_a_new_version(previous_release):
    call_command("load_content", dir=previous_release, verbosity=0)
    assert TemplateItem.objects.exclude(instruction_ja="").count() == 0
    call_command("load_content", verbosity=0)
    for template in ChecklistTemplate.objects.all():
        old = template.versions.get(number=1)
        new = template.versions.get(status=TemplateVersion.Status.PUBLISHED)
        assert (old.status, new.number) == ("retired", 2), template.code
        assert not old.items.exclude(instruction_ja="").exists()  # the frozen version is not edited
        assert not new.items.filter(instruction_ja="").exists()
        assert not new.items.filter(instruction_en="").exists()
    # A second run finds nothing to do.
    call_command("load_content", verbosity=0)
    assert TemplateVersion.objects.filter(number=3).count() == 0


def test_export_and_import_keep_both_wordings_and_the_prompt(fall, checklist_admin):
    document = services.template_export(template=fall, by=checklist_admin, published_only=True)
    assert document["format"] == "wardsafe-template/3"
    walking = next(i for i in document["versions"][0]["items"] if i["key"] == "assess-standing-walking")
    assert walking["instruction_en"] and walking["detail_prompt_ja"]
    walking["instruction_ja"] = "移動は歩行器で見守り"
    _, draft, _ = services.template_import_document(data=document, by=checklist_admin)
    item = draft.items.get(key="assess-standing-walking")
    assert item.instruction_ja == "移動は歩行器で見守り"
    assert item.detail_prompt_ja == walking["detail_prompt_ja"]


def test_a_file_of_format_2_imports_with_empty_instructions(fall, checklist_admin):
    document = services.template_export(template=fall, by=checklist_admin, published_only=True)
    document["format"] = "wardsafe-template/2"
    for item in document["versions"][0]["items"]:
        del item["instruction_ja"], item["instruction_en"], item["detail_prompt_ja"], item["detail_prompt_en"]
    spec = content_format.parse_template(document)
    assert all(item.instruction_ja == "" and item.detail_prompt_ja == "" for item in spec.versions[0].items)


def test_an_instruction_longer_than_the_limit_is_refused_by_the_reader(fall, checklist_admin):
    document = services.template_export(template=fall, by=checklist_admin, published_only=True)
    document["versions"][0]["items"][0]["instruction_ja"] = "あ" * 81
    with pytest.raises(services.ValidationError) as error:
        content_format.parse_template(document)
    assert "instruction_ja" in " ".join(error.value.messages)


def test_the_diff_lists_a_changed_instruction_and_prompt(fall, draft, checklist_admin):
    item = draft.items.get(key="call-bell-within-reach")
    services.template_item_update(
        item=item, by=checklist_admin, instruction_ja="ナースコールを手元に", detail_prompt_ja="使い方の理解"
    )
    published = fall.versions.get(status="published")
    found = TemplateVersion.objects.with_items().in_bulk([published.pk, draft.pk])
    [changed] = diff.compare(found[published.pk], found[draft.pk]).changed
    fields = {change.name: (change.old, change.new) for change in changed.fields}
    assert fields == {
        "instruction_ja": ("ナースコールは手の届く位置に", "ナースコールを手元に"),
        "detail_prompt_ja": ("", "使い方の理解"),
    }


def test_the_editor_item_form_edits_the_instruction_and_the_prompt(fall, draft, checklist_admin_client):
    item = draft.items.get(key="minimise-bed-path")
    url = reverse("checklists:item_edit", args=[item.pk])
    page = checklist_admin_client.get(url).content.decode()
    assert 'name="instruction_ja"' in page and 'name="detail_prompt_en"' in page
    data = {
        "revision": draft.revision,
        "text_ja": item.text_ja,
        "text_en": item.text_en,
        "instruction_ja": "ベッドの周りに物を置かない",
        "instruction_en": "Nothing on the floor by the bed",
        "detail_prompt_ja": "動線の注意",
        "detail_prompt_en": "",
        "frequency": item.frequency,
        "is_critical": "on" if item.is_critical else "",
        "age_bands": ["child", "adult", "older"],
        "due_in": item.due_in,
        "source": item.source,
        "source_document": item.source_document,
        "source_passage": item.source_passage,
    }
    response = checklist_admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    item = draft.items.get(key="minimise-bed-path")
    assert (item.instruction_ja, item.instruction_en, item.detail_prompt_ja) == (
        "ベッドの周りに物を置かない",
        "Nothing on the floor by the bed",
        "動線の注意",
    )
    data["instruction_ja"] = "あ" * 81
    response = checklist_admin_client.post(url, data)
    assert response.status_code == 200
    assert "at most 80 characters" in response.content.decode()
