"""Gantt chart per learner: one row per learner, one bar per placement.

Rows are grouped by programme, then home organisation (employer); unplaced learners form
a last, labelled group. Bars are coloured by the organisation of the department and carry
the department id; placements away from the employer (Carrousel) have a thick black
outline, starter months (fixed shifts only) are hatched, the learner's own unavailable
months are grey. Large plans are drawn as pages (:func:`learner_pages`) plus an
aggregated overview (:func:`gantt_overview`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.patches import Patch

from ..models import Plan, RowStatus, Scenario, month_ordinal
from . import palette
from ._common import (
    FONT,
    PAPER_PT,
    PAPER_WIDTH_IN,
    Axes,
    Figure,
    figure,
    month_ticks,
    new_axes,
    panel_title,
    print_pt,
    resolve_text,
    shorten,
)
from ._labels import LabelLayer
from .data import Group, LearnerLine, Page, learner_groups, month_range, paginate

if TYPE_CHECKING:  # typing only: the report package imports this one
    from ..words.report import Text

PAGE_SIZE = 120  # learners per picture: above this the chart is paged
ROW_INCH = 0.17
BAR = 0.72  # bar height in row units
HOME_COLUMN_PT = 40  # the employer column ends this far left of the axes
OVERVIEW_WIDTH_MAX = 12.0  # the overview prints on A4 landscape: about its width


def learner_pages(scenario: Scenario, plan: Plan, page_size: int = PAGE_SIZE) -> list[Page]:
    """The learners in display order, cut into pages of at most ``page_size``."""
    return paginate(learner_groups(scenario, plan), page_size)


def _rect(x0: float, x1: float, y: float, h: float = BAR) -> list[tuple[float, float]]:
    return [(x0, y - h / 2), (x1, y - h / 2), (x1, y + h / 2), (x0, y + h / 2)]


def _programme_title(group: Group, scenario: Scenario, continued: bool, text: Text) -> str:
    if group.unplaced:
        title = text("gantt_unplaced_group", n=len(group.lines))
    else:
        programme = scenario.programme.get(group.programme)
        kind = f" ({programme.kind})" if programme and programme.kind != group.programme else ""
        title = text("gantt_programme", programme=group.programme, kind=kind)
    return f"{title} {text['gantt_continued']}" if continued else title


def _header_rows(page: Page) -> int:
    """One header row each time the programme changes (unplaced learners: their own)."""
    keys = [None if g.unplaced else g.programme for g, _, _ in page.blocks]
    return sum(1 for i, k in enumerate(keys) if i == 0 or k != keys[i - 1])


def page_rows(page: Page) -> int:
    return page.learners + _header_rows(page)


def _label_layers(ax: Axes, bar_pt: float = FONT - 1.5) -> dict[str, LabelLayer]:
    """Text of a page: on the bars (clipped to the Axes), learner ids, and the employer
    column left of them (bold employer, plain programme, italic column heading)."""
    left = ax.get_yaxis_transform()
    side = {"fontsize": FONT - 1, "offset_pt": (-HOME_COLUMN_PT, 0.0)}
    layers = {
        "bar": LabelLayer(ax.transData, fontsize=bar_pt),
        "ids": LabelLayer(left, fontsize=FONT - 1, offset_pt=(-3.0, 0.0)),
        "home": LabelLayer(left, weight="bold", **side),  # type: ignore[arg-type]
        "side": LabelLayer(left, **side),  # type: ignore[arg-type]
        "heading": LabelLayer(left, style="italic", **side),  # type: ignore[arg-type]
    }
    for name, layer in layers.items():
        ax.add_artist(layer)
        layer.set_clip_box(ax.bbox if name == "bar" else None)
        layer.set_clip_on(name == "bar")
    return layers


class _Layer:
    """Polygons of one style, drawn as a single collection (fast for thousands of bars)."""

    def __init__(self) -> None:
        self.verts: list[list[tuple[float, float]]] = []
        self.faces: list[str] = []
        self.edges: list[str] = []
        self.widths: list[float] = []

    def add(self, verts: list[tuple[float, float]], face: str, edge: str = "none",
            width: float = 0.0) -> None:
        self.verts.append(verts)
        self.faces.append(face)
        self.edges.append(edge)
        self.widths.append(width)

    def draw(self, ax: Axes, zorder: float, **kwargs: object) -> None:
        if self.verts:
            ax.add_collection(PolyCollection(
                self.verts, facecolors=self.faces, edgecolors=self.edges,
                linewidths=self.widths, zorder=zorder, **kwargs,  # type: ignore[arg-type]
            ), autolim=False)


def _draw_line(line: LearnerLine, y: float, colours: Mapping[str, str], layers: dict[str, _Layer],
               labels: LabelLayer, reasons: Mapping[str, tuple[str, str]], text: Text,
               chars_per_month: int = 7) -> None:
    for bar in line.bars:
        colour = colours.get(bar.organisation, palette.UNPLACED)
        edge, width = ("#000000", 1.8) if bar.away else ("#FFFFFF", 0.6)
        layers["bars"].add(_rect(bar.first, bar.end, y), colour, edge, width)
        for o in bar.unavailable:
            layers["unavailable"].add(_rect(o, o + 1, y, BAR * 0.8), palette.UNAVAILABLE)
        s0, s1 = max(line.starter[0], bar.first), min(line.starter[1], bar.end)
        if s1 > s0:
            dark = palette.text_colour(colour) == "#FFFFFF"
            layers["starter_dark" if dark else "starter_light"].add(_rect(s0, s1, y), "none")
        # the label sits on the part of the bar without hatching when there is room
        x0 = s1 if s1 > s0 and bar.end - s1 >= 2 else bar.first
        months = bar.end - x0
        if months >= 2:  # left out when it does not fit the bar at the drawn size
            labels.add((x0 + bar.end) / 2, y, shorten(bar.department, months * chars_per_month),
                       palette.text_colour(colour), room=months - 0.15, halo=colour)
    if not line.placed and line.months[1] > line.months[0]:
        x0, x1 = line.months
        layers["unplaced"].add(_rect(x0, x1, y), "#FFFFFF", palette.UNPLACED, 1.0)
        rule, reason = reasons.get(line.learner, ("", ""))
        label = f"{text.rule(rule)}: {reason}" if rule else text["unplaced"]
        labels.add(x0 + 0.2, y, shorten(label, (x1 - x0) * chars_per_month), "#333333", "left",
                   room=x1 - x0 - 0.3)


def legend_handles(organisations: Sequence[str], names: Mapping[str, str],
                   colours: Mapping[str, str], text: Text, *,
                   sectors: Mapping[str, Sequence[str]] | None = None) -> list[Patch]:
    """Organisation colours, then the meaning of outline, hatching, grey and dashes.

    With ``sectors`` (a region with more organisations than the fixed palette holds:
    colours come in one family per sector) one entry per sector, in the colour of its
    first organisation, instead of a wall of swatches; the bars carry department ids.
    """
    if sectors:
        handles = [Patch(facecolor="#FFFFFF", edgecolor="none",
                         label=text["legend_colours_sector"])]
        handles += [Patch(facecolor=colours[ids[0]], edgecolor="none",
                          label=text("legend_sector", sector=sector, n=len(ids)))
                    for sector, ids in sectors.items()]
    else:
        handles = [
            Patch(facecolor=colours[o], edgecolor="none",
                  label=shorten(f"{o} {names.get(o, '')}", 30))
            for o in organisations
        ]
    return handles + [
        Patch(facecolor="#FFFFFF", edgecolor="#000000", linewidth=1.8, label=text["legend_away"]),
        Patch(facecolor="#FFFFFF", edgecolor="#000000", hatch="////", linewidth=0.5,
              label=text["legend_starter"]),
        Patch(facecolor=palette.UNAVAILABLE, edgecolor="none", label=text["legend_unavailable"]),
        Patch(facecolor="#FFFFFF", edgecolor=palette.UNPLACED, linestyle="--",
              label=text["legend_unplaced"]),
    ]


LEGEND_STYLE = {"fontsize": FONT - 1, "frameon": False, "handlelength": 2.2,
                "columnspacing": 1.2}


def gantt_learners(
    scenario: Scenario,
    plan: Plan,
    *,
    page: Page | None = None,
    reasons: Mapping[str, tuple[str, str]] | None = None,
    text: Text | None = None,
    legend: bool = True,
    months: range | None = None,
    ax: Axes | None = None,
    label_pt: float | None = None,
) -> Axes:
    """Draw one page of the Gantt chart (by default: every learner) on ``ax``.

    ``months`` (ordinals shown) defaults to the window extended to the plan's last month.
    ``label_pt`` sets the size of the labels on the bars (and shortens them to what fits
    a month at that size); by default 6.5 pt and 7 characters a month.
    """
    text = resolve_text(text)
    page = page or Page([(g, g.lines, False) for g in learner_groups(scenario, plan)])
    ax = ax or new_axes(14, 2 + ROW_INCH * page_rows(page))
    months = months or month_range(scenario, plan)
    colours = palette.organisation_colours(scenario.organisations)
    layers = {k: _Layer() for k in
              ("bands", "bars", "unavailable", "starter_dark", "starter_light", "unplaced")}
    labels = _label_layers(ax, label_pt or FONT - 1.5)
    chars = 7 if label_pt is None else _chars_per_month(ax, len(months), label_pt)
    seen_orgs: set[str] = set()
    y = 0.0
    previous: object = ()
    for group, lines, continued in page.blocks:
        key = None if group.unplaced else group.programme
        if key != previous:  # a header row per programme
            layers["bands"].add(_rect(months.start, months.stop, y, 1.0), "#E8E8E8")
            ax.text(months.start + 0.15, y,
                    _programme_title(group, scenario, continued and previous == (), text),
                    ha="left", va="center", fontsize=FONT, fontweight="bold", zorder=6)
            labels["heading"].add(0.0, y, text["unplaced" if group.unplaced else "home"].lower(),
                                  "#555555", "right")
            y += 1
        else:  # a new employer within the programme: a thin line
            ax.axhline(y - 0.5, color="#888888", linewidth=0.6, zorder=1)
        previous = key
        for i, line in enumerate(lines):
            _draw_line(line, y, colours, layers, labels["bar"], reasons or {}, text, chars)
            seen_orgs.update(b.organisation for b in line.bars)
            if group.unplaced:
                labels["side"].add(0.0, y, shorten(line.programme, 16), ha="right")
            elif i == 0:
                labels["home"].add(0.0, y, shorten(f"{group.home or '–'} ({len(group.lines)})",
                                                   16), ha="right")
            labels["ids"].add(0.0, y, line.learner, ha="right")
            y += 1
    layers["bands"].draw(ax, 0.5)
    layers["bars"].draw(ax, 2)
    layers["unavailable"].draw(ax, 2.5)
    layers["starter_light"].draw(ax, 3, hatch="////", edgecolor="#000000", linewidth=0)
    layers["starter_dark"].draw(ax, 3, hatch="////", edgecolor="#FFFFFF", linewidth=0)
    layers["unplaced"].draw(ax, 2, linestyle="--")
    ax.set_ylim(y - 0.5, -0.5)
    ax.set_yticks([])  # learner ids are a label layer: no Tick objects
    ax.set_xticks(np.arange(months.start, months.stop + 1), minor=True)
    ax.grid(True, which="minor", axis="x", color="#E4E4E4", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    # tall pages: month names on top as well
    month_ticks(ax, months, text, window_end=scenario.calendar.end, top_labels=page_rows(page) > 40)
    if legend:
        names = {o.id: o.name for o in scenario.organisations}
        shown = [o.id for o in scenario.organisations if o.id in seen_orgs]
        ax.legend(handles=legend_handles(shown, names, colours, text,
                                         sectors=_sectors(scenario)),
                  loc="lower left",
                  bbox_to_anchor=(0.0, 1.0), ncol=4, borderaxespad=2.6, **LEGEND_STYLE)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax


def _sectors(scenario: Scenario) -> dict[str, list[str]] | None:
    """Sector → organisations when the region's colours come per sector, else None."""
    if len(scenario.organisations) <= len(palette.PALETTE):
        return None
    return palette.sector_of_colours(scenario.organisations)


