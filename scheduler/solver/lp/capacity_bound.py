"""How many learners any plan can place at most, from the region's capacity per month.

A placed learner is present in every present month of each of its placements, and in a
month the region holds at most Σ_departments min(capacity, buddy places) learners. So

    max Σ p_l  s.t.  Σ_{l present in m} p_l ≤ capacity_m  for every month m,  p ∈ {0, 1}

(pinned learners p = 1, learners without any department for a placement p = 0) relaxes
every plan: its optimum — or HiGHS's bound on it where the time runs out — is a valid
"no plan can place more than U". It forgets which department a learner needs, so it is
weaker than the LP's (``guide``, ``columns``), but it has one variable per learner and a
row per month, so it is there in a second on every region, also where no LP finishes.
"""

from __future__ import annotations

import math

import numpy as np

from ..index import Index
from .relaxation import quiet_highs


def most_placeable(ix: Index, time_limit: float) -> int | None:
    """U from the per-month capacity relaxation; None where HiGHS is missing or gives no
    bound in ``time_limit`` seconds."""
    try:
        import highspy
    except ImportError:  # pragma: no cover - highspy is a dependency
        return None
    n = len(ix.learners)
    if n == 0:
        return 0
    present = np.zeros((ix.horizon, n), dtype=bool)
    for row in ix.rows:
        present[list(row.present), row.learner] = True
    lower = ix.forced_placed.astype(float)
    upper = np.ones(n)
    no_department = ix.row_learner()[~ix.mask.any(axis=1)]
    upper[no_department] = 0.0
    upper[ix.forced_unplaced] = 0.0
    if (lower > upper).any():
        return None  # a pinned learner who cannot be placed: the model is infeasible
    h = quiet_highs(highspy, time_limit)
    h.addVars(n, lower, upper)
    h.changeColsCost(n, np.arange(n, dtype=np.int32), -np.ones(n))
    capacity = ix.effcap.sum(axis=0)
    for m in range(ix.horizon):
        learners = np.nonzero(present[m])[0]
        if len(learners) > capacity[m]:
            h.addRow(-highspy.kHighsInf, float(capacity[m]), len(learners),
                     learners.astype(np.int32), np.ones(len(learners)))
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                            np.array([highspy.HighsVarType.kInteger] * n))
    h.run()
    bound = h.getInfo().mip_dual_bound  # of the minimum of −Σ p
    if not math.isfinite(bound):
        return None
    return min(n, math.floor(-bound + 1e-6))
