"""A fast best-fit greedy: the CP-SAT hint, the fallback plan, and a benchmark peer.

Learners that must be placed come first, then by start month and fewest candidates;
each learner's placements are chosen by a small depth-first search over candidates in
order of objective cost, respecting capacity, distinct departments, the Carrousel and
required sectors. The fair-share tolerance is not enforced here (CP-SAT does that).

With a ``FairShare`` the candidates of each placement are ordered by their cost plus the
change in fair-share deviation that hosting the placement's months would cause, given
what is booked so far; the region's total is taken as every learner placed.
"""

from __future__ import annotations

import numpy as np

from ..index import Index
from . import repair
from .fair_share_tracker import FairShare
from .placement_search import search_room


def greedy_assignment(
    ix: Index, t_row, t_dept, cost, away_needed, sectors_needed,
    fair: FairShare | None = None, unplaced_cost: np.ndarray | None = None,
    repair_nodes: int = 0,
):
    """Return {row: department index} for placed learners (others absent).

    With ``unplaced_cost`` (objective units per learner left out) the learners left out
    are then repaired within ``repair_nodes`` search nodes (``repair.py``): each is
    placed where moving placed learners elsewhere makes room and the objective improves.
    """
    cands, costs = candidates_by_cost(ix.n_rows, t_row, t_dept, cost)
    remaining = ix.effcap.copy()
    present = [np.array(r.present, dtype=np.int64) for r in ix.rows]
    chosen: dict[int, int] = {}
    # Pinned/frozen placements (one candidate) are booked before anyone is placed, so a
    # pinned learner's free placement can't take the place another pin needs.
    reserved = {
        r: cands[r][0]
        for li in np.nonzero(ix.forced_placed)[0]
        for r in ix.rows_of[li]
        if len(cands[r]) == 1
    }
    for r, d in reserved.items():
        if len(present[r]):
            remaining[d, present[r]] -= 1
        if fair is not None:
            fair.hosted[ix.dept_org[d]] += len(present[r])

    order = learner_order(ix, cands, away_needed, sectors_needed)
    for li in order:
        if ix.forced_unplaced[li]:
            continue
        mine = [r for r in ix.rows_of[li] if r in reserved]
        for r in mine:  # the learner's own booking is free for its own search
            if len(present[r]):
                remaining[reserved[r], present[r]] += 1
            if fair is not None:
                fair.hosted[ix.dept_org[reserved[r]]] -= len(present[r])
        ranked = cands if fair is None else _fair_order(ix, li, cands, costs, present, fair)
        pick = search_room(ix, li, ranked, remaining, present, away_needed(li),
                           sectors_needed(li))
        for r, d in pick or [(r, reserved[r]) for r in mine]:
            if pick is not None:
                chosen[r] = d
            if len(present[r]):
                remaining[d, present[r]] -= 1  # a failed pinned learner keeps its booking
            if fair is not None:
                fair.hosted[ix.dept_org[d]] += len(present[r])
    if unplaced_cost is not None and repair_nodes > 0:
        repair.repair(ix, cands, costs, chosen, remaining, away_needed, sectors_needed,
                      unplaced_cost, order, repair_nodes,
                      moves=False)  # the first plan must come soon; moves would delay it
    return chosen


def learner_order(ix: Index, cands, away_needed, sectors_needed) -> list[int]:
    """Pinned/frozen first, then learners who need scarce sectors or away placements
    (they have many candidates but few that work), then by start and choice."""

    def key(li: int):
        rows = ix.rows_of[li]
        return (
            not ix.forced_placed[li],
            -len(sectors_needed(li)),
            -away_needed(li),
            ix.rows[rows[0]].span.first if rows else 0,
            min((len(cands[r]) for r in rows), default=0),
            ix.learners[li].id,
        )

    return sorted(range(len(ix.learners)), key=key)


def repair_plan(ix: Index, t_row, t_dept, cost, chosen: dict[int, int], away_needed,
                sectors_needed, unplaced_cost: np.ndarray, nodes: int,
                stop=lambda: False, fair: FairShare | None = None) -> dict[int, int]:
    """A copy of ``chosen`` (a plan over these triples) repaired within ``nodes``."""
    cands, costs = candidates_by_cost(ix.n_rows, t_row, t_dept, cost)
    plan = dict(chosen)
    remaining = ix.effcap.copy()
    for r, d in plan.items():
        if ix.rows[r].present:
            remaining[d, list(ix.rows[r].present)] -= 1
    order = learner_order(ix, cands, away_needed, sectors_needed)
    repair.repair(ix, cands, costs, plan, remaining, away_needed, sectors_needed,
                  unplaced_cost, order, nodes, stop, fair)
    return plan


def _fair_order(ix, li, cands, costs, present, fair: FairShare) -> dict[int, list[int]]:
    """The learner's candidates re-ordered by cost plus marginal fair-share deviation."""
    out = {}
    for r in ix.rows_of[li]:
        depts = np.asarray(cands[r], dtype=np.int64)
        total = costs[r] + fair.marginal(len(present[r]))[ix.dept_org[depts]]
        out[r] = depts[np.argsort(total, kind="stable")].tolist()
    return out


def candidates_by_cost(n_rows: int, t_row, t_dept, cost):
    """Per placement row, its candidate departments from cheapest to dearest (ties in
    triple order), and their costs in the same order."""
    order = np.lexsort((cost, t_row))  # stable: by row, then cost, then position
    cuts = np.cumsum(np.bincount(np.asarray(t_row, dtype=np.int64), minlength=n_rows))[:-1]
    depts = [part.tolist() for part in np.split(np.asarray(t_dept)[order], cuts)]
    return depts, np.split(np.asarray(cost, dtype=np.float64)[order], cuts)