def _chars_per_month(ax: Axes, months: int, label_pt: float) -> int:
    """How many characters of ``label_pt`` text fit in one month of the axes (a glyph of
    DejaVu Sans is about 0.6 em wide on average for ids like ``ZHO-CHIR``)."""
    fig = ax.get_figure(root=True)
    assert fig is not None
    month_pt = ax.get_position().width * fig.get_size_inches()[0] * 72 / max(months, 1)
    return max(1, int(month_pt / (0.62 * label_pt)))


def _width(months: int) -> float:
    return min(26.0, max(11.0, 2.4 + 0.46 * months))


def legend_layout(scenario: Scenario, shown_orgs: set[str], width: float,
                  text: Text) -> tuple[list[Patch], int, float]:
    """The legend of a page (handles, columns) and the inches above the axes (title,
    legend, month labels)."""
    shown = [o.id for o in scenario.organisations if o.id in shown_orgs]
    sectors = _sectors(scenario)
    repeating = sectors is not None
    longest = max((len(shorten(f"{o.id} {o.name}", 30)) for o in scenario.organisations
                   if o.id in shown_orgs), default=4)
    entry_in = 0.5 + 0.065 * max(longest, 14)  # legend column width, roughly
    ncol = 3 if repeating else max(2, min(10, int((width - 1.0) / entry_in)))
    handles = legend_handles(shown, {o.id: o.name for o in scenario.organisations},
                             palette.organisation_colours(scenario.organisations),
                             text, sectors=sectors)
    legend_rows = math.ceil(len(handles) / ncol)
    title_in, legend_in, labels_in = 0.4, 0.16 * legend_rows + 0.1, 0.5
    return handles, ncol, title_in + legend_in + labels_in


