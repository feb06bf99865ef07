"""Per organisation (or department): learners present per month against capacity.

Small multiples, one panel per organisation: bars of learners present (placed), in the
organisation's colour; the department capacity as a black step line and the buddy
capacity (werkbegeleiders available × their maximum) as an orange dashed step line. A bar
above either line would break rule 2 or 3 and is drawn in vermillion.

All panels are drawn on one Axes in panel coordinates (a few collections instead of an
Axes with its tick machinery per panel), so 150 organisations or 1,500 departments still
render in seconds. Each panel has its own vertical scale; its top value is written at the
top left.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..models import Plan, Scenario, ordinal_month
from . import palette
from ._common import (
    FONT,
    WINDOW_LINE,
    WINDOW_STYLE,
    Axes,
    Figure,
    figure,
    new_axes,
    resolve_text,
    shorten,
)
from ._labels import LabelLayer
from .data import Occupancy, occupancy

if TYPE_CHECKING:
    from ..words.report import Text

PANEL_W, PANEL_H = 3.4, 1.35  # inches of one panel's plot area
GAP_W, GAP_H = 0.55, 0.75  # between panels: title and year above, month names below
HEADROOM = 0.88  # the panel's top value sits at this fraction of its height


def _month_step(n: int, width_in: float) -> int:
    return next((s for s in (1, 2, 3, 6, 12) if n / s <= width_in * 2.6), 12)


def capacity_grid(
    occ: Occupancy,
    *,
    titles: Sequence[str],
    fills: Sequence[str],
    ncols: int,
    window_end: int | None = None,
    text: Text | None = None,
    ax: Axes | None = None,
) -> Axes:
    """One panel per row of ``occ`` (present bars, capacity and buddy-capacity steps)."""
    text = resolve_text(text)
    n, months = len(titles), occ.months
    nrows = max(1, math.ceil(n / ncols))
    ax = ax or new_axes(ncols * (PANEL_W + GAP_W), nrows * (PANEL_H + GAP_H))
    w = len(months)
    gx = GAP_W / PANEL_W * w  # gaps in data units
    gy = GAP_H / PANEL_H
    bars: list[list[tuple[float, float]]] = []
    bar_colours: list[str] = []
    cap_lines, buddy_lines, frames, years, ends, grid = [], [], [], [], [], []
    labels = {"title": LabelLayer(ax.transData, fontsize=FONT - 0.5, weight="bold"),
              "small": LabelLayer(ax.transData, fontsize=FONT - 2.5)}
    for layer in labels.values():
        ax.add_artist(layer)
        layer.set_clip_on(False)
    for i in range(n):
        r, c = divmod(i, ncols)
        x0, y0 = c * (w + gx), (nrows - 1 - r) * (1 + gy)
        present, cap, buddy = occ.present[i], occ.capacity[i], occ.buddy_capacity[i]
        top = max(1, int(max(cap.max(initial=0), buddy.max(initial=0), present.max(initial=0))))
        scale = HEADROOM / top
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
        labels["small"].add(x0 - 0.15, y0 + HEADROOM, str(top), "#444444", "right")
        grid.append([(x0, y0 + HEADROOM), (x0 + w, y0 + HEADROOM)])
        if r == nrows - 1 or i + ncols >= n:  # month names under the lowest panel of a column
            _month_labels(labels["small"], x0, y0, months, text)
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


def _month_labels(layer: LabelLayer, x0: float, y0: float, months: range, text: Text) -> None:
    step = _month_step(len(months), PANEL_W)
    for o in months:
        if o % step == 0:
            layer.add(x0 + o - months.start + 0.5, y0 - 0.1, text.month(ordinal_month(o)),
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
) -> Figure:
    """Small multiples: one panel per organisation, or per department when asked."""
    text = resolve_text(text)
    occ = occ or occupancy(scenario, plan)
    orgs = tuple(o.id for o in scenario.organisations)
    colours = palette.organisation_colours(orgs)
    names = {o.id: o.name for o in scenario.organisations}
    if departments:
        view = occ
        titles = [f"{d} ({occ.organisation_of[d]})" for d in occ.departments]
        fills = [colours[occ.organisation_of[d]] for d in occ.departments]
    else:
        view = occ.by_organisation(orgs)
        titles = [f"{o} {names[o]}".strip() for o in orgs]
        fills = [colours[o] for o in orgs]
    n = len(titles)
    ncols = max(1, min(n, 6, math.ceil(math.sqrt(n * 1.6))))
    nrows = math.ceil(n / ncols)
    header, footer, left = 0.95, 0.1, 0.35
    width = ncols * (PANEL_W + GAP_W) + left
    height = nrows * (PANEL_H + GAP_H) + header + footer
    fig = figure(width, height)
    ax = fig.add_axes((left / width, footer / height, 1 - left / width,
                       1 - (header + footer) / height))
    capacity_grid(view, titles=titles, fills=fills, ncols=ncols,
                  window_end=scenario.calendar.end, text=text, ax=ax)
    handles = [
        Patch(facecolor="#8C8C8C", label=text["present_learners"]),
        Line2D([], [], color=palette.CAPACITY_LINE, linewidth=1.4, label=text["capacity_places"]),
        Line2D([], [], color=palette.BUDDY_LINE, linewidth=1.4, linestyle=(0, (3, 2)),
               label=text["buddy_capacity"]),
        Line2D([], [], color=WINDOW_LINE, linewidth=1.0, linestyle=WINDOW_STYLE,
               label=text["window_end"]),
    ]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.01, 1 - 0.42 / height),
               ncol=4, fontsize=FONT, frameon=False)
    fig.text(0.01, 1 - 0.1 / height, text["depts_title" if departments else "orgs_title"],
             fontsize=FONT + 4, fontweight="bold", va="top", ha="left")
    fig.text(0.99, 1 - 0.42 / height, text["panel_scale_note"], fontsize=FONT - 1,
             va="top", ha="right", color="#444444")
    return fig


__all__ = ["capacity_grid", "gantt_organisations"]
