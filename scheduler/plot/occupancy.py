"""Capacity use per month (heatmap) and the fair share of the training effort.

The heatmap shows learners present ÷ capacity per department and month (per
organisation for large regions); cells read "present/capacity" when every cell's text
fits its cell at a size that prints at 7 pt or more (measured), otherwise the cells show
colour only (the numbers are in plan.xlsx) and the note under the title says so.
The fair-share chart compares each organisation's hosted learner-months with its
FTE-proportional share; the quota chart shows learning places per 100 FTE against the
regional reference (opleidingsquote, 15 per 100 FTE by default).

For paper the figure is drawn again in parts (``part=k`` of :func:`paper_parts`): the
heatmap in blocks of rows, then the two charts, each part exactly as wide as an A4
landscape page holds and no taller than one, texts at 7 pt; report.html prints the parts
at their own size, where the whole figure (40 organisations and more) would be shrunk by
its height.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.colors import Colormap, ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..models import Plan, Scenario
from . import palette
from ._common import (
    FONT,
    PAPER_HEIGHT_IN,
    PAPER_PT,
    PAPER_WIDTH_IN,
    Axes,
    Figure,
    figure,
    month_ticks,
    new_axes,
    print_pt,
    resolve_text,
    shorten,
)
from ._labels import LabelLayer
from .data import FairShare, Occupancy, fair_share, occupancy

if TYPE_CHECKING:
    from ..words.report import Text

DEPARTMENT_ROWS_MAX = 60  # above this many departments the heatmap is per organisation
ANNOTATE_CELLS_MAX = 900
WIDTH_MAX = 12.0  # inches: the picture prints on A4 landscape at about its own size


def _cmap() -> Colormap:
    from matplotlib import colormaps

    cmap = colormaps["Blues"].resampled(256)
    colours = cmap(np.linspace(0.04, 0.95, 256))
    return ListedColormap(colours).with_extremes(bad=palette.NO_CAPACITY,
                                                 over=palette.OVER_CAPACITY)


def occupancy_heatmap(
    occ: Occupancy,
    *,
    row_labels: Sequence[str] | None = None,
    groups: Sequence[str] | None = None,
    window_end: int | None = None,
    text: Text | None = None,
    ax: Axes | None = None,
    fontsize: float = FONT - 2.5,
) -> Axes:
    """Heatmap of ``occ.present / occ.capacity``; ``groups`` (one per row) draws a line
    between rows of different organisations. ``fontsize``: of the cell texts (left out
    when one of them does not fit its cell), row and month labels 1 pt larger."""
    text = resolve_text(text)
    rows, cols = occ.present.shape
    ax = ax or new_axes(12, 1.5 + 0.22 * rows)
    months = occ.months
    use = occ.use()
    image = ax.imshow(
        np.ma.masked_invalid(use), aspect="auto", cmap=_cmap(), vmin=0.0, vmax=1.0001,
        interpolation="nearest",
        extent=(months.start, months.stop, rows - 0.5, -0.5),
    )
    if cell_texts_fit(occ, ax, fontsize):
        cells = LabelLayer(ax.transData, fontsize=fontsize)
        ax.add_artist(cells)
        cells.set_clip_on(False)
        for i in range(rows):
            for j in range(cols):
                if occ.capacity[i, j] == 0 and occ.present[i, j] == 0:
                    continue
                value = use[i, j]
                dark = not np.isnan(value) and value > 0.55
                cells.add(months.start + j + 0.5, i, f"{occ.present[i, j]}/{occ.capacity[i, j]}",
                          "#FFFFFF" if dark else "#222222")
    labels = list(row_labels or occ.departments)
    ax.set_yticks(range(rows), [shorten(s, 22) for s in labels], fontsize=fontsize + 1)
    ax.tick_params(axis="y", length=0)
    if groups is not None:
        for i in range(1, rows):
            if groups[i] != groups[i - 1]:
                ax.axhline(i - 0.5, color="#FFFFFF", linewidth=1.6)
    month_ticks(ax, months, text, window_end=window_end, fontsize=fontsize + 1)
    ax.set_ylim(rows - 0.5, -0.5)
    # a small horizontal colour bar above the top right corner, inside the figure
    cax = ax.inset_axes((0.78, 1.0, 0.22, 0.0), transform=ax.transAxes)
    cax.set_axes_locator(_above(ax, height_pt=7, gap_pt=2 * fontsize + 4))
    fig = ax.get_figure(root=True)
    assert fig is not None
    bar = fig.colorbar(image, cax=cax, orientation="horizontal", extend="max")
    bar.ax.tick_params(labelsize=fontsize, length=2, pad=1)
    bar.ax.xaxis.set_ticks_position("top")
    bar.ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    bar.ax.text(-0.02, 0.5, text["occ_use"], transform=bar.ax.transAxes, ha="right",
                va="center", fontsize=fontsize + 1)
    return ax


def cell_texts_fit(occ: Occupancy, ax: Axes, fontsize: float) -> bool:
    """Whether every cell's "present/capacity" fits its cell at ``fontsize`` (measured
    with the figure's renderer; the axes' size as placed on its figure)."""
    rows, cols = occ.present.shape
    if rows * cols > ANNOTATE_CELLS_MAX or not rows or not cols:
        return False
    fig = ax.get_figure(root=True)
    assert fig is not None
    width_in = ax.get_position().width * fig.get_figwidth()
    height_in = ax.get_position().height * fig.get_figheight()
    cell_w, cell_h = width_in * 72 / cols, height_in * 72 / rows  # points
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    widest = max((f"{p}/{c}" for p, c in zip(occ.present.ravel(), occ.capacity.ravel(),
                                             strict=True)), key=len)
    extent = TextPath((0, 0), widest.replace("1", "0"),
                      prop=FontProperties(size=fontsize)).get_extents()
    return extent.width <= 0.85 * cell_w and fontsize * 1.2 <= cell_h


def _above(ax: Axes, *, height_pt: float, gap_pt: float):  # type: ignore[no-untyped-def]
    """An axes locator: a strip ``gap_pt`` above ``ax``'s top right, fixed in points."""
    from matplotlib.transforms import Bbox

    def locate(cax, renderer):  # type: ignore[no-untyped-def]
        box = ax.get_position()
        fig = ax.get_figure(root=True)
        h_in = fig.get_figheight()
        gap, height = gap_pt / 72 / h_in, height_pt / 72 / h_in
        x0 = box.x0 + box.width * 0.72
        return Bbox.from_bounds(x0, box.y1 + gap, box.x1 - x0, height)

    return locate