def gantt_learners_figure(
    scenario: Scenario,
    plan: Plan,
    *,
    page: Page | None = None,
    title: str | None = None,
    reasons: Mapping[str, tuple[str, str]] | None = None,
    text: Text | None = None,
    months: range | None = None,
    width: float | None = None,
    label_pt: float | None = None,
) -> Figure:
    """One page of the Gantt chart as a figure sized to its rows and legend (``width``
    inches wide: by default from the number of months; ``label_pt``: see gantt_learners)."""
    text = resolve_text(text)
    page = page or Page([(g, g.lines, False) for g in learner_groups(scenario, plan)])
    months = months or month_range(scenario, plan)
    width = width or _width(len(months))
    shown_orgs = {b.organisation for _, lines, _ in page.blocks for ln in lines for b in ln.bars}
    handles, ncol, top = legend_layout(scenario, shown_orgs, width, text)
    title_in, bottom = 0.4, 0.5
    height = top + bottom + ROW_INCH * max(page_rows(page), 4)
    fig = figure(width, height)
    left = 1.0 + HOME_COLUMN_PT / 72
    ax = fig.add_axes((left / width, bottom / height, 1 - (left + 0.2) / width,
                       1 - (top + bottom) / height))
    gantt_learners(scenario, plan, page=page, reasons=reasons, text=text, legend=False,
                   months=months, ax=ax, label_pt=label_pt)
    fig.text(0.01, 1 - 0.1 / height, title or text["gantt_title"], fontsize=FONT + 4,
             fontweight="bold", va="top", ha="left")
    fig.legend(handles=handles, loc="upper left", ncol=ncol,
               bbox_to_anchor=(0.8 / width, 1 - title_in / height), borderaxespad=0.0,
               **LEGEND_STYLE)
    return fig


