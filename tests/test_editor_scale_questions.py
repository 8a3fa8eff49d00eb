"""The scale editor in forms: an admin changes one question's answers and points, adds and
removes questions, moves them, edits the bands — each save checked whole and kept as the draft
(the published version untouched until the draft is published), audited, and refused with a
word when a colleague saved the draft after the page was opened."""

import pytest
from django.conf import settings
from django.urls import reverse

from checklists.models import AuditEvent, Scale, ScaleQuestion, ScaleVersion

pytestmark = pytest.mark.django_db


def mfs():
    return Scale.objects.get(code="morse-fall-scale")


def page_data(response, **changes) -> dict:
    """The POST the page's form sends unchanged, then ``changes`` (field name → value)."""
    form, formset = response.context["form"], response.context["formset"]
    data = {name: value for name, value in form.initial.items() if name != "key" or not form.fields["key"].disabled}
    management = formset.management_form
    data |= {f"{management.prefix}-{name}": value for name, value in management.initial.items()}
    for row in formset.forms:  # the rows as rendered: the initial ones filled, the empty ones with defaults
        values = {name: row.initial.get(name, field.initial) for name, field in row.fields.items()}
        shown = {name: value for name, value in values.items() if value is not None and value is not False}
        data |= {row.add_prefix(name): value for name, value in shown.items()}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    return data | changes


def question_pk(key) -> int:
    """The question's row in what an edit starts from (the draft, else the published version)."""
    versions = ScaleVersion.objects.filter(scale=mfs(), status__in=["draft", "published"])
    return ScaleQuestion.objects.filter(version__in=versions, key=key).order_by("-version__number").first().pk


def edit_url(key):
    return reverse("checklists:scale_question_edit", args=[mfs().pk, question_pk(key)])


def draft():
    return ScaleVersion.objects.with_content().get(scale=mfs(), status="draft")


def test_changing_one_answers_points_makes_a_draft_and_leaves_the_published_version(checklist_admin_client, content):
    url = edit_url("secondary-diagnosis")
    page = checklist_admin_client.get(url)
    assert page.status_code == 200
    assert [row["points"] for row in page.context["formset"].initial] == [0, 15]
    response = checklist_admin_client.post(url, page_data(page, **{"answers-1-points": "20"}))
    assert response.status_code == 302
    question = draft().questions.get(key="secondary-diagnosis")
    assert list(question.options.values_list("key", "points")) == [("no", 0), ("yes", 20)]
    published = ScaleVersion.objects.get(scale=mfs(), status="published")
    assert published.questions.get(key="secondary-diagnosis").options.get(key="yes").points == 15
    event = AuditEvent.objects.filter(action=AuditEvent.Action.SCALE_IMPORTED).latest("pk")
    assert event.data["edited"] == "question secondary-diagnosis"


def test_an_answer_is_added_in_an_empty_row_and_removed_by_its_delete_box(checklist_admin_client, content):
    url = edit_url("gait")
    page = checklist_admin_client.get(url)
    rows = len(page.context["formset"].initial)
    added = {f"answers-{rows}-label_ja": "車椅子", f"answers-{rows}-points": "5", "answers-0-DELETE": "on"}
    assert checklist_admin_client.post(url, page_data(page, **added)).status_code == 302
    options = list(draft().questions.get(key="gait").options.values_list("label_ja", "points"))
    assert options[-1] == ("車椅子", 5)
    assert len(options) == rows  # one removed, one added


def test_a_question_is_added_with_its_answers_and_can_note_a_risk_factor(checklist_admin_client, content):
    url = reverse("checklists:scale_question_add", args=[mfs().pk])
    page = checklist_admin_client.get(url)
    data = page_data(
        page,
        key="sedatives",
        text_ja="睡眠薬・鎮静薬の使用",
        **{
            "answers-0-label_ja": "なし",
            "answers-0-points": "0",
            "answers-1-label_ja": "あり",
            "answers-1-points": "10",
            "answers-1-notes_factor": "recent_fall",
        },
    )
    assert checklist_admin_client.post(url, data).status_code == 302
    question = draft().questions.get(key="sedatives")
    assert question.position == 7
    assert list(question.options.values_list("key", "points", "notes_factor__code")) == [
        ("a1", 0, None),
        ("a2", 10, "recent_fall"),
    ]


def test_a_question_without_answers_is_refused_in_japanese_and_nothing_is_saved(checklist_admin_client, content):
    checklist_admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    url = reverse("checklists:scale_question_add", args=[mfs().pk])
    page = checklist_admin_client.get(url)
    response = checklist_admin_client.post(url, page_data(page, text_ja="回答のない質問"))
    assert response.status_code == 200
    assert "回答が1つ以上必要です" in response.content.decode()
    assert not ScaleVersion.objects.filter(scale=mfs(), status="draft").exists()


