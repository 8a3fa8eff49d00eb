"""The period a quality page shows: the month fields show the months the page shows (filled in
when no period was asked for), the shown span names the last month itself, and a wrong choice
is said on the page in the user's language while the page shows the default months."""

import pytest

from .factories import NurseFactory, WardFactory

pytestmark = pytest.mark.django_db
PAGES = ("completion", "events", "teach-back", "assessments")


@pytest.fixture
def ward_nurse(clock):  # 2026-12-01 in Tokyo: the default six months are 2026-07 to 2026-12
    ward = WardFactory(code="east-4", name="東4病棟")
    nurse = NurseFactory(username="nurse-period")
    ward.staff.add(nurse)
    return ward, nurse


def _period(response):
    page = response.text
    return page[page.index('data-testid="period-shown"') :].split(">", 1)[1].split("<", 1)[0]


@pytest.mark.parametrize("quality_page", PAGES)
def test_without_a_period_the_month_fields_show_the_default_months(ward_nurse, client, quality_page):
    ward, nurse = ward_nurse
    client.force_login(nurse)
    response = client.get(f"/quality/wards/{ward.pk}/{quality_page}/")
    assert response.status_code == 200
    assert 'name="start" value="2026-07"' in response.text
    assert 'name="end" value="2026-12"' in response.text
    assert _period(response) == "2026-07 – 2026-12"
    assert 'data-testid="period-errors"' not in response.text
    assert 'id="report-month" class="form-control" value="2026-11"' in response.text  # the report's default month


def test_a_chosen_period_is_shown_with_its_last_month(ward_nurse, client):
    ward, nurse = ward_nurse
    client.force_login(nurse)
    response = client.get(f"/quality/wards/{ward.pk}/completion/", {"start": "2026-10", "end": "2026-11"})
    assert (response.context["start"].isoformat(), response.context["end"].isoformat()) == ("2026-10-01", "2026-12-01")
    assert _period(response) == "2026-10 – 2026-11"
    assert 'name="start" value="2026-10"' in response.text and 'name="end" value="2026-11"' in response.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-11", "end": "2026-09"}, "開始月が終了月より後になっています。"),
        ({"start": "2024-01", "end": "2026-11"}, "期間は24か月以内で選んでください。"),
        ({"start": "2026-13", "end": "2026-11"}, "日付を正しく入力してください。"),
    ],
)
def test_a_wrong_period_is_said_in_japanese_and_the_page_shows_the_default(ward_nurse, client, query, message):
    ward, nurse = ward_nurse
    client.force_login(nurse)
    for page in PAGES:
        response = client.get(f"/quality/wards/{ward.pk}/{page}/", query)
        assert response.status_code == 200
        assert 'data-testid="period-errors"' in response.text
        assert message in response.text and "いまは既定の期間を表示しています。" in response.text
        assert _period(response) == "2026-07 – 2026-12"
        assert f'name="start" value="{query["start"]}"' in response.text  # what was asked stays in the field


def test_the_error_is_in_english_for_an_english_user(ward_nurse, client, settings):
    ward, nurse = ward_nurse
    client.force_login(nurse)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(f"/quality/wards/{ward.pk}/completion/", {"start": "2026-11", "end": "2026-09"})
    assert response.status_code == 200
    assert "The first month comes after the last one." in response.text
    assert "The page shows the default months meanwhile." in response.text
