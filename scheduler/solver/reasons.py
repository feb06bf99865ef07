"""Why a learner is unplaced: the binding rule, in a coordinator's words."""

from __future__ import annotations

import numpy as np

from ..models import Plan, RowStatus, RuleId, month_ordinal, ordinal_month
from ..models.result import UnplacedReason
from .index import Index
from .rules import carrousel, required_sectors

_FILTER_TEXT = {
    "travel": "no department within {km:g} km of the learner (nearest: {near})",
    "level": "no department within reach accepts level {level}",
    "starter_shifts": "no fixed-shift department (geen wisseldiensten) within reach "
    "for the starter months",
    "capacity": "every remaining candidate department has capacity 0 in one of its months",
    "buddy": "every remaining candidate department has no available buddy in one of its months",
    "distinct_departments": "every remaining candidate department was already used",
    "pin": "the pinned department is not allowed by the other rules",
    "freeze": "the frozen baseline months allow no department",
}


def _months(ix: Index, months) -> str:
    if not len(months):
        return ""
    a, b = ordinal_month(ix.base + min(months)), ordinal_month(ix.base + max(months))
    return a if a == b else f"{a}..{b}"


def _nearest(ix: Index, li: int) -> str:
    if not len(ix.departments):
        return "none"
    j = int(np.argmin(ix.distance[li]))
    return f"{ix.distance[li, j]:.0f} km at {ix.departments[j]}"


def _filter_reason(ix: Index, li: int, r: int) -> tuple[RuleId, str] | None:
    running = np.ones(len(ix.departments), dtype=bool)
    lr = ix.learners[li]
    for name, mask in ix.masks.items():
        running &= mask[r]
        if not running.any():
            rule = RuleId(name) if name in RuleId._value2member_map_ else RuleId.PLACEMENT
            text = _FILTER_TEXT.get(name, name).format(
                km=ix.scenario.learner_max_travel(lr), near=_nearest(ix, li), level=lr.level
            )
            row = ix.rows[r]
            return rule, f"placement {row.span.index} ({_months(ix, row.months)}): {text}"
    return None


def _combination_reason(ix: Index, li: int) -> tuple[RuleId, str] | None:
    rows = ix.rows_of[li]
    cands = {int(d) for r in rows for d in np.nonzero(ix.mask[r])[0]}
    for sector in required_sectors.missing_sectors(ix, li):
        if not any(ix.dept_sector[d] == sector for d in cands):
            return RuleId.REQUIRED_SECTORS, f"no {sector} department within reach"
    need = carrousel.away_needed(ix, li)
    if need:
        home = carrousel.home_index(ix, li)
        away_rows = sum(
            1 for r in rows if any(ix.dept_org[d] != home for d in np.nonzero(ix.mask[r])[0])
        )
        if away_rows < need:
            return RuleId.CARROUSEL, (
                f"needs {need} placement(s) away from {ix.learners[li].home}, "
                f"only {away_rows} placement(s) have a department elsewhere within reach"
            )
    return None


def _capacity_reason(ix: Index, li: int, load: np.ndarray) -> tuple[RuleId, str] | None:
    for r in ix.rows_of[li]:
        cands = np.nonzero(ix.mask[r])[0]
        present = list(ix.rows[r].present)
        if not present or not len(cands):
            continue
        full = [m for m in present if all(load[d, m] >= ix.effcap[d, m] for d in cands)]
        if full:
            buddy = all(ix.effcap[d, m] < ix.deptcap[d, m] for d in cands for m in full[:1])
            rule = RuleId.BUDDY if buddy else RuleId.CAPACITY
            what = "buddies" if buddy else "places"
            return rule, (
                f"placement {ix.rows[r].span.index}: all {len(cands)} departments within reach "
                f"have no free {what} in {_months(ix, full)}"
            )
    return None


def unplaced_reasons(ix: Index, plan: Plan) -> list[UnplacedReason]:

    unplaced = plan.unplaced_learners()
    if not unplaced:
        return []
    load = np.zeros_like(ix.effcap)
    for row in plan.rows:
        if row.status is RowStatus.PLACED:
            load[ix.dept_pos[row.department], month_ordinal(row.month) - ix.base] += 1
    out = []
    for li, lr in enumerate(ix.learners):
        if lr.id not in unplaced:
            continue
        found = None
        for r in ix.rows_of[li]:
            found = found or _filter_reason(ix, li, r)
        found = found or _combination_reason(ix, li) or _capacity_reason(ix, li, load)
        if ix.forced_unplaced[li]:
            found = (RuleId.PLACEMENT, "unplaced in the frozen months of the baseline")
        rule, text = found or (
            RuleId.CAPACITY,
            "no combination of free places meets capacity, Carrousel and sector rules "
            "together; placing this learner would displace another",
        )
        out.append(UnplacedReason(lr.id, rule, text))
    return out
