"""Pictures of a plan. The only package that imports matplotlib (Agg backend, no pyplot).

One function per chart; each takes ``ax=None`` (or builds its own figure) and returns the
Axes or Figure; none saves a file (``scheduler.report`` does that).
"""

from ._common import DPI
from .gantt_learners import (
    PAGE_SIZE,
    gantt_learners,
    gantt_learners_figure,
    gantt_overview,
    learner_pages,
)
from .gantt_organisations import capacity_grid, gantt_organisations
from .occupancy import fair_share_chart, occupancy_figure, occupancy_heatmap, quota_chart

__all__ = [
    "DPI",
    "PAGE_SIZE",
    "capacity_grid",
    "fair_share_chart",
    "gantt_learners",
    "gantt_learners_figure",
    "gantt_organisations",
    "gantt_overview",
    "learner_pages",
    "occupancy_figure",
    "occupancy_heatmap",
    "quota_chart",
]
