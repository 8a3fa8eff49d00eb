"""The assessment pages: a nurse fills each shipped scale in one screen and sees the band and the
proposed checklists change; errors read in Japanese; the patient page and the board show risk
levels and what is due; the scale editor edits a draft, publishes it, exports and imports."""

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from checklists import services
from checklists.models import Assessment, AuditEvent, Scale, ScaleVersion, WardScaleSetting

from .conftest import tokyo

pytestmark = pytest.mark.django_db

MFS_HIGH = {
    "q-history-of-falling": "yes",
    "q-secondary-diagnosis": "yes",
    "q-ambulatory-aid": "none",
    "q-iv-therapy": "yes",
    "q-gait": "normal",
    "q-mental-status": "oriented",
}


@pytest.fixture
def nurse_client(client, nurse):
    client.force_login(nurse)
    return client


def scale(code):
    return Scale.objects.get(code=code)


def test_a_nurse_fills_the_morse_scale_in_one_screen_and_sees_the_band(nurse_client, admission, frozen_clock):
    url = reverse("checklists:assessment_create", args=[admission.pk, scale("morse-fall-scale").pk])
    page = nurse_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for label in ("転倒歴", "副診断", "歩行補助", "静脈内療法", "歩行", "精神状態"):
        assert label in html
    response = nurse_client.post(url, MFS_HIGH, follow=True)
    assert response.redirect_chain[-1][0] == reverse("checklists:admission_detail", args=[admission.pk])
    text = response.content.decode()
    assert "60点、高" in text
    assert "結果からリスク因子を記録しました" in text
    assert Assessment.objects.get().band.key == "high"


