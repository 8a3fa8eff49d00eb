"""The layout step of the bedside sheet: it must fit one A4 page whatever the patient has.

A ``Density`` is a type scale; ``DENSITIES`` go from the largest (read from 2 m) to the
smallest, and the critical precautions keep large type longest while the compact list gives
way first. ``BedsidePage.at`` lays a sheet out at one density — the critical items and the
listed items packed into columns of even height — and estimates the height it will take from
the text alone (within a few per cent, measured on the demo ward); ``first_page`` picks the
largest density the estimate allows. ``render.bedside_layout`` then checks with WeasyPrint and
steps down while the sheet still needs a second page. No query and no rendering here.
"""

import math
import unicodedata
from dataclasses import dataclass

from .gather import BedsideSheet, ItemGroup, SheetItem


@dataclass(frozen=True)
class Density:
    """A type scale for the bedside sheet. Level 1 is read from 2 m; later levels make room."""

    level: int
    critical_pt: float
    critical_columns: int
    list_pt: float
    list_columns: int
    note_pt: float
    excerpt: int  # characters of a quoted passage in the footnotes
    name_pt: float = 28

    @property
    def critical_gap_mm(self) -> float:
        return 1.6 if self.critical_pt >= 11 else 0.8

    @property
    def bed_pt(self) -> float:
        return min(34, self.name_pt + 6)

    @property
    def badge_pt(self) -> float:
        return 15 if self.level <= 3 else 11 if self.level <= 5 else 9


# The critical precautions keep large type as long as they can; the compact list gives way first.
DENSITIES = (
    Density(1, critical_pt=20, critical_columns=1, list_pt=9.5, list_columns=2, note_pt=7, excerpt=18),
    Density(2, critical_pt=17, critical_columns=1, list_pt=8, list_columns=2, note_pt=6.5, excerpt=18),
    Density(3, critical_pt=14, critical_columns=1, list_pt=7, list_columns=3, note_pt=6, excerpt=14, name_pt=24),
    Density(4, critical_pt=12, critical_columns=2, list_pt=6.5, list_columns=3, note_pt=5.5, excerpt=12, name_pt=22),
    Density(5, critical_pt=10, critical_columns=2, list_pt=6.2, list_columns=3, note_pt=5, excerpt=10, name_pt=22),
    # Every checklist at once (73 items): small, but still one page; in English (longer), smaller still.
    Density(6, critical_pt=7.8, critical_columns=2, list_pt=5.8, list_columns=3, note_pt=4.8, excerpt=8, name_pt=20),
    Density(7, critical_pt=7, critical_columns=2, list_pt=5.3, list_columns=3, note_pt=4.5, excerpt=6, name_pt=20),
)

# A4 less the page margins and the footer, in mm; what the header, badges and headings take.
CONTENT_WIDTH_MM = 190
CONTENT_HEIGHT_MM = 272
FIXED_HEIGHT_MM = 58
PT_MM = 0.3528


def _width_em(text: str) -> float:
    """Rough printed width in em: wide (CJK) characters 1, others about half."""
    return sum(1.0 if unicodedata.east_asian_width(char) in "WF" else 0.55 for char in text)


def _lines(width_em: float, column_mm: float, size_pt: float) -> int:
    return max(1, math.ceil(width_em * size_pt * PT_MM / column_mm))


def _column_mm(columns: int, indent_mm: float) -> float:
    return (CONTENT_WIDTH_MM - 5 * (columns - 1)) / columns - indent_mm


def _printed(entry: SheetItem) -> str:
    """What the sheet prints for an item: its bedside instruction and the patient's detail."""
    return f"{entry.item.instruction}【{entry.detail}】" if entry.detail else entry.item.instruction


def _critical_mm(entry: SheetItem, density: Density) -> float:
    """Height of one critical item: its lines (the icon and footnote take about 2 em) and the gap."""
    column = _column_mm(density.critical_columns, 5)
    lines = _lines(_width_em(_printed(entry)) + 2, column, density.critical_pt)
    return lines * density.critical_pt * PT_MM * 1.3 + density.critical_gap_mm + 0.6


