"""The LP of the number of placed learners alone, solved approximately by a first-order
method (HiGHS's PDLP), to say *who* can be placed on tight pruned regions.

On regions with more learners than places (L-tight: 2,000 learners at 110 % utilisation)
the greedy plan leaves many out who fit, and the full LP (costs and fair share) does not
finish in the time limit. The LP that only counts left-out learners is much easier: PDLP
solves the pruned L-tight model (166,150 columns, 69,107 rows) in 6-12 s on two cores,
where the simplex and interior point take longer (see benchmarks/results/history.csv).
Its solution is approximate (a duality-gap tolerance of 1 %), so it only guides the
plan. Its duals are no bound either: they price the departments the pruned model left out
far below zero (on a 300-learner region at 115 % the exact dual objective of PDLP's duals,
priced over the left-out departments, was -222.6 against an LP optimum of 36 left out).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import numpy as np

from ..cpsat.model import BuildContext
from .relaxation import load, read_model

GAP_TOLERANCE = 1e-2  # PDLP's relative duality gap: enough to say who can be placed
POLL_SECONDS = 0.1  # how often a stop request is looked for while PDLP runs


def placement_values(ctx: BuildContext, time_limit: float,
                     stop: Callable[[], bool] = lambda: False) -> np.ndarray | None:
    """Per model triple (``ctx.x``), its value in an approximately optimal solution of
    the LP "fewest learners left out" of the model's rules; None where HiGHS is missing,
    the time is too short or PDLP does not converge. ``ctx.stats["placement_lp"]`` says
    how long it took and how it ended."""
    try:
        import highspy
    except ImportError:  # pragma: no cover - highspy is a dependency; stay usable
        return None
    if stop():
        return None
    started = time.perf_counter()
    lm = read_model(ctx.model)
    lm.cost[:] = 0.0
    lm.offset = 0.0
    unplaced = ctx.unplaced_columns()
    lm.cost[unplaced] = 1.0
    left = time_limit - (time.perf_counter() - started)
    if left <= 0.5:
        return None
    h = load(highspy, lm, left)
    h.setOptionValue("solver", "pdlp")
    h.setOptionValue("pdlp_d_gap_tol", GAP_TOLERANCE)
    if not _run_unless_stopped(h, stop):
        ctx.stats["placement_lp"] = {"seconds": round(time.perf_counter() - started, 2),
                                     "status": "stopped", "unplaced": None}
        return None
    status = h.modelStatusToString(h.getModelStatus())
    solution = h.getSolution()
    values = np.array(solution.col_value) if _usable(highspy, h, solution) else None
    ctx.stats["placement_lp"] = {
        "seconds": round(time.perf_counter() - started, 2),
        "status": status,
        "unplaced": None if values is None else round(float(values[unplaced].sum()), 2),
    }
    if values is None:
        return None
    x_cols = ctx.x_columns()
    return np.clip(values[x_cols], 0.0, 1.0)  # type: ignore[no-any-return]


def _run_unless_stopped(h, stop: Callable[[], bool]) -> bool:
    """Run HiGHS, polling ``stop``; False where it was asked to stop first. PDLP has no
    interrupt callback and ``cancelSolve`` does not reach it (L-tight: 8.6 s either
    way), so it runs in a thread (HiGHS releases the GIL) and on a stop is left to finish
    in the background, bounded by its time limit: the plan is written at once, and the
    process waits for the thread when it exits. (As a daemon thread it aborted the
    interpreter at exit: "terminate called without an active exception".)"""
    runner = threading.Thread(target=h.run, name="placement-lp")
    runner.start()
    while runner.is_alive():
        runner.join(POLL_SECONDS)
        if runner.is_alive() and stop():
            return False
    return True


def _usable(highspy, h, solution) -> bool:
    """PDLP's values are there to guide: optimal, or "Unknown" with feasible values, which
    is what HiGHS reports where PDLP converged but its check after postsolve found the duals
    off (a 1,500-learner region at 115 %: 216.99996 left out, status Unknown, primal values
    feasible). Presolve stays on: without it PDLP had not converged there in 60 s."""
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return True
    return bool(status == highspy.HighsModelStatus.kUnknown and solution.value_valid
                and h.getInfo().primal_solution_status
                == highspy.SolutionStatus.kSolutionStatusFeasible)