def test_a_missing_answer_is_shown_in_japanese_and_nothing_is_written(nurse_client, admission):
    url = reverse("checklists:assessment_create", args=[admission.pk, scale("morse-fall-scale").pk])
    answers = dict(MFS_HIGH)
    del answers["q-gait"]
    response = nurse_client.post(url, answers | {"q-iv-therapy": "nonsense"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "回答を選んでください。" in html
    assert "選択肢から選んでください。" in html
    assert not Assessment.objects.exists()


def test_the_proposed_checklists_change_after_a_high_delirium_screen(nurse_client, content, beds, nurse):
    admission = services.patient_admit(
        hospital_id="H55", name="佐々木 四", birth_date=tokyo(1985, 1, 1).date(), bed=beds[1], by=nurse
    )
    url = reverse("checklists:assessment_create", args=[admission.pk, scale("delirium-risk-screen").pk])
    version = ScaleVersion.objects.get(scale__code="delirium-risk-screen", status="published")
    answers = {f"q-{key}": "no" for key in version.questions.values_list("key", flat=True)}
    nurse_client.post(url, answers | {"q-history-of-delirium": "yes"})
    page = nurse_client.get(reverse("checklists:admission_checklists", args=[admission.pk]))
    proposal = next(p for p in page.context["proposals"] if p.template.code == "delirium")
    assert proposal.proposes_start
    assert [f.code for f in proposal.matching_factors] == ["delirium_high_risk"]


def test_the_patient_page_shows_the_latest_result_and_what_is_due(nurse_client, admission, nurse):
    version = ScaleVersion.objects.get(scale__code="swallowing-screen", status="published")
    services.assessment_record(admission=admission, version=version, answers={"result": "rsst-2"}, by=nurse)
    html = nurse_client.get(reverse("checklists:admission_detail", args=[admission.pk])).content.decode()
    assert 'data-testid="assessments"' in html
    assert "異常・評価不能" in html
    assert "要評価" in html or "期限超過" in html
    assert reverse("checklists:assessment_create", args=[admission.pk, scale("morse-fall-scale").pk]) in html


def test_the_board_shows_risk_levels_and_due_assessments(nurse_client, admission, nurse):
    version = ScaleVersion.objects.get(scale__code="morse-fall-scale", status="published")
    answers = {k.removeprefix("q-"): v for k, v in MFS_HIGH.items()}
    services.assessment_record(admission=admission, version=version, answers=answers, by=nurse)
    html = nurse_client.get(reverse("checklists:ward_board", args=[admission.ward.pk])).content.decode()
    assert 'data-testid="assessment-chips"' in html
    assert "転倒 高" in html
    assert 'data-due="delirium-risk-screen"' in html


def test_a_correction_needs_a_reason_and_keeps_the_first(nurse_client, admission, nurse):
    version = ScaleVersion.objects.get(scale__code="morse-fall-scale", status="published")
    first = services.assessment_record(
        admission=admission, version=version, answers={k[2:]: v for k, v in MFS_HIGH.items()}, by=nurse
    )
    url = reverse("checklists:assessment_correct", args=[first.pk])
    page = nurse_client.get(url)
    assert page.context["form"]["q-history-of-falling"].initial == "yes"  # the first one's answers
    response = nurse_client.post(url, MFS_HIGH | {"q-history-of-falling": "no"})
    assert response.status_code == 200  # no reason
    response = nurse_client.post(url, MFS_HIGH | {"q-history-of-falling": "no", "note": "入力間違い"})
    assert response.status_code == 302
    assert Assessment.objects.count() == 2
    assert Assessment.objects.standing().get().total == 35


def test_a_nurse_marks_a_changed_condition(nurse_client, admission):
    url = reverse("checklists:condition_change_create", args=[admission.pk])
    assert nurse_client.post(url, {"note": ""}).status_code == 200
    assert nurse_client.post(url, {"note": "せん妄症状が出現"}).status_code == 302
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REASSESSMENT_DUE).count() == 1


def test_the_editor_says_the_delirium_screen_must_be_checked_against_the_current_notice(
    checklist_admin_client, content
):
    html = checklist_admin_client.get(reverse("checklists:scale_detail", args=[scale("delirium-risk-screen").pk]))
    text = html.content.decode()
    assert 'data-testid="check-against-notice"' in text
    assert "must check it against the current notice" in text
    mfs = checklist_admin_client.get(reverse("checklists:scale_detail", args=[scale("morse-fall-scale").pk]))
    assert 'data-testid="check-against-notice"' not in mfs.content.decode()
    assert "Public domain" in mfs.content.decode()


def test_an_admin_edits_a_draft_and_publishes_it_with_a_change_note(checklist_admin_client, content):
    mfs = scale("morse-fall-scale")
    url = reverse("checklists:scale_draft_edit", args=[mfs.pk])
    initial = checklist_admin_client.get(url).context["form"].initial
    document = json.loads(initial["document"])
    document["bands"][2]["min_total"] = 51
    data = {"document": json.dumps(document, ensure_ascii=False), "fingerprint": initial["fingerprint"]}
    response = checklist_admin_client.post(url, data)
    assert response.status_code == 302
    draft = ScaleVersion.objects.get(scale=mfs, status="draft")
    assert draft.bands.get(key="high").min_total == 51
    publish = reverse("checklists:scale_publish", args=[mfs.pk])
    assert checklist_admin_client.post(publish, {"change_note": ""}).status_code == 200
    assert checklist_admin_client.post(publish, {"change_note": "高リスクの境界を51点に"}).status_code == 302
    assert ScaleVersion.objects.get(scale=mfs, status="published").number == 2
    assert ScaleVersion.objects.get(scale=mfs, number=1).status == "retired"


def test_a_draft_with_a_broken_band_is_refused_whole(checklist_admin_client, content):
    mfs = scale("morse-fall-scale")
    url = reverse("checklists:scale_draft_edit", args=[mfs.pk])
    initial = checklist_admin_client.get(url).context["form"].initial
    document = json.loads(initial["document"])
    document["bands"][0]["min_total"] = 3
    document["questions"][0]["options"][1]["points"] = -5
    data = {"document": json.dumps(document), "fingerprint": initial["fingerprint"]}
    response = checklist_admin_client.post(url, data)
    assert response.status_code == 200
    assert len(response.context["form"].non_field_errors()) == 2
    assert not ScaleVersion.objects.filter(scale=mfs, status="draft").exists()


def test_export_then_import_under_a_new_code_adds_the_admins_own_scale(checklist_admin_client, content):
    export = checklist_admin_client.post(reverse("checklists:scale_export", args=[scale("morse-fall-scale").pk]))
    assert export.status_code == 200
    document = json.loads(export.content)
    assert document["format"] == "wardsafe-scale/1"
    document |= {
        "code": "hospital-fall-sheet",
        "name_ja": "当院の転倒・転落アセスメントシート",
        "licence": "institution",
    }
    upload = SimpleUploadedFile("sheet.json", json.dumps(document, ensure_ascii=False).encode())
    response = checklist_admin_client.post(reverse("checklists:scale_import"), {"file": upload})
    assert response.status_code == 302
    own = Scale.objects.get(code="hospital-fall-sheet")
    assert own.versions.get().status == "draft"
    assert own.versions.get().questions.count() == 6


def test_a_ward_sets_its_own_bands_and_timing(checklist_admin_client, content, ward):
    mfs = scale("morse-fall-scale")
    url = reverse("checklists:ward_scale_setting", args=[mfs.pk, ward.pk])
    form = {"due_within_days": "1", "reassess_every_days": "3", "band-low": "0", "band-moderate": "25"}
    assert checklist_admin_client.post(url, form | {"band-high": "20"}).status_code == 200  # out of order
    assert checklist_admin_client.post(url, form | {"band-high": "51"}).status_code == 302
    setting = WardScaleSetting.objects.get(ward=ward, scale=mfs)
    assert setting.cutoff_by_band_key() == {"low": 0, "moderate": 25, "high": 51}
    assert setting.reassess_every_days == 3


def test_load_content_loads_the_shipped_scales_once(content):
    assert Scale.objects.count() == 3
    call_command("load_content", verbosity=0)
    assert Scale.objects.count() == 3
    assert ScaleVersion.objects.filter(status="published").count() == 3
    assert {p.stem for p in settings.WARDSAFE_ASSESSMENTS_DIR.glob("*.json")} == set(
        Scale.objects.values_list("code", flat=True)
    )
