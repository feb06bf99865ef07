"""Per organisation (or department): learners present per month against capacity.

Small multiples, one panel per organisation: bars of learners present (placed), in the
organisation's colour; the department capacity as a black step line and the buddy
capacity (werkbegeleiders available × their maximum) as an orange dashed step line. A bar
above either line would break rule 2 or 3 and is drawn in vermillion.

All panels are drawn on one Axes in panel coordinates (a few collections instead of an
Axes with its tick machinery per panel), so 150 organisations or 1,500 departments still
render in seconds. Each panel has its own vertical scale, with two to four labelled
ticks (0 and round steps) and light grid lines. At most three panels a row: the picture
is about as wide as an A4 landscape page, so its text prints at 7 pt or more.

For paper the panels are drawn again in parts (``part=k`` of :func:`paper_parts`): nine
panels a picture, exactly as wide as an A4 landscape page holds and no taller than one,
texts at 7 pt, each part with the title and the legend; report.html prints the parts at
their own size, where a tall picture of 40 or 80 panels would be shrunk by its height.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ..models import Plan, Scenario, ordinal_month
from . import palette
from ._common import (
    FONT,
    PAPER_PT,
    PAPER_WIDTH_IN,
    WINDOW_LINE,
    WINDOW_STYLE,
    Axes,
    Figure,
    figure,
    new_axes,
    print_pt,
    resolve_text,
    shorten,
)
from ._labels import LabelLayer
from .data import Occupancy, occupancy

if TYPE_CHECKING:
    from ..words.report import Text

PANEL_W, PANEL_H = 3.4, 1.35  # inches of one panel's plot area
GAP_W, GAP_H = 0.55, 0.75  # between panels: title and year above, month names below
COLUMNS_MAX = 3  # panels a row: the picture stays about as wide as a printed page
# a part for paper: three rows of three panels in PAPER_WIDTH_IN × PAPER_HEIGHT_IN
PAPER_ROWS = 3
PAPER_PANEL_H, PAPER_GAP_H = 1.05, 0.7
HEADER_IN, FOOTER_IN, LEFT_IN = 1.0, 0.15, 0.35


def paper_parts(panels: int) -> list[range]:
    """The panels (by index) of each part for paper: nine a part, in order."""
    size = COLUMNS_MAX * PAPER_ROWS
    return [range(k, min(k + size, panels)) for k in range(0, panels, size)]


def _month_step(n: int, width_in: float, pt: float = FONT - 2.5) -> int:
    """Every how many months a month name fits (a name is about 3 glyphs and a gap)."""
    per_inch = 72 / (pt * 2.6)
    return next((s for s in (1, 2, 3, 6, 12) if n / s <= width_in * per_inch), 12)


def y_ticks(top: float) -> list[int]:
    """Round tick values from 0 to at least ``top`` (two to four of them)."""
    ticks = MaxNLocator(nbins=3, integer=True, min_n_ticks=2).tick_values(0, max(top, 1))
    values = [int(round(t)) for t in ticks if t >= 0]
    while len(values) > 2 and values[-2] >= top:  # no tick far above the data
        values.pop()
    return values


def capacity_grid(
    occ: Occupancy,
    *,
    titles: Sequence[str],
    fills: Sequence[str],
    ncols: int,
    window_end: int | None = None,
    text: Text | None = None,
    ax: Axes | None = None,
    fontsize: float = FONT - 2.5,
    panel: tuple[float, float] = (PANEL_W, PANEL_H),
    gap: tuple[float, float] = (GAP_W, GAP_H),
) -> Axes:
    """One panel per row of ``occ`` (present bars, capacity and buddy-capacity steps);
    ``fontsize``: of the axis labels (panel titles 1 pt larger); ``panel`` and ``gap``:
    inches of a panel's plot area and between panels (width, height)."""
    text = resolve_text(text)
    n, months = len(titles), occ.months
    nrows = max(1, math.ceil(n / ncols))
    panel_w, panel_h = panel
    ax = ax or new_axes(ncols * (panel_w + gap[0]), nrows * (panel_h + gap[1]))
    w = len(months)
    gx = gap[0] / panel_w * w  # gaps in data units
    gy = gap[1] / panel_h
    bars: list[list[tuple[float, float]]] = []
    bar_colours: list[str] = []
    cap_lines, buddy_lines, frames, years, ends, grid = [], [], [], [], [], []
    labels = {"title": LabelLayer(ax.transData, fontsize=fontsize + 1, weight="bold"),
              "small": LabelLayer(ax.transData, fontsize=fontsize)}
    tick_w = 0.06 * w / panel_w  # a tick mark of 0.06 inch, in data units
    for layer in labels.values():
        ax.add_artist(layer)
        layer.set_clip_on(False)
    for i in range(n):
        r, c = divmod(i, ncols)
        x0, y0 = c * (w + gx), (nrows - 1 - r) * (1 + gy)
        present, cap, buddy = occ.present[i], occ.capacity[i], occ.buddy_capacity[i]
        top = max(1, int(max(cap.max(initial=0), buddy.max(initial=0), present.max(initial=0))))
        ticks = y_ticks(top)
        scale = 1 / max(ticks[-1], top)
        for j in np.nonzero(present)[0]:
            x, h = x0 + j, y0 + present[j] * scale
            bars.append([(x + 0.12, y0), (x + 0.88, y0), (x + 0.88, h), (x + 0.12, h)])
            over = present[j] > min(cap[j], buddy[j])
            bar_colours.append(palette.OVER_CAPACITY if over else fills[i])
        cap_lines.append(_steps(x0, y0, cap, scale))
        buddy_lines.append(_steps(x0, y0, buddy, scale))
        frames.append([(x0, y0 + 1), (x0, y0), (x0 + w, y0)])
        years += [[(x0 + o - months.start, y0), (x0 + o - months.start, y0 + 1)]
                  for o in months if o % 12 == 0 and o != months.start]
        if window_end is not None and months.start < window_end < months.stop:
            ends.append([(x0 + window_end - months.start, y0),
                         (x0 + window_end - months.start, y0 + 1)])
        labels["title"].add(x0, y0 + 1 + 0.3, shorten(titles[i], 44), ha="left")
        for t in ticks:  # the panel's own scale: round values, a mark and a grid line
            labels["small"].add(x0 - 1.6 * tick_w, y0 + t * scale, str(t), "#444444", "right")
            frames.append([(x0 - tick_w, y0 + t * scale), (x0, y0 + t * scale)])
            if t:
                grid.append([(x0, y0 + t * scale), (x0 + w, y0 + t * scale)])
        if r == nrows - 1 or i + ncols >= n:  # month names under the lowest panel of a column
            _month_labels(labels["small"], x0, y0, months, text, fontsize, panel_w)
        _year_labels(labels["small"], x0, y0, months)
    ax.add_collection(PolyCollection(bars, facecolors=bar_colours, edgecolors="none", zorder=2))
    ax.add_collection(LineCollection(frames, colors="#000000", linewidths=0.8, zorder=3))
    ax.add_collection(LineCollection(years, colors="#999999", linewidths=0.8, zorder=1))
    ax.add_collection(LineCollection(grid, colors="#E4E4E4", linewidths=0.6, zorder=0))
    ax.add_collection(LineCollection(ends, colors=WINDOW_LINE, linewidths=0.9,
                                     linestyles=[WINDOW_STYLE], zorder=1))
    ax.add_collection(LineCollection(cap_lines, colors=palette.CAPACITY_LINE, linewidths=1.3,
                                     zorder=4))
    ax.add_collection(LineCollection(buddy_lines, colors=palette.BUDDY_LINE, linewidths=1.3,
                                     linestyles=[(0, (3, 2))], zorder=4))
    ax.set_xlim(-gx * 0.6, ncols * (w + gx) - gx * 0.4)
    ax.set_ylim(-gy * 0.75, nrows * (1 + gy) - gy * 0.2)
    ax.axis("off")
    return ax


