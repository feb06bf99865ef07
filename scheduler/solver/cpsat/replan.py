"""Re-planning against a baseline plan: stability costs and frozen months.

``--baseline`` charges every learner-month whose department differs from the baseline
(``stability`` weight); ``--freeze-until`` keeps every month before it exactly as in the
baseline (a filter on candidates, and the baseline buddy is kept).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ...models import Plan, RowStatus, month_ordinal
from ..index import Index


@dataclass
class Baseline:
    dept: dict[tuple[str, int], str] = field(default_factory=dict)  # (learner, ordinal)
    buddy: dict[tuple[str, int], str] = field(default_factory=dict)
    unplaced: set[tuple[str, int]] = field(default_factory=set)

    @classmethod
    def from_plan(cls, plan: Plan) -> Baseline:
        out = cls()
        for r in plan.rows:
            key = (r.learner, month_ordinal(r.month))
            if r.status is RowStatus.UNPLACED:
                out.unplaced.add(key)
            else:
                out.dept[key] = r.department
                if r.buddy:
                    out.buddy[key] = r.buddy
        return out


def stability_costs(ix: Index, base: Baseline, t_row, t_dept):
    """Per triple: changed months; per learner: months changed if unplaced; constant."""
    by_learner: dict[str, dict[int, str]] = {}
    for (lid, o), d in base.dept.items():
        by_learner.setdefault(lid, {})[o] = d
    cost = np.zeros(len(t_row), dtype=np.int64)
    for t, (r, d) in enumerate(zip(t_row, t_dept, strict=True)):
        row = ix.rows[r]
        old = by_learner.get(ix.learners[row.learner].id, {})
        dept = ix.departments[d]
        cost[t] = sum(1 for m in row.months if old.get(ix.base + m, "") != dept)
    if_unplaced = np.zeros(len(ix.learners), dtype=np.int64)
    constant = 0
    planned_ids = set()
    for li, lr in enumerate(ix.learners):
        planned_ids.add(lr.id)
        old = by_learner.get(lr.id, {})
        months = {ix.base + m for r in ix.rows_of[li] for m in ix.rows[r].months}
        if_unplaced[li] = sum(1 for o in old if o in months)
        constant += sum(1 for o in old if o not in months)
    for lid, old in by_learner.items():  # scenario learners with nothing planned now
        if lid not in planned_ids and lid in ix.scenario.learner:
            constant += len(old)
    return cost, if_unplaced, constant


def freeze_mask(ix: Index, base: Baseline, freeze_until: str) -> np.ndarray:
    """Months before ``freeze_until`` stay as in the baseline (hard)."""
    limit = month_ordinal(freeze_until)
    ok = np.ones((ix.n_rows, len(ix.departments)), dtype=bool)
    for li, lr in enumerate(ix.learners):
        for r in ix.rows_of[li]:
            frozen = [ix.base + m for m in ix.rows[r].months if ix.base + m < limit]
            for o in frozen:
                key = (lr.id, o)
                if key in base.dept:
                    only = np.zeros(len(ix.departments), dtype=bool)
                    d = ix.dept_pos.get(base.dept[key])
                    if d is not None:
                        only[d] = True
                    ok[r] &= only
                    ix.forced_placed[li] = True
                elif key in base.unplaced:
                    ix.forced_unplaced[li] = True
    return ok


def frozen_buddies(ix: Index, base: Baseline, freeze_until: str) -> dict[tuple[str, int], str]:
    limit = month_ordinal(freeze_until)
    return {k: b for k, b in base.buddy.items() if k[1] < limit and k[0] in ix.scenario.learner}
