"""What every report output needs, computed once: labels, names, reasons, occupancy."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..models import Plan, Scenario
from ..plot.data import (
    BuddyLoad,
    FairShare,
    Occupancy,
    Page,
    buddy_load,
    fair_share,
    occupancy,
)
from ..plot.data import month_range as _month_range
from ..words.explain import reason_text
from ..words.report import Text


@dataclass
class ReportContext:
    """A plan with its scenario and KPIs, as the pictures, workbook and page see it.

    Learner names (personal data) are reachable only through :meth:`name`, which returns
    nothing under ``pseudonymise``: the pictures never ask for them.
    """

    scenario: Scenario
    plan: Plan
    kpis: dict[str, Any]
    text: Text
    pseudonymise: bool = False
    departments: bool = False  # also the per-department capacity picture

    @cached_property
    def months(self) -> range:
        return _month_range(self.scenario, self.plan)

    @cached_property
    def occupancy(self) -> Occupancy:
        return occupancy(self.scenario, self.plan)

    @cached_property
    def buddy_load(self) -> BuddyLoad:
        return buddy_load(self.scenario, self.plan)

    @cached_property
    def fair_share(self) -> FairShare:
        return fair_share(self.scenario, self.plan)

    @cached_property
    def print_pages(self) -> list[Page]:
        """The Gantt chart per learner in pages for A4 landscape (none above the limit)."""
        from ..plot.gantt_print import PRINT_PAGES_MAX, print_pages

        pages = print_pages(self.scenario, self.plan, self.text)
        return pages if len(pages) <= PRINT_PAGES_MAX else []

    @cached_property
    def paper_parts(self) -> dict[str, list[range]]:
        """The parts for paper of each tall picture (``overview``, ``organisations``,
        ``departments``, ``occupancy``): which panels or rows each part shows."""
        from ..plot.gantt_learners import overview_paper_parts
        from ..plot.gantt_organisations import paper_parts as panel_parts
        from ..plot.occupancy import paper_parts as heatmap_parts

        parts = {
            "overview": overview_paper_parts(self.scenario, self.plan, self.months),
            "organisations": panel_parts(len(self.scenario.organisations)),
            "occupancy": heatmap_parts(self.scenario, self.occupancy),
        }
        if self.departments:
            parts["departments"] = panel_parts(len(self.occupancy.departments))
        return parts

    @cached_property
    def reasons(self) -> dict[str, tuple[str, str]]:
        """Unplaced learner → (rule id, reason in the report's language), from kpis.json."""
        out: dict[str, tuple[str, str]] = {}
        for item in self.kpis.get("unplaced_learners") or []:
            if isinstance(item, dict) and item.get("learner"):
                out[str(item["learner"])] = (str(item.get("rule", "")),
                                             reason_text(item, self.text.lang))
        return out

    @property
    def show_names(self) -> bool:
        return not self.pseudonymise and any(lr.name for lr in self.scenario.learners)

    def name(self, learner_id: str) -> str:
        """The learner's name, or "" under --pseudonymise (ids only)."""
        if self.pseudonymise:
            return ""
        learner = self.scenario.learner.get(learner_id)
        return (learner.name or "") if learner else ""


__all__ = ["ReportContext"]
