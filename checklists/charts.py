"""The quality pages' plots, drawn on the server as SVG with matplotlib: run charts by month with
a goal line, and a heat map of completion by item × shift. The same SVG goes into the page
(an ``<img>`` with a ``data:`` URL, which the strict CSP allows: no script, no inline style)
and into the monthly report PDF.

matplotlib runs without a GUI (the Agg backend; figures are made with ``Figure``, never
pyplot, so nothing is shared between requests). Text is drawn with the PDFs' Japanese font
(``fonts.FONT_FAMILY``) and written into the SVG as outlines, so the picture looks
the same wherever it is shown, with no font to load.

Drawing is the dear part of a quality page. Each figure is laid out once, with margins reckoned
from its labels as the font measures them (``_Layout``, ``text_inches``), instead of
``bbox_inches="tight"``, which lays the whole figure out twice: that halved a heat map's time
and cut a run chart's by a third. A chart is a pure function of its numbers: each is kept in
Django's cache under a hash of everything it is drawn from, so a page asked again with the same
figures reuses the picture, and any change of a figure (a new record, another period, the other
language's labels) draws a new one. It can never show numbers other than its own.
"""

import base64
import functools
import hashlib
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")

from django.core.cache import cache
from django.utils.functional import Promise
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

from .fonts import FONT_FAMILY

