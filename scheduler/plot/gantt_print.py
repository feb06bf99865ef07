"""The Gantt chart per learner laid out for paper: A4 landscape at 100 %, labels ≥ 7 pt.

The screen pictures are wide (13 inches and more) and tall (up to 120 learners a page),
so a printer shrinks them to 3–5 pt text. These pages are exactly as wide as an A4
landscape page holds (:data:`PRINT_WIDTH_IN`), no taller than it holds under a heading
(:data:`PRINT_HEIGHT_IN`), with every text at least :data:`PRINT_LABEL_PT`; report.html
prints them at their own size (CSS width in inches), so 7 pt in the figure is 7 pt on
paper.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..models import Plan, Scenario
from ._common import PAPER_HEIGHT_IN, PAPER_PT, PAPER_WIDTH_IN
from .data import Page, learner_groups, paginate
from .gantt_learners import ROW_INCH, gantt_learners_figure, legend_layout, page_rows

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..words.report import Text

PRINT_WIDTH_IN = PAPER_WIDTH_IN  # A4 landscape is 11.69 in; minus 2 × 11 mm margins: 10.83 in
PRINT_HEIGHT_IN = PAPER_HEIGHT_IN  # 8.27 in minus margins, the heading above, the caption
PRINT_LABEL_PT = PAPER_PT
PRINT_PAGES_MAX = 32  # beyond this (about 550 learners) the report prints the screen chart


def print_pages(scenario: Scenario, plan: Plan, text: Text) -> list[Page]:
    """The learners cut into pages whose figure fits :data:`PRINT_HEIGHT_IN`."""
    groups = learner_groups(scenario, plan)
    every_org = {o.id for o in scenario.organisations}
    _, _, top = legend_layout(scenario, every_org, PRINT_WIDTH_IN, text)  # the tallest legend
    rows = int((PRINT_HEIGHT_IN - top - 0.5) / ROW_INCH)
    size = max(1, rows - 2)
    while True:
        pages = paginate(groups, size, keep_groups=False)
        if size == 1 or all(page_rows(p) <= rows for p in pages):
            return pages
        size -= 1


def print_figure(scenario: Scenario, plan: Plan, page: Page, *, title: str,
                 reasons: Mapping[str, tuple[str, str]], text: Text,
                 months: range) -> Figure:
    return gantt_learners_figure(scenario, plan, page=page, title=title, reasons=reasons,
                                 text=text, months=months, width=PRINT_WIDTH_IN,
                                 label_pt=PRINT_LABEL_PT)


__all__ = ["PRINT_LABEL_PT", "PRINT_PAGES_MAX", "PRINT_WIDTH_IN", "print_figure",
           "print_pages"]
