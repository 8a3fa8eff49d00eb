"""``load_content`` on an installation that has an older release of the shipped content: a
shipped template whose file changed becomes a new published version with a change note; the
frozen version is never edited, and patients on it stay on it until they are moved. A template
an admin published or is editing is left alone."""

import json
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command

from checklists import services
from checklists.models import AuditEvent, ChecklistTemplate, PatientChecklist, TemplateVersion

from .conftest import tokyo

CONTENT_DIR = settings.WARDSAFE_CONTENT_DIR


@pytest.fixture
def older_release(tmp_path):
    """The shipped content as an earlier release had it: the fall template without the post-fall
    items, the call bell for every age, a shorter wording of one item, and no recent_fall trigger."""
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    path = folder / "templates" / "fall.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    items = data["versions"][0]["items"]
    items[:] = [item for item in items if item["key"] not in ("post-fall-neuro-watch", "post-fall-review")]
    bell = next(item for item in items if item["key"] == "call-bell-within-reach")
    del bell["from_age"]
    walk = next(item for item in items if item["key"] == "minimise-bed-path")
    walk["text_ja"] = "ベッド周囲の動線を短くした"
    data["triggers"].remove("recent_fall")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return folder


@pytest.fixture
def installed(db, older_release):
    call_command("load_content", dir=older_release, verbosity=0)
    return ChecklistTemplate.objects.get(code="fall")


def item_texts(version: TemplateVersion) -> dict[str, str]:
    return dict(version.items.values_list("key", "text_ja"))


def test_a_changed_shipped_template_becomes_a_new_published_version(installed):
    v1 = installed.versions.get()
    before = item_texts(v1)
    call_command("load_content", verbosity=0)
    v1.refresh_from_db()
    v2 = installed.versions.get(status="published")
    assert (v1.number, v1.status, v2.number) == (1, "retired", 2)
    assert item_texts(v1) == before  # the frozen version is not edited
    assert {"post-fall-neuro-watch", "post-fall-review"} <= set(item_texts(v2))
    assert item_texts(v2)["minimise-bed-path"] != before["minimise-bed-path"]
    assert v2.items.get(key="call-bell-within-reach").from_age == 6
    assert v1.items.get(key="call-bell-within-reach").from_age is None
    assert "load_content" in v2.change_note and "2 items added" in v2.change_note
    assert "recent_fall" in set(installed.triggers.values_list("code", flat=True))
    published = AuditEvent.objects.filter(action=AuditEvent.Action.VERSION_PUBLISHED, template=installed)
    assert published.count() == 1


def test_the_unchanged_shipped_templates_are_not_touched(installed):
    aspiration = ChecklistTemplate.objects.get(code="aspiration")
    call_command("load_content", verbosity=0)
    assert list(aspiration.versions.values_list("number", "status")) == [(1, "published")]


def test_a_patient_on_the_old_version_stays_on_it_until_moved(installed, ward, nurse, checklist_admin):
    factors = {f.code: f for f in installed.triggers.all()}
    admission = services.patient_admit(
        hospital_id="H900",
        name="転倒 花子",
        birth_date=tokyo(1950, 1, 1, 0, 0).date(),
        bed=ward.beds.create(code="499"),
        risk_factors=[factors["unsteady_gait"]],
        by=nurse,
        at=tokyo(2026, 11, 20, 10, 0),
    )
    checklist = services.checklist_start(admission=admission, template=installed, by=nurse)
    call_command("load_content", verbosity=0)
    checklist.refresh_from_db()
    assert (checklist.version.number, checklist.is_active) == (1, True)
    moved = services.checklist_move_to_version(
        checklists=[checklist], version=installed.versions.get(status="published"), by=checklist_admin
    )
    assert moved[0].version.number == 2
    assert PatientChecklist.objects.get(pk=checklist.pk).replaced_by == moved[0]


def test_loading_the_same_release_again_changes_nothing(installed):
    call_command("load_content", verbosity=0)
    events = AuditEvent.objects.count()
    versions = TemplateVersion.objects.count()
    call_command("load_content", verbosity=0)
    assert (AuditEvent.objects.count(), TemplateVersion.objects.count()) == (events, versions)


def test_a_template_an_admin_published_is_left_to_the_admin(installed, checklist_admin):
    draft = services.template_draft_create(template=installed, by=checklist_admin)
    services.template_publish(version=draft, by=checklist_admin, change_note="施設の版")
    call_command("load_content", verbosity=0)
    assert installed.versions.get(status="published").number == 2
    assert installed.versions.get(status="published").change_note == "施設の版"
    assert not installed.versions.filter(number=3).exists()


def test_a_template_with_a_draft_is_left_to_the_admin(installed, checklist_admin):
    services.template_draft_create(template=installed, by=checklist_admin)
    call_command("load_content", verbosity=0)
    assert list(installed.versions.order_by("number").values_list("number", "status")) == [
        (1, "published"),
        (2, "draft"),
    ]