STYLE = {
    "font.family": [FONT_FAMILY, "DejaVu Sans"],
    "svg.fonttype": "path",
    "svg.hashsalt": "wardsafe",  # the same data gives the same SVG (ids are hashes)
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
COLOURS = ["#1f5f9e", "#c2571a", "#2f8a4c", "#8a2f7c", "#6b6b6b"]
GOAL_COLOUR = "#b00020"
CACHE_SECONDS = 24 * 3600
PAD = 0.12  # inches around the figure's text
LEGEND_LINE = (1.2 + 0.5) * 9 / 72  # inches a legend entry takes: a line of Japanese (1.2 em) and the spacing
HINTING = 1.06  # 9 pt at 100 dpi is 12.5 pixels an em, hinted to 13


def text_inches(text: str, points: float) -> float:
    """How wide ``text`` is at ``points`` in the charts' font, measured from the font's glyphs
    (no drawing: a millisecond or so), with ``HINTING`` to spare: drawn to pixels, text runs
    a little wider than its outline."""
    font = FontProperties(family=STYLE["font.family"], size=points)
    width, _height, _descent = text_to_path.get_text_width_height_descent(text, font, ismath=False)
    return width / 72 * HINTING


@dataclass
class _Layout:
    """The axes' place in a figure of ``width`` × ``height`` inches, from the margins around it."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float

    def apply(self, figure: Figure) -> None:
        figure.set_size_inches(self.width, self.height)
        figure.subplots_adjust(
            left=self.left / self.width,
            right=1 - self.right / self.width,
            top=1 - self.top / self.height,
            bottom=self.bottom / self.height,
        )


def _title_inches() -> float:
    return 1.2 * STYLE["font.size"] * 1.6 / 72 + PAD  # "large", with the axes' title pad


@dataclass(frozen=True)
class Chart:
    """The SVG and the numbers it draws (``data``): a run chart's ``{label: values}``, a heat
    map's ``{row: values by column}``, so that a test can hold the CSV against the picture."""

    title: str
    svg: bytes
    data: dict

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode("ascii")


def drawn_once(draw):
    """``draw(**arguments)`` through the cache: the key is a hash of the function, its arguments
    (dates, Decimals, strings and lists print exactly) and the style and matplotlib version."""

    @functools.wraps(draw)
    def cached(**arguments):
        arguments = {name: _plain(value) for name, value in arguments.items()}
        what = repr((draw.__name__, sorted(arguments.items()), STYLE, COLOURS, matplotlib.__version__))
        key = "wardsafe:chart:" + hashlib.sha256(what.encode()).hexdigest()
        chart = cache.get(key)
        if chart is None:
            chart = draw(**arguments)
            cache.set(key, chart, CACHE_SECONDS)
        return chart

    return cached


def _plain(value):
    """The value with each lazy translation as the text it reads in the active language."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(item) for item in value)
    return value


def _svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _number(value) -> float | None:
    return None if value is None else float(value)


@drawn_once
def run_chart(
    *,
    title: str,
    months: list[date],
    series: list[tuple[str, list]],
    y_label: str,
    goal: float | None = None,
    goal_label: str = "",
    y_max: float | None = None,
) -> Chart:
    """One line per series over the months (a gap where a value is None), and the goal line."""
    with matplotlib.rc_context(STYLE):
        figure = run_chart_figure(
            title=title, months=months, series=series, y_label=y_label, goal=goal, goal_label=goal_label, y_max=y_max
        )
        return Chart(title, _svg(figure), {label: list(values) for label, values in series})


def run_chart_figure(*, title, months, series, y_label, goal=None, goal_label="", y_max=None) -> Figure:
    """The run chart's figure (``run_chart`` writes it as SVG; the tests measure it)."""
    size = STYLE["font.size"]
    labels = [f"{month:%Y-%m}" for month in months]
    positions = list(range(len(months)))
    slanted = len(months) > 8
    top = y_max if y_max is not None else max([goal or 0] + [_number(v) or 0 for _, vs in series for v in vs])
    y_top = (top or 1) * (1 if y_max is not None else 1.15)
    legend = [label for label, _values in series] + ([goal_label] if goal is not None and goal_label else [])
    tick_text = max((f"{tick:g}" for tick in (y_top, y_top / 2, 0.5, 12.5)), key=len)
    layout = _Layout(
        width=7.0,
        height=2.8,
        left=PAD + size * 1.3 / 72 + text_inches(tick_text, size) + 0.1,  # the y label, its ticks
        right=PAD + (max((text_inches(str(label), size) for label in legend), default=0) + 0.45 if legend else 0.1),
        top=_title_inches(),
        bottom=PAD + (text_inches("0000-00", size) * 0.72 + 0.1 if slanted else size * 1.3 / 72 + 0.05),
    )
    layout.width = max(layout.width, layout.left + layout.right + 3.5)  # the plot stays 3.5 inches wide
    layout.height = max(layout.height, layout.top + len(legend) * LEGEND_LINE + 0.1)  # the legend fits beside it
    figure = Figure()
    layout.apply(figure)
    axes = figure.add_subplot()
    for number, (label, values) in enumerate(series):
        points = [_number(value) for value in values]
        axes.plot(
            positions,
            [float("nan") if p is None else p for p in points],
            marker="o",
            color=COLOURS[number % len(COLOURS)],
            label=label,
        )
    if goal is not None:
        axes.axhline(goal, color=GOAL_COLOUR, linestyle="--", linewidth=1, label=goal_label or None)
    axes.set_xticks(positions, labels, rotation=45 if slanted else 0, ha="right" if slanted else "center")
    axes.set_ylabel(y_label)
    axes.set_title(title, loc="left")
    axes.set_ylim(0, y_top)
    axes.grid(axis="y", alpha=0.3)
    if legend:
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return figure


@drawn_once
def heat_map(
    *, title: str, rows: list[str], columns: list[str], values: list[list[Decimal | None]], empty: str = "—"
) -> Chart:
    """Completion in percent, a row per item and a column per shift; an empty cell has no records."""
    with matplotlib.rc_context(STYLE):
        figure = heat_map_figure(title=title, rows=rows, columns=columns, values=values, empty=empty)
        data = {"columns": list(columns)} | {row: list(cells) for row, cells in zip(rows, values, strict=True)}
        return Chart(title, _svg(figure), data)


ROW_LABEL_LENGTH = 28


def heat_map_figure(*, title, rows, columns, values, empty="—") -> Figure:
    """The heat map's figure (``heat_map`` writes it as SVG; the tests measure it)."""
    size = STYLE["font.size"]
    row_labels = [row if len(row) <= ROW_LABEL_LENGTH else row[: ROW_LABEL_LENGTH - 1] + "…" for row in rows]
    layout = _Layout(
        width=0,
        height=max(1.6, 0.32 * len(rows) + 1.0),
        left=PAD + max((text_inches(label, size) for label in row_labels), default=0) + 0.1,
        right=PAD + 0.75,  # the colour bar, its ticks and "%"
        top=_title_inches(),
        bottom=PAD + size * 1.3 / 72 + 0.05,
    )
    layout.width = max(7.0, layout.left + layout.right + max(1.2 * len(columns), 3.0))
    figure = Figure()
    layout.apply(figure)
    axes = figure.add_subplot()
    grid = [[float("nan") if v is None else float(v) for v in row] for row in values] or [[float("nan")]]
    cmap = colormaps["RdYlGn"].with_extremes(bad="#eeeeee")
    image = axes.imshow(grid, cmap=cmap, vmin=0, vmax=100, aspect="auto")
    axes.set_xticks(range(len(columns)), columns)
    axes.set_yticks(range(len(rows)), row_labels)
    for y, row in enumerate(values):
        for x, value in enumerate(row):
            axes.text(x, y, empty if value is None else f"{value:.0f}", ha="center", va="center", fontsize=7)
    axes.set_title(title, loc="left")
    axes.spines[:].set_visible(False)
    figure.colorbar(image, ax=axes, fraction=0.03, label="%")
    return figure
