"""The charts are laid out once, with margins reckoned from their labels (checklists/charts.py),
not by matplotlib's tight bounding box: whatever the labels (Japanese or English, long or
short), the numbers or the months, everything drawn lies inside the figure, and the plot keeps
its width."""

from datetime import date
from decimal import Decimal

import matplotlib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from checklists import charts

YEAR = [date(2026, month, 1) for month in range(1, 13)]
QUARTER = YEAR[:3]
SLACK = 0.01  # inches


def drawn_inside(figure) -> tuple[bool, object]:
    renderer = FigureCanvasAgg(figure).get_renderer()
    box = figure.get_tightbbox(renderer)
    inside = (
        box.x0 >= -SLACK
        and box.y0 >= -SLACK
        and box.x1 <= figure.get_figwidth() + SLACK
        and box.y1 <= figure.get_figheight() + SLACK
    )
    return inside, box


RUN_CHARTS = {
    "completion, Japanese, a year": {
        "title": "チェックリスト実施率（月別）",
        "months": YEAR,
        "series": [("東4病棟", [Decimal("91.5")] * 12), ("西5病棟", [Decimal("78.0")] * 12)],
        "y_label": "%",
        "goal": 80.0,
        "goal_label": "目標 80%",
        "y_max": 100,
    },
    "events, English, long names, big rates": {
        "title": "Falls with injury per 1,000 patient-days",
        "months": QUARTER,
        "series": [
            ("Falls with injury (moderate or worse)", [Decimal("1234.5"), None, Decimal("0.5")]),
            ("Suspected aspiration pneumonia", [Decimal("12.25"), Decimal("3"), None]),
        ],
        "y_label": "per 1,000 patient-days",
    },
    "fifteen wards, thirty lines": {
        "title": "Falls per 1,000 patient-days",
        "months": YEAR,
        "series": [(f"東{n}病棟 {kind}", [Decimal("2.5")] * 12) for n in range(15) for kind in ("転倒", "外傷あり")],
        "y_label": "per 1,000 patient-days",
    },
    "no series, a goal only": {"title": "Teach-back", "months": QUARTER, "series": [], "y_label": "%", "goal": 80.0},
}


@pytest.mark.parametrize("case", list(RUN_CHARTS))
def test_a_run_chart_is_drawn_inside_its_figure(case):
    with matplotlib.rc_context(charts.STYLE):
        figure = charts.run_chart_figure(**RUN_CHARTS[case])
        inside, box = drawn_inside(figure)
    assert inside, f"{case}: drawn {box} outside {figure.get_figwidth()} × {figure.get_figheight()} in"
    plot = figure.axes[0].get_position()
    assert plot.width * figure.get_figwidth() == pytest.approx(3.5) or plot.width * figure.get_figwidth() > 3.5


HEAT_MAPS = {
    "Japanese items, three shifts": {
        "rows": ["ベッド最低位・ストッパー・履物・足元灯を確認した、夜間はセンサーマットを確認した", "ナースコール"],
        "columns": ["日勤", "準夜", "深夜"],
    },
    "English items, two shifts": {
        "rows": ["Bed at its lowest, brakes on, footwear and night light checked", "MMMMMMMMMMMMMMMMMMMMMMMMMMMM"],
        "columns": ["Day", "Night"],
    },
    "one item, six shifts": {"rows": ["Call bell"], "columns": ["A", "B", "C", "D", "E", "F"]},
}


@pytest.mark.parametrize("case", list(HEAT_MAPS))
def test_a_heat_map_is_drawn_inside_its_figure(case):
    spec = HEAT_MAPS[case]
    values = [[Decimal("87.5") if x % 2 else None for x in range(len(spec["columns"]))] for _row in spec["rows"]]
    with matplotlib.rc_context(charts.STYLE):
        figure = charts.heat_map_figure(title="実施率（項目 × 勤務帯）", values=values, **spec)
        inside, box = drawn_inside(figure)
    assert inside, f"{case}: drawn {box} outside {figure.get_figwidth()} × {figure.get_figheight()} in"


def test_a_full_width_character_is_one_em_and_a_digit_less():
    with matplotlib.rc_context(charts.STYLE):
        assert charts.text_inches("転倒", 9) == pytest.approx(2 * 9 / 72 * charts.HINTING)
        assert charts.text_inches("10", 9) < charts.text_inches("転倒", 9)