def _list_mm(entry: SheetItem, density: Density) -> float:
    column = _column_mm(density.list_columns, 1)
    width = _width_em(entry.item.get_frequency_display()) * 0.82 + 1 + _width_em(_printed(entry)) + 1.2
    return (_lines(width, column, density.list_pt) * 1.3 + 0.12) * density.list_pt * PT_MM


def _group_title_mm(density: Density) -> float:
    return 2.0 * density.list_pt * PT_MM


def _pack(rows: list[tuple], columns: int, title_mm: float) -> list[list[tuple]]:
    """Split ``rows`` of (group, entry, height), in order, into at most ``columns`` columns whose
    tallest is as short as possible. A column that starts a group, or starts in the middle of
    one, repeats the group's title."""

    def fill(capacity: float) -> list[list[tuple]]:
        packed: list[list[tuple]] = [[]]
        height = 0.0
        for group, entry, mm in rows:
            cost = mm + (title_mm if not packed[-1] or packed[-1][-1][0] is not group else 0)
            if packed[-1] and height + cost > capacity:
                packed.append([])
                height, cost = 0.0, mm + title_mm
            packed[-1].append((group, entry, cost))
            height += cost
        return packed

    if not rows:
        return [[]]
    low, high = max(mm for *_, mm in rows), sum(mm + title_mm for *_, mm in rows) + 1
    for _step in range(24):
        middle = (low + high) / 2
        low, high = (low, middle) if len(fill(middle)) <= columns else (middle, high)
    return fill(high)


def _tallest(packed: list[list[tuple]]) -> float:
    return max(sum(cost for *_, cost in column) for column in packed)


@dataclass
class BedsidePage:
    """A sheet laid out at one density: what the template shows, and the height it should take."""

    sheet: BedsideSheet
    density: Density
    critical_columns: list[list[SheetItem]]
    item_columns: list[list[ItemGroup]]
    estimated_mm: float

    @classmethod
    def at(cls, sheet: BedsideSheet, density: Density) -> "BedsidePage":
        critical = _pack([(None, e, _critical_mm(e, density)) for e in sheet.critical], density.critical_columns, 0)
        listed = _pack(
            [(group, entry, _list_mm(entry, density)) for group in sheet.groups for entry in group.items],
            density.list_columns,
            _group_title_mm(density),
        )
        item_columns = []
        for column in listed:
            groups: list[ItemGroup] = []
            for group, entry, _cost in column:
                if not groups or groups[-1].checklist is not group.checklist:
                    continued = any(g.checklist is group.checklist for col in item_columns for g in col)
                    groups.append(ItemGroup(checklist=group.checklist, items=[], continued=continued))
                groups[-1].items.append(entry)
            item_columns.append(groups)
        estimated = (
            FIXED_HEIGHT_MM
            - (28 - density.name_pt) * PT_MM * 1.15
            - (15 - density.badge_pt) * PT_MM * 1.35
            + _tallest(critical)
            + _tallest(listed)
            + _notes_mm(sheet, density)
        )
        return cls(
            sheet=sheet,
            density=density,
            critical_columns=[[entry for _, entry, _ in column] for column in critical],
            item_columns=item_columns,
            estimated_mm=estimated,
        )


def _notes_mm(sheet: BedsideSheet, density: Density) -> float:
    text = " ".join(
        group.document + " ".join(f"[{note.number}]「{note.passage[: density.excerpt]}」" for note in group.notes)
        for group in sheet.sources
    )
    versions = " · ".join(f"{c.template.name} v{c.version.number}" for c in sheet.checklists)
    lines = _lines(_width_em(text), CONTENT_WIDTH_MM, density.note_pt)
    lines += _lines(_width_em(versions), CONTENT_WIDTH_MM, density.note_pt)
    return lines * density.note_pt * PT_MM * 1.35


def first_page(sheet: BedsideSheet) -> BedsidePage:
    """The sheet at the largest density that the estimate says fits one page."""
    for density in DENSITIES:
        page = BedsidePage.at(sheet, density)
        if page.estimated_mm <= CONTENT_HEIGHT_MM:
            break
    return page
