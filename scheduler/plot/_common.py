"""Shared plumbing of the charts: figures without pyplot, the month axis, labels."""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.axes import Axes  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ..models import ordinal_month  # noqa: E402
from ..words.report import Text, text_for  # noqa: E402

DPI = 100
FONT = 8
# report.html prints pictures on A4 landscape pages: 297 mm less 2 × 11 mm margins. A
# wider picture is shrunk to this width, so its text shrinks with it; every text is
# sized to print at MIN_PRINT_PT or more, or left out.
PRINT_WIDTH_IN = 275 / 25.4
MIN_PRINT_PT = 7.0
# The pictures for paper (report.html's print pages): drawn exactly this wide and at most
# this tall, printed at their own size (100 %), so a 7 pt text in them is 7 pt on paper.
# A4 landscape is 11.69 × 8.27 in; less the margins, the heading above and a caption.
PAPER_WIDTH_IN = 10.5
PAPER_HEIGHT_IN = 6.5
PAPER_PT = 7.0
WINDOW_LINE = "#444444"
WINDOW_STYLE = (0, (4, 3))


def resolve_text(text: Text | None) -> Text:
    """The labels to use; Dutch when none are given."""
    return text if text is not None else text_for("nl")


def print_scale(width_in: float) -> float:
    """How much a picture ``width_in`` inches wide shrinks when printed (1: not at all)."""
    return min(1.0, PRINT_WIDTH_IN / width_in)


def print_pt(width_in: float, pt: float = MIN_PRINT_PT) -> float:
    """A font size for a picture ``width_in`` inches wide: ``pt``, or more where the
    picture shrinks in print, so the text prints at :data:`MIN_PRINT_PT` or more."""
    return max(pt, math.ceil(MIN_PRINT_PT / print_scale(width_in) * 10) / 10)


def new_axes(width: float = 10.0, height: float = 6.0) -> Axes:
    """An Axes on a fresh Figure (no pyplot: no global state, safe in threads)."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    return fig.add_subplot()


def figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), dpi=DPI)


def month_ticks(ax: Axes, months: range, text: Text, *, window_end: int | None = None,
                year_labels: bool = True, window_label: bool = True,
                max_labels: int = 36, top_labels: bool = False,
                fontsize: float = FONT - 1) -> None:
    """Month labels at cell centres (cell ``o`` spans [o, o+1)), year boundaries drawn.

    At most ``max_labels`` month names (every 1, 2, 3, 6 or 12 months); the end of the
    planning window is a dashed line, labelled when ``window_label``. ``fontsize``: of
    the month names (the years are 1 pt larger).
    """
    grow = fontsize / (FONT - 1)  # offsets in points grow with the text
    n = len(months)
    step = next((s for s in (1, 2, 3, 6, 12) if n / s <= max_labels), 12)
    ticks = [o for o in months if o % step == 0 or (step == 1)]
    centres = [o + 0.5 for o in ticks]
    labels = [text.month(ordinal_month(o)) for o in ticks]
    ax.set_xlim(months.start, months.stop)
    ax.set_xticks(centres, labels, fontsize=fontsize)
    ax.tick_params(axis="x", length=0, labeltop=top_labels)
    line = ax.axvline
    for o in months:
        if o % 12 == 0 and o != months.start:
            line(o, color="#333333", linewidth=1.0, zorder=4)
    if year_labels:
        for o in months:
            if o == months.start or o % 12 == 0:
                ax.annotate(f"{o // 12}", (o, 1.0), xycoords=ax.get_xaxis_transform(),
                            xytext=(2, 13 * grow if top_labels else 1),
                            textcoords="offset points", fontsize=fontsize + 1,
                            fontweight="bold", va="bottom", ha="left", zorder=5)
    if window_end is not None and window_end < months.stop:
        ax.axvline(window_end, color=WINDOW_LINE, linewidth=1.0, linestyle=WINDOW_STYLE, zorder=4)
        if window_label:  # under the month names, so it never covers a bar
            ax.annotate(text["window_end"] + " ▸", (window_end, 0.0),
                        xycoords=ax.get_xaxis_transform(), xytext=(0, -18 * grow),
                        textcoords="offset points", ha="right", va="top",
                        fontsize=fontsize, color=WINDOW_LINE)


def month_bars(ax: Axes, first: int, heights: Sequence[float], colours: Sequence[str] | str,
               *, bottoms: Sequence[float] | None = None, width: float = 0.8,
               zorder: float = 2) -> None:
    """Bars on a month axis (bar ``j`` centred in month ``first + j``) as one collection:
    ax.bar makes one patch per bar, which is slow for hundreds of panels."""
    n = len(heights)
    base = list(bottoms) if bottoms is not None else [0.0] * n
    faces = [colours] * n if isinstance(colours, str) else list(colours)
    verts, kept = [], []
    pad = (1 - width) / 2
    for j in range(n):
        if heights[j]:
            x0, x1 = first + j + pad, first + j + 1 - pad
            y0, y1 = base[j], base[j] + heights[j]
            verts.append([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
            kept.append(faces[j])
    if verts:
        ax.add_collection(PolyCollection(verts, facecolors=kept, edgecolors="none",
                                         zorder=zorder), autolim=False)


def panel_title(ax: Axes, title: str, fontsize: float = FONT) -> None:
    """A bold title above the year labels (plain text: cheaper than Axes.set_title)."""
    ax.annotate(title, (0.0, 1.0), xycoords="axes fraction", xytext=(0, 1.5 * fontsize),
                textcoords="offset points", ha="left", va="bottom", fontsize=fontsize,
                fontweight="bold")


def shorten(value: str, limit: int = 28) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


__all__ = ["DPI", "FONT", "MIN_PRINT_PT", "PAPER_HEIGHT_IN", "PAPER_PT", "PAPER_WIDTH_IN",
           "PRINT_WIDTH_IN", "WINDOW_LINE", "WINDOW_STYLE", "Axes", "Figure", "figure",
           "month_bars", "month_ticks", "new_axes", "panel_title", "print_pt", "print_scale",
           "resolve_text", "shorten"]
