"""A chart is drawn once for its numbers (checklists/charts.py): asked again with the same figures,
the quality pages reuse the picture from the cache; a changed figure or the other language draws a
new one, so a picture never shows numbers other than its own."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext_lazy
from matplotlib.figure import Figure

from checklists import charts

MONTHS = [date(2026, 10, 1), date(2026, 11, 1)]
TITLE = gettext_lazy("Checklist completion by month")


@pytest.fixture
def drawings(monkeypatch):
    """How many pictures matplotlib wrote."""
    cache.clear()
    count = {"n": 0}
    savefig = Figure.savefig

    def counted(figure, *args, **kwargs):
        count["n"] += 1
        return savefig(figure, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", counted)
    yield count
    cache.clear()


def completion(values):
    return charts.run_chart(title=TITLE, months=MONTHS, series=[("東4病棟", values)], y_label="%", y_max=100)


def test_the_same_figures_are_drawn_once(drawings):
    first = completion([Decimal("80.0"), Decimal("92.5")])
    second = completion([Decimal("80.0"), Decimal("92.5")])
    assert drawings["n"] == 1
    assert second.svg == first.svg and second.data == first.data


def test_a_changed_figure_draws_a_new_picture(drawings):
    before = completion([Decimal("80.0"), Decimal("92.5")])
    after = completion([Decimal("80.0"), Decimal("93.0")])
    assert drawings["n"] == 2
    assert after.data == {"東4病棟": [Decimal("80.0"), Decimal("93.0")]}
    assert after.svg != before.svg


def test_each_language_has_its_own_picture_and_title(drawings):
    with translation.override("ja"):
        japanese = completion([Decimal("80.0")] * 2)
    with translation.override("en"):
        english = completion([Decimal("80.0")] * 2)
    assert drawings["n"] == 2
    assert japanese.title != english.title
    assert english.title == "Checklist completion by month"


def test_the_heat_map_is_drawn_once_for_its_cells(drawings):
    cells = {"rows": ["ナースコール"], "columns": ["日勤", "準夜"], "values": [[Decimal("100"), None]]}
    charts.heat_map(title="実施率", **cells)
    charts.heat_map(title="実施率", **cells)
    charts.heat_map(title="実施率", **cells | {"values": [[Decimal("100"), Decimal("50")]]})
    assert drawings["n"] == 2
