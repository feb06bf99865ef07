"""A plan: what the solver decided, as rows of plan.csv (docs/outputs.md#plancsv); no solver."""

from __future__ import annotations

from collections import defaultdict
from enum import StrEnum
from functools import cached_property

from pydantic import Field

from .base import Frozen
from .calendar import Month

PLAN_COLUMNS = ("learner", "month", "organisation", "department", "buddy", "placement", "status")


class RowStatus(StrEnum):
    PLACED = "placed"
    UNAVAILABLE = "unavailable"  # learner's own unavailable month: department kept, no buddy
    UNPLACED = "unplaced"


class PlanRow(Frozen):
    learner: str
    month: Month
    organisation: str = ""
    department: str = ""
    buddy: str = ""
    placement: int = Field(ge=1)
    status: RowStatus


class Plan(Frozen):
    rows: tuple[PlanRow, ...] = ()

    @cached_property
    def by_learner(self) -> dict[str, list[PlanRow]]:
        out: dict[str, list[PlanRow]] = defaultdict(list)
        for row in self.rows:
            out[row.learner].append(row)
        for rows in out.values():
            rows.sort(key=lambda r: r.month)
        return dict(out)

    def placed_learners(self) -> set[str]:
        return {r.learner for r in self.rows if r.status is not RowStatus.UNPLACED}

    def unplaced_learners(self) -> set[str]:
        return {r.learner for r in self.rows if r.status is RowStatus.UNPLACED}

    def placement_departments(self, learner: str) -> dict[int, str]:
        """Placement index → department (first one seen) of a placed learner."""
        out: dict[int, str] = {}
        for row in self.by_learner.get(learner, []):
            if row.status is not RowStatus.UNPLACED:
                out.setdefault(row.placement, row.department)
        return out