OVERVIEW_PAPER_PANELS = 2  # programmes a part for paper (A4 landscape at 100 %)


def overview_paper_parts(scenario: Scenario, plan: Plan,
                         months: range | None = None) -> list[range]:
    """The programme panels (positions among those drawn) of each part for paper."""
    months = months or month_range(scenario, plan)
    programmes = [p.id for p in scenario.programmes]
    counts, _, _ = _overview_counts(scenario, plan, programmes, months)
    used = sum(1 for i in range(len(programmes)) if counts[i].sum() > 0)
    size = OVERVIEW_PAPER_PANELS
    return [range(k, min(k + size, used)) for k in range(0, used, size)] or [range(0)]


def gantt_overview(
    scenario: Scenario,
    plan: Plan,
    *,
    pages: int,
    text: Text | None = None,
    months: range | None = None,
    fig: Figure | None = None,
    part: int | None = None,
) -> Figure:
    """The aggregated view for large plans: per programme, learners per month, stacked as
    working at their employer, away from it (Carrousel), without employer (BOL),
    unavailable, and unplaced. ``part``: only that part of :func:`overview_paper_parts`,
    laid out for paper (A4 landscape at 100 %, texts at 7 pt)."""
    text = resolve_text(text)
    months = months or month_range(scenario, plan)
    programmes = [p.id for p in scenario.programmes]
    counts, learners, unplaced = _overview_counts(scenario, plan, programmes, months)
    used = [i for i in range(len(programmes)) if counts[i].sum() > 0]
    title = text("overview_title", n=len(plan.by_learner), pages=pages)
    if part is None:
        width = min(_width(len(months)), OVERVIEW_WIDTH_MAX)
        pt = print_pt(width)  # the month names, as they print
        panel = 2.2
    else:
        parts = overview_paper_parts(scenario, plan, months)
        used = [used[k] for k in parts[part]]
        width, pt, panel = PAPER_WIDTH_IN, PAPER_PT, 2.0
        if len(parts) > 1:
            title = text("overview_title_part", n=len(plan.by_learner), part=part + 1,
                         parts=len(parts))
    gap = 0.8
    top, bottom = 1.25, 0.4
    height = top + bottom + panel * len(used) + gap * max(0, len(used) - 1)
    fig = fig or figure(width, height)
    for k, i in enumerate(used):
        y0 = 1 - (top + k * (panel + gap) + panel) / height
        ax = fig.add_axes((0.9 / width, y0, 1 - 1.2 / width, panel / height))
        _stacked(ax, counts[i], months, OVERVIEW_STYLES)
        ax.set_ylabel(text["present"], fontsize=pt + 1)
        panel_title(ax, text("overview_programme", programme=programmes[i], n=learners[i],
                             unplaced=unplaced[i]), fontsize=pt + 1)
        month_ticks(ax, months, text, window_end=scenario.calendar.end, fontsize=pt,
                    max_labels=int(width * 72 / (pt * 3.2)))
        ax.tick_params(axis="y", labelsize=pt)
        ax.grid(True, axis="y", color="#E4E4E4", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    keys = ("overview_home", "overview_away", "overview_nohome", "unavailable", "unplaced")
    handles = [Patch(facecolor=face, edgecolor=edge, linestyle="--" if edge != "none" else "-",
                     label=text[key]) for (face, edge), key in zip(OVERVIEW_STYLES, keys,
                                                                   strict=True)]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.01, 1 - 0.5 / height),
               ncol=5, fontsize=pt + 1, frameon=False)
    fig.text(0.01, 1 - 0.12 / height, title, fontsize=pt + 4, fontweight="bold", va="top",
             ha="left")
    return fig