def test_a_key_already_used_is_refused_on_the_key_field(checklist_admin_client, content):
    url = reverse("checklists:scale_question_add", args=[mfs().pk])
    page = checklist_admin_client.get(url)
    data = page_data(page, key="gait", text_ja="重複", **{"answers-0-label_ja": "x", "answers-0-points": "0"})
    response = checklist_admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["key"]


def test_a_save_on_a_page_older_than_a_colleagues_save_is_refused(checklist_admin_client, content):
    first, second = edit_url("gait"), edit_url("mental-status")
    stale_first, stale_second = checklist_admin_client.get(first), checklist_admin_client.get(second)
    assert checklist_admin_client.post(second, page_data(stale_second, **{"answers-0-points": "1"})).status_code == 302
    response = checklist_admin_client.post(first, page_data(stale_first, **{"answers-0-points": "2"}))
    assert response.status_code == 200
    assert "Reload" in response.content.decode()
    assert draft().questions.get(key="gait").options.first().points == 0
    assert draft().questions.get(key="mental-status").options.first().points == 1


def test_the_bands_are_edited_in_one_table_and_must_start_at_zero(checklist_admin_client, content):
    url = reverse("checklists:scale_bands_edit", args=[mfs().pk])
    page = checklist_admin_client.get(url)
    refused = checklist_admin_client.post(url, page_data(page, **{"bands-0-min_total": "3"}))
    assert refused.status_code == 200
    assert not ScaleVersion.objects.filter(scale=mfs(), status="draft").exists()
    assert checklist_admin_client.post(url, page_data(page, **{"bands-2-min_total": "51"})).status_code == 302
    assert list(draft().bands.values_list("key", "min_total")) == [("low", 0), ("moderate", 25), ("high", 51)]


def test_questions_move_and_are_removed_from_the_draft(checklist_admin_client, content):
    detail = checklist_admin_client.get(reverse("checklists:scale_detail", args=[mfs().pk]))
    fingerprint = detail.context["fingerprint"]
    move = reverse("checklists:scale_question_move", args=[mfs().pk, question_pk("gait")])
    assert checklist_admin_client.post(move, {"step": "up", "fingerprint": fingerprint}).status_code == 302
    keys = list(draft().questions.values_list("key", flat=True))
    assert keys.index("gait") == keys.index("iv-therapy") - 1
    fingerprint = checklist_admin_client.get(reverse("checklists:scale_detail", args=[mfs().pk])).context["fingerprint"]
    remove = reverse("checklists:scale_question_remove", args=[mfs().pk, question_pk("iv-therapy")])
    assert checklist_admin_client.post(remove, {"fingerprint": fingerprint}).status_code == 302
    assert "iv-therapy" not in draft().questions.values_list("key", flat=True)
    moved = question_pk("gait")
    stale_move = reverse("checklists:scale_question_move", args=[mfs().pk, moved])
    assert checklist_admin_client.post(remove, {"fingerprint": fingerprint}).status_code == 404  # gone for good
    data = {"fingerprint": fingerprint, "step": "down", "question_key": "gait"}  # a page from before the removal
    stale = checklist_admin_client.post(stale_move, data, follow=True)
    assert "Reload" in stale.content.decode()


def test_the_draft_made_in_forms_publishes_like_any_draft(checklist_admin_client, content):
    url = edit_url("iv-therapy")
    page = checklist_admin_client.get(url)
    checklist_admin_client.post(url, page_data(page, text_ja="静脈内治療・ヘパリンロック"))
    publish = reverse("checklists:scale_publish", args=[mfs().pk])
    assert checklist_admin_client.post(publish, {"change_note": "設問の文言"}).status_code == 302
    published = ScaleVersion.objects.get(scale=mfs(), status="published")
    assert published.number == 2
    assert published.questions.get(key="iv-therapy").text_ja == "静脈内治療・ヘパリンロック"


def test_the_whole_document_form_is_refused_too_when_a_colleague_saved_the_draft_meanwhile(
    checklist_admin_client, content
):
    document_url = reverse("checklists:scale_draft_edit", args=[mfs().pk])
    stale = checklist_admin_client.get(document_url).context["form"].initial
    page = checklist_admin_client.get(edit_url("gait"))
    assert checklist_admin_client.post(edit_url("gait"), page_data(page, text_ja="歩行の様子")).status_code == 302
    response = checklist_admin_client.post(document_url, stale)
    assert response.status_code == 200
    assert "Reload" in response.content.decode()
    assert draft().questions.get(key="gait").text_ja == "歩行の様子"