def _steps(x0: float, y0: float, values: np.ndarray, scale: float) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for j, v in enumerate(values):
        y = y0 + float(v) * scale
        points += [(x0 + j, y), (x0 + j + 1, y)]
    return points


def _month_labels(layer: LabelLayer, x0: float, y0: float, months: range, text: Text,
                  pt: float, panel_w: float = PANEL_W) -> None:
    step = _month_step(len(months), panel_w, pt)
    for o in months:
        if o % step == 0:
            layer.add(x0 + o - months.start + 0.5, y0 - 0.12, text.month(ordinal_month(o)),
                      "#333333")


def _year_labels(layer: LabelLayer, x0: float, y0: float, months: range) -> None:
    for o in months:
        if o == months.start or o % 12 == 0:
            layer.add(x0 + o - months.start + 0.1, y0 + 1 + 0.08, str(o // 12), "#333333",
                      "left")


def gantt_organisations(
    scenario: Scenario,
    plan: Plan,
    *,
    departments: bool = False,
    occ: Occupancy | None = None,
    text: Text | None = None,
    part: int | None = None,
) -> Figure:
    """Small multiples: one panel per organisation, or per department when asked;
    ``part``: only that part of :func:`paper_parts`, laid out for paper."""
    text = resolve_text(text)
    occ = occ or occupancy(scenario, plan)
    orgs = tuple(o.id for o in scenario.organisations)
    colours = palette.organisation_colours(scenario.organisations)
    names = {o.id: o.name for o in scenario.organisations}
    if departments:
        view = occ
        titles = [f"{d} ({occ.organisation_of[d]})" for d in occ.departments]
        fills = [colours[occ.organisation_of[d]] for d in occ.departments]
    else:
        view = occ.by_organisation(orgs)
        titles = [f"{o} {names[o]}".strip() for o in orgs]
        fills = [colours[o] for o in orgs]
    title = text["depts_title" if departments else "orgs_title"]
    n = len(titles)
    if part is None:
        ncols = max(1, min(n, COLUMNS_MAX, math.ceil(math.sqrt(n * 1.6))))
        width = max(ncols * (PANEL_W + GAP_W) + LEFT_IN, 8.0)  # room for the legend
        panel, gap = (PANEL_W, PANEL_H), (GAP_W, GAP_H)
        pt = print_pt(width)  # the smallest text, as it prints
    else:
        parts = paper_parts(n)
        shown = parts[part]
        view = _rows(view, shown)
        titles, fills = [titles[i] for i in shown], [fills[i] for i in shown]
        if len(parts) > 1:
            title += " · " + text("part_of", part=part + 1, parts=len(parts))
        ncols, width, pt = COLUMNS_MAX, PAPER_WIDTH_IN, PAPER_PT
        panel = ((width - LEFT_IN) / ncols - GAP_W, PAPER_PANEL_H)
        gap = (GAP_W, PAPER_GAP_H)
    nrows = math.ceil(len(titles) / ncols)
    height = nrows * (panel[1] + gap[1]) + HEADER_IN + FOOTER_IN
    fig = figure(width, height)
    ax = fig.add_axes((LEFT_IN / width, FOOTER_IN / height, 1 - LEFT_IN / width,
                       1 - (HEADER_IN + FOOTER_IN) / height))
    capacity_grid(view, titles=titles, fills=fills, ncols=ncols,
                  window_end=scenario.calendar.end, text=text, ax=ax, fontsize=pt,
                  panel=panel, gap=gap)
    handles = [
        Patch(facecolor="#8C8C8C", label=text["present_learners"]),
        Line2D([], [], color=palette.CAPACITY_LINE, linewidth=1.4, label=text["capacity_places"]),
        Line2D([], [], color=palette.BUDDY_LINE, linewidth=1.4, linestyle=(0, (3, 2)),
               label=text["buddy_capacity"]),
        Line2D([], [], color=WINDOW_LINE, linewidth=1.0, linestyle=WINDOW_STYLE,
               label=text["window_end"]),
    ]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.01, 1 - 0.38 / height),
               ncol=4 if width >= PAPER_WIDTH_IN else 2, fontsize=pt, frameon=False)
    fig.text(0.01, 1 - 0.1 / height, title, fontsize=pt + 3, fontweight="bold", va="top",
             ha="left")
    fig.text(0.01, 1 - 0.66 / height, text["panel_scale_note"], fontsize=pt,
             va="top", ha="left", color="#444444")
    return fig


def _rows(occ: Occupancy, rows: range) -> Occupancy:
    """Only these rows of ``occ``."""
    keep = slice(rows.start, rows.stop)
    return Occupancy(occ.months, occ.departments[keep], occ.organisation_of,
                     occ.present[keep], occ.capacity[keep], occ.buddy_capacity[keep])


__all__ = ["capacity_grid", "gantt_organisations", "paper_parts"]