BARS_MAX = 40  # above this many organisations the fair-share charts are scatter plots
LABELLED = 8  # in a scatter plot, the organisations furthest off are named


def _finish(ax: Axes, title: str, ylabel: str, fontsize: float = FONT - 1) -> None:
    ax.set_ylabel(ylabel, fontsize=fontsize + 1)
    ax.tick_params(axis="both", labelsize=fontsize)
    ax.set_title(title, fontsize=fontsize + 2, loc="left", fontweight="bold")
    ax.grid(True, axis="y", color="#E4E4E4", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _name_outliers(ax: Axes, fs: FairShare, x: np.ndarray, y: np.ndarray,
                   off: np.ndarray, fontsize: float = FONT - 2) -> None:
    for i in np.argsort(-np.abs(off))[:LABELLED]:
        if off[i]:
            ax.annotate(fs.organisations[i], (x[i], y[i]), xytext=(3, 3),
                        textcoords="offset points", fontsize=fontsize)


def fair_share_chart(
    fs: FairShare,
    *,
    colours: dict[str, str] | None = None,
    text: Text | None = None,
    ax: Axes | None = None,
    fontsize: float = FONT - 1,
) -> Axes:
    """Hosted learner-months per organisation against the FTE-proportional share: bars
    with black marks, or for many organisations a scatter plot around the diagonal."""
    text = resolve_text(text)
    ax = ax or new_axes(8, 3.5)
    colours = colours or palette.organisation_colours(fs.organisations)
    faces = [colours[o] for o in fs.organisations]
    top = max(1.0, float(max(fs.hosted.max(initial=0), fs.target.max(initial=0)))) * 1.15
    if len(fs.organisations) > BARS_MAX:
        ax.plot([0, top], [0, top], color="#000000", linewidth=1.0, zorder=1,
                label=text["fair_target"])
        ax.scatter(fs.target, fs.hosted, s=14, c=faces, edgecolors="#333333",
                   linewidths=0.4, zorder=2, label=text["fair_hosted"])
        _name_outliers(ax, fs, fs.target, fs.hosted, fs.hosted - fs.target, fontsize)
        ax.set_xlim(0, top)
        ax.set_ylim(0, top)
        ax.set_xlabel(text["fair_target"] + f" ({text['learner_months']})", fontsize=fontsize + 1)
        ax.legend(fontsize=fontsize, frameon=False, loc="upper left")
    else:
        x = np.arange(len(fs.organisations))
        ax.bar(x, fs.hosted, width=0.7, color=faces, zorder=2)
        ax.scatter(x, fs.target, marker="_", s=260, linewidths=2.2, color="#000000", zorder=3)
        ax.set_xticks(x, list(fs.organisations), fontsize=fontsize,
                      rotation=90 if len(x) > 12 else 0)
        ax.legend(handles=[
            Patch(facecolor="#8C8C8C", label=text["fair_hosted"]),
            Line2D([], [], color="#000000", marker="_", linestyle="none", markersize=14,
                   markeredgewidth=2.2, label=text["fair_target"]),
        ], fontsize=fontsize, frameon=False, loc="upper right")
        ax.set_ylim(0, top * 1.1)
    _finish(ax, text["fair_title"], text["learner_months"], fontsize)
    return ax


def quota_chart(
    fs: FairShare,
    *,
    colours: dict[str, str] | None = None,
    text: Text | None = None,
    ax: Axes | None = None,
    fontsize: float = FONT - 1,
) -> Axes:
    """Learning places per 100 FTE per organisation against the training quota (bars, or
    for many organisations a scatter plot over FTE)."""
    text = resolve_text(text)
    ax = ax or new_axes(8, 3.5)
    colours = colours or palette.organisation_colours(fs.organisations)
    faces = [colours[o] for o in fs.organisations]
    rate = fs.rate_per_100_fte
    top = float(rate.max(initial=0))
    scatter = len(fs.organisations) > BARS_MAX
    if scatter:
        ax.scatter(fs.fte, rate, s=14, c=faces, edgecolors="#333333", linewidths=0.4, zorder=2)
        _name_outliers(ax, fs, fs.fte, rate, rate - float(np.median(rate)), fontsize)
        ax.set_xlabel(text["fair_fte"], fontsize=fontsize + 1)
        ax.set_xlim(0, float(fs.fte.max(initial=1)) * 1.08)
    else:
        x = np.arange(len(fs.organisations))
        ax.bar(x, rate, width=0.7, color=faces, zorder=2)
        ax.set_xticks(x, list(fs.organisations), fontsize=fontsize,
                      rotation=90 if len(x) > 12 else 0)
    label = text("quota_reference", q=fs.quota)
    if fs.quota <= max(top, 1e-9) * 3:
        line = ax.axhline(fs.quota, color="#000000", linestyle=(0, (5, 3)), linewidth=1.4,
                          zorder=3)
        ax.set_ylim(0, max(top, fs.quota) * 1.25)
        ax.legend([line], [label], fontsize=fontsize, frameon=False, loc="upper left")
    else:  # far above the bars: name it instead of flattening every bar
        ax.set_ylim(0, max(top, 1e-3) * 1.3)
        ax.text(0.99, 0.98, text("quota_off_scale", q=fs.quota, times=fs.quota / max(top, 1e-9)),
                transform=ax.transAxes, ha="right", va="top", fontsize=fontsize)
    _finish(ax, text["quota_title"], text["quota_rate"], fontsize)
    return ax


def _view(scenario: Scenario, occ: Occupancy) -> tuple[Occupancy, list[str] | None, bool]:
    """The heatmap's rows: departments (with their organisations), or organisations for
    large regions; and whether per department."""
    by_dept = len(occ.departments) <= DEPARTMENT_ROWS_MAX
    if by_dept:
        return occ, [occ.organisation_of[d] for d in occ.departments], True
    return occ.by_organisation(tuple(o.id for o in scenario.organisations)), None, False


PAPER_HEAD_IN, PAPER_FOOT_IN = 1.0, 0.75  # a heatmap part: title and note, month names
PAPER_ROW_IN = 0.17  # a heatmap row for paper: a 7 pt row label and its gap


def paper_parts(scenario: Scenario, occ: Occupancy) -> list[range]:
    """The heatmap rows of each part for paper, evenly cut; the last part (the empty
    range) holds the fair-share and quota charts."""
    rows = len(_view(scenario, occ)[0].departments)
    fits = int((PAPER_HEIGHT_IN - PAPER_HEAD_IN - PAPER_FOOT_IN) / PAPER_ROW_IN)
    count = max(1, -(-rows // fits))
    size = -(-rows // count) if rows else 0
    blocks = [range(k, min(k + size, rows)) for k in range(0, rows, size)] if size else []
    return blocks + [range(0)]


def occupancy_figure(
    scenario: Scenario,
    plan: Plan,
    *,
    occ: Occupancy | None = None,
    text: Text | None = None,
    part: int | None = None,
) -> Figure:
    """The heatmap (departments, or organisations for large regions) above the fair-share
    and quota charts; ``part``: only that part of :func:`paper_parts`, laid out for
    paper."""
    text = resolve_text(text)
    occ = occ or occupancy(scenario, plan)
    if part is not None:
        return _paper_part(scenario, plan, occ, text, part)
    view, groups, by_dept = _view(scenario, occ)
    rows = len(view.departments)
    months = len(occ.months)
    # about as wide as an A4 landscape page: 15 inches (24 months) print at 0.72
    width = min(WIDTH_MAX, max(11.0, 3.0 + 0.4 * months))
    pt = print_pt(width)  # the smallest text, as it prints
    heat_h = 0.8 + max(0.24, 1.6 * pt / 72) * rows
    chart_h = 3.6
    height = 1.0 + heat_h + 1.0 + chart_h + 0.8
    fig = figure(width, height)
    ax = fig.add_axes((1.7 / width, 1 - (1.0 + heat_h) / height, 1 - 2.0 / width,
                       heat_h / height))
    _heatmap(fig, ax, scenario, view, groups, by_dept, text, pt, "")
    _charts(fig, scenario, plan, text, pt, width, 0.8 / height, chart_h / height)
    return fig


def _heatmap(fig: Figure, ax: Axes, scenario: Scenario, view: Occupancy,
             groups: list[str] | None, by_dept: bool, text: Text, pt: float,
             suffix: str) -> None:
    height = fig.get_figheight()
    what = text["occ_department" if by_dept else "occ_organisation"]
    occupancy_heatmap(view, groups=groups, window_end=scenario.calendar.end, text=text, ax=ax,
                      fontsize=pt)
    fig.text(0.01, 1 - 0.12 / height, text("occupancy_title", what=what) + suffix,
             fontsize=pt + 4, fontweight="bold", va="top", ha="left")
    note = text["occ_note" if cell_texts_fit(view, ax, pt) else "occ_note_colour"]
    fig.text(0.01, 1 - 0.45 / height, note, fontsize=pt, va="top", ha="left")


def _charts(fig: Figure, scenario: Scenario, plan: Plan, text: Text, pt: float, width: float,
            bottom: float, height: float) -> None:
    """The fair-share and quota charts side by side (``bottom``, ``height``: figure
    fractions)."""
    fs = fair_share(scenario, plan)
    colours = palette.organisation_colours(scenario.organisations)
    half = (width - 2.6) / 2
    ax1 = fig.add_axes((0.8 / width, bottom, half / width, height))
    fair_share_chart(fs, colours=colours, text=text, ax=ax1, fontsize=pt)
    ax2 = fig.add_axes(((1.8 + half) / width, bottom, half / width, height))
    quota_chart(fs, colours=colours, text=text, ax=ax2, fontsize=pt)


def _paper_part(scenario: Scenario, plan: Plan, occ: Occupancy, text: Text,
                part: int) -> Figure:
    parts = paper_parts(scenario, occ)
    rows, width, pt = parts[part], PAPER_WIDTH_IN, PAPER_PT
    if not rows:  # the charts, one above the other: room for 40 organisation ids each
        fig = figure(width, PAPER_HEIGHT_IN - 0.1)
        fs = fair_share(scenario, plan)
        colours = palette.organisation_colours(scenario.organisations)
        block, chart, below = (PAPER_HEIGHT_IN - 0.1) / 2, 2.05, 0.8
        for k, draw in enumerate((fair_share_chart, quota_chart)):
            ax = fig.add_axes((0.8 / width, ((1 - k) * block + below) / fig.get_figheight(),
                               1 - 1.1 / width, chart / fig.get_figheight()))
            draw(fs, colours=colours, text=text, ax=ax, fontsize=pt)
        return fig
    view, groups, by_dept = _view(scenario, occ)
    keep = slice(rows.start, rows.stop)
    view = Occupancy(view.months, view.departments[keep], view.organisation_of,
                     view.present[keep], view.capacity[keep], view.buddy_capacity[keep])
    heat_h = PAPER_ROW_IN * len(rows)
    height = PAPER_HEAD_IN + heat_h + PAPER_FOOT_IN
    fig = figure(width, height)
    ax = fig.add_axes((1.6 / width, PAPER_FOOT_IN / height, 1 - 1.8 / width, heat_h / height))
    suffix = " · " + text("part_of", part=part + 1, parts=len(parts))  # as the caption
    _heatmap(fig, ax, scenario, view, groups[keep] if groups else None, by_dept, text, pt,
             suffix)
    return fig


__all__ = [
    "BARS_MAX",
    "DEPARTMENT_ROWS_MAX",
    "fair_share_chart",
    "occupancy_figure",
    "occupancy_heatmap",
    "paper_parts",
    "quota_chart",
]
