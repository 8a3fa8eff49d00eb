"""The shipped scales score exactly as ../shared/ASSESSMENTS.md says: the Morse Fall Scale item
by item (and its default bands 0–24 / 25–44 / ≥ 45), the delirium screen (any yes → high risk)
and the swallowing screen (the admin's rule: which results note 嚥下スクリーニング異常)."""

import pytest

from checklists import services
from checklists.models import Scale, ScaleVersion

pytestmark = pytest.mark.django_db

# ASSESSMENTS.md, the MFS table: question key → {answer key: points}.
MFS_POINTS = {
    "history-of-falling": {"no": 0, "yes": 25},
    "secondary-diagnosis": {"no": 0, "yes": 15},
    "ambulatory-aid": {"none": 0, "crutches-cane-walker": 15, "furniture": 30},
    "iv-therapy": {"no": 0, "yes": 20},
    "gait": {"normal": 0, "weak": 10, "impaired": 20},
    "mental-status": {"oriented": 0, "forgets-limitations": 15},
}


def published(code: str) -> ScaleVersion:
    return ScaleVersion.objects.with_content().get(scale__code=code, status="published")


def score(version, answers: dict, cutoffs=None):
    chosen = []
    for question in version.questions.all():
        chosen.append(next(o for o in question.options.all() if o.key == answers[question.key]))
    return services.assessment_score(version=version, options=chosen, cutoffs=cutoffs)


@pytest.fixture
def mfs(content):
    return published("morse-fall-scale")


def test_the_morse_fall_scale_has_exactly_the_six_items_of_the_table(mfs):
    assert [q.key for q in mfs.questions.all()] == list(MFS_POINTS)
    for question in mfs.questions.all():
        assert {o.key: o.points for o in question.options.all()} == MFS_POINTS[question.key], question.key


@pytest.mark.parametrize(
    ("question", "answer", "points"),
    [(q, a, p) for q, answers in MFS_POINTS.items() for a, p in answers.items()],
)
def test_each_morse_answer_alone_scores_its_points(mfs, question, answer, points):
    lowest = {key: next(iter(answers)) for key, answers in MFS_POINTS.items()}
    assert score(mfs, lowest | {question: answer}).total == points


def test_impaired_gait_is_20_points_not_the_25_of_a_circulating_copy(mfs):
    gait = next(q for q in mfs.questions.all() if q.key == "gait")
    assert next(o for o in gait.options.all() if o.key == "impaired").points == 20


def test_secondary_diagnosis_and_iv_are_not_swapped(mfs):
    for key, yes_points in (("secondary-diagnosis", 15), ("iv-therapy", 20)):
        question = next(q for q in mfs.questions.all() if q.key == key)
        assert {o.label_en: o.points for o in question.options.all()} == {"No": 0, "Yes": yes_points}


def test_the_morse_total_runs_from_0_to_125(mfs):
    lowest = {key: min(answers, key=answers.get) for key, answers in MFS_POINTS.items()}
    highest = {key: max(answers, key=answers.get) for key, answers in MFS_POINTS.items()}
    assert score(mfs, lowest).total == 0
    assert score(mfs, highest).total == 125


@pytest.mark.parametrize(
    ("total", "band"), [(0, "low"), (24, "low"), (25, "moderate"), (44, "moderate"), (45, "high"), (125, "high")]
)
def test_the_default_morse_bands_are_0_to_24_25_to_44_and_45_up(mfs, total, band):
    assert services.band_for(total, list(mfs.bands.all())).key == band


def test_a_wards_cutoffs_replace_the_default_bands(mfs):
    bands = list(mfs.bands.all())
    assert services.band_for(50, bands, {"moderate": 25, "high": 51}).key == "moderate"
    assert services.band_for(51, bands, {"moderate": 25, "high": 51}).key == "high"


def test_only_the_high_morse_band_notes_high_fall_risk(mfs):
    assert {b.key: b.notes_factor.code if b.notes_factor else None for b in mfs.bands.all()} == {
        "low": None,
        "moderate": None,
        "high": "fall_high_risk",
    }


def test_any_yes_on_the_delirium_screen_is_high_risk(content):
    screen = published("delirium-risk-screen")
    keys = [q.key for q in screen.questions.all()]
    assert len(keys) == 7
    no = dict.fromkeys(keys, "no")
    assert score(screen, no).band.key == "low"
    for key in keys:
        result = score(screen, no | {key: "yes"})
        assert result.band.key == "high", key
        assert result.band.notes_factor.code == "delirium_high_risk"


def test_the_delirium_screen_says_it_is_the_institutions_form_to_check_against_the_notice(content):
    scale = Scale.objects.get(code="delirium-risk-screen")
    assert scale.licence == Scale.Licence.INSTITUTION_FORM
    assert scale.check_against_notice
    assert "別紙様式7の3" in scale.name_ja
    assert scale.due_within_days == 3


def test_the_morse_fall_scale_is_public_domain_and_for_adults_only(content):
    scale = Scale.objects.get(code="morse-fall-scale")
    assert scale.licence == Scale.Licence.PUBLIC_DOMAIN
    assert scale.adults_only


@pytest.mark.parametrize(
    ("result", "abnormal"),
    [
        ("mwst-1", True),
        ("mwst-2", True),
        ("mwst-3", True),
        ("mwst-4", False),
        ("mwst-5", False),
        ("rsst-0", True),
        ("rsst-2", True),
        ("rsst-3-plus", False),
        ("not-assessable", True),
    ],
)
def test_mwst_3_or_less_rsst_under_3_and_not_assessable_note_an_abnormal_screen(content, result, abnormal):
    screen = published("swallowing-screen")
    [question] = screen.questions.all()
    option = next(o for o in question.options.all() if o.key == result)
    assert (option.notes_factor is not None and option.notes_factor.code == "swallowing_screen_abnormal") is abnormal
    assert (score(screen, {"result": result}).band.key == "abnormal") is abnormal