OVERVIEW_STYLES = (
    (palette.OKABE_ITO[0], "none"),  # at the employer
    (palette.OKABE_ITO[1], "none"),  # away (Carrousel)
    (palette.OKABE_ITO[2], "none"),  # no employer (BOL)
    (palette.UNAVAILABLE, "none"),
    ("#FFFFFF", palette.UNPLACED),
)


def _overview_counts(
    scenario: Scenario, plan: Plan, programmes: list[str], months: range
) -> tuple[np.ndarray, list[int], list[int]]:
    """counts[programme, category, month] with the categories of OVERVIEW_STYLES."""
    prog_pos = {p: i for i, p in enumerate(programmes)}
    counts = np.zeros((len(programmes), len(OVERVIEW_STYLES), len(months)))
    learners = [0] * len(programmes)
    unplaced = [0] * len(programmes)
    for learner_id, rows in plan.by_learner.items():
        learner = scenario.learner.get(learner_id)
        if learner is None or learner.programme not in prog_pos:
            continue
        p = prog_pos[learner.programme]
        learners[p] += 1
        unplaced[p] += any(r.status is RowStatus.UNPLACED for r in rows)
        for r in rows:
            m = month_ordinal(r.month) - months.start
            if r.status is RowStatus.UNPLACED:
                category = 4
            elif r.status is RowStatus.UNAVAILABLE:
                category = 3
            elif learner.home is None:
                category = 2
            else:
                category = 0 if r.organisation == learner.home else 1
            counts[p, category, m] += 1
    return counts, learners, unplaced


def _stacked(ax: Axes, counts: np.ndarray, months: range,
             styles: Sequence[tuple[str, str]]) -> None:
    """Stacked monthly bars: ``counts[series, month]``, one collection for all."""
    verts, faces, edges = [], [], []
    base = np.zeros(counts.shape[1])
    for s, (face, edge) in enumerate(styles):
        for m in np.nonzero(counts[s])[0]:
            x0, x1 = months.start + m + 0.08, months.start + m + 0.92
            y0, y1 = base[m], base[m] + counts[s, m]
            verts.append([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
            faces.append(face)
            edges.append(edge)
        base += counts[s]
    ax.add_collection(PolyCollection(verts, facecolors=faces, edgecolors=edges,
                                     linewidths=0.6, linestyle="-"), autolim=False)
    ax.set_ylim(0, max(1.0, float(base.max())) * 1.08)


__all__ = ["PAGE_SIZE", "gantt_learners", "gantt_learners_figure", "gantt_overview",
           "learner_pages", "overview_paper_parts"]
